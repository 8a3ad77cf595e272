"""Suit-isomorphic classes of PLO hands: 270,725 hands fall into 16,432 classes.

Two hands are in the same class when a renaming of suits turns one into the other, so
they have the same preflop equity and the same heuristic score. A class is identified
by the multiset of its per-suit rank masks; its representative names the suits s, h,
d, c in decreasing mask order (so AAKK double-suited is "AsAhKsKh").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from itertools import combinations

from app.poker.cards import CARDS, SUIT_ORDER, Card, Hand, as_hand, canonical

TOTAL_HANDS = 270_725
TOTAL_CLASSES = 16_432


def _masks(ids: Iterable[int]) -> tuple[int, ...]:
    """The four per-suit rank masks (bit = rank index) sorted high to low."""
    masks = [0, 0, 0, 0]
    for card_id in ids:
        masks[card_id & 3] |= 1 << (card_id >> 2)
    masks.sort(reverse=True)
    return tuple(masks)


def _cards_of(masks: tuple[int, ...]) -> tuple[Card, ...]:
    """The representative cards of a sorted mask tuple: suits s, h, d, c in mask order."""
    suit_numbers = {"s": 3, "h": 2, "d": 1, "c": 0}
    cards = [
        CARDS[rank_index * 4 + suit_numbers[suit]]
        for suit, mask in zip(SUIT_ORDER, masks, strict=True)
        for rank_index in range(13)
        if mask >> rank_index & 1
    ]
    return canonical(cards)


def class_of(hand: Hand | str) -> str:
    """The representative text of a hand's suit-isomorphic class, e.g. "AsAhKsKh"."""
    return "".join(str(c) for c in _cards_of(_masks(as_hand(hand).ids)))


def representative(hand: Hand | str) -> Hand:
    """The representative hand of a hand's suit-isomorphic class."""
    return Hand(_cards_of(_masks(as_hand(hand).ids)))


@cache
def hand_classes() -> tuple[tuple[Hand, int], ...]:
    """Every class as (representative hand, number of hands in it), in canonical text order."""
    counts = Counter(_masks(ids) for ids in combinations(range(52), 4))
    pairs = [(Hand(_cards_of(masks)), count) for masks, count in counts.items()]
    pairs.sort(key=lambda pair: tuple(-c.id for c in pair[0].cards))
    return tuple(pairs)
