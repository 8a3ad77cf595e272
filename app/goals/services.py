"""Goal progress and automatic completion.

`evaluate(session, user, request)` is what other features call after a balance change (and what the
goals page and the dashboard panel call when rendered): it measures every open goal, completes those
at 100 % and, given the request, flashes the celebration once (the completion is stored, so a goal is
celebrated once). When the request recorded a bankroll action (app.achievements.days), it also
announces the achievements that action unlocked (a toast each, once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from app import money
from app.achievements import days as action_days
from app.achievements import services as achievements
from app.achievements import streaks
from app.bankroll import services as bankroll
from app.goals import queries
from app.models import Goal, User, utcnow
from app.templating import flash

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass
class Progress:
    goal: Goal
    current: Decimal  # in the goal's currency (days for a volume goal)
    status: str  # active | missed | completed | archived
    days_left: int

    @property
    def percent(self) -> int:
        if self.goal.completed_at is not None:
            return 100
        if self.goal.target <= 0 or self.current <= 0:
            return 0
        return int(min(HUNDRED, self.current * HUNDRED / self.goal.target))

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.goal.target - self.current)

    @property
    def per_week(self) -> Decimal | None:
        """What each remaining week needs (None once done or past the date)."""
        if self.status != "active" or self.remaining <= 0:
            return None
        weeks = Decimal(max(self.days_left, 1)) / 7
        needed = self.remaining / max(weeks, Decimal(1))
        if self.goal.kind == "volume":
            return min(needed.to_integral_value(ROUND_CEILING), Decimal(7))
        return needed

    @property
    def is_money(self) -> bool:
        return self.goal.kind != "volume"


def status_of(goal: Goal, today: date) -> str:
    if goal.archived_at is not None:
        return "archived"
    if goal.completed_at is not None:
        return "completed"
    return "missed" if today > goal.target_date else "active"


def measure(goals: list[Goal], summary: bankroll.Summary, days: set[date], today: date) -> list[Progress]:
    out = []
    for goal in goals:
        if goal.kind == "volume":
            current = Decimal(sum(1 for d in days if goal.start_date <= d <= goal.target_date))
        else:
            figure = summary.bankroll if goal.kind == "bankroll" else summary.profit
            current = money.convert(figure, summary.currency, goal.currency, summary.rates)
        days_left = max(0, (goal.target_date - today).days)
        out.append(Progress(goal, current, status_of(goal, today), days_left))
    return out


async def evaluate(session: AsyncSession, user: User, request: Request | None = None) -> list[Progress]:
    """Every goal of the player with its progress; open goals at 100 % are completed (and celebrated)."""
    assert user.id is not None
    goals = await queries.goals_of(session, user.id)
    today = streaks.today(user)
    if not goals:
        await _announce_unlocks(session, user, request, None)
        return []
    summary = await bankroll.summary(session, user)
    days = await streaks.activity_days(session, user) if any(g.kind == "volume" for g in goals) else set()
    progress = measure(goals, summary, days, today)
    reached = [p for p in progress if p.status == "active" and p.current >= p.goal.target]
    if reached:
        now = utcnow()
        done = await queries.complete(session, [p.goal.id for p in reached if p.goal.id], "auto", now)
        for p in reached:
            p.status = "completed"
            p.goal.completed_at, p.goal.completed_by = now, "auto"
            if request is not None and p.goal.id in done:
                flash(request, f"🎉 Goal reached: {p.goal.name}! Congratulations.", "success")
    await _announce_unlocks(session, user, request, summary)
    return progress


async def _announce_unlocks(
    session: AsyncSession, user: User, request: Request | None, summary: bankroll.Summary | None
) -> None:
    """After a bankroll action in this request: its achievements (a plain page view costs nothing)."""
    if request is not None and action_days.acted(session):
        await achievements.after_action(session, user, request, summary)


async def dashboard_context(
    session: AsyncSession, user: User, request: Request | None = None
) -> dict[str, Any]:
    """What templates/goals/_dashboard_panel.html needs: the active goals (and missed ones, to extend)."""
    progress = await evaluate(session, user, request)
    return {"goal_panel": [p for p in progress if p.status in ("active", "missed")]}
