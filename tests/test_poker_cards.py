"""Parsing cards, hands and boards, and the suit-isomorphic classes of PLO hands."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.poker.cards import CARDS, Board, CardError, Hand, card, parse_board, parse_cards, parse_hand
from app.poker.classes import TOTAL_CLASSES, TOTAL_HANDS, class_of, hand_classes, representative

SUIT_RENAMINGS = st.permutations("shdc")


def test_a_hand_is_parsed_into_canonical_order_ranks_high_to_low_then_suits_s_h_d_c():
    assert str(parse_hand("7cQdAsKh")) == "AsKhQd7c"
    assert str(parse_hand("KhAdKsAh")) == "AhAdKsKh"


def test_parsing_ignores_case_spaces_and_commas():
    assert parse_hand("as kh, QD 7C") == parse_hand("AsKhQd7c")
    assert parse_hand(" aS,Kh;qd/7c ") == parse_hand("AsKhQd7c")


def test_ten_can_be_typed_as_10_and_suits_as_symbols():
    assert str(parse_hand("10s 10h 9♦ 8♣")) == "TsTh9d8c"
    assert str(card("10h")) == "Th"


def test_the_same_cards_typed_in_another_order_make_an_equal_hand():
    assert parse_hand("AsKhQd7c") == parse_hand("7cQdKhAs")
    assert hash(parse_hand("AsKhQd7c")) == hash(parse_hand("Qd7cAsKh"))


def test_a_hand_with_three_cards_is_refused_with_the_count():
    with pytest.raises(CardError, match=r"^A PLO hand has exactly 4 cards; you entered 3\.$"):
        parse_hand("AsKhQd")


def test_a_hand_with_five_cards_is_refused():
    with pytest.raises(CardError, match="you entered 5"):
        parse_hand("AsKhQd7c2s")


def test_an_unknown_rank_is_named_in_the_error():
    with pytest.raises(CardError, match=r"^'Xs' is not a card: ranks are 2-9, T, J, Q, K, A\.$"):
        parse_hand("XsKhQd7c")


def test_an_unknown_suit_is_named_in_the_error():
    with pytest.raises(CardError, match=r"^'Ax' is not a card: suits are s, h, d, c\.$"):
        parse_hand("AxKhQd7c")


def test_a_rank_without_a_suit_is_refused():
    with pytest.raises(CardError, match=r"^'7' is not a card"):
        parse_hand("AsKhQd7")


def test_a_card_typed_twice_is_refused():
    with pytest.raises(CardError, match=r"^As appears twice\.$"):
        parse_hand("AsKhasQd")


def test_card_error_is_a_value_error():
    assert issubclass(CardError, ValueError)


def test_boards_have_zero_three_four_or_five_cards():
    assert parse_board("").street == "preflop"
    assert parse_board("Ah7c2d").street == "flop"
    assert parse_board("Ah7c2d9s").street == "turn"
    assert parse_board("Ah7c2d9sTs").street == "river"
    for text in ("Ah", "Ah7c", "Ah7c2d9sTs3h"):
        with pytest.raises(CardError, match="A board has 3 cards"):
            parse_board(text)


def test_a_board_is_kept_in_canonical_order():
    assert str(Board.parse("2d7cAh")) == "Ah7c2d"


def test_card_ids_are_the_phevaluator_ids():
    assert card("2c").id == 0
    assert card("As").id == 51
    assert card("Th").id == 8 * 4 + 2
    assert [c.id for c in CARDS] == list(range(52))


def test_hands_have_a_readable_repr():
    assert repr(parse_hand("AsAhKsKh")) == "Hand('AsAhKsKh')"
    assert repr(card("As")) == "Card('As')"


def test_parse_cards_returns_any_number_of_distinct_cards():
    assert [str(c) for c in parse_cards("2c As")] == ["As", "2c"]
    assert parse_cards("") == ()


def test_there_are_16432_classes_covering_all_270725_hands():
    classes = hand_classes()
    assert len(classes) == TOTAL_CLASSES
    assert sum(combos for _, combos in classes) == TOTAL_HANDS


def test_class_sizes_follow_from_the_suit_pattern():
    sizes = {str(hand): combos for hand, combos in hand_classes()}
    assert sizes["AsAhAdAc"] == 1
    assert sizes["AsAhKsKh"] == 6  # choose the two suits
    assert sizes["AsAhKdKc"] == 6
    assert sizes["AsKsQsJs"] == 4


def test_the_representative_names_suits_s_h_d_c_in_order():
    assert class_of("KhQsJhTs") == "KsQhJsTh"
    assert class_of("9d8c7d6c") == "9s8h7s6h"
    assert class_of("AcKcAdKd") == "AsAhKsKh"
    assert representative("Ac2d3h4s") == Hand.parse("As4h3d2c")


@given(st.lists(st.sampled_from(CARDS), min_size=4, max_size=4, unique=True), SUIT_RENAMINGS)
def test_renaming_the_suits_never_changes_the_class(cards, renaming):
    text = "".join(str(c) for c in cards)
    renamed = text.translate(str.maketrans("shdc", "".join(renaming)))
    assert class_of(text) == class_of(renamed)
