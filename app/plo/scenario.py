"""The scenario analyzer: who leads, equity, outs, chances to improve, SPR and the price of a call.

Known hands on a flop, turn or river are enumerated exactly; against a random opponent the
equity is simulated (10,000 run-outs, seeded by the scenario itself so a shared URL shows the
same figures) and reported with its standard error.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from app.advice.potodds import pot_odds
from app.advice.spr import ZoneInfo, zone
from app.plo.forms import SEATS, Scenario
from app.poker.cards import CARDS, Card, Hand
from app.poker.equity import EquityResult, Outs, equity, outs
from app.poker.evaluator import CATEGORIES, HandValue, best_hand, category_index, omaha_rank

SAMPLES = 10_000
POSITIONS = ("BTN", "SB", "BB", "UTG", "HJ", "CO")  # clockwise from the button
POSTFLOP_ORDER = ("SB", "BB", "UTG", "HJ", "CO", "BTN")  # first to act first


def seat_positions(button: int) -> dict[int, str]:
    """Seat number (1-6) -> position name, with the button on `button`."""
    return {(button - 1 + offset) % SEATS + 1: name for offset, name in enumerate(POSITIONS)}


@dataclass(frozen=True, slots=True)
class Improvement:
    """How often a hand ends the river in a better category than it holds now."""

    chance: float  # percent
    runouts: int
    by_category: tuple[tuple[str, float], ...]  # category reached -> percent of run-outs


@dataclass(frozen=True, slots=True)
class NextCard:
    """The next cards that lift a hand to a better category (against a random opponent)."""

    by_category: tuple[tuple[str, tuple[Card, ...]], ...]
    unseen: int

    @property
    def count(self) -> int:
        return sum(len(cards) for _, cards in self.by_category)


@dataclass(frozen=True, slots=True)
class Analysis:
    street: str
    hero_best: HandValue
    villain_best: HandValue | None
    leader: str | None  # "hero", "villain", "tie"; None against a random opponent
    equity: EquityResult
    outs: Outs | None  # for the player behind (or tied), on the flop and turn
    outs_player: str | None  # "hero" or "villain"
    hero_next: NextCard | None  # against a random opponent: the cards that improve you
    hero_improves: Improvement | None
    villain_improves: Improvement | None
    effective: Decimal
    effective_bb: Decimal  # the effective stack in big blinds
    spr: Decimal
    spr_zone: ZoneInfo
    pot_bets: float  # pot-sized bets (each called) until the effective stack is in
    call: Decimal  # what calling costs (capped by your stack)
    required: Decimal | None  # equity a call needs, 0-1; None with no bet
    odds_to_one: Decimal | None
    profitable: bool | None
    hero_position: str
    villain_position: str
    in_position: bool

    @property
    def hero_equity(self) -> float:
        return self.equity[0].equity


def _improvement(hole: tuple[int, ...], board: tuple[int, ...], stub: tuple[int, ...]) -> Improvement:
    """Share of the remaining run-outs that end in a better category than the hand holds now."""
    now = category_index(omaha_rank(hole, board))
    reached = [0] * len(CATEGORIES)
    count = better = 0
    runouts: Iterable[tuple[int, ...]] = ((c,) for c in stub) if len(board) == 4 else combinations(stub, 2)
    for extra in runouts:
        final = category_index(omaha_rank(hole, board + extra))
        count += 1
        if final < now:
            better += 1
            reached[final] += 1
    by_category = tuple((CATEGORIES[i], 100 * n / count) for i, n in enumerate(reached) if n)
    return Improvement(100 * better / count, count, by_category)


def _next_card(hole: tuple[int, ...], board: tuple[int, ...], stub: tuple[int, ...]) -> NextCard:
    now = category_index(omaha_rank(hole, board))
    groups: dict[int, list[Card]] = {}
    for card_id in sorted(stub, reverse=True):
        final = category_index(omaha_rank(hole, (*board, card_id)))
        if final < now:
            groups.setdefault(final, []).append(CARDS[card_id])
    return NextCard(tuple((CATEGORIES[i], tuple(groups[i])) for i in sorted(groups)), len(stub))


def pot_sized_bets(stack: Decimal, pot: Decimal) -> float:
    """How many pot-sized bets, each called, put in `stack`: a called pot bet triples the pot,
    so k bets cost pot × (3^k − 1) / 2, and k = log3(2 × stack / pot + 1)."""
    if stack <= 0:
        return 0.0
    return math.log(float(2 * stack / pot + 1), 3)


def analyse(scenario: Scenario) -> Analysis:
    """Everything the analyzer shows for a complete scenario."""
    hero = scenario.hero
    assert hero is not None and scenario.board is not None
    board = scenario.board
    board_text = "".join(str(c) for c in board)
    villain = None if scenario.random else scenario.villain
    hands: list[Hand | None] = [hero, villain]
    seed = f"{hero}|{board_text}"
    result = equity(hands, board_text, samples=SAMPLES, seed=seed)
    hero_best = best_hand(hero, board_text)
    villain_best = best_hand(villain, board_text) if villain is not None else None
    leader = None
    if villain_best is not None:
        leader = (
            "tie"
            if hero_best.rank == villain_best.rank
            else "hero"
            if hero_best.rank < villain_best.rank
            else "villain"
        )

    used = {c.id for c in hero.cards} | {c.id for c in board}
    if villain is not None:
        used |= {c.id for c in villain.cards}
    stub = tuple(i for i in range(52) if i not in used)
    board_ids = tuple(c.id for c in board)
    found = outs_player = None
    hero_next = hero_improves = villain_improves = None
    if len(board) < 5:
        hero_improves = _improvement(hero.ids, board_ids, stub)
        if villain is not None:
            villain_improves = _improvement(villain.ids, board_ids, stub)
            outs_player = "villain" if leader == "hero" else "hero"
            found = outs([hero, villain], board_text, 1 if outs_player == "villain" else 0)
        else:
            hero_next = _next_card(hero.ids, board_ids, stub)

    effective = min(scenario.hero_stack, scenario.villain_stack)
    ratio = effective / scenario.pot
    call = min(scenario.bet, scenario.hero_stack)
    required = odds = profitable = None
    if call > 0:
        price = pot_odds(call, scenario.pot)
        required, odds = price.required_equity, price.odds_to_one
        profitable = Decimal(str(result[0].equity)) / 100 >= required
    positions = seat_positions(scenario.button)
    hero_position = positions[scenario.hero_seat]
    villain_position = positions[scenario.villain_seat]
    in_position = POSTFLOP_ORDER.index(hero_position) > POSTFLOP_ORDER.index(villain_position)
    return Analysis(
        street={3: "flop", 4: "turn", 5: "river"}[len(board)],
        hero_best=hero_best,
        villain_best=villain_best,
        leader=leader,
        equity=result,
        outs=found,
        outs_player=outs_player,
        hero_next=hero_next,
        hero_improves=hero_improves,
        villain_improves=villain_improves,
        effective=effective,
        effective_bb=effective / scenario.bb,
        spr=ratio,
        spr_zone=zone(ratio),
        pot_bets=pot_sized_bets(effective, scenario.pot),
        call=call,
        required=required,
        odds_to_one=odds,
        profitable=profitable,
        hero_position=hero_position,
        villain_position=villain_position,
        in_position=in_position,
    )


def random_scenario(rng: random.Random | None = None) -> dict[str, str]:
    """Query values for a random heads-up spot: two hands and a flop, turn or river."""
    rng = rng or random.Random()
    cards = rng.sample(CARDS, 13)
    board_size = rng.choice((3, 3, 4, 5))
    seats = rng.sample(range(1, SEATS + 1), 2)
    return {
        "hero": "".join(str(c) for c in cards[:4]),
        "villain": "".join(str(c) for c in cards[4:8]),
        "board": "".join(str(c) for c in cards[8 : 8 + board_size]),
        "hero_seat": str(seats[0]),
        "villain_seat": str(seats[1]),
        "button": str(rng.randint(1, SEATS)),
    }


def chips(value: Decimal) -> str:
    """A chip amount for display: thousands separators, decimals only when there are any."""
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text
