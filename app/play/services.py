"""Sessions to statistics: conversion to the player's currency, the profit chart, stake advice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from markupsafe import Markup

from app import money
from app.advice.risk import risk_of_ruin
from app.flows.forms import zone
from app.models import PokerSession, User
from app.play import forms, stats
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

    def line(series: Sequence[Decimal]) -> str:
        return " ".join(f"{_fmt(PAD + i * step)},{_fmt(y(v))}" for i, v in enumerate(series))

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


def elapsed(play: PokerSession, now: datetime) -> str:
    """h:mm:ss at the table so far."""
    seconds = forms.played_seconds(play, now)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
