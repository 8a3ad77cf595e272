"""All SQL of the dashboard beyond the bankroll core: one query each, whatever the history size."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel.sql.sqltypes import UTCDateTime

from app.models import BalanceEntry, Flow, Holding

E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
H = Holding.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]


async def totals_at(
    session: AsyncSession, user_id: int, instants: Sequence[datetime]
) -> list[tuple[datetime, str, str, Decimal]]:
    """The chart's balances in one query: per instant, holding kind and currency, the sum of every live
    holding's latest balance at or before that instant. Rows: (instant, kind, currency, total).

    The same carry-forward as bankroll.queries.values_at, summed in SQL so a few hundred rows travel
    instead of one per holding and instant. PostgreSQL reads each latest entry with a LATERAL index
    probe (the plain correlated form made it hash-join the whole history); SQLite has no LATERAL, so
    there the latest entry's id is found first and joined.
    """
    if not instants:
        return []
    samples = sa.union_all(
        *[sa.select(sa.literal(at, UTCDateTime()).label("at")) for at in instants]
    ).subquery("samples")
    holdings = sa.select(H.id, H.kind).where(H.user_id == user_id, H.deleted_at.is_(None)).subquery("h")
    newest = (E.recorded_at.desc(), E.id.desc())
    if session.get_bind().dialect.name == "postgresql":
        latest = (
            sa.select(E.balance, E.currency)
            .where(E.holding_id == holdings.c.id, E.recorded_at <= samples.c.at)
            .order_by(*newest)
            .limit(1)
            .lateral("latest")
        )
        query = (
            sa.select(samples.c.at, holdings.c.kind, latest.c.currency, sa.func.sum(latest.c.balance))
            .select_from(samples)
            .join(holdings, sa.true())
            .join(latest, sa.true())
            .group_by(samples.c.at, holdings.c.kind, latest.c.currency)
        )
    else:
        entry_id = (
            sa.select(E.id)
            .where(E.holding_id == holdings.c.id, E.recorded_at <= samples.c.at)
            .order_by(*newest)
            .limit(1)
            .scalar_subquery()
        )
        probes = (
            sa.select(samples.c.at, holdings.c.kind, entry_id.label("entry_id"))
            .select_from(samples)
            .join(holdings, sa.true())
            .subquery("probes")
        )
        query = (
            sa.select(probes.c.at, probes.c.kind, E.currency, sa.func.sum(E.balance))
            .select_from(probes)
            .join(BalanceEntry.__table__, E.id == probes.c.entry_id)  # type: ignore[attr-defined]
            .group_by(probes.c.at, probes.c.kind, E.currency)
        )
    return [tuple(row) for row in (await session.execute(query)).all()]  # type: ignore[misc]


async def first_entry_at(session: AsyncSession, user_id: int) -> datetime | None:
    """When the player's earliest balance (of a live holding) was recorded; None without any.

    Each holding's first entry is an index look-up, so this stays cheap with a long history.
    """
    first = (
        sa.select(E.recorded_at)
        .where(E.holding_id == H.id)
        .order_by(E.recorded_at, E.id)
        .limit(1)
        .scalar_subquery()
    )
    query = sa.select(sa.func.min(first)).where(H.user_id == user_id, H.deleted_at.is_(None))
    return (await session.execute(query)).scalar_one_or_none()


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
