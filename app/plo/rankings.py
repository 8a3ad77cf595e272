"""All 16,432 PLO starting-hand classes, ranked by equity vs a random hand and by the heuristic score.

Built once, on first use (`index()`), from the shipped preflop table: each class gets its score
and tier, its rank both ways, and its place in the cumulative share of the 270,725 hands. Searches
("AAKK", "AAxx" ranks, "AsKs" cards, an optional "ds"/"ss"/"r" suit pattern) and the two sort
orders are looked up in precomputed indexes, so a page of results costs a slice, not a sort.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import combinations

from app.poker.cards import RANK_CHARS, CardError, parse_cards
from app.poker.classes import class_of
from app.poker.preflop import load_table
from app.poker.strength import breakdown, tier_of

PAGE_SIZE = 50
SORTS = {
    "equity": "Equity vs a random hand, best first",
    "equity-asc": "Equity vs a random hand, worst first",
    "score": "Heuristic score, best first",
    "score-asc": "Heuristic score, worst first",
}
SHAPES = {
    "ds": "double-suited",
    "ss": "single-suited",
    "r": "rainbow",
    "3s": "three of one suit",
    "4s": "four of one suit",
}
SHAPE_ALIASES = {"ds": "ds", "ss": "ss", "r": "r", "rb": "r"}

_SUBSETS = tuple(picked for size in (1, 2, 3, 4) for picked in combinations(range(4), size))
_RANK_QUERY = re.compile(r"^((?:10|[2-9tjqkax]){1,4})(ds|ss|rb|r)?$")  # x: any rank


@dataclass(frozen=True, slots=True)
class Row:
    """One class: its representative and combos, equity, score, tier and both ranks."""

    position: int  # 0-based place in equity order
    text: str  # the representative, e.g. "AsAhKsKh"
    combos: int
    equity_bp: int
    stderr_bp: int
    equity_rank: int  # 1 + classes with a strictly higher equity
    hand_rank: int  # 1 + hands with a strictly higher equity
    score: int
    tier: int
    tier_name: str
    score_rank: int  # 1 + classes with a strictly higher score
    ranks: str  # e.g. "AAKK"
    shape: str  # a key of SHAPES

    @property
    def equity(self) -> float:
        return self.equity_bp / 100

    @property
    def stderr(self) -> float:
        return self.stderr_bp / 100

    @property
    def cards(self) -> list[str]:
        """The four cards as text, e.g. ["As", "Ah", "Ks", "Kh"]."""
        return [self.text[i : i + 2] for i in range(0, 8, 2)]


@dataclass(frozen=True, slots=True)
class Index:
    """The rows in equity order, the score order, cumulative hand counts and the search indexes."""

    rows: tuple[Row, ...]
    score_order: tuple[int, ...]  # positions in score order (ties: better equity first)
    score_place: tuple[int, ...]  # position -> place in score order
    cumulative: dict[str, tuple[int, ...]]  # order -> hands before each place (n + 1 entries)
    by_text: dict[str, int]
    by_ranks: dict[str, tuple[int, ...]]  # a sorted rank string and every sub-multiset -> positions
    total_hands: int

    def share(self, row: Row, order: str = "equity") -> float:
        """The share of all hands, in percent, ranked at or above `row` in `order`."""
        place = row.position if order == "equity" else self.score_place[row.position]
        return 100 * self.cumulative[order][place + 1] / self.total_hands


def _shape(suits: str) -> str:
    counts = sorted((suits.count(s) for s in set(suits)), reverse=True)
    if counts == [2, 2]:
        return "ds"
    if counts[0] == 2:
        return "ss"
    if counts[0] == 3:
        return "3s"
    if counts[0] == 4:
        return "4s"
    return "r"


def _build() -> Index:
    table = load_table()
    rows: list[Row] = []
    scores: list[int] = []
    for entry in table.classes:
        text = entry.text
        ranks = tuple(RANK_CHARS.index(text[i]) + 2 for i in range(0, 8, 2))
        suits = tuple(text[i] for i in range(1, 8, 2))
        scores.append(sum(points for _, points in breakdown(ranks, suits)))
    # Class ranks: 1 + the number of classes strictly better (ties share a rank).
    equity_rank = 1
    score_order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    score_rank = [0] * len(scores)
    previous: int | None = None
    for place, i in enumerate(score_order):
        if scores[i] != previous:
            rank, previous = place + 1, scores[i]
        score_rank[i] = rank
    previous = None
    for place, entry in enumerate(table.classes):
        if entry.equity_bp != previous:
            equity_rank, previous = place + 1, entry.equity_bp
        text = entry.text
        tier, name = tier_of(scores[place])
        rows.append(
            Row(
                position=place,
                text=text,
                combos=entry.combos,
                equity_bp=entry.equity_bp,
                stderr_bp=entry.stderr_bp,
                equity_rank=equity_rank,
                hand_rank=entry.rank,
                score=scores[place],
                tier=tier,
                tier_name=name,
                score_rank=score_rank[place],
                ranks=text[0] + text[2] + text[4] + text[6],
                shape=_shape(text[1::2]),
            )
        )
    by_equity = [0]
    for row in rows:
        by_equity.append(by_equity[-1] + row.combos)
    by_score = [0]
    for i in score_order:
        by_score.append(by_score[-1] + rows[i].combos)
    score_place = [0] * len(rows)
    for place, i in enumerate(score_order):
        score_place[i] = place
    # Every sub-multiset of each class's ranks ("AAKK" -> "A", "AK", "AAK", ...) -> positions.
    by_hand_ranks: dict[str, list[int]] = {}
    for row in rows:
        by_hand_ranks.setdefault(row.ranks, []).append(row.position)
    merged: dict[str, list[int]] = {}
    for hand_ranks, positions in by_hand_ranks.items():
        for key in {"".join(hand_ranks[i] for i in picked) for picked in _SUBSETS}:
            merged.setdefault(key, []).extend(positions)
    return Index(
        rows=tuple(rows),
        score_order=tuple(score_order),
        score_place=tuple(score_place),
        cumulative={"equity": tuple(by_equity), "score": tuple(by_score)},
        by_text={row.text: row.position for row in rows},
        by_ranks={key: tuple(sorted(value)) for key, value in merged.items()},
        total_hands=by_equity[-1],
    )


@cache
def index() -> Index:
    """The rankings, built on first use (about half a second) and kept for the process."""
    return _build()


def row_of(hand_text: str) -> Row:
    """The row of a hand's class (the hand as any valid text)."""
    data = index()
    return data.rows[data.by_text[class_of(hand_text)]]


# Searching ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search: by ranks (a sorted rank string) or by cards, with an optional suit shape."""

    text: str
    ranks: str = ""
    cards: tuple[tuple[int, str], ...] = ()
    shape: str = ""

    @property
    def empty(self) -> bool:
        return not self.ranks and not self.cards and not self.shape


def _sorted_ranks(ranks: str) -> str:
    return "".join(sorted(ranks, key=lambda r: -RANK_CHARS.index(r)))


def parse_query(text: str) -> Query:
    """A search by ranks ("AAKK", "akq", "AAxx", "AAKKds") or by cards ("AsKs", "AsAhKsKh").

    Raises CardError with a message for the player when the text is neither.
    """
    compact = re.sub(r"[\s,;/|\-]+", "", text)
    if not compact:
        return Query("")
    if compact.lower() in SHAPE_ALIASES:
        return Query(compact, shape=SHAPE_ALIASES[compact.lower()])
    match = _RANK_QUERY.match(compact.lower())
    if match:
        ranks = match.group(1).replace("10", "t").replace("x", "").upper()
        shape = SHAPE_ALIASES[match.group(2)] if match.group(2) else ""
        return Query(compact, ranks=_sorted_ranks(ranks), shape=shape)
    try:
        cards = parse_cards(compact)
    except CardError as error:
        raise CardError(
            f"{error} Search by ranks (AAKK, AKQ, AAKKds) or by cards (AsKs, AsAhKsKh)."
        ) from None
    if len(cards) > 4:
        raise CardError(f"A PLO hand has 4 cards; you searched for {len(cards)}.")
    return Query(compact, cards=tuple((c.rank, c.suit) for c in cards))


def _suit_pattern(cards: Sequence[tuple[int, str]]) -> tuple[tuple[int, ...], ...]:
    """The cards up to a renaming of suits: the per-suit rank sets, sorted."""
    groups: dict[str, list[int]] = {}
    for rank, suit in cards:
        groups.setdefault(suit, []).append(rank)
    return tuple(sorted((tuple(sorted(g, reverse=True)) for g in groups.values()), reverse=True))


def _has_cards(row: Row, pattern: tuple[tuple[int, ...], ...], size: int) -> bool:
    cards = [(RANK_CHARS.index(row.text[i]) + 2, row.text[i + 1]) for i in range(0, 8, 2)]
    return any(_suit_pattern(picked) == pattern for picked in combinations(cards, size))


@lru_cache(maxsize=512)
def _matches(ranks: str, cards: tuple[tuple[int, str], ...], shape: str) -> tuple[int, ...]:
    """Positions (equity order) of the classes matching a query."""
    data = index()
    if cards:
        rank_key = _sorted_ranks("".join(RANK_CHARS[rank - 2] for rank, _ in cards))
        candidates = data.by_ranks.get(rank_key, ())
        if len(cards) == 4:
            text = "".join(RANK_CHARS[rank - 2] + suit for rank, suit in cards)
            candidates = (data.by_text[class_of(text)],)
        elif len(cards) > 1:  # suits matter up to renaming: AsKs is suited, AsKh is not
            pattern = _suit_pattern(cards)
            candidates = tuple(p for p in candidates if _has_cards(data.rows[p], pattern, len(cards)))
    elif ranks:
        candidates = data.by_ranks.get(ranks, ())
    else:
        candidates = tuple(range(len(data.rows)))
    if shape:
        candidates = tuple(p for p in candidates if data.rows[p].shape == shape)
    return tuple(candidates)


@lru_cache(maxsize=512)
def _ordered(ranks: str, cards: tuple[tuple[int, str], ...], shape: str, sort: str) -> tuple[int, ...]:
    found = _matches(ranks, cards, shape)
    if sort.startswith("score"):
        place = index().score_place
        found = tuple(sorted(found, key=place.__getitem__))
    return found[::-1] if sort.endswith("-asc") else found


@dataclass(frozen=True, slots=True)
class Page:
    """One page of rankings: the rows, where they sit, and the page count."""

    rows: tuple[Row, ...]
    number: int
    pages: int
    total: int  # classes matching
    combos: int  # hands matching (only counted when searching)
    first: int  # 1-based number of the first row shown among the matches

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def _page_of(positions: Sequence[int], number: int, size: int) -> tuple[tuple[Row, ...], int, int]:
    pages = max(1, -(-len(positions) // size))
    number = min(max(number, 1), pages)
    start = (number - 1) * size
    rows = index().rows
    return tuple(rows[p] for p in positions[start : start + size]), number, pages


def search(query: Query, sort: str = "equity", page: int = 1, size: int = PAGE_SIZE) -> Page:
    """A page of the classes matching `query` in the chosen order (page numbers are clamped)."""
    if sort not in SORTS:
        sort = "equity"
    data = index()
    if query.empty:
        n = len(data.rows)
        pages = -(-n // size)
        number = min(max(page, 1), pages)
        start = (number - 1) * size
        picked: Sequence[int]
        if sort == "equity":
            picked = range(start, min(start + size, n))
        elif sort == "equity-asc":
            picked = range(n - 1 - start, max(n - 1 - start - size, -1), -1)
        elif sort == "score":
            picked = data.score_order[start : start + size]
        else:
            picked = data.score_order[::-1][start : start + size]
        rows = tuple(data.rows[p] for p in picked)
        return Page(rows, number, pages, n, data.total_hands, start + 1)
    positions = _ordered(query.ranks, query.cards, query.shape, sort)
    rows, number, pages = _page_of(positions, page, size)
    combos = _combos(query.ranks, query.cards, query.shape)
    return Page(rows, number, pages, len(positions), combos, (number - 1) * size + 1)


@lru_cache(maxsize=512)
def _combos(ranks: str, cards: tuple[tuple[int, str], ...], shape: str) -> int:
    rows = index().rows
    return sum(rows[p].combos for p in _matches(ranks, cards, shape))


# Ranges ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Band:
    """The classes whose first hand lies in the top `low` % to `high` % of all hands."""

    low: float
    high: float
    order: str
    positions: tuple[int, ...]  # in that order
    combos: int
    shapes: dict[str, int]  # hands by suit shape
    pairs: int  # hands holding at least one pair

    @property
    def share(self) -> float:
        return 100 * self.combos / index().total_hands


@lru_cache(maxsize=256)
def band(low: float, high: float, order: str = "equity") -> Band:
    """The range "top `low` % to `high` %" of all 270,725 hands, ranked by equity or by score.

    A class belongs to the band when the share of hands ranked above it is at least `low` % and
    below `high` %: classes are never split, so the band's real share is shown beside it.
    """
    data = index()
    cumulative = data.cumulative[order]
    start = bisect.bisect_left(cumulative, low / 100 * data.total_hands, 0, len(data.rows))
    stop = bisect.bisect_left(cumulative, high / 100 * data.total_hands, 0, len(data.rows))
    sequence = range(len(data.rows)) if order == "equity" else data.score_order
    positions = tuple(sequence[start:stop])
    shapes = dict.fromkeys(SHAPES, 0)
    pairs = 0
    for p in positions:
        row = data.rows[p]
        shapes[row.shape] += row.combos
        if len(set(row.ranks)) < 4:
            pairs += row.combos
    return Band(low, high, order, positions, cumulative[stop] - cumulative[start], shapes, pairs)


def band_page(selected: Band, page: int, size: int = PAGE_SIZE) -> Page:
    rows, number, pages = _page_of(selected.positions, page, size)
    return Page(rows, number, pages, len(selected.positions), selected.combos, (number - 1) * size + 1)
