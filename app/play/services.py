"""Sessions to statistics: conversion to the player's currency, the profit chart, stake advice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from app import money
from app.advice.risk import risk_of_ruin
from app.flows.forms import zone
from app.models import PokerSession, User
from app.play import forms, queries, reconcile, stats
from app.rates import queries as rate_queries
from app.rates.history import RateHistory

WIDTH, HEIGHT, PAD = 600, 200, 8


def to_played(
    plays: Sequence[PokerSession], user: User, history: RateHistory, names: Mapping[int, str] | None = None
) -> list[stats.Played]:
    """Sessions with a cash-out, in the player's currency at the rate of each one's day.

    `names` are the sites' names by id (for the breakdown by place).
    """
    names = names or {}
    to = user.display_currency
    tz = zone(user)
    played = []
    for play in plays:
        result = forms.result(play)
        if result is None or play.ended_at is None:
            continue
        day = play.ended_at.astimezone(tz).date()

        def conv(amount: Decimal, play: PokerSession = play, day=day) -> Decimal:
            return history.convert(amount, play.currency, to, day)

        played.append(
            stats.Played(
                ended_at=play.ended_at,
                result=conv(result),
                hours=Decimal(forms.played_seconds(play)) / 3600,
                expenses=conv(play.expenses),
                big_blind=conv(play.big_blind)
                if play.big_blind is not None and play.format == "cash"
                else None,
                hands=play.hands,
                cost=conv(forms.cost(play)) if forms.tournament(play.format) else Decimal(0),
                prize=play.cash_out or Decimal(0),
                tournament=forms.tournament(play.format),
                game=play.game,
                stakes=forms.stakes_text(play.small_blind, play.big_blind) or play.format,
                place=names.get(play.holding_id or 0) or play.venue or "",
                weekday=play.started_at.astimezone(tz).weekday(),
            )
        )
    return played


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _spread(count: int, most: int) -> list[int]:
    """`most` indexes of `count` items, evenly spaced, first and last included (all when fewer)."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def chart_svg(points: Sequence[Decimal], net: Sequence[Decimal], currency: str, locale: str) -> Markup | None:
    """Cumulative profit after each session (and net of expenses), as an SVG styled by classes."""
    if len(points) < 2:
        return None
    values = [*points, *net, Decimal(0)]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    step = (WIDTH - 2 * PAD) / (len(points) - 1)

    def y(value: Decimal) -> float:
        return PAD + float((high - value) / span) * (HEIGHT - 2 * PAD)

    # No more points than the chart is wide: a long history is drawn from evenly spaced sessions (the
    # first and last always), while the range and the summary still come from every session.
    kept = _spread(len(points), WIDTH)

    def line(series: Sequence[Decimal]) -> str:
        return " ".join(f"{_fmt(PAD + i * step)},{_fmt(y(series[i]))}" for i in kept)

    last, peak, trough = (
        money.format_money(v, currency, locale) for v in (points[-1], max(points), min(points))
    )
    summary = (
        f"Cumulative profit over {len(points)} sessions: ends at {last}, highest {peak}, lowest {trough}."
    )
    expenses_line = ""
    if list(net) != list(points):
        expenses_line = Markup('<polyline class="play-chart-net" fill="none" points="{}"/>').format(line(net))
    return Markup(
        '<svg class="play-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="play-chart-title">'
        '<title id="play-chart-title">{summary}</title>'
        '<line class="play-chart-zero" x1="{pad}" x2="{x2}" y1="{zero}" y2="{zero}"/>'
        "{net}"
        '<polyline class="play-chart-line" fill="none" points="{points}"/>'
        "</svg>"
    ).format(
        w=WIDTH,
        h=HEIGHT,
        summary=summary,
        pad=PAD,
        x2=WIDTH - PAD,
        zero=_fmt(y(Decimal(0))),
        net=expenses_line,
        points=line(points),
    )


def chart_summary(points: Sequence[Decimal], currency: str, locale: str) -> str:
    if not points:
        return ""
    return f"After {len(points)} sessions: {money.format_money(points[-1], currency, locale, signed=True)}."


@dataclass(frozen=True)
class Advice:
    """Risk of ruin with the measured hourly rate, at its estimate and at the low end of its interval."""

    enough: bool
    hours: Decimal
    hands: int
    bankroll: Decimal
    risk: Decimal | None = None
    risk_low: Decimal | None = None


def advice(results: stats.Results, bankroll: Decimal) -> Advice:
    """Risk of ruin from the player's own $/h and σ/h, once the sample is large enough."""
    base = Advice(stats.enough_sample(results), results.hours, results.hands, bankroll)
    rate = results.hourly
    if not base.enough or rate is None or not rate.std_dev or rate.low is None or bankroll <= 0:
        return base
    return Advice(
        True,
        results.hours,
        results.hands,
        bankroll,
        risk_of_ruin(rate.value, rate.std_dev, bankroll),
        risk_of_ruin(rate.low, rate.std_dev, bankroll),
    )


@dataclass(frozen=True)
class StakeRisk:
    """Risk of ruin at one of the stakes played, from the player's bb/100 and σ per 100 hands."""

    stakes: str
    big_blind: Decimal  # in the player's currency (the latest session's at these stakes)
    buy_ins: Decimal  # the bankroll in big blinds
    risk: Decimal
    risk_low: Decimal | None  # at the low end of the 95 % interval of bb/100
    risk_high: Decimal | None  # at the high end


@dataclass(frozen=True)
class HandsAdvice:
    """Stake advice from bb/100: enough hands or not, and the risk of ruin at each cash stake played."""

    enough: bool
    hands: int
    stakes: list[StakeRisk]


def hands_advice(
    results: stats.Results, played: Sequence[stats.Played], bankroll: Decimal, most: int = 5
) -> HandsAdvice | None:
    """Risk of ruin in big blinds, from the measured bb/100 and σ/100, at the cash stakes the player has
    logged hands at (most played first); None when no session has hands and blinds."""
    rate = results.bb_per_100
    if rate is None:
        return None
    enough = results.hands >= stats.MIN_HANDS and bool(rate.std_dev)
    if not enough or rate.std_dev is None or bankroll <= 0:
        return HandsAdvice(enough, results.hands, [])
    hands: dict[str, int] = {}
    latest: dict[str, stats.Played] = {}
    for p in sorted(played, key=lambda p: p.ended_at):
        if p.big_blind is None or p.big_blind <= 0 or not p.hands:
            continue
        hands[p.stakes] = hands.get(p.stakes, 0) + p.hands
        latest[p.stakes] = p
    chosen = sorted(hands, key=lambda label: -hands[label])[:most]
    risks = []
    for label in chosen:
        big_blind = latest[label].big_blind
        assert big_blind is not None
        buy_ins = bankroll / big_blind
        risks.append(
            StakeRisk(
                label,
                big_blind,
                buy_ins,
                risk_of_ruin(rate.value, rate.std_dev, buy_ins),
                risk_of_ruin(rate.low, rate.std_dev, buy_ins) if rate.low is not None else None,
                risk_of_ruin(rate.high, rate.std_dev, buy_ins) if rate.high is not None else None,
            )
        )
    return HandsAdvice(True, results.hands, sorted(risks, key=lambda r: r.big_blind))


def elapsed(play: PokerSession, now: datetime) -> str:
    """h:mm:ss at the table so far."""
    seconds = forms.played_seconds(play, now)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


async def reconciliation(
    session: AsyncSession,
    user: User,
    period: str = "all",
    now: datetime | None = None,
    history: RateHistory | None = None,
) -> reconcile.Reconciliation | None:
    """What the sessions at the player's sites leave unexplained in those sites' balances (see
    app.play.reconcile); None before the first finished session at a site. At most five queries
    (four when `history`, holding every currency's newest rate, is given)."""
    assert user.id is not None
    first = await queries.first_site_session(session, user.id)
    if first is None:
        return None
    end = now or datetime.now(UTC)
    start = first
    if period == "month":
        today = end.astimezone(zone(user)).date()
        start = datetime.combine(today.replace(day=1), time(0), zone(user)).astimezone(UTC)
    windows = reconcile.windows(await queries.balance_boundaries(session, user.id, start, end), start)
    sums = await queries.site_sums(session, user.id, windows, end)
    history = history or await rate_queries.history(session)
    day = end.date()

    def convert(amount: Decimal, from_code: str, to_code: str) -> Decimal:
        return history.convert(amount, from_code, to_code, day)

    return reconcile.reconcile(period, start, windows, sums, convert, user.display_currency)
