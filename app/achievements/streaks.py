"""Activity days and streaks, derived from the created_at of stored bankroll actions.

An action is a balance entry, a deposit/withdrawal/bonus, a transfer or a poker session the player
created (soft-deleted ones too: the action happened). Days are the player's local days, so a streak
follows their clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BalanceEntry, Flow, Holding, PokerSession, Transfer, User

E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
HOLDINGS = Holding.__table__  # type: ignore[attr-defined]
H = HOLDINGS.c
F = Flow.__table__.c  # type: ignore[attr-defined]
T = Transfer.__table__.c  # type: ignore[attr-defined]
S = PokerSession.__table__.c  # type: ignore[attr-defined]


def zone(user: User) -> tzinfo:
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def today(user: User, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(zone(user)).date()


async def action_times(session: AsyncSession, user_id: int) -> list[datetime]:
    """Every bankroll action's creation instant (aware UTC): one UNION query."""
    query = sa.union_all(
        sa.select(E.created_at.label("at")).join(HOLDINGS, H.id == E.holding_id).where(H.user_id == user_id),
        sa.select(F.created_at).where(F.user_id == user_id),
        sa.select(T.created_at).where(T.user_id == user_id),
        sa.select(S.created_at).where(S.user_id == user_id),
    )
    rows = (await session.execute(query)).scalars().all()
    return [at if at.tzinfo else at.replace(tzinfo=UTC) for at in rows]


async def activity_days(session: AsyncSession, user: User) -> set[date]:
    tz = zone(user)
    assert user.id is not None
    return {at.astimezone(tz).date() for at in await action_times(session, user.id)}


@dataclass(frozen=True)
class Streak:
    current: int  # ends today, or yesterday (today is not over yet)
    longest: int
    active_today: bool


def streak(days: Iterable[date], on: date) -> Streak:
    ordered = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    present = set(ordered)
    end = on if on in present else on - timedelta(days=1)
    current = 0
    while end in present:
        current += 1
        end -= timedelta(days=1)
    return Streak(current=current, longest=longest, active_today=on in present)
