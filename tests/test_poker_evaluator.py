"""PLO showdown evaluation and hand naming, checked by hand."""

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.poker.cards import CARDS, Board, Hand
from app.poker.evaluator import CATEGORIES, best_hand, category_of, evaluate_5, omaha_rank


def names(cards):
    """Cards as a list of strings."""
    return [str(c) for c in cards]


def test_the_nut_flush_beats_the_second_nut_flush():
    nut = best_hand("As3sJd9c", "Ks8s4s2d7c")
    second = best_hand("QsJsTdTh", "Ks8s4s2d7c")
    assert nut.name == "Flush, ace high"
    assert second.name == "Flush, king high"
    assert nut.rank < second.rank
    assert names(nut.hole_cards) == ["As", "3s"]


def test_four_hearts_in_hand_make_no_flush_with_two_hearts_on_the_board():
    value = best_hand("AhKhQhJh", "Th5h4s3d2c")
    assert value.name == "High card, ace"  # not a royal flush, and not a wheel either


def test_four_hearts_in_hand_make_a_flush_with_only_two_of_them_on_a_three_heart_board():
    value = best_hand("AhKhQhJh", "9h5h2hKc3d")
    assert value.name == "Flush, ace high"
    assert names(value.hole_cards) == ["Ah", "Kh"]
    assert names(value.cards) == ["Ah", "Kh", "9h", "5h", "2h"]


def test_one_heart_in_hand_makes_no_flush_on_a_four_heart_board():
    assert best_hand("AhKdQcJs", "9h8h5h2h3c").category == "High card"


def test_a_wheel_is_a_five_high_straight_and_loses_to_a_seven_high_one():
    wheel = best_hand("As2dKcKh", "3h4c5d9sJh")
    seven = best_hand("6s7cQhQd", "3h4c5d9sJh")
    assert wheel.name == "Straight, five high"
    assert seven.name == "Straight, seven high"
    assert seven.rank < wheel.rank


def test_a_board_that_pairs_twice_counterfeits_a_two_pair_from_the_flop():
    flopped = best_hand("8s7h4d3c", "8d7c2sKhKd")
    overpair = best_hand("9c9dJs2h", "8d7c2sKhKd")
    assert flopped.name == "Two pair, kings and eights"
    assert overpair.name == "Two pair, kings and nines"
    assert overpair.rank < flopped.rank


def test_a_paired_board_makes_full_houses_and_the_bigger_one_wins():
    nines = best_hand("9s9hAdKc", "9d5c5h2sJd")
    jacks = best_hand("JsJc3c4d", "9d5c5h2sJd")
    assert nines.name == "Full house, nines full of fives"
    assert jacks.name == "Full house, jacks full of fives"
    assert jacks.rank < nines.rank


def test_the_same_straight_from_different_cards_ties():
    first = best_hand("JhQd3c4s", "Ts9d8c2h2s")
    second = best_hand("JcQs5d6h", "Ts9d8c2h2s")
    assert first.name == second.name == "Straight, queen high"
    assert first.rank == second.rank


def test_quads_on_the_board_do_not_play_in_omaha():
    value = best_hand("AsKd7c2h", "9s9h9d9cQh")
    assert value.name == "Three of a kind, nines"


@pytest.mark.parametrize(
    ("hole", "board", "name"),
    [
        ("AsKs3c4d", "QsJsTs2h2d", "Royal flush"),
        ("9s8s3c4d", "7s6s5s2h2d", "Straight flush, nine high"),
        ("KsKh3c4d", "KdKc5s2h7d", "Four of a kind, kings"),
        ("KsKh3c4d", "Kd5c5s2h7d", "Full house, kings full of fives"),
        ("AsQh9c8d", "AdJc5s2h7d", "One pair, aces"),
        ("AsQh9c8d", "AdQc5s2h7d", "Two pair, aces and queens"),
        ("7s7h3c4d", "7dQc5s2hKd", "Three of a kind, sevens"),
        ("6s4h9c9d", "7dQc5s3hKd", "Straight, seven high"),
        ("As9h3c4d", "TdQc6s2hKd", "High card, ace"),
        ("6s6hJc4d", "7dQc5s2hKd", "One pair, sixes"),
    ],
)
def test_hands_are_named_by_category_and_ranks(hole, board, name):
    assert best_hand(hole, board).name == name


def test_a_hand_can_be_named_on_the_flop_and_the_turn():
    assert best_hand("AsAh7c2d", "AdKs4h").name == "Three of a kind, aces"
    assert best_hand("AsAh7c2d", "AdKs4hKd").name == "Full house, aces full of kings"


def test_naming_needs_a_flop():
    with pytest.raises(ValueError, match="flop"):
        best_hand("AsAh7c2d", "")


def test_categories_follow_phevaluator_rank_ranges():
    assert category_of(1) == "Straight flush"
    assert category_of(166) == "Four of a kind"
    assert category_of(167) == "Full house"
    assert category_of(1600) == "Straight"
    assert category_of(7462) == "High card"
    assert len(CATEGORIES) == 9


DISTINCT_NINE = st.lists(st.sampled_from(CARDS), min_size=9, max_size=9, unique=True)


@settings(max_examples=200)
@given(DISTINCT_NINE)
def test_the_omaha_evaluator_equals_the_best_of_the_sixty_two_plus_three_combinations(cards):
    hole, board = [c.id for c in cards[:4]], [c.id for c in cards[4:]]
    naive = min(evaluate_5(*h, *b) for h in combinations(hole, 2) for b in combinations(board, 3))
    assert omaha_rank(hole, board) == naive
    assert best_hand(Hand(cards[:4]), Board(cards[4:])).rank == naive


@settings(max_examples=100)
@given(DISTINCT_NINE, st.randoms(use_true_random=False))
def test_the_order_the_cards_are_typed_in_never_changes_the_best_hand(cards, rng):
    shuffled = list(cards)
    rng.shuffle(shuffled)
    hole = "".join(str(c) for c in cards[:4])
    board = "".join(str(c) for c in cards[4:])
    same_hole = "".join(str(c) for c in sorted(cards[:4], key=lambda c: rng.random()))
    same_board = "".join(str(c) for c in sorted(cards[4:], key=lambda c: rng.random()))
    assert best_hand(hole, board) == best_hand(same_hole, same_board)
