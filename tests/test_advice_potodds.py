"""Pot odds and the rule of 4 and 2."""

from decimal import Decimal

import pytest

from app.advice.errors import FieldError
from app.advice.potodds import (
    exact_equity_one_card,
    exact_equity_two_cards,
    pot_odds,
    rule_of_2,
    rule_of_4,
    worth_calling,
)

D = Decimal


def test_a_pot_sized_bet_needs_a_third_of_the_equity():
    odds = pot_odds(D(100), D(100))
    assert odds.required_equity == D(1) / 3 and odds.odds_to_one == 2


def test_required_equity_is_bet_over_pot_plus_two_bets():
    assert pot_odds(D(50), D(100)).required_equity == D("0.25")
    assert pot_odds(D(25), D(100)).required_equity == D(25) / 150
    assert pot_odds(D(200), D(100)).required_equity == D("0.4")


def test_the_rule_of_4_and_2_multiplies_outs_by_4_and_2_percent():
    assert rule_of_4(9) == D("0.36") and rule_of_2(9) == D("0.18")
    assert rule_of_4(15) == D("0.60") and rule_of_2(15) == D("0.30")
    assert rule_of_4(0) == 0


def test_the_rule_never_promises_more_than_100_percent():
    assert rule_of_4(30) == 1 and rule_of_2(47) == D("0.94")


def test_the_rule_of_4_is_close_to_the_exact_equity_for_a_flush_draw():
    exact = exact_equity_two_cards(9)  # 1 − 38·37 / (47·46) = 0.3497
    assert abs(exact - D("0.3497")) < D("0.0001")
    assert abs(rule_of_4(9) - exact) < D("0.02")
    assert exact_equity_one_card(9) == D(9) / 46


def test_worth_calling_compares_equity_with_the_price():
    assert worth_calling(100, 100, D("0.36"))
    assert not worth_calling(100, 100, D("0.30"))


@pytest.mark.parametrize(("bet", "pot", "field"), [(0, 100, "bet"), (-5, 100, "bet"), (10, 0, "pot")])
def test_a_zero_or_negative_bet_or_pot_is_a_field_error(bet, pot, field):
    with pytest.raises(FieldError) as error:
        pot_odds(bet, pot)
    assert error.value.field == field


@pytest.mark.parametrize("outs", [-1, 48, D("2.5")])
def test_outs_must_be_a_whole_number_from_0_to_47(outs):
    with pytest.raises(FieldError) as error:
        rule_of_4(outs)
    assert error.value.field == "outs"
