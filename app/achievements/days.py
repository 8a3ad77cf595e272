"""The player's action days (the user_action_days table): what streaks and volume goals count.

Every write path that is a bankroll action (a balance update, a deposit, withdrawal or bonus, a
transfer, a poker session, an import) calls `record` in the writer's transaction. The day is the
player's local day at the moment of the action, in the time zone set then: a later change of time
zone leaves the stored days as they are, so a streak never breaks or grows because of it.
Recording is idempotent (ON CONFLICT DO NOTHING) and costs one statement per request at most (a
session remembers the days it already wrote).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User, UserActionDay

D = UserActionDay.__table__.c  # type: ignore[attr-defined]
INFO_KEY = "action_days"  # session.info: the (user id, day) pairs this session already wrote


def zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def day_of(user: User, at: datetime | None = None) -> date:
    """The player's local day at `at` (now by default)."""
    moment = at or datetime.now(UTC)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(user.timezone)).date()


async def record(session: AsyncSession, user: User | int | None, at: datetime | None = None) -> None:
    """Store the day of an action made at `at` (now) by the player (a User, or its id: then the User
    is taken from the session, which already holds it in a request). The caller commits."""
    if isinstance(user, int):
        user = await session.get(User, user)
    if user is None or user.id is None:
        return
    key = (user.id, day_of(user, at))
    written: set[tuple[int, date]] = session.info.setdefault(INFO_KEY, set())
    if key in written:
        return
    dialect = session.bind.dialect.name if session.bind is not None else "postgresql"
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    statement = insert(UserActionDay).values(user_id=key[0], day=key[1])
    await session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "day"]))
    written.add(key)


def acted(session: AsyncSession) -> bool:
    """Whether this session recorded an action (so achievements are worth checking now)."""
    return bool(session.info.get(INFO_KEY))


async def stored(session: AsyncSession, user_id: int, since: date | None = None) -> set[date]:
    """The player's action days (from `since` on): one index range scan."""
    query = sa.select(D.day).where(D.user_id == user_id)
    if since is not None:
        query = query.where(D.day >= since)
    return set((await session.execute(query)).scalars().all())


async def recent(session: AsyncSession, user_id: int, today: date, span: int = 31) -> set[date]:
    """The action days of the last `span` days: enough to tell a current streak of up to that length."""
    return await stored(session, user_id, today - timedelta(days=span))
