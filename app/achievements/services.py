"""The achievements: what each one needs, the player's progress towards it, and `sync`, which unlocks
the newly met ones and shows each one's toast exactly once."""

from __future__ import annotations

from collections.abc import Iterable
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
    Definition("first_export", "Safe keeping", "Export your data (a JSON, ZIP or CSV download)."),
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


STREAKS = ("streak_3", "streak_7", "streak_30")
MONEY = ("bankroll_1k", "bankroll_10k", "in_the_black")
COUNTED = {"first_site": "sites", "first_goal": "goals", "first_tool": "tools", "first_export": "exports"}
COUNTED_READS = ("read_1", "read_10")
# What a bankroll action (a balance update, a flow, a transfer, a session, an import) can unlock; the
# first goal too, since a balance update can complete a goal.
ACTION_KEYS = (*STREAKS, *MONEY, "first_site", "first_goal")


@dataclass
class Facts:
    """What the rules look at; a part left None was not needed (its achievements are unlocked)."""

    streak: streaks.Streak | None
    counts: dict[str, int] | None
    bankroll_usd: Decimal | None
    profit: Decimal | None


async def facts(
    session: AsyncSession,
    user: User,
    keys: Iterable[str] | None = None,
    summary: bankroll.Summary | None = None,
) -> Facts:
    """The facts the achievements `keys` (all by default) need: one query for the streak, one for the
    counts, the bankroll summary's four (none when the caller passes the summary it has)."""
    assert user.id is not None
    wanted = set(BY_KEY if keys is None else keys)
    streak = counts = usd = profit = None
    if wanted & set(STREAKS):
        days = await streaks.activity_days(session, user)
        streak = streaks.streak(days, streaks.today(user))
    names = {COUNTED[key] for key in wanted if key in COUNTED} | (
        {"reads"} if wanted & set(COUNTED_READS) else set()
    )
    if names:
        counts = await queries.counts(session, user.id, names)
    if wanted & set(MONEY):
        figures = summary or await bankroll.summary(session, user)
        usd = money.convert(figures.bankroll, figures.currency, "USD", figures.rates)
        profit = figures.profit
    return Facts(streak=streak, counts=counts, bankroll_usd=usd, profit=profit)


def progress(f: Facts) -> dict[str, int]:
    """Each measurable achievement's current value (the longest streak counts: it was reached)."""
    values: dict[str, int] = {}
    if f.streak is not None:
        values.update(dict.fromkeys(STREAKS, f.streak.longest))
    if f.counts is not None and "reads" in f.counts:
        values.update(dict.fromkeys(COUNTED_READS, f.counts["reads"]))
    if f.bankroll_usd is not None:
        values.update(dict.fromkeys(("bankroll_1k", "bankroll_10k"), int(f.bankroll_usd)))
    return values


def met(f: Facts) -> set[str]:
    done = {key for key, value in progress(f).items() if value >= (BY_KEY[key].target or 0)}
    if f.counts is not None:
        done |= {key for key, name in COUNTED.items() if f.counts.get(name)}
    if f.profit is not None and f.profit > 0:
        done.add("in_the_black")
    return done


async def check(
    session: AsyncSession,
    user: User,
    request: Request | None = None,
    *,
    keys: Iterable[str] | None = None,
    summary: bankroll.Summary | None = None,
) -> None:
    """Unlock what is newly met among `keys` (all by default) and, given the request, flash one toast
    per unlock not yet announced. Cheap where it runs after every action: one query when those
    achievements are all unlocked and announced, else only the facts the locked ones need. Commits."""
    assert user.id is not None
    have = await queries.states(session, user.id)
    missing = [key for key in (BY_KEY if keys is None else keys) if key not in have]
    new: list[str] = []
    if missing:
        f = await facts(session, user, missing, summary)
        new = sorted(met(f) & set(missing))
        if new:
            await queries.unlock(session, user.id, new, utcnow())
    if request is not None and (new or not all(notified for _at, notified in have.values())):
        _announce(request, await queries.claim_unnotified(session, user.id))
    await session.commit()


def _announce(request: Request, keys: Iterable[str]) -> None:
    for key in keys:
        if key in BY_KEY:
            flash(request, f"Achievement unlocked: {BY_KEY[key].name}. {BY_KEY[key].description}", "success")


async def after_action(
    session: AsyncSession, user: User, request: Request, summary: bankroll.Summary | None = None
) -> None:
    """What a write route calls after committing a bankroll action: the unlocks it can bring, toasted."""
    await check(session, user, request, keys=ACTION_KEYS, summary=summary)


async def exported(session: AsyncSession, user: User, request: Request, format: str) -> None:
    """Record a download of the player's data; the first one unlocks "Safe keeping" (its toast shows
    on the next page, the download itself being a file). Commits."""
    assert user.id is not None
    await queries.record_export(session, user.id, format)
    await check(session, user, request, keys=["first_export"])


async def sync(session: AsyncSession, user: User, request: Request | None = None) -> list[State]:
    """Unlock what is newly met, flash one toast per unlock not yet announced, return every state
    (with the progress of the locked ones: the achievements page)."""
    assert user.id is not None
    f = await facts(session, user)
    have = await queries.unlocked(session, user.id)
    new = sorted(met(f) - set(have))
    if new:
        await queries.unlock(session, user.id, new, utcnow())
    if request is not None:
        _announce(request, await queries.claim_unnotified(session, user.id))
    await session.commit()
    have = await queries.unlocked(session, user.id)
    values = progress(f)
    return [State(d, have.get(d.key), values.get(d.key)) for d in DEFINITIONS]
