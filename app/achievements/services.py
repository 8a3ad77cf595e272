"""The achievements: what each one needs, the player's progress towards it, and `sync`, which unlocks
the newly met ones and shows each one's toast exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from app import money
from app.achievements import queries, streaks
from app.bankroll import services as bankroll
from app.models import User, utcnow
from app.templating import flash


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    description: str
    target: int | None = None  # shown as progress "n of target" when set
    note: str | None = None  # why it cannot be reached yet


DEFINITIONS = [
    Definition("streak_3", "Warming up", "Record a bankroll action on 3 days in a row.", 3),
    Definition("streak_7", "Week of focus", "Record a bankroll action on 7 days in a row.", 7),
    Definition("streak_30", "Iron discipline", "Record a bankroll action on 30 days in a row.", 30),
    Definition("first_site", "Seat taken", "Add your first poker site."),
    Definition("first_goal", "Goal getter", "Complete your first goal."),
    Definition("read_1", "Student of the game", "Read an article.", 1),
    Definition("read_10", "Bookworm", "Read 10 articles.", 10),
    Definition("first_tool", "Number cruncher", "Use one of the tools."),
    Definition("bankroll_1k", "Four figures", "Reach a bankroll of 1,000 USD (or its equivalent).", 1000),
    Definition("bankroll_10k", "Five figures", "Reach a bankroll of 10,000 USD (or its equivalent).", 10000),
    Definition("in_the_black", "In the black", "Have a lifetime profit above zero."),
    Definition(
        "first_export",
        "Safe keeping",
        "Export your data.",
        note="Exports are not recorded yet, so this one cannot be unlocked for now.",
    ),
]
BY_KEY = {d.key: d for d in DEFINITIONS}


@dataclass
class State:
    """One achievement for one player: unlocked (when) or locked (how far along)."""

    definition: Definition
    unlocked_at: datetime | None
    progress: int | None = None  # towards definition.target

    @property
    def percent(self) -> int:
        target = self.definition.target
        if self.unlocked_at is not None:
            return 100
        if not target or self.progress is None:
            return 0
        return max(0, min(100, int(self.progress * 100 // target)))


@dataclass
class Facts:
    streak: streaks.Streak
    counts: dict[str, int]
    bankroll_usd: Decimal
    profit: Decimal


async def facts(session: AsyncSession, user: User) -> Facts:
    assert user.id is not None
    days = await streaks.activity_days(session, user)
    figures = await bankroll.summary(session, user)
    usd = money.convert(figures.bankroll, figures.currency, "USD", figures.rates)
    return Facts(
        streak=streaks.streak(days, streaks.today(user)),
        counts=await queries.counts(session, user.id),
        bankroll_usd=usd,
        profit=figures.profit,
    )


def progress(f: Facts) -> dict[str, int]:
    """Each measurable achievement's current value (the longest streak counts: it was reached)."""
    return {
        "streak_3": f.streak.longest,
        "streak_7": f.streak.longest,
        "streak_30": f.streak.longest,
        "read_1": f.counts["reads"],
        "read_10": f.counts["reads"],
        "bankroll_1k": int(f.bankroll_usd),
        "bankroll_10k": int(f.bankroll_usd),
    }


def met(f: Facts) -> set[str]:
    done = {key for key, value in progress(f).items() if value >= (BY_KEY[key].target or 0)}
    if f.counts["sites"]:
        done.add("first_site")
    if f.counts["goals"]:
        done.add("first_goal")
    if f.counts["tools"]:
        done.add("first_tool")
    if f.profit > 0:
        done.add("in_the_black")
    return done


async def sync(session: AsyncSession, user: User, request: Request | None = None) -> list[State]:
    """Unlock what is newly met, flash one toast per unlock not yet announced, return every state."""
    assert user.id is not None
    f = await facts(session, user)
    have = await queries.unlocked(session, user.id)
    new = sorted(met(f) - set(have))
    if new:
        await queries.unlock(session, user.id, new, utcnow())
    if request is not None:
        for key in await queries.claim_unnotified(session, user.id):
            if key in BY_KEY:
                flash(
                    request, f"Achievement unlocked: {BY_KEY[key].name}. {BY_KEY[key].description}", "success"
                )
    await session.commit()
    have = await queries.unlocked(session, user.id)
    values = progress(f)
    return [State(d, have.get(d.key), values.get(d.key)) for d in DEFINITIONS]
