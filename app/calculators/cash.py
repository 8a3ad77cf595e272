"""The cash-game stakes calculator: the weighted multiple M, the stake, next, move-down floor and shots."""

from __future__ import annotations

from collections.abc import Mapping

from app.advice.data import NATIVE_STAKES
from app.advice.errors import FieldError
from app.advice.explain import explain
from app.advice.stakes import Stake, cash_advice, cash_ladder, shot_plan
from app.calculators.forms import Reader
from app.calculators.player import Player, read_bankroll
from app.calculators.tools import (
    BUFFER_UNITS,
    ENVIRONMENTS,
    GAMES,
    RISKS,
    SKILLS,
    Outcome,
    read_buffer,
    read_factors,
)

LADDERS = [("native", "The stakes sites use in my currency"), ("usd", "US-dollar stakes, converted")]


def read(params: Mapping[str, str], player: Player) -> Outcome:
    """Parse the form and, when it is valid, advise on the stakes."""
    reader = Reader(params)
    factors = read_factors(reader)
    bankroll = read_bankroll(reader, player)
    ladder_kind = reader.choice("ladder", [v for v, _ in LADDERS], "native")
    buffer = read_buffer(reader, "buy_ins", "10")
    shots = reader.number("shot_buy_ins", "number of buy-ins for a shot", "5", low=1, high=50, whole=True)
    current = reader.text("current", "")
    context = {
        "games": GAMES,
        "skills": SKILLS,
        "risks": RISKS,
        "environments": ENVIRONMENTS,
        "buffer_units": BUFFER_UNITS,
        "ladders": LADDERS,
        "has_native_ladder": bankroll.currency in NATIVE_STAKES,
        "bankroll": bankroll,
        "player": player,
        "fmt": player.fmt,
        "stakes": (),
        "current_options": [("", "Not set")],
        "advice": None,
    }
    try:
        ladder = cash_ladder(
            bankroll.currency, convert=player.from_usd(bankroll.currency), native=ladder_kind == "native"
        )
    except FieldError as error:
        reader.field_error(error)
        return Outcome(reader.form, context)
    context["stakes"] = ladder
    context["current_options"] = [("", "Not set")] + [(stake.name, _label(stake)) for stake in ladder]
    if not reader.ok or buffer is None or shots is None:
        return Outcome(reader.form, context)
    amount = bankroll.amount if bankroll.amount is not None else 0
    try:
        advice = cash_advice(
            amount, **factors.as_kwargs(), ladder=ladder, buffer=buffer, current=current or None
        )
        shot = shot_plan(advice, shots) if bankroll.known else None
    except FieldError as error:
        reader.field_error(error, {"rate": "currency"})
        return Outcome(reader.form, context)
    fmt = player.fmt
    context.update(
        advice=advice,
        shot=shot,
        floor_buy_ins=advice.buffer.floor_multiple(advice.multiple),
        explanation=explain(advice, lambda value: fmt.money(value, bankroll.currency), shot)
        if bankroll.known
        else None,
    )
    return Outcome(reader.form, context, computed=bankroll.known)


def _label(stake: Stake) -> str:
    """A stake's name, with its nominal currency when the ladder was converted: '0.50/1 (USD)'."""
    return (
        stake.name if stake.nominal_currency == stake.currency else f"{stake.name} ({stake.nominal_currency})"
    )
