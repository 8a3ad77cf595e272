"""The dashboard: the player's figures, the bankroll chart, and quick balance/deposit/withdrawal forms.

htmx regions of dashboard/show.html: #dashboard-figures (the cards), #dashboard-chart (range and
bankroll/profit links swap only this), and the three quick forms #quick-balance-form,
#quick-deposit-form, #quick-withdrawal-form (a successful one brings the figures and chart along).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx, money, web
from app.auth.forms import Form
from app.bankroll import daily, services
from app.bankroll import queries as bankroll_queries
from app.dashboard import chart, forms
from app.flows import forms as flow_forms
from app.flows import queries as flow_queries
from app.goals import services as goals
from app.models import Holding, User
from app.play import services as play
from app.security import csrf
from app.templating import flash, render
from app.web import db, require_user

TEMPLATE = "dashboard/show.html"
FIGURES = ["dashboard_figures", "goal_panel", "dashboard_chart"]
RANGE_NAMES = {"30d": "30 days", "90d": "90 days", "1y": "1 year", "all": "All time"}


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _sample_days(view: chart.View, user: User) -> Callable[[date | None], list[date]]:
    tz = _zone(user)
    return lambda first: chart.sample_days(view.range, datetime.now(tz).date(), first)


def _chart_context(view: chart.View, user: User, points: list[chart.Point]) -> dict[str, Any]:
    svg = chart.render_svg(points, show=view.show, currency=user.display_currency, locale=user.locale)
    return {
        "view": view,
        "chart_svg": svg,
        "has_points": bool(points),
        "ranges": {key: (label, RANGE_NAMES[key]) for key, (label, _days) in chart.RANGES.items()},
        "shows": chart.SHOWS,
    }


async def _chart(request: Request, session: AsyncSession, user: User, view: chart.View) -> dict[str, Any]:
    """The chart block alone (a range or view switch): the history walk, from the cache when it can."""
    found = await services.walked(
        session, user, _sample_days(view, user), cache=web.cache(request), view=f"range:{view.range}"
    )
    if found.stored:
        await session.commit()  # history valued for the first time: kept for the next view
    return _chart_context(view, user, found.points)


def _updated(summary: services.Summary, user: User) -> dict[str, str | None]:
    """The day of each group's latest update, for the cards."""
    tz = _zone(user)
    return {
        name: format_date(group.last_update.astimezone(tz), "medium", locale=user.locale)
        if group.last_update is not None
        else None
        for name, group in (("sites", summary.sites), ("assets", summary.assets))
    }


async def _context(
    session: AsyncSession,
    user: User,
    view: chart.View,
    *,
    request: Request | None = None,
    open_form: str | None = None,
    **forms_: Form,
) -> dict[str, Any]:
    """Everything the page shows: services.overview's six queries, whatever the history."""
    cache = web.cache(request) if request is not None else None
    pick, token = _sample_days(view, user), f"range:{view.range}"
    summary, parts, found, points = await services.overview(session, user, pick, cache=cache, view=token)
    if summary.has_holdings and found.first is None:
        await daily.refresh(session, user)  # no snapshots yet: data from before they existed
        await session.commit()
        summary, parts, found, points = await services.overview(session, user, pick, cache=cache, view=token)
    if found.stored:
        await session.commit()  # history valued for the first time: kept for the next view
    items = summary.sites.items + summary.assets.items
    live = [item.holding for item in items if item.holding.archived_at is None]
    return {
        "summary": summary,
        "parts": parts,
        "currency": user.display_currency,
        "updated": _updated(summary, user),
        "sites": [h for h in live if h.kind == "site"],
        "assets": [h for h in live if h.kind == "asset"],
        "balance_form": forms_.get("balance_form") or forms.blank_balance(),
        "deposit_form": forms_.get("deposit_form") or flow_forms.blank(user),
        "withdrawal_form": forms_.get("withdrawal_form") or flow_forms.blank(user),
        "open_form": open_form,
        **_chart_context(view, user, points),
        # sessions vs site balances, at the newest rates the overview already read
        "unexplained": await play.reconciliation(session, user, history=found.history),
        **await goals.dashboard_context(session, user, request),  # a goal reached now is celebrated
    }


def _posted_view(request: Request, data: FormData) -> chart.View:
    """The chart view to redraw after a quick action: the page's URL for htmx, else hidden fields."""
    current = urlsplit(request.headers.get("hx-current-url") or "")
    if htmx.is_htmx(request) and current.path == request.app.url_path_for("show_dashboard"):
        return chart.View.parse(dict(parse_qsl(current.query)))
    return chart.View.parse({key: str(data.get(key) or "") for key in ("range", "show")})


async def _done(
    request: Request, session: AsyncSession, user: User, view: chart.View, block: str
) -> Response:
    """After a quick action: PRG for a plain form; for htmx a fresh form plus the figures and chart."""
    if not htmx.is_htmx(request):
        url = request.app.url_path_for("show_dashboard")
        return RedirectResponse(url if view == chart.View() else url + view.query(), status_code=303)
    context = await _context(session, user, view, request=request)
    return render(request, TEMPLATE, context, block=block, oob=FIGURES)


def _invalid(request: Request, context: dict[str, Any], block: str) -> Response:
    return render(request, TEMPLATE, context, block=htmx.block_for(request, block), status_code=422)


async def _chosen_holding(session: AsyncSession, user: User, data: FormData) -> Holding | None:
    """The site or asset picked in the form, None when none was; 404 for an id that isn't the player's."""
    holding_id = forms.holding_id(data)
    if holding_id is None:
        return None
    holding = await bankroll_queries.get_holding(session, user.id, holding_id)  # type: ignore[arg-type]
    if holding is None:
        raise HTTPException(404)
    return holding


async def show_dashboard(request: Request) -> Response:
    view = chart.View.parse(request.query_params)
    async with db(request) as session:
        user = await require_user(request, session)
        if block := htmx.block_for(request, "dashboard_chart"):
            return render(request, TEMPLATE, await _chart(request, session, user, view), block=block)
        context = await _context(session, user, view, request=request)
    return render(request, TEMPLATE, context)


async def quick_update_balance(request: Request) -> Response:
    data = await csrf.checked_form(request)
    view = _posted_view(request, data)
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _chosen_holding(session, user, data)
        form = forms.quick_balance(data, holding, user.display_currency, user.timezone)
        if holding is None or not form.ok:
            context = await _context(
                session, user, view, request=request, open_form="balance", balance_form=form
            )
            return _invalid(request, context, "quick_balance_form")
        entry = await bankroll_queries.add_balance(
            session,
            holding,
            form.clean["balance"],
            recorded_at=form.clean["recorded_at"],
            note=form.clean["note"],
            request_key=form.clean["request_key"],
        )
        if entry is not None:
            await daily.after_entries(session, user, entry.recorded_at)
        await session.commit()
        amount = money.format_money(form.clean["balance"], holding.currency, user.locale)
        message = f"{holding.name}: balance saved, {amount}." if entry else "That balance was already saved."
        flash(request, message, "success")
        return await _done(request, session, user, view, "quick_balance_form")


async def _quick_flow(request: Request, kind: str) -> Response:
    """A deposit or withdrawal from the dashboard, through the deposits feature's own parser."""
    data = await csrf.checked_form(request)
    view = _posted_view(request, data)
    name = f"{kind}_form"
    async with db(request) as session:
        user = await require_user(request, session)
        form, values = flow_forms.parse_flow(data, user, [], kind)
        if values is None:
            context = await _context(session, user, view, request=request, open_form=kind, **{name: form})
            return _invalid(request, context, f"quick_{kind}_form")
        created = await flow_queries.create_flow(session, user, values)
        amount = money.format_money(values.amount, values.currency, user.locale)
        message = f"{kind.capitalize()} of {amount} recorded." if created else "That was already recorded."
        flash(request, message, "success")
        return await _done(request, session, user, view, f"quick_{kind}_form")


async def quick_add_deposit(request: Request) -> Response:
    return await _quick_flow(request, "deposit")


async def quick_add_withdrawal(request: Request) -> Response:
    return await _quick_flow(request, "withdrawal")


routes = [
    Route("/dashboard", show_dashboard, methods=["GET"]),
    Route("/dashboard/balance", quick_update_balance, methods=["POST"]),
    Route("/dashboard/deposit", quick_add_deposit, methods=["POST"]),
    Route("/dashboard/withdrawal", quick_add_withdrawal, methods=["POST"]),
]
