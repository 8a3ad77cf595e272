"""Activity days and streaks, from the stored action days (app.achievements.days).

An action is a balance entry, a deposit/withdrawal/bonus, a transfer, a poker session or an import
the player made; each stores its local day when it is made (user_action_days), so a streak follows the
player's clock and reading it never scans the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from app.achievements import days as action_days
from app.models import User


def zone(user: User) -> tzinfo:
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def today(user: User, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(zone(user)).date()


async def activity_days(session: AsyncSession, user: User) -> set[date]:
    """Every local day with a bankroll action: one index range scan of user_action_days."""
    assert user.id is not None
    return await action_days.stored(session, user.id)


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
