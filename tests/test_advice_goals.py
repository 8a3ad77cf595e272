"""The bankroll goal planner."""

from decimal import Decimal

import pytest

from app.advice.errors import FieldError
from app.advice.goals import MAX_MONTHS, required_profit, time_to_goal

D = Decimal


def test_time_to_goal_is_the_gap_over_the_monthly_profit_rounded_up_to_whole_months():
    plan = time_to_goal(D(2000), D(5000), D(400))
    assert plan.months == D("7.5") and plan.whole_months == 8 and not plan.already_there
    assert [p.month for p in plan.projection] == list(range(9))
    assert plan.projection[0].bankroll == D(2000) and plan.projection[-1].bankroll == D(5200)


def test_required_profit_is_the_gap_over_the_months():
    plan = required_profit(D(2000), D(5000), 6)
    assert plan.monthly_profit == D(500)
    assert plan.projection[-1].bankroll == D(5000) and len(plan.projection) == 7


def test_a_gap_that_does_not_divide_evenly_still_ends_exactly_on_the_target():
    plan = required_profit(D(0), D(1000), 3)
    assert plan.projection[-1].bankroll == D(1000)
    assert abs(plan.monthly_profit * 3 - 1000) < D("1e-20")


def test_a_bankroll_at_or_above_the_target_is_already_there():
    for plan in (time_to_goal(D(5000), D(5000), D(100)), required_profit(D(6000), D(5000), 12)):
        assert plan.already_there and plan.months == 0 and plan.whole_months == 0
        assert len(plan.projection) == 1


def test_already_there_needs_no_positive_profit():
    assert time_to_goal(D(6000), D(5000), D(-100)).already_there


def test_a_zero_or_negative_monthly_profit_never_reaches_the_goal():
    for profit in (0, -100):
        with pytest.raises(FieldError) as error:
            time_to_goal(D(1000), D(5000), profit)
        assert error.value.field == "monthly_profit"


def test_a_very_slow_plan_keeps_its_answer_but_truncates_the_projection():
    plan = time_to_goal(D(0), D(1_000_000), D(100))
    assert plan.whole_months == 10_000 and plan.truncated
    assert len(plan.projection) == MAX_MONTHS + 1


@pytest.mark.parametrize(("months", "field"), [(0, "months"), (601, "months"), (D("1.5"), "months")])
def test_the_months_must_be_a_whole_number_up_to_fifty_years(months, field):
    with pytest.raises(FieldError) as error:
        required_profit(D(0), D(1000), months)
    assert error.value.field == field


def test_a_zero_target_or_negative_bankroll_is_a_field_error():
    with pytest.raises(FieldError) as error:
        time_to_goal(D(0), D(0), D(10))
    assert error.value.field == "target"
    with pytest.raises(FieldError) as error:
        time_to_goal(D(-1), D(10), D(10))
    assert error.value.field == "bankroll"
