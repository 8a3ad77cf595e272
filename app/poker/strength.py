"""A preflop hand-strength heuristic for PLO: points, tier and a suggested action by position.

The score is a sum of itemised points — pairs, suits, connectedness, high cards, ace,
danglers — that depends only on the ranks and the suit pattern, so all four cards'
order and the suits' names never matter. The points are calibrated so that over all
270,725 hands the tiers hold about 4 / 8 / 12 / 26 / 50 % of hands.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from app.poker.cards import RANK_NAMES, RANK_PLURALS, Hand, as_hand

TIERS = ((1, "Elite", 65), (2, "Premium", 50), (3, "Strong", 40), (4, "Playable", 28), (5, "Marginal", None))
"""(tier, name, lowest score); tier 5 is everything below 28."""

# The points below were calibrated with bench/poker_calibrate.py against the tier shares.
# Pair points by rank: big pairs make the nuts, small ones are set-mining hands.
PAIR_POINTS = {14: 38, 13: 28, 12: 23, 11: 19, 10: 16, 9: 13, 8: 11, 7: 9, 6: 8, 5: 7, 4: 6, 3: 6, 2: 6}
TWO_PAIRS = 4
TRIPS_IN_HAND = -14  # three of a rank: one card is dead
QUADS_IN_HAND = -35
DOUBLE_SUITED = 20  # two suits held twice each
SINGLE_SUITED = 6  # one suit held twice
THREE_OF_A_SUIT = 2  # a flush draw with one card wasted
FOUR_OF_A_SUIT = -6
RAINBOW = -6
SUIT_HIGH_CARD = {14: 6, 13: 2, 12: 1}  # "nut suit": the suited ace (and king, queen)
# Connectedness: points for each two distinct ranks by their gap (1 = adjacent).
GAP_POINTS = {1: 7, 2: 5, 3: 2, 4: 1}
RUNDOWN = 7  # four distinct ranks within five: a wrap
LOW_CARD = -3  # each two to five: straights made with them are low ones
WHEEL_CARD = 3  # an ace with each two to five
BROADWAY = 7  # each ten to king
ACE = 9  # the nut blocker, counted once
DANGLER = -12  # a card that works with none of the others
SUITED_DANGLER = -6  # a dangler that at least makes a flush draw


class Position(StrEnum):
    """Table positions, first to act first."""

    UTG = "UTG"
    HJ = "HJ"
    CO = "CO"
    BTN = "BTN"
    SB = "SB"
    BB = "BB"


RAISE = "Raise / 3-bet"
CALL_OR_RAISE = "Call or raise"
CALL = "Call / check"
FOLD = "Fold"

SUGGESTIONS: dict[int, dict[Position, str]] = {
    1: dict.fromkeys(Position, RAISE),
    2: dict.fromkeys(Position, RAISE),
    3: {
        Position.UTG: FOLD,
        Position.HJ: CALL_OR_RAISE,
        Position.CO: RAISE,
        Position.BTN: RAISE,
        Position.SB: FOLD,
        Position.BB: CALL_OR_RAISE,
    },
    4: {**dict.fromkeys(Position, FOLD), Position.BTN: RAISE, Position.BB: CALL},
    5: dict.fromkeys(Position, FOLD),
}
"""The suggested preflop action by tier and position."""


@dataclass(frozen=True, slots=True)
class Strength:
    """A hand's heuristic score, tier and itemised breakdown, and the suggestion for a position."""

    hand: Hand
    score: int
    tier: int
    tier_name: str
    breakdown: tuple[tuple[str, int], ...]
    position: Position | None
    suggestion: str | None


def tier_of(score: int) -> tuple[int, str]:
    """The tier number and name of a score."""
    for tier, name, lowest in TIERS:
        if lowest is None or score >= lowest:
            return tier, name
    raise AssertionError("unreachable")  # pragma: no cover


def suggestion(tier: int, position: Position | str) -> str:
    """The suggested preflop action for a tier in a position."""
    return SUGGESTIONS[tier][Position(position.upper() if isinstance(position, str) else position)]


def _gap(a: int, b: int) -> int:
    """How far apart two distinct ranks are for straights (an ace also plays as one)."""
    gap = abs(a - b)
    if 14 in (a, b):
        gap = min(gap, min(a, b) - 1)
    return gap


def breakdown(ranks: tuple[int, ...], suits: tuple[str, ...]) -> list[tuple[str, int]]:
    """The itemised points of four cards given as ranks (2-14) and suits."""
    items: list[tuple[str, int]] = []
    counts = Counter(ranks)
    distinct = sorted(counts, reverse=True)

    # Pairs, and the penalties for three or four of a rank.
    pairs = [rank for rank in distinct if counts[rank] >= 2]
    for rank in pairs:
        items.append((f"Pair of {RANK_PLURALS[rank]}", PAIR_POINTS[rank]))
        if counts[rank] == 3:
            items.append((f"Three {RANK_PLURALS[rank]}: one is dead", TRIPS_IN_HAND))
        if counts[rank] == 4:
            items.append((f"Four {RANK_PLURALS[rank]}", QUADS_IN_HAND))
    if len(pairs) == 2:
        items.append(("Two pairs", TWO_PAIRS))

    # Suits.
    by_suit: dict[str, list[int]] = {}
    for rank, suit in zip(ranks, suits, strict=True):
        by_suit.setdefault(suit, []).append(rank)
    shape = sorted((len(cards) for cards in by_suit.values()), reverse=True)
    if shape == [2, 2]:
        items.append(("Double-suited", DOUBLE_SUITED))
    elif shape[0] == 2:
        items.append(("Single-suited", SINGLE_SUITED))
    elif shape[0] == 3:
        items.append(("Three of one suit", THREE_OF_A_SUIT))
    elif shape[0] == 4:
        items.append(("Four of one suit", FOUR_OF_A_SUIT))
    else:
        items.append(("Rainbow", RAINBOW))
    for cards in sorted(by_suit.values(), key=max, reverse=True):
        top = max(cards)
        if len(cards) >= 2 and top in SUIT_HIGH_CARD:
            label = "Nut suit (suited ace)" if top == 14 else f"Suited {RANK_NAMES[top]}"
            items.append((label, SUIT_HIGH_CARD[top]))

    # Connectedness among distinct ranks (an ace connects high; low it counts as wheel potential).
    connected = sum(GAP_POINTS.get(abs(a - b), 0) for i, a in enumerate(distinct) for b in distinct[i + 1 :])
    if connected:
        items.append(("Connected cards", connected))
    if len(distinct) == 4 and distinct[0] - distinct[3] <= 4:
        items.append(("Rundown (four cards within five ranks)", RUNDOWN))
    low = sum(1 for rank in ranks if rank <= 5)
    if low:
        items.append((f"Low cards ×{low}", LOW_CARD * low))
    if 14 in counts:
        wheel = sum(1 for rank in distinct if 2 <= rank <= 5)
        if wheel:
            items.append(("Wheel potential", WHEEL_CARD * wheel))

    # High cards.
    broadway = sum(1 for rank in ranks if 10 <= rank <= 13)
    if broadway:
        items.append((f"Broadway cards ×{broadway}", BROADWAY * broadway))
    if 14 in counts:
        items.append(("Ace (nut blocker)", ACE))

    # Danglers: unpaired cards more than four ranks from every other card.
    for rank, suit in zip(ranks, suits, strict=True):
        if counts[rank] > 1 or len(distinct) < 2:
            continue
        if min(_gap(rank, other) for other in distinct if other != rank) <= 4:
            continue
        if len(by_suit[suit]) >= 2:
            items.append((f"Suited dangler ({RANK_NAMES[rank]})", SUITED_DANGLER))
        else:
            items.append((f"Dangler ({RANK_NAMES[rank]})", DANGLER))
    return items


def score_hand(hand: Hand | str) -> int:
    """The heuristic score of a hand."""
    cards = as_hand(hand).cards
    return sum(points for _, points in breakdown(tuple(c.rank for c in cards), tuple(c.suit for c in cards)))


def hand_strength(hand: Hand | str, position: Position | str | None = None) -> Strength:
    """Score, tier, breakdown and (with a position) the suggested preflop action of a hand."""
    parsed = as_hand(hand)
    items = breakdown(tuple(c.rank for c in parsed.cards), tuple(c.suit for c in parsed.cards))
    score = sum(points for _, points in items)
    tier, name = tier_of(score)
    where = None if position is None else Position(str(position).upper())
    advice = None if where is None else SUGGESTIONS[tier][where]
    return Strength(parsed, score, tier, name, tuple(items), where, advice)
