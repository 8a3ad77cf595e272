"""Deposits, withdrawals and bonuses: list with a date filter and totals, add, edit, delete with undo.

One set of handlers serves both kinds; the per-kind routes are thin wrappers so that each route keeps
its own name. htmx regions of flows/list.html: #flow-form, #flow-filter, #flow-totals, #flow-list
and the rows #flow-<id>.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from math import ceil
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from babel.dates import format_date, format_time
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx, money
from app.auth.forms import Form
from app.flows import forms, queries
from app.goals import services as goals
from app.models import Flow, Holding, User
from app.rates import queries as rate_queries
from app.security import csrf
from app.templating import flash, render
from app.web import db, require_user

PER_PAGE = 50
LIST = "flows/list.html"
EDIT = "flows/edit.html"


@dataclass(frozen=True)
class Label:
    one: str
    many: str
    list_route: str
    create_route: str


LABELS = {
    "deposit": Label("Deposit", "Deposits", "list_deposits", "create_deposit"),
    "withdrawal": Label("Withdrawal", "Withdrawals", "list_withdrawals", "create_withdrawal"),
    "bonus": Label("Bonus", "Bonuses", "list_bonuses", "create_bonus"),
}


@dataclass
class Row:
    """One list row: the flow, its holding's name, its value in the player's currency, its local time."""

    flow: Flow
    holding_name: str | None
    value: Decimal | None
    when: str


def _uid(user: User) -> int:
    assert user.id is not None
    return user.id


def _when(moment: datetime, user: User) -> str:
    local = moment.astimezone(forms.zone(user))
    return f"{format_date(local, 'medium', user.locale)} {format_time(local, 'short', locale=user.locale)}"


def _amount(flow: Flow, user: User) -> str:
    return money.format_money(flow.amount, flow.currency, user.locale)


def _list_path(request: Request, kind: str) -> str:
    return str(request.app.url_path_for(LABELS[kind].list_route))


def _filter_params(request: Request, kind: str) -> dict[str, str] | None:
    """The list's query: the request's own for the list page, else that of the list page htmx is on.

    None when the request did not come from this kind's list page (so there is no list to update).
    """
    if request.method == "GET" and request.url.path == _list_path(request, kind):
        return dict(request.query_params)
    current = urlsplit(request.headers.get("hx-current-url") or "")
    if current.path != _list_path(request, kind):
        return None
    return dict(parse_qsl(current.query))


def _base(request: Request, user: User, kind: str, holdings: list[Holding]) -> dict[str, Any]:
    """What every flows template needs, whichever block is rendered."""
    label = LABELS[kind]
    list_path = _list_path(request, kind)
    return {
        "kind": kind,
        "label": label,
        "list_url": list_path,
        "create_url": str(request.app.url_path_for(label.create_route)),
        "back_url": list_path,
        "sites": [h for h in holdings if h.kind == "site"],
        "assets": [h for h in holdings if h.kind != "site"],
        "edit_id": None,
        "edit_form": None,
    }


async def _listing(session: AsyncSession, user: User, kind: str, flt: forms.DateFilter) -> dict[str, Any]:
    """Totals over the whole filtered range and one page of rows: three queries, whatever the count
    (a fourth when a currency's rate moved over the range: its flows are then valued one by one).

    Every amount is converted at the rate of its own day (the player's day), the total too.
    """
    subtotals = await queries.subtotals(session, _uid(user), kind, flt.start, flt.end)
    count = sum(s.count for s in subtotals)
    pages = max(1, ceil(count / PER_PAGE))
    page = min(flt.page, pages)
    offset = (page - 1) * PER_PAGE
    found = await queries.flow_page(
        session, _uid(user), kind, flt.start, flt.end, limit=PER_PAGE, offset=offset
    )
    tz = forms.zone(user)
    to = user.display_currency
    first = min((s.first.astimezone(tz).date() for s in subtotals if s.first is not None), default=None)
    history = await rate_queries.history(session, {s.currency for s in subtotals} | {to}, first)

    def value(code: str, at: datetime, amount: Decimal) -> Decimal:
        return history.convert(amount, code, to, at.astimezone(tz).date())

    parts, moving = [], set()
    for sub in subtotals:
        assert sub.first is not None and sub.last is not None  # a group has at least one flow
        start, end = sub.first.astimezone(tz).date(), sub.last.astimezone(tz).date()
        if sub.currency != to and history.first_move(sub.currency, to, start, end) is not None:
            moving.add(sub.currency)
        else:  # one rate all along: the sum at that rate is the sum of the amounts at it
            parts.append(value(sub.currency, sub.first, sub.amount))
    if moving:
        found_amounts = await queries.amounts(session, _uid(user), kind, flt.start, flt.end, moving)
        parts.extend(value(*item) for item in found_amounts)
    rows = [
        Row(f, name, value(f.currency, f.occurred_at, f.amount), _when(f.occurred_at, user))
        for f, name in found
    ]
    return {
        "rows": rows,
        "count": count,
        "total": money.add(parts),
        "subtotals": subtotals,
        "converted": any(s.currency != to for s in subtotals),
        "rates_date": history.latest_day().isoformat(),
        "filter": flt,
        "page": page,
        "pages": pages,
    }


async def _list_context(
    request: Request, session: AsyncSession, user: User, kind: str, holdings: list[Holding], form: Form
) -> dict[str, Any]:
    flt = forms.parse_filter(_filter_params(request, kind) or {}, user)
    context = {
        **_base(request, user, kind, holdings),
        "form": form,
        **await _listing(session, user, kind, flt),
    }
    context["back_url"] = context["list_url"] + flt.query(context["page"])
    return context


def _refilled(params: Any, user: User, holdings: list[Holding]) -> Form:
    """The add form as typed, after the site select changed: the currency follows the chosen site."""
    holding = next((h for h in holdings if str(h.id) == params.get("holding_id")), None)
    form = forms.blank(user, holding)
    for name in ("occurred_at", "amount", "note", "new_balance", "request_key"):
        if params.get(name):
            form.values[name] = str(params[name])[:600]
    return form


def _updated_list(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    """The #flow-list region (plus totals and flash), whichever element made the request."""
    response = render(request, LIST, context, block="flow_list", oob=["flow_totals"], status_code=status_code)
    response.headers["HX-Retarget"] = "#flow-list"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def _flash_only(request: Request) -> Response:
    response = render(request, "_flash.html")
    response.headers["HX-Retarget"] = "#flash"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


async def _own_flow(
    session: AsyncSession, user: User, request: Request, deleted: bool | None = False
) -> Flow:
    flow = await queries.get_flow(session, _uid(user), request.path_params["flow_id"], deleted=deleted)
    if flow is None:
        raise HTTPException(404)
    return flow


def _in_row(request: Request, flow: Flow) -> bool:
    """Whether htmx is swapping this flow's list row (inline edit) rather than a whole form or page."""
    return htmx.is_partial(request) and htmx.target_id(request) == f"flow-{flow.id}"


async def _list_page(request: Request, kind: str) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        holdings = await queries.live_holdings(session, _uid(user))
        block = htmx.block_for(request, "flow_list", "flow_form")
        if block == "flow_form":
            context = {
                **_base(request, user, kind, holdings),
                "form": _refilled(request.query_params, user, holdings),
            }
            return render(request, LIST, context, block=block)
        context = await _list_context(request, session, user, kind, holdings, forms.blank(user))
    return render(request, LIST, context, block=block, oob=["flow_totals", "flow_filter"] if block else ())


async def _create(request: Request, kind: str) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        holdings = await queries.live_holdings(session, _uid(user))
        form, values = forms.parse_flow(data, user, holdings, kind)
        if values is None:
            context = await _list_context(request, session, user, kind, holdings, form)
            return render(
                request, LIST, context, block="flow_form" if htmx.is_htmx(request) else None, status_code=422
            )
        created = await queries.create_flow(session, user, values)
        flash(request, _created_message(values, user), "success")
        if created is not None:
            await goals.evaluate(session, user, request)  # goals and achievements it brings, announced
        if not htmx.is_htmx(request):
            return RedirectResponse(_list_path(request, kind), status_code=303)
        context = await _list_context(request, session, user, kind, holdings, forms.blank(user))
    return render(request, LIST, context, block="flow_form", oob=["flow_totals", "flow_list"])


def _created_message(values: forms.FlowInput, user: User) -> str:
    amount = money.format_money(values.amount, values.currency, user.locale)
    message = f"{LABELS[values.kind].one} of {amount} added."
    if values.holding is not None and values.new_balance is not None:
        balance = money.format_money(values.new_balance, values.holding.currency, user.locale)
        message += f" {values.holding.name} balance is now {balance}."
    return message


async def list_deposits(request: Request) -> Response:
    return await _list_page(request, "deposit")


async def create_deposit(request: Request) -> Response:
    return await _create(request, "deposit")


async def list_withdrawals(request: Request) -> Response:
    return await _list_page(request, "withdrawal")


async def create_withdrawal(request: Request) -> Response:
    return await _create(request, "withdrawal")


async def list_bonuses(request: Request) -> Response:
    return await _list_page(request, "bonus")


async def create_bonus(request: Request) -> Response:
    return await _create(request, "bonus")


async def _edit_response(
    request: Request, session: AsyncSession, user: User, flow: Flow, form: Form, status_code: int = 200
) -> Response:
    """The edit form: as the flow's list row (htmx inline edit) or as the edit page (or its form block)."""
    holdings = await queries.live_holdings(session, _uid(user))
    context = {**_base(request, user, flow.kind, holdings), "flow": flow, "form": form}
    if _in_row(request, flow):
        flt = forms.parse_filter(_filter_params(request, flow.kind) or {}, user)
        context["back_url"] += flt.query(flt.page)
        row = Row(flow, None, None, _when(flow.occurred_at, user))
        context.update(item=row, edit_id=flow.id, edit_form=form)
        return render(request, LIST, context, block="flow_row", status_code=status_code)
    context["update_url"] = str(request.app.url_path_for("update_flow", flow_id=str(flow.id)))
    context["delete_url"] = str(request.app.url_path_for("delete_flow", flow_id=str(flow.id)))
    block = htmx.block_for(request, "flow_edit_form")
    return render(request, EDIT, context, block=block, status_code=status_code)


async def edit_flow(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        flow = await _own_flow(session, user, request)
        return await _edit_response(request, session, user, flow, forms.from_flow(flow, user))


async def update_flow(request: Request) -> Response:
    data: FormData = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        flow = await _own_flow(session, user, request)
        holdings = await queries.live_holdings(session, _uid(user))
        form, values = forms.parse_flow(data, user, holdings, flow.kind)
        if values is None:
            return await _edit_response(request, session, user, flow, form, 422)
        await queries.update_flow(session, flow, values)
        flash(request, f"{LABELS[flow.kind].one} of {_amount(flow, user)} saved.", "success")
        if _in_row(request, flow):
            context = await _list_context(request, session, user, flow.kind, holdings, forms.blank(user))
            return _updated_list(request, context)
    url = _list_path(request, flow.kind)
    return htmx.redirect(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


async def _set_deleted(request: Request, deleted: bool) -> Response:
    """Delete or restore; repeating either (a double click) is harmless."""
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        flow = await _own_flow(session, user, request, deleted=None)
        await queries.set_deleted(session, flow, deleted)
        what = f"{flow.kind} of {_amount(flow, user)}"
        if deleted:
            flash(
                request,
                f"Deleted {what}",
                undo=str(request.app.url_path_for("restore_flow", flow_id=str(flow.id))),
            )
        else:
            flash(request, f"Restored {what}", "success")
        if htmx.is_htmx(request):
            if _filter_params(request, flow.kind) is None:
                return _flash_only(request)
            holdings = await queries.live_holdings(session, _uid(user))
            context = await _list_context(request, session, user, flow.kind, holdings, forms.blank(user))
            return _updated_list(request, context)
    return RedirectResponse(_list_path(request, flow.kind), status_code=303)


async def delete_flow(request: Request) -> Response:
    return await _set_deleted(request, True)


async def restore_flow(request: Request) -> Response:
    return await _set_deleted(request, False)


routes = [
    Route("/deposits", list_deposits, methods=["GET"]),
    Route("/deposits", create_deposit, methods=["POST"]),
    Route("/withdrawals", list_withdrawals, methods=["GET"]),
    Route("/withdrawals", create_withdrawal, methods=["POST"]),
    Route("/bonuses", list_bonuses, methods=["GET"]),
    Route("/bonuses", create_bonus, methods=["POST"]),
    Route("/flows/{flow_id:int}/edit", edit_flow, methods=["GET"]),
    Route("/flows/{flow_id:int}/edit", update_flow, methods=["POST"]),
    Route("/flows/{flow_id:int}/delete", delete_flow, methods=["POST"]),
    Route("/flows/{flow_id:int}/restore", restore_flow, methods=["POST"]),
]
