"""Pot odds and the rule of 4 and 2: equities as exact Decimal fractions from 0 to 1.

`pot` is the pot before the bet you face (it already holds earlier bets); calling `bet` wins
pot + bet, so the equity needed to break even is bet / (pot + 2·bet).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.advice import validate

UNSEEN_ON_FLOP = 47  # 52 − your 2 cards − 3 on the board
UNSEEN_ON_TURN = 46


@dataclass(frozen=True)
class PotOdds:
    """The price of a call: the equity it needs and the odds as 'x to 1'."""

    required_equity: Decimal
    odds_to_one: Decimal  # (pot + bet) / bet: what you win for each unit you call


def pot_odds(bet: Decimal | int, pot: Decimal | int) -> PotOdds:
    """Required equity = bet / (pot + 2·bet) for a call of `bet` into `pot` (pot before the bet)."""
    call = validate.positive(bet, "bet")
    size = validate.positive(pot, "pot")
    return PotOdds(call / (size + 2 * call), (size + call) / call)


def _outs(outs: Decimal | int) -> int:
    """A number of outs from 0 to 47."""
    return validate.whole(outs, "outs", 0, UNSEEN_ON_FLOP)


def rule_of_4(outs: Decimal | int) -> Decimal:
    """Approximate equity on the flop with two cards to come: outs × 4 % (at most 100 %)."""
    return min(Decimal(1), Decimal(_outs(outs) * 4) / 100)


def rule_of_2(outs: Decimal | int) -> Decimal:
    """Approximate equity with one card to come: outs × 2 % (at most 100 %)."""
    return min(Decimal(1), Decimal(_outs(outs) * 2) / 100)


def exact_equity_two_cards(outs: Decimal | int) -> Decimal:
    """The exact chance of hitting one of `outs` by the river from the flop (47 unseen cards)."""
    n = _outs(outs)
    misses = (UNSEEN_ON_FLOP - n) * (UNSEEN_ON_FLOP - n - 1)
    return 1 - Decimal(misses) / Decimal(UNSEEN_ON_FLOP * (UNSEEN_ON_FLOP - 1))


def exact_equity_one_card(outs: Decimal | int) -> Decimal:
    """The exact chance of hitting one of `outs` on the river (46 unseen cards)."""
    n = min(_outs(outs), UNSEEN_ON_TURN)
    return Decimal(n) / Decimal(UNSEEN_ON_TURN)


def worth_calling(bet: Decimal | int, pot: Decimal | int, equity: Decimal | int) -> bool:
    """True when `equity` (a fraction) is at least the equity the call needs."""
    value = validate.non_negative(equity, "equity")
    return value >= pot_odds(bet, pot).required_equity
