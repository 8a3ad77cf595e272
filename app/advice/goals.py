"""Bankroll goal planner: time to a target at a monthly profit, or the monthly profit for a deadline."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from app.advice import validate
from app.advice.errors import FieldError

MAX_MONTHS = 600  # fifty years: the longest deadline and the longest projection series


@dataclass(frozen=True)
class GoalPoint:
    """The projected bankroll after `month` months."""

    month: int
    bankroll: Decimal


@dataclass(frozen=True)
class GoalPlan:
    """A plan to reach `target`; `already_there` when the bankroll is already at or above it."""

    bankroll: Decimal
    target: Decimal
    monthly_profit: Decimal  # given, or the profit needed (0 when already there)
    months: Decimal  # exact months to the goal (0 when already there)
    whole_months: int  # months rounded up: the month the goal is reached
    already_there: bool
    projection: tuple[GoalPoint, ...]  # month 0 to whole_months (at most MAX_MONTHS)
    truncated: bool  # the projection stops at MAX_MONTHS before the goal


def _inputs(bankroll: Decimal | int, target: Decimal | int) -> tuple[Decimal, Decimal]:
    """The bankroll (zero or more) and the target (more than zero)."""
    return validate.non_negative(bankroll, "bankroll"), validate.positive(target, "target")


def _there(start: Decimal, target: Decimal) -> GoalPlan:
    """The plan when the goal is already reached."""
    return GoalPlan(start, target, Decimal(0), Decimal(0), 0, True, (GoalPoint(0, start),), False)


def time_to_goal(bankroll: Decimal | int, target: Decimal | int, monthly_profit: Decimal | int) -> GoalPlan:
    """How long reaching `target` takes at `monthly_profit` a month."""
    start, goal = _inputs(bankroll, target)
    profit = validate.number(monthly_profit, "monthly_profit", label="monthly profit")
    if start >= goal:
        return _there(start, goal)
    if profit <= 0:
        raise FieldError("monthly_profit", "Enter a monthly profit above zero to reach the goal.")
    months = (goal - start) / profit
    whole = int(months.to_integral_value(ROUND_CEILING))
    shown = min(whole, MAX_MONTHS)
    points = tuple(GoalPoint(m, start + profit * m) for m in range(shown + 1))
    return GoalPlan(start, goal, profit, months, whole, False, points, whole > MAX_MONTHS)


def required_profit(bankroll: Decimal | int, target: Decimal | int, months: Decimal | int) -> GoalPlan:
    """The monthly profit that reaches `target` in `months` months."""
    start, goal = _inputs(bankroll, target)
    count = validate.whole(months, "months", 1, MAX_MONTHS)
    if start >= goal:
        return _there(start, goal)
    gap = goal - start
    points = tuple(GoalPoint(m, start + gap * m / count) for m in range(count + 1))
    return GoalPlan(start, goal, gap / count, Decimal(count), count, False, points, False)
