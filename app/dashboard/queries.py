"""SQL of the dashboard chart beyond the daily snapshots (app.bankroll.daily): the flows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel.sql.sqltypes import UTCDateTime

from app.models import BalanceEntry, Flow, Holding

E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
H = Holding.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]


async def flows_for_chart(
    session: AsyncSession, user_id: int, first: datetime, last: datetime
) -> list[tuple[datetime, str, str, Decimal]]:
    """The live deposits and withdrawals the chart needs, as (occurred_at, kind, currency, amount).

    Everything up to `first` (the first sample) comes summed per kind and currency and dated `first`;
    only the flows between the first and the last sample come one by one. One query.
    """
    live = [F.user_id == user_id, F.deleted_at.is_(None)]
    before = (
        sa.select(sa.literal(first, UTCDateTime()).label("at"), F.kind, F.currency, sa.func.sum(F.amount))
        .where(*live, F.occurred_at <= first)
        .group_by(F.kind, F.currency)
    )
    within = sa.select(F.occurred_at, F.kind, F.currency, F.amount).where(
        *live, F.occurred_at > first, F.occurred_at <= last
    )
    query = sa.union_all(before, within)
    return [tuple(row) for row in (await session.execute(query)).all()]  # type: ignore[misc]
