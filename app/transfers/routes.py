"""Transfers between two of the player's own sites and assets: list, record, edit, delete with undo.

htmx regions of transfers/list.html: #transfer-form and #transfer-list. Editing happens in
#transfer-form: /transfers/{id}/edit is the list page with that form filled in from the transfer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from math import ceil
from typing import Any

from babel.dates import format_date, format_time
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx, money
from app.auth.forms import Form
from app.flows import queries as flow_queries
from app.flows.forms import zone
from app.goals import services as goals
from app.models import Holding, Transfer, User
from app.rates import queries as rate_queries
from app.security import csrf
from app.templating import flash, render
from app.transfers import edits, forms, queries
from app.transfers.queries import Listed, TransferProblem
from app.web import db, require_user

LIST = "transfers/list.html"
PER_PAGE = 50


@dataclass
class Row:
    listed: Listed
    when: str
    value: Decimal  # what left, in the player's currency at that day's rate
    lost: Decimal  # what was lost on the way (fee, spread), likewise


def _when(moment: datetime, user: User) -> str:
    local = moment.astimezone(zone(user))
    return f"{format_date(local, 'medium', user.locale)} {format_time(local, 'short', locale=user.locale)}"


def _options(holdings: list[Holding], keep: tuple[int | None, ...] = ()) -> list[tuple[str, str]]:
    """The live holdings (and, when editing, the transfer's own even if archived since)."""
    kinds = {"site": "site", "asset": "asset"}
    return [("", "Choose…")] + [
        (str(h.id), f"{h.name} — {kinds.get(h.kind, h.kind)} ({h.currency})")
        for h in holdings
        if h.archived_at is None or h.id in keep
    ]


async def _context(
    request: Request,
    session: AsyncSession,
    user: User,
    holdings: list[Holding],
    form: Form,
    editing: Transfer | None = None,
) -> dict[str, Any]:
    """The form and one page of transfers, each valued at its own day's rates: four queries."""
    page_param = str(request.query_params.get("page", "1"))
    wanted = int(page_param) if page_param.isdigit() and 0 < int(page_param) < 1_000_000 else 1
    count = await queries.count_transfers(session, user.id)  # type: ignore[arg-type]
    pages = max(1, ceil(count / PER_PAGE))
    page = min(wanted, pages)
    offset = (page - 1) * PER_PAGE
    listed = await queries.transfer_page(session, user.id, limit=PER_PAGE, offset=offset)  # type: ignore[arg-type]
    tz = zone(user)
    codes = {t.transfer.from_currency for t in listed} | {t.transfer.to_currency for t in listed}
    first = min((t.transfer.occurred_at.astimezone(tz).date() for t in listed), default=None)
    history = await rate_queries.history(session, codes | {user.display_currency}, first)
    rows = []
    for item in listed:
        t = item.transfer
        day = t.occurred_at.astimezone(tz).date()
        sent = history.convert(t.amount, t.from_currency, user.display_currency, day)
        arrived = history.convert(t.received, t.to_currency, user.display_currency, day)
        rows.append(Row(item, _when(t.occurred_at, user), sent, money.add([sent, arrived.copy_negate()])))
    keep = (editing.from_holding_id, editing.to_holding_id) if editing is not None else ()
    return {
        "form": form,
        "options": _options(holdings, keep),
        "editing": editing,
        "editing_when": _when(editing.occurred_at, user) if editing is not None else "",
        "rows": rows,
        "count": count,
        "page": page,
        "pages": pages,
        "rates_date": history.latest_day().isoformat(),
    }


async def list_transfers(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        holdings = await flow_queries.live_holdings(session, user.id)  # type: ignore[arg-type]
        context = await _context(request, session, user, holdings, forms.blank(user))
    return render(request, LIST, context, block=htmx.block_for(request, "transfer_list", "transfer_form"))


def _message(transfer: Transfer, source: Holding, target: Holding, user: User) -> str:
    sent = money.format_money(transfer.amount, transfer.from_currency, user.locale)
    arrived = money.format_money(transfer.received, transfer.to_currency, user.locale)
    return f"Moved {sent} from {source.name} to {target.name} ({arrived} arrived). Both balances are updated."


async def create_transfer(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        holdings = await flow_queries.live_holdings(session, user.id)  # type: ignore[arg-type]
        form, values = forms.parse(data, user, holdings)
        created: Transfer | None = None
        if values is not None:
            day = values.occurred_at.astimezone(zone(user)).date()
            codes = {values.source.currency, values.target.currency}
            rates = (await rate_queries.history(session, codes, day)).on(day)
            try:
                created = await queries.create_transfer(session, user, values, rates)
            except TransferProblem as problem:
                form.errors[problem.field] = str(problem)
        if not form.ok or values is None:
            context = await _context(request, session, user, holdings, form)
            block = "transfer_form" if htmx.is_htmx(request) else None
            return render(request, LIST, context, block=block, status_code=422)
        if created is None:
            flash(request, "That transfer was already recorded.", "info")
        else:
            flash(request, _message(created, values.source, values.target, user), "success")
            await goals.evaluate(session, user, request)  # goals and achievements it brings, announced
        if not htmx.is_htmx(request):
            return RedirectResponse(request.url_for("list_transfers").path, status_code=303)
        context = await _context(request, session, user, holdings, forms.blank(user))
    return render(request, LIST, context, block="transfer_form", oob=["transfer_list"])


async def _own(session: AsyncSession, user: User, request: Request, deleted: bool | None) -> Transfer:
    transfer = await queries.get_transfer(
        session,
        user.id,  # type: ignore[arg-type]
        request.path_params["transfer_id"],
        deleted=deleted,
    )
    if transfer is None:
        raise HTTPException(404)
    return transfer


async def edit_transfer(request: Request) -> Response:
    """The list page with the form filled in from the transfer (or, for htmx, only that form)."""
    async with db(request) as session:
        user = await require_user(request, session)
        transfer = await _own(session, user, request, deleted=False)
        holdings = await flow_queries.live_holdings(session, user.id)  # type: ignore[arg-type]
        form = forms.from_transfer(transfer, user)
        context = await _context(request, session, user, holdings, form, editing=transfer)
    return render(request, LIST, context, block=htmx.block_for(request, "transfer_form"))


async def update_transfer(request: Request) -> Response:
    """Save an edit: the transfer, its two balance entries and what follows from them, in one step."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        transfer = await _own(session, user, request, deleted=False)
        holdings = await flow_queries.live_holdings(session, user.id)  # type: ignore[arg-type]
        form, values = forms.parse(data, user, holdings, kept=transfer.occurred_at)
        moved: int | None = None
        if values is not None:
            day = values.occurred_at.astimezone(zone(user)).date()
            codes = {values.source.currency, values.target.currency}
            rates = (await rate_queries.history(session, codes, day)).on(day)
            try:
                moved = await edits.update_transfer(session, user, transfer, values, rates)
            except TransferProblem as problem:
                form.errors[problem.field] = str(problem)
        if not form.ok or values is None:
            context = await _context(request, session, user, holdings, form, editing=transfer)
            block = "transfer_form" if htmx.is_htmx(request) else None
            return render(request, LIST, context, block=block, status_code=422)
        flash(request, _saved(transfer, values.source, values.target, user, moved), "success")
        if not htmx.is_htmx(request):
            return RedirectResponse(request.url_for("list_transfers").path, status_code=303)
        context = await _context(request, session, user, holdings, forms.blank(user))
    response = render(request, LIST, context, block="transfer_form", oob=["transfer_list"])
    response.headers["HX-Push-Url"] = request.url_for("list_transfers").path
    return response


def _saved(transfer: Transfer, source: Holding, target: Holding, user: User, moved: int | None) -> str:
    if moved is None:
        return "Nothing to change: that transfer is saved as it is."
    message = f"Saved. {_message(transfer, source, target, user)}"
    if moved:
        plural = "" if moved == 1 else "s"
        message += f" {moved} later balance{plural} worked out by other transfers moved with it."
    return message


async def _after(request: Request, session: AsyncSession, user: User) -> Response:
    if not htmx.is_htmx(request):
        return RedirectResponse(request.url_for("list_transfers").path, status_code=303)
    holdings = await flow_queries.live_holdings(session, user.id)  # type: ignore[arg-type]
    context = await _context(request, session, user, holdings, forms.blank(user))
    response = render(request, LIST, context, block="transfer_list")
    response.headers["HX-Retarget"] = "#transfer-list"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def _refused(request: Request, message: str) -> Response:
    """A delete or an undo that would leave a later transfer uncovered: said in the flash, nothing done."""
    flash(request, message, "error")
    if htmx.is_htmx(request):
        response = render(request, "_flash.html", status_code=409)
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    return RedirectResponse(request.url_for("list_transfers").path, status_code=303)


async def delete_transfer(request: Request) -> Response:
    """Remove the transfer and its two balance entries, with an Undo; twice is harmless."""
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        transfer = await _own(session, user, request, deleted=None)
        amount = money.format_money(transfer.amount, transfer.from_currency, user.locale)
        try:
            await queries.delete_transfer(session, user, transfer)
        except TransferProblem as problem:
            return _refused(request, f"The transfer of {amount} can't be deleted: {problem}")
        undo = request.url_for("restore_transfer", transfer_id=transfer.id).path
        flash(request, f"Deleted the transfer of {amount} and its two balance entries.", undo=undo)
        return await _after(request, session, user)


async def restore_transfer(request: Request) -> Response:
    """The Undo of a delete: the transfer and its two balance entries again, when they still fit."""
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        transfer = await _own(session, user, request, deleted=None)
        amount = money.format_money(transfer.amount, transfer.from_currency, user.locale)
        try:
            await queries.restore_transfer(session, user, transfer)
        except TransferProblem as problem:
            return _refused(request, f"The transfer of {amount} can't come back: {problem}")
        flash(request, f"The transfer of {amount} is back.", "success")
        return await _after(request, session, user)


routes = [
    Route("/transfers", list_transfers, methods=["GET"]),
    Route("/transfers", create_transfer, methods=["POST"]),
    Route("/transfers/{transfer_id:int}/edit", edit_transfer, methods=["GET"]),
    Route("/transfers/{transfer_id:int}/edit", update_transfer, methods=["POST"]),
    Route("/transfers/{transfer_id:int}/delete", delete_transfer, methods=["POST"]),
    Route("/transfers/{transfer_id:int}/restore", restore_transfer, methods=["POST"]),
]
