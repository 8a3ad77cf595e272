"""The shipped preflop equity table, its loader and rankings, and the builder."""

import math
import random
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.poker.build_equity_table import build
from app.poker.cards import CARDS
from app.poker.classes import TOTAL_CLASSES, TOTAL_HANDS, class_of, hand_classes
from app.poker.equity import simulate_equity
from app.poker.preflop import (
    classes,
    hand_class,
    load_table,
    preflop_equity,
    rank_of,
    read_table,
    top_percent,
)


def test_the_table_lists_every_class_once_with_its_number_of_hands():
    table = load_table()
    assert len(table.classes) == TOTAL_CLASSES
    assert table.total_hands == TOTAL_HANDS
    expected = {str(hand): combos for hand, combos in hand_classes()}
    assert {c.text: c.combos for c in table.classes} == expected


def test_every_class_was_simulated_to_half_a_percentage_point_or_better():
    assert max(c.stderr_bp for c in classes()) <= 50


def test_the_header_records_how_the_table_was_made():
    header = "\n".join(load_table().header)
    for word in ("Seed:", "Samples:", "Built:", "Machine:", "phevaluator"):
        assert word in header


def is_aces_double_suited(text):
    """Whether a class representative is AA with both aces suited to the other two cards."""
    return text.startswith("AsAh") and text[5] == "s" and text[7] == "h"


def test_aces_double_suited_top_the_table_and_aakk_double_suited_is_among_them():
    # Against ONE random hand AATT double-suited edges out AAKK double-suited (71.4 % vs 70.7 %,
    # each checked with 1,000,000 samples): tens and fives are in more straights than kings.
    top = list(classes())[:20]
    assert all(is_aces_double_suited(c.text) for c in top)
    assert rank_of("KhAcKcAh") <= 100
    assert top_percent("AsAhKsKh") < 0.05
    assert preflop_equity("AsAhKsKh") == hand_class("AsAhKsKh").equity


def test_classes_come_best_first_and_ranks_count_hands_not_classes():
    ordered = list(classes())
    assert all(a.equity_bp >= b.equity_bp for a, b in pairwise(ordered))
    assert ordered[1].rank == 1 + ordered[0].combos or ordered[1].equity_bp == ordered[0].equity_bp
    assert ordered[-1].rank + ordered[-1].combos - 1 <= TOTAL_HANDS


def test_hands_with_danglers_rank_low():
    assert rank_of("KsQhJd2c") > rank_of("KsQhJdTc")
    assert rank_of("9s8h7d2c") > rank_of("9s8h7d6c")
    assert rank_of("Js8h5d2c") > TOTAL_HANDS * 0.75
    assert top_percent("Js8h5d2c") > 75


def test_the_equity_does_not_depend_on_card_order_or_suit_names():
    assert preflop_equity("AsAhKsKh") == preflop_equity("KdAdKcAc")


@given(st.lists(st.sampled_from(CARDS), min_size=4, max_size=4, unique=True), st.permutations("shdc"))
def test_every_hand_finds_its_class_in_the_table(cards, renaming):
    text = "".join(str(c) for c in cards)
    renamed = text.translate(str.maketrans("shdc", "".join(renaming)))
    assert hand_class(text) == hand_class(renamed)
    assert hand_class(text).text == class_of(text)


def test_a_sample_of_classes_matches_a_fresh_simulation():
    sample = [*random.Random(2024).sample(list(classes()), 5), next(classes())]
    for entry in sample:
        fresh = simulate_equity([entry.text, None], samples=10_000, seed="fresh")[0]
        tolerance = 4 * math.hypot(fresh.stderr, entry.stderr_bp / 100)
        assert abs(fresh.equity - entry.equity) <= tolerance, (entry, fresh)


def test_the_builder_writes_a_table_the_loader_reads(tmp_path):
    output = tmp_path / "table.csv"
    rows = build(output, samples=200, top=1, top_samples=200, seed=1, workers=1, limit=3)
    table = read_table(output)
    assert [row[0] for row in rows] == ["AsAhAdAc", "AsAhAdKs", "AsAhAdKc"]
    assert {c.text for c in table.classes} == {"AsAhAdAc", "AsAhAdKs", "AsAhAdKc"}
    assert sum(c.combos for c in table.classes) == 1 + 12 + 4
    assert any(line.startswith("Seed: 1") for line in table.header)
