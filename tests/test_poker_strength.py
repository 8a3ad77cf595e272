"""The preflop hand-strength heuristic: reference hands, calibration and suggestions."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.poker.cards import CARDS, CardError
from app.poker.classes import TOTAL_HANDS, hand_classes
from app.poker.strength import Position, hand_strength, score_hand, suggestion, tier_of

TARGET_SHARES = {1: 4.0, 2: 8.0, 3: 12.0, 4: 26.0, 5: 50.0}


@pytest.mark.parametrize(
    ("hand", "tier"),
    [("AsAhKsKh", 1), ("KsQhJsTh", 1), ("9s8h7s6h", 2), ("5s5h4d3c", 5), ("As2h3d4c", 5)],
)
def test_the_reference_hands_land_in_their_tiers(hand, tier):
    assert hand_strength(hand).tier == tier


def test_tiers_hold_about_4_8_12_26_and_50_percent_of_all_hands():
    counts = dict.fromkeys(TARGET_SHARES, 0)
    for hand, combos in hand_classes():
        counts[tier_of(score_hand(hand))[0]] += combos
    assert sum(counts.values()) == TOTAL_HANDS
    for tier, target in TARGET_SHARES.items():
        assert abs(100 * counts[tier] / TOTAL_HANDS - target) <= 1.5, (tier, counts)


def test_tier_boundaries_are_65_50_40_and_28():
    assert tier_of(65) == (1, "Elite")
    assert tier_of(64) == (2, "Premium")
    assert tier_of(50) == (2, "Premium")
    assert tier_of(40) == (3, "Strong")
    assert tier_of(28) == (4, "Playable")
    assert tier_of(27) == (5, "Marginal")


def test_the_breakdown_adds_up_to_the_score():
    result = hand_strength("AsAhKsKh")
    assert sum(points for _, points in result.breakdown) == result.score
    labels = [label for label, _ in result.breakdown]
    assert "Pair of aces" in labels
    assert "Double-suited" in labels
    assert "Nut suit (suited ace)" in labels


def test_double_suited_beats_single_suited_beats_rainbow():
    assert score_hand("Js Th 9s 8h") > score_hand("Js Th 9s 8d") > score_hand("Js Th 9d 8c")
    assert ("Rainbow", -6) in hand_strength("JsTh9d8c").breakdown


def test_a_suited_ace_earns_the_nut_suit_bonus():
    assert score_hand("AsJsTh9d") > score_hand("AhJsTs9d")


def test_a_dangler_costs_points():
    assert score_hand("KsQhJd2c") < score_hand("KsQhJdTc")
    assert any(label.startswith("Dangler") for label, _ in hand_strength("KsQhJd2c").breakdown)


def test_three_of_a_rank_is_penalised():
    assert score_hand("AsAhAdKc") < score_hand("AsAhKdQc")


@given(st.lists(st.sampled_from(CARDS), min_size=4, max_size=4, unique=True), st.permutations("shdc"))
def test_the_score_depends_only_on_the_cards_not_their_order_or_suit_names(cards, renaming):
    text = "".join(str(c) for c in cards)
    reversed_text = "".join(str(c) for c in reversed(cards))
    renamed = text.translate(str.maketrans("shdc", "".join(renaming)))
    assert score_hand(text) == score_hand(reversed_text) == score_hand(renamed)
    assert sorted(hand_strength(text).breakdown) == sorted(hand_strength(renamed).breakdown)


def test_tiers_one_and_two_raise_from_every_position():
    for tier in (1, 2):
        for position in Position:
            assert suggestion(tier, position) == "Raise / 3-bet"


def test_tier_three_folds_early_and_in_the_small_blind_and_raises_late():
    assert suggestion(3, "UTG") == "Fold"
    assert suggestion(3, "SB") == "Fold"
    assert suggestion(3, "HJ") == "Call or raise"
    assert suggestion(3, "BB") == "Call or raise"
    assert suggestion(3, "CO") == "Raise / 3-bet"
    assert suggestion(3, "BTN") == "Raise / 3-bet"


def test_tier_four_raises_the_button_defends_the_big_blind_and_folds_elsewhere():
    assert suggestion(4, "BTN") == "Raise / 3-bet"
    assert suggestion(4, "BB") == "Call / check"
    for position in ("UTG", "HJ", "CO", "SB"):
        assert suggestion(4, position) == "Fold"


def test_tier_five_always_folds():
    assert {suggestion(5, p) for p in Position} == {"Fold"}


def test_hand_strength_with_a_position_carries_the_suggestion():
    result = hand_strength("9s8h7s6h", "btn")
    assert result.position is Position.BTN
    assert result.suggestion == "Raise / 3-bet"
    assert hand_strength("5s5h4d3c", Position.BB).suggestion == "Fold"
    assert hand_strength("5s5h4d3c").suggestion is None


def test_an_unknown_position_is_refused():
    with pytest.raises(ValueError, match="MP"):
        hand_strength("9s8h7s6h", "MP")


def test_a_bad_hand_is_refused_with_a_card_error():
    with pytest.raises(CardError):
        hand_strength("9s8h7s")
