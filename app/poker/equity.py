"""PLO all-in equity: exact enumeration of run-outs, Monte Carlo, and outs on the next card.

Percentages are floats from 0 to 100. A player's `win` counts run-outs they win alone,
`tie` run-outs they split, and `equity` their average share of the pot (a split between
k players gives each 1/k), so the equities of all players add up to 100.
Known hands on a flop, turn or river are enumerated exactly; preflop, and any hand given
as None (a random hand), is simulated with `random.Random(seed)`, which makes the result
reproducible and gives a standard error.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from app.poker.cards import CARDS, Board, Card, CardError, Hand, as_board, as_cards, as_hand, check_distinct
from app.poker.evaluator import CATEGORIES, category_of, describe, evaluate_5, evaluate_omaha, omaha_rank

DEFAULT_SAMPLES = 10_000
MIN_PLAYERS = 2
MAX_PLAYERS = 6

PlayerInput = Hand | str | None
"""A player's hand: a Hand, its text, or None for a random (unknown) hand."""


@dataclass(frozen=True, slots=True)
class PlayerEquity:
    """One player's result; percentages 0-100, stderr in percentage points (0 when exact)."""

    hand: Hand | None
    win: float
    tie: float
    equity: float
    stderr: float


@dataclass(frozen=True, slots=True)
class EquityResult:
    """Equity of every player, in the order given, and how it was computed."""

    players: tuple[PlayerEquity, ...]
    board: Board
    exact: bool
    samples: int  # run-outs enumerated, or run-outs simulated

    @property
    def stderr(self) -> float:
        """The largest standard error among the players (0 when exact)."""
        return max(p.stderr for p in self.players)

    def __getitem__(self, index: int) -> PlayerEquity:
        """The result of the player at that position."""
        return self.players[index]

    def __len__(self) -> int:
        """The number of players."""
        return len(self.players)


@dataclass(frozen=True, slots=True)
class _Setup:
    """Validated input as evaluator ids: the hands (None = random), board and undealt cards."""

    hands: tuple[Hand | None, ...]
    board: Board
    stub: tuple[int, ...]


def _setup(hands: Sequence[PlayerInput], board: Board | str | None, dead: Iterable[Card] | str) -> _Setup:
    """Parse and check the players, board and dead cards; list the cards left in the deck."""
    if not MIN_PLAYERS <= len(hands) <= MAX_PLAYERS:
        raise CardError(f"Equity needs 2 to 6 players; you entered {len(hands)}.")
    players = tuple(None if h is None else as_hand(h) for h in hands)
    table = as_board(board)
    dead_cards = as_cards(dead)
    check_distinct(*(p.cards for p in players if p is not None), table.cards, dead_cards)
    used = {c.id for p in players if p is not None for c in p.cards}
    used |= {c.id for c in table.cards} | {c.id for c in dead_cards}
    stub = tuple(card_id for card_id in range(52) if card_id not in used)
    needed = 5 - len(table) + 4 * sum(p is None for p in players)
    if needed > len(stub):
        raise CardError(f"Not enough cards left: {needed} needed, {len(stub)} in the deck.")
    return _Setup(players, table, stub)


def _result(
    setup: _Setup,
    wins: list[int],
    ties: list[int],
    shares: list[float],
    squares: list[float],
    count: int,
    exact: bool,
) -> EquityResult:
    """Turn per-player counts and share sums into an EquityResult."""
    players = []
    for i, hand in enumerate(setup.hands):
        mean = shares[i] / count
        if exact or count < 2:
            stderr = 0.0
        else:
            variance = max(squares[i] / count - mean * mean, 0.0) * count / (count - 1)
            stderr = 100 * math.sqrt(variance / count)
        players.append(PlayerEquity(hand, 100 * wins[i] / count, 100 * ties[i] / count, 100 * mean, stderr))
    return EquityResult(tuple(players), setup.board, exact, count)


def enumerate_equity(
    hands: Sequence[Hand | str], board: Board | str, *, dead: Iterable[Card] | str = ()
) -> EquityResult:
    """Exact equity of known hands by enumerating every run-out (flop, turn or river)."""
    setup = _setup(hands, board, dead)
    if any(h is None for h in setup.hands):
        raise CardError("Exact equity needs every hand; use simulate_equity for random hands.")
    if len(setup.board) < 3:
        raise CardError("Exact equity starts on the flop; preflop equity is simulated.")
    holes = [h.ids for h in setup.hands if h is not None]
    n = len(holes)
    players = range(n)
    fixed = setup.board.ids
    wins, ties, shares, squares = [0] * n, [0] * n, [0.0] * n, [0.0] * n
    count = 0
    for extra in combinations(setup.stub, 5 - len(fixed)):
        full = fixed + extra
        ranks = [evaluate_omaha(*full, *hole) for hole in holes]
        best = min(ranks)
        count += 1
        winners = [i for i in players if ranks[i] == best]
        if len(winners) == 1:
            wins[winners[0]] += 1
            shares[winners[0]] += 1.0
        else:
            share = 1.0 / len(winners)
            for i in winners:
                ties[i] += 1
                shares[i] += share
    return _result(setup, wins, ties, shares, squares, count, exact=True)


def simulate_equity(
    hands: Sequence[PlayerInput],
    board: Board | str | None = None,
    *,
    dead: Iterable[Card] | str = (),
    samples: int = DEFAULT_SAMPLES,
    seed: int | str = 0,
) -> EquityResult:
    """Monte Carlo equity: deal `samples` random run-outs (and random hands for None players)."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    setup = _setup(hands, board, dead)
    rnd = random.Random(seed).random
    deck = list(setup.stub)
    fixed = setup.board.ids
    need_board = 5 - len(fixed)
    # Where each player's four cards come from: a fixed tuple, or a slot in the dealt cards.
    known: list[tuple[int, tuple[int, ...]]] = []
    unknown: list[tuple[int, int]] = []
    slot = need_board
    for i, hand in enumerate(setup.hands):
        if hand is None:
            unknown.append((i, slot))
            slot += 4
        else:
            known.append((i, hand.ids))
    spans = [(i, len(deck) - i) for i in range(slot)]
    n = len(setup.hands)
    players = range(n)
    wins, ties, shares, squares = [0] * n, [0] * n, [0.0] * n, [0.0] * n
    ranks = [0] * n
    for _ in range(samples):
        for i, width in spans:  # a partial Fisher-Yates shuffle deals the first `slot` cards
            j = i + int(rnd() * width)
            deck[i], deck[j] = deck[j], deck[i]
        full = fixed + tuple(deck[:need_board])
        for i, hole in known:
            ranks[i] = evaluate_omaha(*full, *hole)
        for i, start in unknown:
            ranks[i] = evaluate_omaha(*full, *deck[start : start + 4])
        best = min(ranks)
        winners = [i for i in players if ranks[i] == best]
        if len(winners) == 1:
            wins[winners[0]] += 1
            shares[winners[0]] += 1.0
            squares[winners[0]] += 1.0
        else:
            share = 1.0 / len(winners)
            for i in winners:
                ties[i] += 1
                shares[i] += share
                squares[i] += share * share
    return _result(setup, wins, ties, shares, squares, samples, exact=False)


def equity(
    hands: Sequence[PlayerInput],
    board: Board | str | None = None,
    *,
    dead: Iterable[Card] | str = (),
    samples: int | None = None,
    seed: int | str = 0,
) -> EquityResult:
    """Equity of 2-6 players: exact for known hands from the flop on, else Monte Carlo.

    `samples` (default 10,000) is used only when the result is simulated.
    """
    table = as_board(board)
    if len(table) >= 3 and all(h is not None for h in hands):
        return enumerate_equity([h for h in hands if h is not None], table, dead=dead)
    return simulate_equity(hands, table, dead=dead, samples=samples or DEFAULT_SAMPLES, seed=seed)


@dataclass(frozen=True, slots=True)
class Out:
    """A card that, as the next board card, makes the player win or split."""

    card: Card
    result: str  # "win" or "tie"
    category: str
    name: str


@dataclass(frozen=True, slots=True)
class Outs:
    """The cards that make a player win or tie on the next street, and what they make."""

    player: int
    street: str  # the street the next card makes: "turn" or "river"
    behind: bool  # the player does not win outright on the current board
    unseen: int  # how many cards can come
    outs: tuple[Out, ...]  # strongest category first, then canonical card order

    @property
    def wins(self) -> tuple[Card, ...]:
        """Cards that make the player win outright."""
        return tuple(o.card for o in self.outs if o.result == "win")

    @property
    def ties(self) -> tuple[Card, ...]:
        """Cards that make the player split the pot."""
        return tuple(o.card for o in self.outs if o.result == "tie")

    def by_category(self) -> dict[str, tuple[Out, ...]]:
        """The outs grouped by the category they make, strongest category first."""
        groups: dict[str, tuple[Out, ...]] = {}
        for category in CATEGORIES:
            group = tuple(o for o in self.outs if o.category == category)
            if group:
                groups[category] = group
        return groups


def outs(
    hands: Sequence[Hand | str], board: Board | str, player: int, *, dead: Iterable[Card] | str = ()
) -> Outs:
    """For a flop or turn, the next cards that make `player` (index into hands) win or tie."""
    setup = _setup(hands, board, dead)
    if any(h is None for h in setup.hands):
        raise CardError("Outs need every hand.")
    if len(setup.board) not in (3, 4):
        raise CardError("Outs are counted on the flop or the turn.")
    if not 0 <= player < len(setup.hands):
        raise IndexError(f"No player {player}")
    holes = [h.ids for h in setup.hands if h is not None]
    fixed = setup.board.ids
    now = [omaha_rank(hole, fixed) for hole in holes]
    behind = any(rank <= now[player] for i, rank in enumerate(now) if i != player)
    found = []
    for card_id in sorted(setup.stub, reverse=True):
        full = (*fixed, card_id)
        ranks = [omaha_rank(hole, full) for hole in holes]
        mine = ranks[player]
        others = min(rank for i, rank in enumerate(ranks) if i != player)
        if mine > others:
            continue
        cards = _five_cards(holes[player], full, mine)
        result = "win" if mine < others else "tie"
        found.append((mine, Out(CARDS[card_id], result, category_of(mine), describe(cards, mine))))
    found.sort(key=lambda pair: (CATEGORIES.index(pair[1].category), -pair[1].card.id))
    street = "turn" if len(fixed) == 3 else "river"
    return Outs(player, street, behind, len(setup.stub), tuple(out for _, out in found))


def _five_cards(hole: Sequence[int], board: Sequence[int], rank: int) -> list[Card]:
    """Five cards (two hole, three board) that make the given rank."""
    for h1, h2 in combinations(hole, 2):
        for b1, b2, b3 in combinations(board, 3):
            if evaluate_5(h1, h2, b1, b2, b3) == rank:
                return [CARDS[c] for c in (h1, h2, b1, b2, b3)]
    raise AssertionError("no five cards make the rank")  # pragma: no cover
