"""PLO showdown evaluation on top of phevaluator, and naming of the best hand.

A PLO hand plays exactly two hole cards and three board cards. Ranks are phevaluator's:
1 (royal flush) to 7462 (seven-high), lower is stronger, equal ranks split the pot.
The 5-card board case uses phevaluator's Omaha evaluator; 3- and 4-card boards (for
"who leads on the flop or turn") take the best of the 5-card combinations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from phevaluator import evaluate_5cards, evaluate_omaha_cards

from app.poker.cards import RANK_NAMES, RANK_PLURALS, Board, Card, Hand, as_board, as_hand, canonical

try:  # The C functions themselves: the public wrappers re-convert every card on each call.
    from phevaluator import _pheval

    evaluate_omaha: Callable[..., int] = _pheval.evaluate_omaha_cards
    evaluate_5: Callable[..., int] = _pheval.evaluate_5cards
except ImportError:  # pragma: no cover - a phevaluator without the _pheval extension
    evaluate_omaha = evaluate_omaha_cards
    evaluate_5 = evaluate_5cards

WORST_RANK = 7462
CATEGORIES = (
    "Straight flush",
    "Four of a kind",
    "Full house",
    "Flush",
    "Straight",
    "Three of a kind",
    "Two pair",
    "One pair",
    "High card",
)
"""Hand categories, strongest first."""

# The weakest rank of each category, in the order of CATEGORIES.
_CATEGORY_LIMITS = (10, 166, 322, 1599, 1609, 2467, 3325, 6185, 7462)

HOLE_PAIRS = tuple(combinations(range(4), 2))
BOARD_TRIPLES = {n: tuple(combinations(range(n), 3)) for n in (3, 4, 5)}


def category_index(rank: int) -> int:
    """The index in CATEGORIES of a phevaluator rank (0 = straight flush)."""
    for index, limit in enumerate(_CATEGORY_LIMITS):
        if rank <= limit:
            return index
    raise ValueError(f"Not a hand rank: {rank}")


def category_of(rank: int) -> str:
    """The category name of a phevaluator rank, e.g. "Flush"."""
    return CATEGORIES[category_index(rank)]


def omaha_rank(hole: Sequence[int], board: Sequence[int]) -> int:
    """Rank of the best two-hole-card + three-board-card hand (ids; 3 to 5 board cards)."""
    if len(board) == 5:
        return evaluate_omaha(*board, *hole)
    if len(board) not in (3, 4):
        raise ValueError("A showdown needs 3, 4 or 5 board cards.")
    best = WORST_RANK
    for b1, b2, b3 in BOARD_TRIPLES[len(board)]:
        x, y, z = board[b1], board[b2], board[b3]
        for h1, h2 in HOLE_PAIRS:
            rank = evaluate_5(hole[h1], hole[h2], x, y, z)
            if rank < best:
                best = rank
    return best


@dataclass(frozen=True, slots=True)
class HandValue:
    """The best PLO hand a player makes: rank (lower is stronger), names and the cards used."""

    rank: int
    category: str
    name: str
    hole_cards: tuple[Card, ...]
    board_cards: tuple[Card, ...]

    @property
    def cards(self) -> tuple[Card, ...]:
        """The five cards used, in canonical order."""
        return canonical(self.hole_cards + self.board_cards)


def describe(cards: Sequence[Card], rank: int) -> str:
    """A name for five cards of the given rank, e.g. "Two pair, kings and fives"."""
    counts: dict[int, int] = {}
    for each in cards:
        counts[each.rank] = counts.get(each.rank, 0) + 1
    # Ranks by how many times they appear, then high to low: the order they are named in.
    ordered = sorted(counts, key=lambda r: (counts[r], r), reverse=True)
    category = category_of(rank)
    if category in ("Straight flush", "Straight"):
        ranks = sorted(counts)
        top = 5 if ranks == [2, 3, 4, 5, 14] else ranks[-1]
        if rank == 1:
            return "Royal flush"
        return f"{category}, {RANK_NAMES[top]} high"
    if category == "Four of a kind":
        return f"Four of a kind, {RANK_PLURALS[ordered[0]]}"
    if category == "Full house":
        return f"Full house, {RANK_PLURALS[ordered[0]]} full of {RANK_PLURALS[ordered[1]]}"
    if category == "Flush":
        return f"Flush, {RANK_NAMES[ordered[0]]} high"
    if category == "Three of a kind":
        return f"Three of a kind, {RANK_PLURALS[ordered[0]]}"
    if category == "Two pair":
        return f"Two pair, {RANK_PLURALS[ordered[0]]} and {RANK_PLURALS[ordered[1]]}"
    if category == "One pair":
        return f"One pair, {RANK_PLURALS[ordered[0]]}"
    return f"High card, {RANK_NAMES[ordered[0]]}"


def best_hand(hole: Hand | str, board: Board | str) -> HandValue:
    """The best hand using exactly two of the hole cards and three of the (3-5) board cards."""
    hand = as_hand(hole)
    table = as_board(board)
    if len(table) < 3:
        raise ValueError("A hand can only be named once the flop is out.")
    best_rank = WORST_RANK + 1
    best_hole: tuple[Card, ...] = ()
    best_board: tuple[Card, ...] = ()
    for hole_pair in combinations(hand.cards, 2):
        for board_triple in combinations(table.cards, 3):
            rank = evaluate_5(*(c.id for c in hole_pair), *(c.id for c in board_triple))
            if rank < best_rank:
                best_rank, best_hole, best_board = rank, hole_pair, board_triple
    five = best_hole + best_board
    return HandValue(best_rank, category_of(best_rank), describe(five, best_rank), best_hole, best_board)
