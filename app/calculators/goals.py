"""The bankroll goal planner: months to a target at a monthly profit, or the profit a deadline needs."""

from __future__ import annotations

from collections.abc import Mapping

from app.advice import goals
from app.advice.errors import FieldError
from app.calculators import charts
from app.calculators.forms import Reader
from app.calculators.player import Player, read_bankroll
from app.calculators.tools import Outcome

MODES = {"time": "Time to the goal", "profit": "Profit a month"}


def read(params: Mapping[str, str], player: Player) -> Outcome:
    """Parse the form and, when it is valid, plan the way to the goal."""
    reader = Reader(params)
    mode = reader.mode("mode", MODES, "time")
    bankroll = read_bankroll(reader, player)
    target = reader.amount("target", bankroll.currency, "10000", label="goal", allow_zero=False)
    if mode == "time":
        profit = reader.amount(
            "monthly_profit", bankroll.currency, "500", label="monthly profit", allow_zero=False
        )
        months = None
    else:
        profit = None
        months = reader.number("months", "number of months", "12", low=1, high=goals.MAX_MONTHS, whole=True)
    context = {
        "mode": mode,
        "modes": MODES,
        "bankroll": bankroll,
        "player": player,
        "fmt": player.fmt,
        "plan": None,
    }
    if not reader.ok or bankroll.amount is None or target is None or (profit is None and months is None):
        return Outcome(reader.form, context)
    try:
        if profit is not None:
            plan = goals.time_to_goal(bankroll.amount, target, profit)
        else:
            plan = goals.required_profit(bankroll.amount, target, months or 1)
    except FieldError as error:
        reader.field_error(error)
        return Outcome(reader.form, context)
    fmt = player.fmt
    context["plan"] = plan
    context["duration"] = duration(plan.whole_months)
    if not plan.already_there:
        context["chart"] = charts.goal_chart(
            [(point.month, point.bankroll) for point in plan.projection],
            plan.target,
            amount=lambda value: fmt.money(value, bankroll.currency),
        )
    return Outcome(reader.form, context, computed=True)


def duration(months: int) -> str:
    """'7 months', '1 year', '2 years 3 months'."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)
