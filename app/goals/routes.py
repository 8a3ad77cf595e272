"""Goals: the list with progress and the add form, edit (also extends a missed goal), complete by
hand, archive and restore. htmx regions of goals/list.html: #goal-form and #goal-list."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx
from app.achievements import services as achievements
from app.achievements import streaks
from app.auth.forms import Form
from app.goals import forms, queries, services
from app.models import Goal, User, utcnow
from app.security import csrf
from app.templating import flash, render
from app.web import db, require_user

LIST = "goals/list.html"
EDIT = "goals/edit.html"
SECTIONS = ("active", "missed", "completed", "archived")


async def _context(session: AsyncSession, user: User, request: Request, form: Form | None) -> dict[str, Any]:
    progress = await services.evaluate(session, user, request)
    await achievements.sync(session, user, request)
    grouped: dict[str, list[services.Progress]] = {name: [] for name in SECTIONS}
    for item in progress:
        grouped[item.status].append(item)
    return {
        "form": form or forms.blank(streaks.today(user)),
        "kinds": list(forms.KINDS.items()),
        "grouped": grouped,
        "currency": user.display_currency,
    }


async def _goal(session: AsyncSession, user: User, request: Request) -> Goal:
    assert user.id is not None
    goal = await queries.get_goal(session, user.id, request.path_params["goal_id"])
    if goal is None:
        raise HTTPException(404)
    return goal


async def list_goals(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        context = await _context(session, user, request, None)
    return render(request, LIST, context, block=htmx.block_for(request, "goal_list"))


async def create_goal(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        assert user.id is not None
        form, parsed = forms.parse(data, streaks.today(user), user.display_currency)
        if parsed is None:
            context = await _context(session, user, request, form)
            block = "goal_form" if htmx.is_htmx(request) else None
            return render(request, LIST, context, block=block, status_code=422)
        goal = Goal(
            user_id=user.id,
            name=parsed.name,
            kind=parsed.kind,
            target=parsed.target,
            currency=user.display_currency,
            start_date=streaks.today(user),
            target_date=parsed.target_date,
            request_key=parsed.request_key,
        )
        if await queries.create_goal(session, goal):
            flash(request, f"Goal “{parsed.name}” added.", "success")
        if not htmx.is_htmx(request):
            return RedirectResponse(request.app.url_path_for("list_goals"), status_code=303)
        context = await _context(session, user, request, None)
    return render(request, LIST, context, block="goal_form", oob=["goal_list"])


async def edit_goal(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        goal = await _goal(session, user, request)
    context = {"goal": goal, "form": forms.from_goal(goal), "kinds": list(forms.KINDS.items())}
    return render(request, EDIT, context)


async def update_goal(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        goal = await _goal(session, user, request)
        form, parsed = forms.parse(data, streaks.today(user), goal.currency, editing=True)
        if parsed is None:
            context = {"goal": goal, "form": form, "kinds": list(forms.KINDS.items())}
            block = "goal_edit_form" if htmx.is_htmx(request) else None
            return render(request, EDIT, context, block=block, status_code=422)
        goal.name, goal.kind, goal.target, goal.target_date = (
            parsed.name,
            parsed.kind,
            parsed.target,
            parsed.target_date,
        )
        await session.commit()
    flash(request, f"Goal “{parsed.name}” saved.", "success")
    if htmx.is_htmx(request):
        return htmx.redirect(str(request.app.url_path_for("list_goals")))
    return RedirectResponse(request.app.url_path_for("list_goals"), status_code=303)


async def _change(request: Request, action: str) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        goal = await _goal(session, user, request)
        now = utcnow()
        if action == "complete" and goal.completed_at is None:
            goal.completed_at, goal.completed_by = now, "hand"
            flash(request, f"🎉 Goal “{goal.name}” completed. Well done!", "success")
        elif action == "archive" and goal.archived_at is None:
            goal.archived_at = now
            flash(request, f"Goal “{goal.name}” archived.")
        elif action == "restore" and goal.archived_at is not None:
            goal.archived_at = None
            flash(request, f"Goal “{goal.name}” restored.")
        await session.commit()
        if not htmx.is_htmx(request):
            return RedirectResponse(request.app.url_path_for("list_goals"), status_code=303)
        context = await _context(session, user, request, None)
    return render(request, LIST, context, block="goal_list")


async def complete_goal(request: Request) -> Response:
    return await _change(request, "complete")


async def archive_goal(request: Request) -> Response:
    return await _change(request, "archive")


async def restore_goal(request: Request) -> Response:
    return await _change(request, "restore")


routes = [
    Route("/goals", list_goals, methods=["GET"]),
    Route("/goals", create_goal, methods=["POST"]),
    Route("/goals/{goal_id:int}/edit", edit_goal, methods=["GET"]),
    Route("/goals/{goal_id:int}", update_goal, methods=["POST"]),
    Route("/goals/{goal_id:int}/complete", complete_goal, methods=["POST"]),
    Route("/goals/{goal_id:int}/archive", archive_goal, methods=["POST"]),
    Route("/goals/{goal_id:int}/restore", restore_goal, methods=["POST"]),
]
