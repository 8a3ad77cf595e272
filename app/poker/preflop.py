"""The shipped preflop equity table (vs one random hand) and rankings built on it.

The table (data/preflop_equity.csv, made by `python -m app.poker.build_equity_table`) holds
one line per suit-isomorphic class: its representative, how many of the 270,725 hands
it stands for, and its equity and standard error in basis points. It is read once, on
first use (or by calling `load_table()` at start-up).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.poker.cards import Hand, as_hand
from app.poker.classes import class_of

DATA_FILE = Path(__file__).resolve().parent / "data" / "preflop_equity.csv"


@dataclass(frozen=True, slots=True)
class HandClass:
    """One suit-isomorphic class: representative text, size, equity and rank."""

    text: str  # the representative, e.g. "AsAhKsKh"
    combos: int  # how many hands the class stands for
    equity_bp: int  # equity vs one random hand, basis points (1/100 of a percent)
    stderr_bp: int
    rank: int  # 1 + the number of hands with a strictly higher equity

    @property
    def hand(self) -> Hand:
        """The representative hand."""
        return Hand.parse(self.text)

    @property
    def equity(self) -> float:
        """Equity vs one random hand, as a percentage."""
        return self.equity_bp / 100


@dataclass(frozen=True, slots=True)
class EquityTable:
    """The loaded table: classes best first, an index by representative, and how it was made."""

    classes: tuple[HandClass, ...]
    by_text: dict[str, HandClass]
    header: tuple[str, ...]
    total_hands: int


def read_table(path: Path) -> EquityTable:
    """Read a table file written by the builder."""
    header: list[str] = []
    rows: list[tuple[str, int, int, int]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                header.append(line[1:].strip())
            elif line.startswith("hand,"):
                continue
            elif line.strip():
                fields = line.rstrip("\n").split(",")
                rows.append((fields[0], int(fields[1]), int(fields[2]), int(fields[3])))
    rows.sort(key=lambda row: -row[2])
    classes: list[HandClass] = []
    better = 0  # hands with a strictly higher equity than the current row
    seen = 0
    previous = None
    for text, combos, equity_bp, stderr_bp in rows:
        if equity_bp != previous:
            better, previous = seen, equity_bp
        classes.append(HandClass(text, combos, equity_bp, stderr_bp, better + 1))
        seen += combos
    by_text = {c.text: c for c in classes}
    return EquityTable(tuple(classes), by_text, tuple(header), seen)


@cache
def load_table() -> EquityTable:
    """The shipped table, read once."""
    return read_table(DATA_FILE)


def hand_class(hand: Hand | str) -> HandClass:
    """The table entry of a hand's class."""
    return load_table().by_text[class_of(as_hand(hand))]


def preflop_equity(hand: Hand | str) -> float:
    """Preflop equity vs one random hand, as a percentage (e.g. 68.4)."""
    return hand_class(hand).equity


def rank_of(hand: Hand | str) -> int:
    """The hand's rank among all 270,725 hands by preflop equity (1 = best; equal equity shares)."""
    return hand_class(hand).rank


def top_percent(hand: Hand | str) -> float:
    """The share of all hands, in percent, that rank at or above this hand."""
    entry = hand_class(hand)
    return 100 * (entry.rank - 1 + entry.combos) / load_table().total_hands


def classes() -> Iterator[HandClass]:
    """All 16,432 classes, best equity first, each with its number of hands."""
    return iter(load_table().classes)
