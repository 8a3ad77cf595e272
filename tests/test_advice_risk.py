"""Risk of ruin, the bankroll for a target risk, σ presets, per-hour conversion and win-rate intervals."""

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import pytest

from app.advice.errors import FieldError
from app.advice.risk import (
    bankroll_for_risk,
    per_100,
    per_hour,
    risk_of_ruin,
    sigma_preset,
    win_rate_interval,
)

D = Decimal


def percent(value):
    return (value * 100).quantize(D("0.01"), ROUND_HALF_UP)


@pytest.mark.parametrize(("bankroll", "expected"), [(2000, D("13.53")), (3000, D("4.98")), (5000, D("0.67"))])
def test_risk_of_ruin_at_5_bb_per_100_and_sigma_100_matches_the_reference_values(bankroll, expected):
    assert percent(risk_of_ruin(5, 100, bankroll)) == expected


def test_risk_of_ruin_at_10_an_hour_sigma_150_and_4000_is_2_86_percent():
    assert percent(risk_of_ruin(D(10), D(150), D(4000))) == D("2.86")


def test_risk_of_ruin_is_exp_of_minus_two_mu_b_over_sigma_squared():
    assert risk_of_ruin(5, 100, 2000) == D(-2).exp()


@pytest.mark.parametrize("win_rate", [0, -1, D("-0.01")])
def test_a_break_even_or_losing_player_has_a_100_percent_risk_of_ruin(win_rate):
    assert risk_of_ruin(win_rate, 100, 1_000_000) == 1


def test_a_zero_bankroll_is_certain_ruin_and_a_huge_one_gives_zero_not_nan():
    assert risk_of_ruin(5, 100, 0) == 1
    result = risk_of_ruin(D("1e10"), D("1e-9"), D("1e10"))
    assert result == 0 and result.is_finite()


def test_5_percent_risk_at_5_bb_per_100_and_sigma_100_needs_2996_bb():
    bankroll = bankroll_for_risk(5, 100, D("0.05"))
    assert bankroll is not None
    assert bankroll.to_integral_value(ROUND_CEILING) == 2996
    assert abs(bankroll - D("2995.732")) < D("0.001")


def test_the_bankroll_for_a_risk_gives_back_that_risk():
    bankroll = bankroll_for_risk(D("7.5"), 90, D("0.01"))
    assert bankroll is not None
    assert abs(risk_of_ruin(D("7.5"), 90, bankroll) - D("0.01")) < D("1e-20")


def test_no_bankroll_is_enough_for_a_losing_player():
    assert bankroll_for_risk(0, 100, D("0.05")) is None
    assert bankroll_for_risk(-3, 100, D("0.05")) is None


@pytest.mark.parametrize("risk", [0, 1, D("1.5"), D("-0.1")])
def test_the_target_risk_must_be_strictly_between_0_and_100_percent(risk):
    with pytest.raises(FieldError) as error:
        bankroll_for_risk(5, 100, risk)
    assert error.value.field == "target_risk"


def test_a_zero_or_negative_standard_deviation_is_a_field_error():
    for sigma in (0, -10):
        with pytest.raises(FieldError) as error:
            risk_of_ruin(5, sigma, 1000)
        assert error.value.field == "std_dev"


def test_a_negative_bankroll_or_a_float_is_a_field_error():
    with pytest.raises(FieldError) as error:
        risk_of_ruin(5, 100, -1)
    assert error.value.field == "bankroll"
    with pytest.raises(FieldError) as error:
        risk_of_ruin(5.0, 100, 1000)
    assert error.value.field == "win_rate"


def test_the_sigma_presets_are_100_70_and_140_bb_per_100():
    assert sigma_preset("nlh_6max").bb_per_100 == 100
    assert sigma_preset("nlh_full_ring").bb_per_100 == 70
    assert sigma_preset("plo_6max").bb_per_100 == 140
    with pytest.raises(FieldError):
        sigma_preset("razz")


def test_per_hour_scales_the_win_rate_with_hands_and_sigma_with_the_square_root():
    rates = per_hour(5, 100, 400)
    assert (rates.win_rate, rates.std_dev) == (D(20), D(200))
    rates = per_hour(D("2.5"), 70, 30)
    assert rates.win_rate == D("0.75")
    assert abs(rates.std_dev - D(70) * D("0.3").sqrt()) < D("1e-20")


def test_per_100_is_the_inverse_of_per_hour():
    back = per_100(*vars(per_hour(D("3.7"), 85, 250)).values(), 250)
    assert abs(back.win_rate - D("3.7")) < D("1e-20") and abs(back.std_dev - 85) < D("1e-20")


def test_hands_per_hour_must_be_positive_and_not_absurd():
    for hands in (0, 10_000):
        with pytest.raises(FieldError) as error:
            per_hour(5, 100, hands)
        assert error.value.field == "hands_per_hour"


def test_the_95_percent_interval_is_plus_minus_1_96_sigma_over_root_n_over_100():
    interval = win_rate_interval(5, 100, 10_000)  # 1.96 × 100 / √100 = 19.6
    assert (interval.low, interval.high, interval.margin) == (D("-14.6"), D("24.6"), D("19.6"))
    assert win_rate_interval(5, 100, 1_000_000).margin == D("1.96")


def test_the_interval_needs_a_positive_whole_number_of_hands():
    for hands in (0, D("10.5")):
        with pytest.raises(FieldError) as error:
            win_rate_interval(5, 100, hands)
        assert error.value.field == "hands"
