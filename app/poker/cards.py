"""Cards, PLO hands and boards, parsed from text such as "AsKhQd7c".

A card is one of 52 shared `Card` objects; its `id` is the integer phevaluator uses
(rank index * 4 + suit, clubs 0, diamonds 1, hearts 2, spades 3), so the evaluator
never sees a string. Hands and boards keep their cards in canonical order — ranks high
to low, then suits s, h, d, c — so two hands with the same cards are equal whatever
order they were typed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

RANK_CHARS = "23456789TJQKA"
SUIT_CHARS = "cdhs"  # phevaluator's suit order: the index is the suit number
SUIT_ORDER = "shdc"  # canonical display order
RANK_NAMES = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "jack",
    12: "queen",
    13: "king",
    14: "ace",
}
RANK_PLURALS = {rank: name + ("es" if name == "six" else "s") for rank, name in RANK_NAMES.items()}
HAND_SIZE = 4
BOARD_SIZES = (0, 3, 4, 5)
STREETS = {0: "preflop", 3: "flop", 4: "turn", 5: "river"}

_SEPARATORS = re.compile(r"[\s,;/|\-]+")
_SUIT_SYMBOLS = str.maketrans("♠♤♥♡♦♢♣♧", "sshhddcc")


class CardError(ValueError):
    """Bad card text or an impossible set of cards; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class Card:
    """One playing card: rank 2-14 (ace is 14) and suit "s", "h", "d" or "c"."""

    rank: int
    suit: str
    id: int

    def __str__(self) -> str:
        """The card as two characters, e.g. "As" or "Td"."""
        return RANK_CHARS[self.rank - 2] + self.suit

    def __repr__(self) -> str:
        """The card as Card('As')."""
        return f"Card({str(self)!r})"


CARDS: tuple[Card, ...] = tuple(
    Card(rank_index + 2, SUIT_CHARS[suit_index], rank_index * 4 + suit_index)
    for rank_index in range(13)
    for suit_index in range(4)
)
"""All 52 cards, indexed by their evaluator id."""

_BY_TEXT: dict[str, Card] = {str(card): card for card in CARDS}


def card(text: str) -> Card:
    """The card named by one card's text, e.g. card("As") or card("10h")."""
    cards = parse_cards(text)
    if len(cards) != 1:
        raise CardError(f"Expected one card; you entered {len(cards)}.")
    return cards[0]


def canonical(cards: Iterable[Card]) -> tuple[Card, ...]:
    """The cards in canonical order: ranks high to low, then suits s, h, d, c."""
    return tuple(sorted(cards, key=lambda c: -c.id))


def _tokens(text: str) -> Iterator[str]:
    """Split card text into two-character card tokens (rank + suit), as typed."""
    compact = _SEPARATORS.sub("", text.translate(_SUIT_SYMBOLS))
    i = 0
    while i < len(compact):
        if compact.startswith("10", i):
            rank, i = "T", i + 2
        else:
            rank, i = compact[i], i + 1
        if i >= len(compact):
            raise CardError(f"'{rank}' is not a card: a card is a rank and a suit, like As or 7c.")
        yield rank + compact[i]
        i += 1


def parse_cards(text: str) -> tuple[Card, ...]:
    """Parse any number of distinct cards ("AsKh", "as kh", "10h,9h") in canonical order."""
    seen: set[Card] = set()
    for token in _tokens(text):
        rank, suit = token[0].upper(), token[1].lower()
        if rank not in RANK_CHARS:
            raise CardError(f"'{token}' is not a card: ranks are 2-9, T, J, Q, K, A.")
        if suit not in SUIT_CHARS:
            raise CardError(f"'{token}' is not a card: suits are s, h, d, c.")
        parsed = _BY_TEXT[rank + suit]
        if parsed in seen:
            raise CardError(f"{parsed} appears twice.")
        seen.add(parsed)
    return canonical(seen)


def check_distinct(*groups: Iterable[Card]) -> None:
    """Raise CardError if any card appears in more than one place (or twice in one)."""
    seen: set[Card] = set()
    for group in groups:
        for each in group:
            if each in seen:
                raise CardError(f"{each} appears twice.")
            seen.add(each)


def _text(cards: tuple[Card, ...]) -> str:
    """Cards joined without separators, e.g. "AsAhKsKh"."""
    return "".join(str(c) for c in cards)


@dataclass(frozen=True, slots=True)
class Hand:
    """A PLO hand: exactly four distinct hole cards, kept in canonical order."""

    cards: tuple[Card, ...]

    def __post_init__(self) -> None:
        """Check the count and duplicates, and put the cards in canonical order."""
        cards = tuple(self.cards)
        if len(cards) != HAND_SIZE:
            raise CardError(f"A PLO hand has exactly 4 cards; you entered {len(cards)}.")
        check_distinct(cards)
        object.__setattr__(self, "cards", canonical(cards))

    @classmethod
    def parse(cls, text: str) -> Hand:
        """Parse a hand from text such as "AsAhKsKh" or "as ah ks kh"."""
        return cls(parse_cards(text))

    @property
    def ids(self) -> tuple[int, ...]:
        """The evaluator ids of the four cards."""
        return tuple(c.id for c in self.cards)

    def __str__(self) -> str:
        """The hand as text in canonical order, e.g. "AsAhKsKh"."""
        return _text(self.cards)

    def __repr__(self) -> str:
        """The hand as Hand('AsAhKsKh')."""
        return f"Hand({str(self)!r})"

    def __iter__(self) -> Iterator[Card]:
        """Iterate over the cards in canonical order."""
        return iter(self.cards)

    def __len__(self) -> int:
        """Always 4."""
        return HAND_SIZE


@dataclass(frozen=True, slots=True)
class Board:
    """Community cards: none (preflop), 3 (flop), 4 (turn) or 5 (river), in canonical order."""

    cards: tuple[Card, ...] = ()

    def __post_init__(self) -> None:
        """Check the count and duplicates, and put the cards in canonical order."""
        cards = tuple(self.cards)
        if len(cards) not in BOARD_SIZES:
            raise CardError(
                "A board has 3 cards (flop), 4 (turn) or 5 (river), or none before the flop; "
                f"you entered {len(cards)}."
            )
        check_distinct(cards)
        object.__setattr__(self, "cards", canonical(cards))

    @classmethod
    def parse(cls, text: str) -> Board:
        """Parse a board from text such as "Ah7c2d" (an empty string is the preflop board)."""
        return cls(parse_cards(text))

    @property
    def ids(self) -> tuple[int, ...]:
        """The evaluator ids of the board cards."""
        return tuple(c.id for c in self.cards)

    @property
    def street(self) -> str:
        """ "preflop", "flop", "turn" or "river"."""
        return STREETS[len(self.cards)]

    def __str__(self) -> str:
        """The board as text in canonical order, e.g. "Ah7c2d" ("" preflop)."""
        return _text(self.cards)

    def __repr__(self) -> str:
        """The board as Board('Ah7c2d')."""
        return f"Board({str(self)!r})"

    def __iter__(self) -> Iterator[Card]:
        """Iterate over the cards in canonical order."""
        return iter(self.cards)

    def __len__(self) -> int:
        """The number of board cards."""
        return len(self.cards)


def parse_hand(text: str) -> Hand:
    """Parse a PLO hand from text; raises CardError with a user-facing message."""
    return Hand.parse(text)


def parse_board(text: str) -> Board:
    """Parse a board from text; raises CardError with a user-facing message."""
    return Board.parse(text)


def as_hand(value: Hand | str) -> Hand:
    """A Hand from a Hand or its text."""
    return value if isinstance(value, Hand) else Hand.parse(value)


def as_board(value: Board | str | None) -> Board:
    """A Board from a Board, its text, or None (preflop)."""
    if value is None:
        return Board()
    return value if isinstance(value, Board) else Board.parse(value)


def as_cards(value: Iterable[Card] | str) -> tuple[Card, ...]:
    """Cards from text or an iterable of cards, in canonical order."""
    if isinstance(value, str):
        return parse_cards(value)
    cards = tuple(value)
    check_distinct(cards)
    return canonical(cards)
