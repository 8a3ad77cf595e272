"""The goal form: parse and validate, keeping what was typed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from starlette.datastructures import FormData

from app import money
from app.auth.forms import Form
from app.models import Goal

KINDS = {
    "bankroll": "Bankroll target",
    "profit": "Profit target",
    "volume": "Update my balances on N days",
}
FIELDS = ("name", "kind", "target", "target_date", "request_key")


@dataclass
class GoalInput:
    name: str
    kind: str
    target: Decimal
    target_date: date
    request_key: str | None


def _text(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def end_of_month(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def blank(today: date) -> Form:
    return Form(
        {
            "name": "",
            "kind": "bankroll",
            "target": "",
            "target_date": end_of_month(today).isoformat(),
            "request_key": str(uuid.uuid4()),
        }
    )


def from_goal(goal: Goal) -> Form:
    target = f"{goal.target.normalize():f}" if goal.kind != "volume" else str(int(goal.target))
    return Form(
        {
            "name": goal.name,
            "kind": goal.kind,
            "target": target,
            "target_date": goal.target_date.isoformat(),
            "request_key": "",
        }
    )


def parse(
    data: FormData, today: date, currency: str, *, editing: bool = False
) -> tuple[Form, GoalInput | None]:
    values = {name: _text(data, name) for name in FIELDS}
    form = Form(values)
    if not values["name"]:
        form.errors["name"] = "Give the goal a name."
    elif len(values["name"]) > 100:
        form.errors["name"] = "Keep the name under 100 characters."
    if values["kind"] not in KINDS:
        form.errors["kind"] = "Choose a type from the list."
    target: Decimal | None = None
    if values["kind"] == "volume":
        if not values["target"].isdigit() or not 1 <= int(values["target"]) <= 366:
            form.errors["target"] = "Enter a whole number of days, from 1 to 366."
        else:
            target = Decimal(int(values["target"]))
    else:
        try:
            target = money.parse_amount(values["target"], currency, allow_zero=False)
        except money.MoneyError as problem:
            form.errors["target"] = str(problem)
    target_date: date | None = None
    try:
        target_date = date.fromisoformat(values["target_date"])
    except ValueError:
        form.errors["target_date"] = "Enter a date, like 2026-12-31."
    if target_date is not None and not editing and target_date < today:
        form.errors["target_date"] = "Choose today or a later date."
    if target_date is not None and target_date > today + timedelta(days=3660):
        form.errors["target_date"] = "Choose a date within ten years."
    if not form.ok or target is None or target_date is None:
        return form, None
    return form, GoalInput(values["name"], values["kind"], target, target_date, values["request_key"] or None)
