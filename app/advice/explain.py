"""One plain-language paragraph with the numbers behind a cash-game or tournament advice."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from app.advice.ladder import LadderAdvice, Status
from app.advice.stakes import ShotPlan, Stake
from app.advice.tournaments import TournamentLevel

Formatter = Callable[[Decimal], str]
T = TypeVar("T", Stake, TournamentLevel)


def _default_format(currency: str) -> Formatter:
    """Amounts in the app's money format (en_US) for `currency`."""
    from app.money import format_money

    return lambda amount: format_money(amount, currency)


def plain(value: Decimal) -> str:
    """A number such as 65.5 or 131 without trailing zeros or exponent."""
    return f"{value.normalize():f}"


def _name(rung: object, money: Formatter) -> str:
    """A stake as the player knows it ('0.50/1', '0.50/1 (USD)') or a buy-in ('$11.00 tournaments')."""
    if isinstance(rung, Stake):
        converted = rung.nominal_currency != rung.currency
        return f"{rung.name} ({rung.nominal_currency})" if converted else rung.name
    if isinstance(rung, TournamentLevel):
        return f"{money(rung.buy_in)} tournaments"
    return str(rung)


def explain(
    advice: LadderAdvice[T],
    fmt: Formatter | None = None,
    shot: ShotPlan | None = None,
) -> str:
    """The advice in one paragraph: the multiple and where it comes from, the stake, next and floor."""
    money = fmt or _default_format(advice.currency)
    cash = isinstance(advice.rows[0].rung, Stake)
    unit = "max buy-ins" if cash else "average buy-ins"
    one = "one max buy-in (100 big blinds)" if cash else "one buy-in"
    rule, m = advice.rule, plain(advice.multiple)

    def name(rung: object) -> str:
        return _name(rung, money)

    factors = ", ".join(f"{p.choice} ({p.factor}, weight {p.weight}: {p.low}–{p.high})" for p in rule.parts)
    text = [
        f"With a bankroll of {money(advice.bankroll)} we suggest keeping {m} {unit}: the middle of "
        f"{rule.low}–{rule.high} buy-ins, weighted from your choices {factors}."
    ]
    rec = advice.recommended
    if rec is None:
        smallest = advice.rows[0]
        text.append(
            f"That is not enough yet for the smallest level, {name(smallest.rung)}: it needs "
            f"{m} × {money(smallest.size)} = {money(smallest.required)}, {money(smallest.still_needed)} more."
        )
        return " ".join(text)
    row = advice.row(rec)
    current = advice.current
    if advice.status == Status.HOLD:
        text.append(
            f"That is less than the {money(row.required)} that {name(rec)} needs, but still above its "
            f"move-down level of {money(row.move_down_below)}, so keep playing it for now."
        )
    elif advice.status == Status.MOVE_DOWN and current is not None:
        text.append(
            f"That is below {money(advice.row(current).move_down_below)}, the move-down level of "
            f"{name(current)}, so step down to {name(rec)}: {one} is {money(row.size)}, so {m} buy-ins "
            f"need {money(row.required)}."
        )
    else:
        verb = (
            f"You can move up from {name(current)} to" if advice.status == Status.MOVE_UP else "That supports"
        )
        text.append(
            f"{verb} {name(rec)}: {one} is {money(row.size)}, so {m} buy-ins need {money(row.required)}."
        )
    if advice.next is not None and advice.still_needed is not None:
        text.append(
            f"To move up to {name(advice.next)} you need {money(advice.row(advice.next).required)}, "
            f"{money(advice.still_needed)} more."
        )
    else:
        text.append("This is the highest level in the list.")
    floor_bi = plain(advice.buffer.floor_multiple(advice.multiple))
    text.append(
        f"Move down if your bankroll falls below {money(row.move_down_below)} ({floor_bi} buy-ins): the "
        f"buffer of {advice.buffer.label} keeps one bad session from flipping the advice."
    )
    if shot is not None and shot.ready:
        text.append(
            f"A shot at {name(shot.stake)} may use {shot.buy_ins} buy-ins ({money(shot.amount)}); come back "
            f"down once your bankroll is back at {money(shot.come_back_at)}."
        )
    elif shot is not None:
        text.append(
            f"A shot at {name(shot.stake)} with {shot.buy_ins} buy-ins ({money(shot.amount)}) is too early: "
            f"losing it would leave less than {name(advice.recommended)} needs."
        )
    return " ".join(text)
