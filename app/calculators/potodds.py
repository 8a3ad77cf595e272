"""The pot-odds calculator: the equity a call needs, and the rule of 4 and 2 for a number of outs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.advice import potodds
from app.advice.errors import FieldError
from app.calculators.forms import Reader
from app.calculators.player import Player
from app.calculators.tools import Outcome


def read(params: Mapping[str, str], player: Player) -> Outcome:
    """Parse the form and, when it is valid, price the call."""
    reader = Reader(params)
    pot = reader.number("pot", "pot", "100", above=0, high=1_000_000_000)
    bet = reader.number("bet", "bet to call", "50", above=0, high=1_000_000_000)
    outs = reader.number("outs", "number of outs", "9", low=0, high=potodds.UNSEEN_ON_FLOP, whole=True)
    context: dict[str, Any] = {"fmt": player.fmt, "result": None}
    if pot is None or bet is None or outs is None or not reader.ok:
        return Outcome(reader.form, context)
    try:
        odds = potodds.pot_odds(bet, pot)
        exact_2, exact_1 = potodds.exact_equity_two_cards(outs), potodds.exact_equity_one_card(outs)
        context["result"] = {
            "odds": odds,
            "outs": int(outs),
            "rule_4": potodds.rule_of_4(outs),
            "rule_2": potodds.rule_of_2(outs),
            "exact_2": exact_2,
            "exact_1": exact_1,
            "enough_2": exact_2 >= odds.required_equity,
            "enough_1": exact_1 >= odds.required_equity,
        }
    except FieldError as error:
        reader.field_error(error)
        return Outcome(reader.form, context)
    return Outcome(reader.form, context, computed=True)
