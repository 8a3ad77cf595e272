"""The variance simulator: fan chart percentiles, share of broke paths, drawdowns."""

from decimal import Decimal

import pytest

from app.advice.errors import FieldError
from app.advice.risk import risk_of_ruin
from app.advice.simulate import PERCENTILES, simulate

D = Decimal


@pytest.fixture(scope="module")
def result():
    return simulate(5, 100, 2000, 100_000, paths=1000, seed=7)


def test_the_same_seed_gives_the_same_result():
    assert simulate(5, 100, 2000, 20_000, paths=200, seed=3) == simulate(
        5, 100, 2000, 20_000, paths=200, seed=3
    )
    assert simulate(5, 100, 2000, 20_000, paths=200, seed=3) != simulate(
        5, 100, 2000, 20_000, paths=200, seed=4
    )


def test_the_fan_chart_has_at_most_100_points_from_hand_0_to_the_last_hand(result):
    assert 2 <= len(result.hands) <= 100
    assert result.hands[0] == 0 and result.hands[-1] == 100_000
    assert list(result.hands) == sorted(set(result.hands))
    assert set(result.percentiles) == set(PERCENTILES)
    assert all(len(series) == len(result.hands) for series in result.percentiles.values())


def test_every_path_starts_at_the_bankroll_and_the_percentiles_are_ordered(result):
    assert all(result.percentiles[p][0] == D(2000) for p in PERCENTILES)
    for i in range(len(result.hands)):
        values = [result.percentiles[p][i] for p in PERCENTILES]
        assert values == sorted(values)
        assert all(isinstance(v, Decimal) and v.is_finite() and v >= 0 for v in values)


def test_the_median_ends_near_the_expected_profit(result):
    # 1,000 blocks of 100 hands at 5 bb each: +5,000 bb; ruined paths pull the median down a little.
    assert D(6000) < result.percentiles[50][-1] < D(7500)


def test_the_broke_share_is_close_to_but_below_the_theoretical_risk_of_ruin(result):
    theory = risk_of_ruin(5, 100, 2000)  # 13.5 %, for endless play checked every hand
    assert D("0.07") < result.broke_share <= theory


def test_the_worst_drawdown_is_at_least_the_median_and_at_least_the_bankroll_when_someone_went_broke(result):
    assert result.worst_drawdown >= result.median_drawdown > 0
    assert result.broke_share > 0 and result.worst_drawdown >= D(2000)


def test_without_variance_every_path_is_the_expected_line():
    flat = simulate(5, 0, 1000, 1_000, paths=10)
    assert flat.percentiles[5] == flat.percentiles[95]
    assert flat.percentiles[50][-1] == D(1050) and flat.broke_share == 0 and flat.worst_drawdown == 0


def test_a_losing_player_goes_broke_and_stays_at_zero():
    losing = simulate(-50, 10, 100, 1_000, paths=50)
    assert losing.broke_share == 1
    assert losing.percentiles[95][-1] == 0


def test_a_last_partial_block_of_hands_counts_its_share_of_the_win_rate():
    flat = simulate(10, 0, 1000, 150, paths=1)
    assert flat.hands == (0, 100, 150) and flat.percentiles[50] == (D(1000), D(1010), D(1015))


def test_a_short_run_samples_every_block():
    assert simulate(5, 100, 1000, 500, paths=5).hands == (0, 100, 200, 300, 400, 500)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"hands": 50}, "hands"),
        ({"hands": 100_000_000}, "hands"),
        ({"paths": 0}, "paths"),
        ({"paths": 1_000_000}, "paths"),
        ({"paths": 10_000, "hands": 10_000_000}, "hands"),
        ({"bankroll": 0}, "bankroll"),
        ({"std_dev": -1}, "std_dev"),
        ({"points": 1}, "points"),
        ({"seed": -1}, "seed"),
    ],
)
def test_absurd_or_meaningless_inputs_are_field_errors(kwargs, field):
    args = {"win_rate": 5, "std_dev": 100, "bankroll": 1000, "hands": 1000, "paths": 10} | kwargs
    with pytest.raises(FieldError) as error:
        simulate(args.pop("win_rate"), args.pop("std_dev"), args.pop("bankroll"), args.pop("hands"), **args)
    assert error.value.field == field
