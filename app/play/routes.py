"""Poker sessions: the live timer, the list with filters, add/edit/delete with undo, results, CSV export.

URLs live under /play ("sessions" means login sessions in this app). htmx regions: #play-timer,
#play-list (play/list.html), #play-form (play/form.html), #play-results (play/results.html).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date, format_time
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx, money
from app.auth.forms import Form
from app.bankroll import services as bankroll_services
from app.goals import services as goals
from app.models import PokerSession, User
from app.play import charts, csv_routes, forms, queries, reconcile, services, stats
from app.rates import queries as rate_queries
from app.security import csrf
from app.templating import flash, render
from app.web import db, require_user

LIST = "play/list.html"
FORM = "play/form.html"
RESULTS = "play/results.html"
RECONCILE = "play/reconcile.html"
LIST_LIMIT = 200
PAIRS = {"games": [(g, g) for g in forms.GAMES], "formats": [(f, f) for f in forms.FORMATS]}


def _uid(user: User) -> int:
    assert user.id is not None
    return user.id


def _when(moment: datetime, user: User) -> str:
    local = moment.astimezone(forms.zone(user))
    return f"{format_date(local, 'medium', user.locale)} {format_time(local, 'short', locale=user.locale)}"


def _describe(play: PokerSession, user: User) -> str:
    stakes = forms.stakes_text(play.small_blind, play.big_blind)
    what = f"{play.game} {stakes or play.format}"
    return f"{what}, {_when(play.started_at, user)}"


async def _own(
    session: AsyncSession, user: User, request: Request, deleted: bool | None = False
) -> PokerSession:
    play = await queries.get_play(session, _uid(user), request.path_params["play_id"], deleted=deleted)
    if play is None:
        raise HTTPException(404)
    return play


async def _filter_context(session: AsyncSession, user: User, flt: forms.Filter) -> dict[str, Any]:
    sites = await queries.sites(session, _uid(user))
    places = [(str(s.id), s.name) for s in sites] + [
        (v, v) for v in await queries.places(session, _uid(user))
    ]
    return {
        "filter": flt,
        "sites": sites,
        "places": places,
        "games": PAIRS["games"],
        "formats": PAIRS["formats"],
    }


def _timer_context(play: PokerSession | None, user: User) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "timer": play,
        "elapsed": services.elapsed(play, now) if play else "",
        "elapsed_seconds": forms.played_seconds(play, now) if play else 0,
        "timer_label": _describe(play, user) if play else "",
        "new_key": forms.new_request_key,
    }


async def list_play(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        flt = forms.parse_filter(request.query_params, user)
        page = forms.parse_page(request.query_params)
        offset = (page - 1) * LIST_LIMIT
        found = await queries.finished(session, _uid(user), flt, limit=LIST_LIMIT + 1, offset=offset)
        more, found = len(found) > LIST_LIMIT, found[:LIST_LIMIT]
        rows = [
            {"play": p, "site": name, "result": forms.result(p), "when": _when(p.started_at, user)}
            for p, name in found
        ]
        context = {
            **await _filter_context(session, user, flt),
            **_timer_context(await queries.running(session, _uid(user)), user),
            "rows": rows,
            "page": page,
            "more": more,
            "first_row": offset + 1,
            "stakes_text": forms.stakes_text,
        }
    block = htmx.block_for(request, "play_list")
    return render(request, LIST, context, block=block, oob=["play_filter"] if block else ())


async def _form_response(
    request: Request,
    session: AsyncSession,
    user: User,
    form: Form,
    play: PokerSession | None,
    status_code: int = 200,
) -> Response:
    sites = await queries.sites(session, _uid(user))
    cash = await queries.cash_assets(session, _uid(user))
    context = {
        "form": form,
        "play": play,
        "sites": sites,
        "cash_options": [(str(h.id), f"{h.name} ({h.currency})") for h in cash],
        "games": PAIRS["games"],
        "formats": PAIRS["formats"],
        "sites_options": [(str(s.id), f"{s.name} ({s.currency})") for s in sites],
        "currency_options": [(code, code) for code in sorted(money.CURRENCIES)],
        "action": str(
            request.app.url_path_for("update_play", play_id=str(play.id))
            if play
            else request.app.url_path_for("create_play")
        ),
    }
    return render(request, FORM, context, block=htmx.block_for(request, "play_form"), status_code=status_code)


async def _parse(session: AsyncSession, user: User, data: Any) -> tuple[Form, forms.PlayInput | None]:
    sites = await queries.sites(session, _uid(user))
    return forms.parse_play(data, user, sites, cash_assets=await queries.cash_assets(session, _uid(user)))


async def new_play(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        last = await queries.latest(session, _uid(user))
        return await _form_response(request, session, user, forms.blank(user, last), None)


def _done(request: Request, url: str) -> Response:
    return htmx.redirect(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


async def create_play(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form, values = await _parse(session, user, data)
        if values is None:
            return await _form_response(request, session, user, form, None, 422)
        if await queries.create_play(session, user, values) is not None:
            flash(request, "Session saved.", "success")
            await goals.evaluate(session, user, request)  # goals and achievements it brings, announced
    return _done(request, str(request.app.url_path_for("list_play")))


def _breakdowns(played: list[stats.Played], user: User) -> list[dict[str, Any]]:
    """The tables by game, stakes, place, weekday and session length, each with its bar chart."""
    found = []
    for key, title, measure in (
        ("game", "Game", "profit"),
        ("stakes", "Stakes", "profit"),
        ("place", "Site or venue", "profit"),
        ("weekday", "Weekday", "hourly"),
        ("length", "Session length", "hourly"),
    ):
        groups = stats.by_length(played) if key == "length" else stats.by(played, key)
        caption = f"{'Profit' if measure == 'profit' else 'Per hour'} by {title.lower()}"
        svg = charts.bars_svg(
            f"play-bars-{key}",
            caption,
            groups,
            (lambda g: g.profit) if measure == "profit" else (lambda g: g.hourly),
            user.display_currency,
            user.locale,
        )
        found.append({"title": title, "groups": groups, "chart": svg, "caption": caption})
    return found


async def show_play_results(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        flt = forms.parse_filter(request.query_params, user)
        rows = await queries.finished(session, _uid(user), flt)
        found = [p for p, _name in rows]
        names = {p.holding_id: name for p, name in rows if p.holding_id is not None and name}
        first = min((p.started_at.astimezone(forms.zone(user)).date() for p in found), default=None)
        history = await rate_queries.history(session, {p.currency for p in found}, first)
        played = services.to_played(found, user, history, names)
        results = stats.summarise(played)
        bankroll = (await bankroll_services.summary(session, user)).sites.total
        context = {
            **await _filter_context(session, user, flt),
            "results": results,
            "advice": services.advice(results, bankroll),
            "hands_advice": services.hands_advice(results, played, bankroll),
            "chart": services.chart_svg(
                stats.cumulative(played),
                stats.cumulative(played, with_expenses=True),
                user.display_currency,
                user.locale,
            ),
            "breakdowns": _breakdowns(played, user),
            "currency": user.display_currency,
            "min_hands": stats.MIN_HANDS,
            "min_hours": stats.MIN_HOURS,
        }
    block = htmx.block_for(request, "play_results")
    return render(request, RESULTS, context, block=block, oob=["play_filter"] if block else ())


async def show_play_reconcile(request: Request) -> Response:
    """Sessions at the player's sites against those sites' balance changes, site by site."""
    period = request.query_params.get("period", "all")
    period = period if period in reconcile.PERIODS else "all"
    async with db(request) as session:
        user = await require_user(request, session)
        context = {
            "result": await services.reconciliation(session, user, period),
            "periods": reconcile.PERIODS,
            "currency": user.display_currency,
        }
    return render(request, RECONCILE, context)


async def _timer_response(request: Request, session: AsyncSession, user: User) -> Response:
    if not htmx.is_htmx(request):
        return RedirectResponse(str(request.app.url_path_for("list_play")), status_code=303)
    context = _timer_context(await queries.running(session, _uid(user)), user)
    response = render(request, LIST, context, block="play_timer")
    response.headers["HX-Retarget"] = "#play-timer"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


async def start_timer(request: Request) -> Response:
    data = await csrf.checked_form(request)
    key = data.get("request_key")
    async with db(request) as session:
        user = await require_user(request, session)
        key = key if isinstance(key, str) and 0 < len(key) <= forms.REQUEST_KEY_LIMIT else None
        if await queries.start_timer(session, user, key) is not None:
            await goals.evaluate(session, user, request)  # a session is a streak's action
        return await _timer_response(request, session, user)


async def pause_timer(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        await queries.pause(session, await _own(session, user, request))
        return await _timer_response(request, session, user)


async def resume_timer(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        await queries.resume(session, await _own(session, user, request))
        return await _timer_response(request, session, user)


async def stop_timer(request: Request) -> Response:
    """Stop the clock, then ask for the cash-out on the session's edit page."""
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        play = await _own(session, user, request)
        await queries.stop(session, play)
        flash(request, "Timer stopped. Enter the cash-out to save the session.", "success")
    return _done(request, str(request.app.url_path_for("edit_play", play_id=str(play.id))))


async def edit_play(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        play = await _own(session, user, request)
        return await _form_response(request, session, user, forms.from_play(play, user), play)


async def update_play(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        play = await _own(session, user, request)
        form, values = await _parse(session, user, data)
        if values is None:
            return await _form_response(request, session, user, form, play, 422)
        await queries.update_play(session, user, play, values)
        flash(request, "Session saved.", "success")
    return _done(request, str(request.app.url_path_for("list_play")))


async def _set_deleted(request: Request, deleted: bool) -> Response:
    """Delete or restore; repeating either (a double click) is harmless."""
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        play = await _own(session, user, request, deleted=None)
        await queries.set_deleted(session, play, deleted)
        what = _describe(play, user)
        if deleted:
            undo = str(request.app.url_path_for("restore_play", play_id=str(play.id)))
            flash(request, f"Deleted the session {what}", undo=undo)
        else:
            flash(request, f"Restored the session {what}", "success")
    return _done(request, str(request.app.url_path_for("list_play")))


async def delete_play(request: Request) -> Response:
    return await _set_deleted(request, True)


async def restore_play(request: Request) -> Response:
    return await _set_deleted(request, False)


routes = [
    Route("/play", list_play, methods=["GET"]),
    Route("/play", create_play, methods=["POST"]),
    Route("/play/new", new_play, methods=["GET"]),
    Route("/play/results", show_play_results, methods=["GET"]),
    Route("/play/reconcile", show_play_reconcile, methods=["GET"]),
    Route("/play/export.csv", csv_routes.export_play, methods=["GET"]),
    Route("/play/import", csv_routes.show_play_import, methods=["GET"]),
    Route("/play/import", csv_routes.import_play, methods=["POST"]),
    Route("/play/timer", start_timer, methods=["POST"]),
    Route("/play/{play_id:int}/pause", pause_timer, methods=["POST"]),
    Route("/play/{play_id:int}/resume", resume_timer, methods=["POST"]),
    Route("/play/{play_id:int}/stop", stop_timer, methods=["POST"]),
    Route("/play/{play_id:int}/edit", edit_play, methods=["GET"]),
    Route("/play/{play_id:int}/edit", update_play, methods=["POST"]),
    Route("/play/{play_id:int}/delete", delete_play, methods=["POST"]),
    Route("/play/{play_id:int}/restore", restore_play, methods=["POST"]),
]
