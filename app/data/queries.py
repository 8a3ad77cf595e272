"""SQL of the "Your data" page: what the player has, and their reset that can still be undone."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.models import BalanceEntry, DataReset, Flow, Holding, Transfer, User, utcnow

H = Holding.__table__.c  # type: ignore[attr-defined]
E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]
T = Transfer.__table__.c  # type: ignore[attr-defined]
HOLDINGS: sa.Table = Holding.__table__  # type: ignore[attr-defined]
ENTRIES: sa.Table = BalanceEntry.__table__  # type: ignore[attr-defined]
FLOWS: sa.Table = Flow.__table__  # type: ignore[attr-defined]
TRANSFERS: sa.Table = Transfer.__table__  # type: ignore[attr-defined]
UNDO_WINDOW = timedelta(hours=24)


async def counts(session: AsyncSession, user_id: int) -> dict[str, int]:
    """How many live holdings, balance entries, flows and transfers the player has: one query."""
    live = sa.select(H.id).where(H.user_id == user_id, H.deleted_at.is_(None))

    def count(table: sa.TableClause, *where: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
        return sa.select(sa.func.count()).select_from(table).where(*where).scalar_subquery()

    query = sa.select(
        count(HOLDINGS, H.id.in_(live)),
        count(ENTRIES, E.holding_id.in_(live)),
        count(FLOWS, F.user_id == user_id, F.deleted_at.is_(None)),
        count(TRANSFERS, T.user_id == user_id, T.deleted_at.is_(None)),
    )
    holdings, entries, flows, transfers = (await session.execute(query)).one()
    return {"holdings": holdings, "balance_entries": entries, "flows": flows, "transfers": transfers}


async def undoable_reset(session: AsyncSession, user: User) -> DataReset | None:
    """The player's latest reset while it can still be undone (24 hours, not undone, not purged)."""
    query = (
        select(DataReset)
        .where(
            DataReset.user_id == user.id,
            DataReset.undone_at.is_(None),  # type: ignore[union-attr]
            DataReset.purged_at.is_(None),  # type: ignore[union-attr]
            DataReset.created_at > utcnow() - UNDO_WINDOW,
        )
        .order_by(DataReset.created_at.desc())  # type: ignore[attr-defined]
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()
