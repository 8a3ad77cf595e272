"""All SQL for achievements: the counts their rules need, and the unlock rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Achievement, ArticleRead, DataExport, Goal, Holding, ToolUse

A = Achievement.__table__.c  # type: ignore[attr-defined]


COUNTS = ("goals", "reads", "tools", "sites", "exports")


async def counts(session: AsyncSession, user_id: int, names: Iterable[str] = COUNTS) -> dict[str, int]:
    """Completed goals, articles read, tools used, sites ever added and exports (those of `names`):
    one query."""

    def count(table: sa.Table, *conditions: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
        query = sa.select(sa.func.count()).select_from(table).where(table.c.user_id == user_id, *conditions)
        return query.scalar_subquery()

    goals, reads, tools, holdings, exports = (
        model.__table__  # type: ignore[attr-defined,union-attr]
        for model in (Goal, ArticleRead, ToolUse, Holding, DataExport)
    )
    every = {
        "goals": lambda: count(goals, goals.c.completed_at.is_not(None)),
        "reads": lambda: count(reads),
        "tools": lambda: count(tools),
        "sites": lambda: count(holdings, holdings.c.kind == "site"),
        "exports": lambda: count(exports),
    }
    wanted = [name for name in COUNTS if name in set(names)]
    if not wanted:
        return {}
    row = (await session.execute(sa.select(*(every[name]().label(name) for name in wanted)))).one()
    return dict(zip(wanted, row, strict=True))


async def record_export(session: AsyncSession, user_id: int, format: str) -> None:
    """Keep a record of a download of the player's data. The caller commits."""
    await session.execute(sa.insert(DataExport).values(user_id=user_id, format=format))


async def unlocked(session: AsyncSession, user_id: int) -> dict[str, datetime]:
    rows = await session.execute(sa.select(A.key, A.unlocked_at).where(A.user_id == user_id))
    return {key: at for key, at in rows.all()}


async def states(session: AsyncSession, user_id: int) -> dict[str, tuple[datetime, bool]]:
    """Each unlocked achievement's date and whether its toast was shown."""
    rows = await session.execute(sa.select(A.key, A.unlocked_at, A.notified).where(A.user_id == user_id))
    return {key: (at, notified) for key, at, notified in rows.all()}


async def unlock(session: AsyncSession, user_id: int, keys: list[str], now: datetime) -> None:
    """Insert the unlock rows; one that a concurrent request already wrote is left as it is."""
    if not keys:
        return
    dialect = session.bind.dialect.name if session.bind is not None else "postgresql"
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    statement = insert(Achievement).values(
        [{"user_id": user_id, "key": key, "unlocked_at": now, "notified": False} for key in keys]
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "key"]))


async def claim_unnotified(session: AsyncSession, user_id: int) -> list[str]:
    """Mark every un-notified unlock as notified and return those keys: exactly one request gets each."""
    statement = (
        sa.update(Achievement.__table__)  # type: ignore[attr-defined]
        .where(A.user_id == user_id, A.notified.is_(False))
        .values(notified=True)
        .returning(A.key)
    )
    return list((await session.execute(statement)).scalars().all())
