"""Results of poker sessions: pure functions over `Played` records, no I/O, Decimal only.

Definitions (x = a session's result, t = its hours, b = its result in big blinds, h = its hands):
- profit Σx (expenses are kept apart: `net` = profit − expenses); hourly Σx/Σt.
- bb/100 = 100·Σb/Σh over sessions with hands and blinds known; bb/h = Σb/Σt over sessions with blinds.
- σ per hour (Malmuth's estimator for sessions of different lengths): √(Σ (x − w·t)² / t / (n − 1))
  with w = Σx/Σt; σ per 100 hands the same with t = h/100 and x = b. Needs two sessions.
- 95 % interval of a win rate: w ± 1.96·σ/√T (T = total hours, or hands/100).
- ROI = Σ tournament result / Σ tournament cost; ITM = tournaments with a prize / tournaments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, localcontext

Z_95 = Decimal("1.96")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Played:
    """One finished session, amounts already in one currency."""

    ended_at: datetime
    result: Decimal  # cash-out − what it cost to play (buy-ins, fees, re-entries, add-ons)
    hours: Decimal  # time at the table, breaks excluded
    expenses: Decimal = ZERO
    big_blind: Decimal | None = None  # in the same currency as result; None for tournaments
    hands: int | None = None
    cost: Decimal = ZERO  # tournaments: the total paid to play (for ROI)
    prize: Decimal = ZERO
    tournament: bool = False
    game: str = ""
    stakes: str = ""  # "1/2", or the format for tournaments
    place: str = ""  # the site's name or the venue
    weekday: int = 0  # of the local start, Monday 0

    @property
    def in_bb(self) -> Decimal | None:
        if self.big_blind is None or self.big_blind <= 0:
            return None
        return self.result / self.big_blind


@dataclass(frozen=True)
class Rate:
    """A win rate with its standard deviation and 95 % interval (σ and interval None below 2 sessions)."""

    value: Decimal
    std_dev: Decimal | None
    low: Decimal | None
    high: Decimal | None
    sessions: int
    exposure: Decimal  # hours, or hands/100, the rate was measured over

    @property
    def margin(self) -> Decimal | None:
        return None if self.high is None else self.high - self.value


@dataclass(frozen=True)
class Results:
    sessions: int
    profit: Decimal
    expenses: Decimal
    net: Decimal
    hours: Decimal
    hands: int
    hourly: Rate | None
    bb_per_100: Rate | None
    bb_per_hour: Decimal | None
    roi: Decimal | None  # percent
    itm: Decimal | None  # percent
    tournaments: int
    biggest_win: Decimal | None
    biggest_loss: Decimal | None


def rate(pairs: Sequence[tuple[Decimal, Decimal]]) -> Rate | None:
    """The win rate per unit of exposure of (result, exposure) pairs, with σ per unit and its interval.

    Pairs with no exposure are left out; None when nothing is left.
    """
    used = [(x, t) for x, t in pairs if t > 0]
    if not used:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        total = sum((t for _x, t in used), ZERO)
        w = sum((x for x, _t in used), ZERO) / total
        if len(used) < 2:
            return Rate(w, None, None, None, len(used), total)
        variance = sum(((x - w * t) ** 2 / t for x, t in used), ZERO) / (len(used) - 1)
        sigma = variance.sqrt()
        margin = Z_95 * sigma / total.sqrt()
        return Rate(w, sigma, w - margin, w + margin, len(used), total)


def summarise(played: Sequence[Played]) -> Results:
    """Every figure of the results page for these sessions."""
    profit = sum((p.result for p in played), ZERO)
    expenses = sum((p.expenses for p in played), ZERO)
    hours = sum((p.hours for p in played), ZERO)
    with_hands = [p for p in played if p.hands and p.in_bb is not None]
    hands = sum((p.hands or 0 for p in with_hands), 0)
    bb_100 = rate([(p.in_bb, Decimal(p.hands) / 100) for p in with_hands if p.in_bb is not None and p.hands])
    with_bb = [p for p in played if p.in_bb is not None and p.hours > 0]
    bb_hours = sum((p.hours for p in with_bb), ZERO)
    bb_per_hour = sum((p.in_bb or ZERO for p in with_bb), ZERO) / bb_hours if bb_hours > 0 else None
    tournaments = [p for p in played if p.tournament]
    cost = sum((p.cost for p in tournaments), ZERO)
    roi = sum((p.result for p in tournaments), ZERO) * 100 / cost if cost > 0 else None
    itm = (
        Decimal(sum(1 for p in tournaments if p.prize > 0) * 100) / len(tournaments) if tournaments else None
    )
    wins = [p.result for p in played if p.result > 0]
    losses = [p.result for p in played if p.result < 0]
    return Results(
        sessions=len(played),
        profit=profit,
        expenses=expenses,
        net=profit - expenses,
        hours=hours,
        hands=hands,
        hourly=rate([(p.result, p.hours) for p in played]),
        bb_per_100=bb_100,
        bb_per_hour=bb_per_hour,
        roi=roi,
        itm=itm,
        tournaments=len(tournaments),
        biggest_win=max(wins) if wins else None,
        biggest_loss=min(losses) if losses else None,
    )


def cumulative(played: Sequence[Played], *, with_expenses: bool = False) -> list[Decimal]:
    """The running total after each session, oldest first (net of expenses when asked)."""
    total = ZERO
    points = []
    for p in sorted(played, key=lambda p: p.ended_at):
        total += p.result - (p.expenses if with_expenses else ZERO)
        points.append(total)
    return points


# The player's own numbers are trusted for stake advice only past these samples.
MIN_HANDS = 10_000
MIN_HOURS = Decimal(100)


def enough_sample(results: Results) -> bool:
    """Whether the measured win rate and σ are worth basing stake advice on."""
    if results.bb_per_100 is not None and results.hands >= MIN_HANDS and results.bb_per_100.std_dev:
        return True
    return results.hourly is not None and results.hours >= MIN_HOURS and bool(results.hourly.std_dev)


@dataclass(frozen=True)
class Group:
    label: str
    sessions: int
    profit: Decimal
    hours: Decimal

    @property
    def hourly(self) -> Decimal | None:
        return self.profit / self.hours if self.hours > 0 else None


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def by(played: Sequence[Played], key: str) -> list[Group]:
    """Sessions, profit, hours and $/h per game, stakes, place or weekday (best first; weekdays in order)."""
    groups: dict[str, list[Played]] = {}
    for p in played:
        label = WEEKDAYS[p.weekday] if key == "weekday" else str(getattr(p, key)) or "—"
        groups.setdefault(label, []).append(p)
    found = [
        Group(label, len(ps), sum((p.result for p in ps), ZERO), sum((p.hours for p in ps), ZERO))
        for label, ps in groups.items()
    ]
    if key == "weekday":
        return sorted(found, key=lambda g: WEEKDAYS.index(g.label))
    return sorted(found, key=lambda g: (-g.profit, g.label))


# Session lengths for $/h by length: (label, up to this many hours).
LENGTHS = (("Under 1 h", Decimal(1)), ("1–2 h", Decimal(2)), ("2–4 h", Decimal(4)), ("4–6 h", Decimal(6)))
LONGEST = "6 h and more"


def length_label(hours: Decimal) -> str:
    for label, limit in LENGTHS:
        if hours < limit:
            return label
    return LONGEST


def by_length(played: Sequence[Played]) -> list[Group]:
    """Sessions, profit, hours and $/h per session length (time at the table), shortest first."""
    groups: dict[str, list[Played]] = {}
    for p in played:
        groups.setdefault(length_label(p.hours), []).append(p)
    order = [label for label, _limit in LENGTHS] + [LONGEST]
    return [
        Group(label, len(ps), sum((p.result for p in ps), ZERO), sum((p.hours for p in ps), ZERO))
        for label in order
        if (ps := groups.get(label))
    ]
