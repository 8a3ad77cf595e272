"""Stack-to-pot ratio: SPR = effective stack ÷ pot, its four zones and a hand × zone decision table.

Zones have inclusive upper bounds, defined once in ZONES: SPR ≤ 1 all-in or fold; 1 < SPR ≤ 4
commitment; 4 < SPR ≤ 13 maneuvering; SPR > 13 deep. A value exactly on a boundary belongs to the
lower zone (SPR 1 → all-in or fold, 4 → commitment, 13 → maneuvering).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.advice import validate


class Zone(StrEnum):
    """An SPR zone."""

    ALL_IN_OR_FOLD = "all_in_or_fold"
    COMMITMENT = "commitment"
    MANEUVERING = "maneuvering"
    DEEP = "deep"


class HandType(StrEnum):
    """The kinds of hands in the decision table."""

    OVERPAIR = "overpair"
    TOP_TWO = "top_two"
    TOP_SET = "top_set"
    NUT_FLUSH_DRAW = "nut_flush_draw"
    COMBO_DRAW = "combo_draw"
    WEAK_MADE_HAND = "weak_made_hand"


@dataclass(frozen=True)
class ZoneInfo:
    """A zone with its inclusive upper bound (None: no bound) and how to think about it."""

    zone: Zone
    name: str
    upper: Decimal | None
    summary: str


ZONES: tuple[ZoneInfo, ...] = (
    ZoneInfo(
        Zone.ALL_IN_OR_FOLD, "All-in or fold", Decimal(1), "Any real bet commits you: get it in or fold."
    ),
    ZoneInfo(
        Zone.COMMITMENT, "Commitment", Decimal(4), "Top pair and better are usually happy to get it in."
    ),
    ZoneInfo(Zone.MANEUVERING, "Maneuvering", Decimal(13), "Room to play: one pair wants pot control."),
    ZoneInfo(Zone.DEEP, "Deep", None, "Stacks go in with the nuts or near-nuts; draws gain value."),
)

HAND_NAMES: dict[HandType, str] = {
    HandType.OVERPAIR: "Overpair",
    HandType.TOP_TWO: "Top two pair",
    HandType.TOP_SET: "Top set",
    HandType.NUT_FLUSH_DRAW: "Bare nut flush draw",
    HandType.COMBO_DRAW: "Combo draw",
    HandType.WEAK_MADE_HAND: "Weak made hand",
}


@dataclass(frozen=True)
class Decision:
    """What to do with a hand type in a zone: a short action and a one-line reason."""

    action: str
    note: str


GET_IT_IN = "Get it in"
COMMIT = "Commit"
POT_CONTROL = "Pot control"
DRAW = "Draw"
SEMI_BLUFF = "Semi-bluff"
CHECK_FOLD = "Check/fold to pressure"

DECISIONS: dict[HandType, dict[Zone, Decision]] = {
    HandType.OVERPAIR: {
        Zone.ALL_IN_OR_FOLD: Decision(GET_IT_IN, "Far ahead of the range that puts in the rest."),
        Zone.COMMITMENT: Decision(COMMIT, "Bet and get stacks in; folding is rarely right."),
        Zone.MANEUVERING: Decision(
            POT_CONTROL, "Bet for value, but one pair is not a hand to go broke with."
        ),
        Zone.DEEP: Decision(CHECK_FOLD, "Keep the pot small; big raises usually beat one pair."),
    },
    HandType.TOP_TWO: {
        Zone.ALL_IN_OR_FOLD: Decision(GET_IT_IN, "Far ahead of the range that puts in the rest."),
        Zone.COMMITMENT: Decision(COMMIT, "Build the pot and get it in."),
        Zone.MANEUVERING: Decision(COMMIT, "Strong enough to play for stacks on most boards."),
        Zone.DEEP: Decision(POT_CONTROL, "Value-bet, but slow down against heavy action on wet boards."),
    },
    HandType.TOP_SET: {
        Zone.ALL_IN_OR_FOLD: Decision(GET_IT_IN, "Get it in."),
        Zone.COMMITMENT: Decision(COMMIT, "Get it in."),
        Zone.MANEUVERING: Decision(COMMIT, "Build the pot to play for stacks."),
        Zone.DEEP: Decision(COMMIT, "Near-nuts: happy to play for stacks even deep."),
    },
    HandType.NUT_FLUSH_DRAW: {
        Zone.ALL_IN_OR_FOLD: Decision(GET_IT_IN, "The price is right for about 35 % equity."),
        Zone.COMMITMENT: Decision(SEMI_BLUFF, "Semi-bluff first; calling off without fold equity is thin."),
        Zone.MANEUVERING: Decision(DRAW, "Call or semi-bluff; implied odds pay when you hit."),
        Zone.DEEP: Decision(DRAW, "Deep stacks pay off the nuts: draw cheaply, avoid getting it in."),
    },
    HandType.COMBO_DRAW: {
        Zone.ALL_IN_OR_FOLD: Decision(GET_IT_IN, "Often a favourite against one pair."),
        Zone.COMMITMENT: Decision(GET_IT_IN, "Equity plus fold equity: shove or call it off."),
        Zone.MANEUVERING: Decision(SEMI_BLUFF, "Raise to build a pot you are happy to play for stacks."),
        Zone.DEEP: Decision(SEMI_BLUFF, "Semi-bluff, keeping in mind stacks go in against the nuts."),
    },
    HandType.WEAK_MADE_HAND: {
        Zone.ALL_IN_OR_FOLD: Decision(GET_IT_IN, "Short stacks: often enough equity against a wide range."),
        Zone.COMMITMENT: Decision(POT_CONTROL, "Check and call small bets; do not build a pot."),
        Zone.MANEUVERING: Decision(CHECK_FOLD, "Showdown value only: check, fold to big bets."),
        Zone.DEEP: Decision(CHECK_FOLD, "Showdown value only: check, fold to big bets."),
    },
}


def spr(stack: Decimal | int, pot: Decimal | int) -> Decimal:
    """The stack-to-pot ratio: effective stack ÷ pot (exact Decimal)."""
    effective = validate.non_negative(stack, "stack", label="effective stack")
    size = validate.positive(pot, "pot")
    return effective / size


def zone(ratio: Decimal | int) -> ZoneInfo:
    """The zone of an SPR; a value on a boundary belongs to the lower zone (≤ 1, ≤ 4, ≤ 13, > 13)."""
    value = validate.non_negative(ratio, "spr", label="SPR")
    for info in ZONES:
        if info.upper is None or value <= info.upper:
            return info
    raise AssertionError("the last zone has no upper bound")


def decision(hand: HandType | str, ratio: Decimal | int) -> Decision:
    """What to do with `hand` at this SPR."""
    kind = validate.choice(HandType, hand, "hand")
    return DECISIONS[kind][zone(ratio).zone]
