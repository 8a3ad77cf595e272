"""Sites and assets: the two lists, adding, balance updates, ordering, the item page and its history.

A site (a poker room) and an asset (a bank, e-wallet, crypto...) are both a Holding; one set of
handlers serves both, told apart by `kind`. What the pages show is built in pages.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import errors, htmx
from app.bankroll import daily
from app.bankroll import queries as bankroll
from app.goals import services as goals
from app.holdings import forms, pages, queries
from app.holdings.forms import HistoryView, Parsed
from app.holdings.pages import KINDS, list_context, render_list, render_show, show_context
from app.models import BalanceEntry, Holding, User, utcnow
from app.security import csrf
from app.templating import flash, render
from app.web import db, require_user


def _list_url(request: Request, kind: str) -> str:
    return request.url_for(KINDS[kind]["list"]).path


def _show_url(request: Request, holding: Holding, query: str = "") -> str:
    return request.url_for("show_holding", holding_id=holding.id).path + query


def _go(request: Request, url: str) -> Response:
    """After a change: Post/Redirect/Get, or for htmx a navigation that keeps the flash."""
    return htmx.location(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


def _current_page(request: Request, default: str) -> str:
    """The page an htmx request came from (same site only), else default."""
    current = urlsplit(request.headers.get("hx-current-url") or "")
    if current.netloc != request.url.netloc or not current.path.startswith("/"):
        return default
    return current.path + (f"?{current.query}" if current.query else "")


def _duplicate(kind: str, name: str) -> str:
    return f"You already have {'a site' if kind == 'site' else 'an asset'} called {name}."


def _targets_row(request: Request, holding: Holding) -> bool:
    return htmx.is_partial(request) and htmx.target_id(request) == f"holding-{holding.id}"


async def _own_holding(
    session: AsyncSession, user: User, request: Request, *, deleted: bool = False
) -> Holding:
    """The player's holding named in the URL; another player's id is a 404, like a missing one."""
    holding_id = request.path_params["holding_id"]
    holding = await queries.get_holding(session, user, holding_id, deleted=deleted)
    if holding is None:
        raise HTTPException(404)
    return holding


async def _own_entry(session: AsyncSession, user: User, request: Request) -> tuple[BalanceEntry, Holding]:
    found = await queries.get_entry(session, user, request.path_params["entry_id"])
    if found is None:
        raise HTTPException(404)
    return found


async def _listed(session: AsyncSession, user: User, kind: str) -> list[Holding]:
    """The items a list shows in its sortable body: live and not archived, in order."""
    holdings = await queries.live_holdings(session, user, kind)
    return [holding for holding in holdings if holding.archived_at is None]


# ---- the lists ----------------------------------------------------------------------------------


async def _list(request: Request, kind: str) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        context = await list_context(session, user, kind)
    block = htmx.block_for(request, "holdings_table", "holdings_body", "new_holding")
    return render_list(request, context, block=block)


async def _create(request: Request, kind: str) -> Response:
    """Add a site or asset with its starting balance; a repeated form (same request_key) adds nothing."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form = forms.new_holding(data, kind)
        key = form.clean["request_key"]
        done = await queries.holding_by_request_key(session, user, key) if key else None
        if done is None and form.ok:
            done = await _insert_holding(session, user, kind, form)
        if done is None:
            context = await list_context(session, user, kind, create=form)
            block = "new_holding" if htmx.is_partial(request) else None
            return render_list(request, context, block=block, status_code=422)
        await daily.after_entries(session, user, done.created_at)
        await session.commit()
        flash(request, f"Added {done.name}.", "success")
        await goals.evaluate(session, user, request)  # goals and achievements it brings, announced
        if not htmx.is_partial(request):
            return RedirectResponse(_list_url(request, kind), status_code=303)
        context = await list_context(session, user, kind)
    return render_list(request, context, block="new_holding", oob=["holdings_table"])


async def _insert_holding(session: AsyncSession, user: User, kind: str, form: Parsed) -> Holding | None:
    """The new holding at the end of the list, or None with the reason in form.errors."""
    clean = form.clean
    if await queries.holding_named(session, user, kind, clean["name_key"]):
        form.errors["name"] = _duplicate(kind, clean["name"])
        return None
    holding = Holding(
        user_id=user.id,  # type: ignore[arg-type]
        kind=kind,
        category=clean["category"],
        name=clean["name"],
        name_key=clean["name_key"],
        currency=clean["currency"],
        position=await queries.next_position(session, user, kind),
        request_key=clean["request_key"],
    )
    if await queries.create_holding(session, holding, clean["balance"], clean["request_key"]):
        return holding
    if clean["request_key"]:  # the same form submitted twice at once: the other request saved it
        again = await queries.holding_by_request_key(session, user, clean["request_key"])
        if again is not None:
            return again
    form.errors["name"] = _duplicate(kind, clean["name"])  # a live one took the name meanwhile
    return None


async def _reorder(request: Request, kind: str) -> Response:
    """Save a dragged order: the ids must be exactly the player's listed items of this kind."""
    data = await csrf.checked_form(request)
    sent = [value for value in data.getlist("order") if isinstance(value, str)]
    async with db(request) as session:
        user = await require_user(request, session)
        by_id = {str(holding.id): holding for holding in await _listed(session, user, kind)}
        status = 200
        if sorted(sent) == sorted(by_id):
            await queries.save_order(session, [by_id[value] for value in sent])
            await session.commit()
        else:
            status = 422
            flash(
                request, "Your list changed meanwhile, so that order wasn't saved. Please try again.", "error"
            )
        if not htmx.is_partial(request) and status == 200:
            return RedirectResponse(_list_url(request, kind), status_code=303)
        context = await list_context(session, user, kind)
    block = "holdings_body" if htmx.is_partial(request) else None
    return render_list(request, context, block=block, status_code=status)


async def list_sites(request: Request) -> Response:
    return await _list(request, "site")


async def create_site(request: Request) -> Response:
    return await _create(request, "site")


async def reorder_sites(request: Request) -> Response:
    return await _reorder(request, "site")


async def list_assets(request: Request) -> Response:
    return await _list(request, "asset")


async def create_asset(request: Request) -> Response:
    return await _create(request, "asset")


async def reorder_assets(request: Request) -> Response:
    return await _reorder(request, "asset")


# ---- one holding --------------------------------------------------------------------------------


async def show_holding(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request)
        view = forms.history_view(request.query_params, user.timezone)
        context = await show_context(session, user, holding, view)
    block = htmx.block_for(request, "history", "holding_panel")
    return render_show(request, context, block=block)


async def open_balance_form(request: Request) -> Response:
    """A list row with its balance form open (htmx); a plain request goes to the item's own form."""
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request)
        if not _targets_row(request, holding):
            return RedirectResponse(_show_url(request, holding) + "#record-title", status_code=303)
        context = await list_context(
            session, user, holding.kind, row_forms={holding.id: forms.blank_balance()}
        )
    context["item"] = pages.item_of(context, holding)
    if context["item"] is None:  # archived: no inline form on the list
        return RedirectResponse(_show_url(request, holding) + "#record-title", status_code=303)
    return render_list(request, context, block="holding_row")


async def update_balance(request: Request) -> Response:
    """Record a new balance. From a list row (htmx): that row and the totals come back, in place.

    Any other htmx caller (another page's inline form) gets the page it is on reloaded, or its error
    in the flash region; a plain form goes back to the list or, with back=holding, the item page.
    """
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request)
        form = forms.balance(data, holding.currency, user.timezone)
        if form.ok:
            clean = form.clean
            entry = await bankroll.add_balance(
                session,
                holding,
                clean["balance"],
                recorded_at=clean["recorded_at"],
                note=clean["note"],
                request_key=clean["request_key"],
            )
            if entry is not None:
                await daily.after_entries(session, user, entry.recorded_at)
            await session.commit()
            flash(request, f"Saved the balance of {holding.name}.", "success")
            await goals.evaluate(session, user, request)  # a goal this balance reaches is celebrated now
        if _targets_row(request, holding):
            refused = {} if form.ok else {holding.id: form}
            context = await list_context(session, user, holding.kind, row_forms=refused)
            item = pages.item_of(context, holding)
            if item is not None:
                context["item"] = item
                if form.ok:
                    oob = (
                        ["holdings_totals", "strategy_panel"]
                        if holding.kind == "site"
                        else ["holdings_totals"]
                    )
                    return render_list(request, context, block="holding_row", oob=oob)
                return render_list(request, context, block="holding_row", status_code=422)
        if not form.ok:
            return await _balance_refused(request, session, user, holding, form, data)
    back = _show_url(request, holding) if data.get("back") == "holding" else _list_url(request, holding.kind)
    return _go(request, _current_page(request, back) if htmx.is_htmx(request) else back)


async def _balance_refused(
    request: Request, session: AsyncSession, user: User, holding: Holding, form: Parsed, data: FormData
) -> Response:
    if htmx.is_htmx(request):
        return errors.error_response(request, 422, next(iter(form.errors.values())))
    if data.get("back") == "holding":
        view = forms.history_view(data, user.timezone)
        context = await show_context(session, user, holding, view, record=form)
        return render_show(request, context, status_code=422)
    context = await list_context(session, user, holding.kind, row_forms={holding.id: form})
    return render_list(request, context, status_code=422)


async def update_holding(request: Request) -> Response:
    """Rename, change the currency of future entries (past ones keep theirs), change the category."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request)
        form = forms.holding_settings(data, holding.kind)
        clean = form.clean
        if form.ok and await queries.holding_named(
            session, user, holding.kind, clean["name_key"], holding.id
        ):
            form.errors["name"] = _duplicate(holding.kind, clean["name"])
        if form.ok:
            changes = {key: clean[key] for key in ("name", "name_key", "currency", "category")}
            if not await queries.save_holding(session, holding, **changes):
                form.errors["name"] = _duplicate(holding.kind, clean["name"])
        view = HistoryView()
        block = "holding_panel" if htmx.is_partial(request) else None
        if not form.ok:
            context = await show_context(session, user, holding, view, settings=form)
            return render_show(request, context, block=block, status_code=422)
        await session.commit()
        flash(request, f"Saved {holding.name}.", "success")
        if block is None:
            return RedirectResponse(_show_url(request, holding), status_code=303)
        context = await show_context(session, user, holding, view)
    return render_show(request, context, block=block)


async def move_holding(request: Request) -> Response:
    """The keyboard alternative to dragging: one place up or down (the ends stay put)."""
    data = await csrf.checked_form(request)
    direction = forms.text(data, "direction")
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request)
        listed = await _listed(session, user, holding.kind)
        ids = [item.id for item in listed]
        status = 200
        if direction in forms.DIRECTIONS and holding.id in ids:
            here = ids.index(holding.id)
            there = here - 1 if direction == "up" else here + 1
            if 0 <= there < len(listed):
                listed[here], listed[there] = listed[there], listed[here]
                await queries.save_order(session, listed)
                await session.commit()
            place = [item.id for item in listed].index(holding.id) + 1
            flash(request, f"{holding.name} is now number {place} of {len(listed)}.", "success")
        else:
            status = 422
            flash(request, "That can't be moved: archived items keep no place in the list.", "error")
        if not htmx.is_partial(request) and status == 200:
            return RedirectResponse(
                f"{_list_url(request, holding.kind)}#holding-{holding.id}", status_code=303
            )
        context = await list_context(session, user, holding.kind)
    block = "holdings_body" if htmx.is_partial(request) else None
    return render_list(request, context, block=block, status_code=status)


async def _set_archived(request: Request, archived: bool) -> Response:
    """Archive (out of the list, still counted) or bring back (at the end of the list)."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request)
        if archived and holding.archived_at is None:
            holding.archived_at = utcnow()
        elif not archived and holding.archived_at is not None:
            holding.position = await queries.next_position(session, user, holding.kind)
            holding.archived_at = None
        session.add(holding)
        await session.commit()
        many = KINDS[holding.kind]["many"]
        if archived:
            message = f"Archived {holding.name}. It still counts in your totals."
        else:
            message = f"{holding.name} is back in your {many}."
        flash(request, message, "success")
        block = htmx.block_for(request, "holdings_table", "holding_panel")
        if block == "holdings_table":
            return render_list(request, await list_context(session, user, holding.kind), block=block)
        if block == "holding_panel":
            return render_show(
                request, await show_context(session, user, holding, HistoryView()), block=block
            )
    back = data.get("back")
    return _go(
        request, _show_url(request, holding) if back == "holding" else _list_url(request, holding.kind)
    )


async def archive_holding(request: Request) -> Response:
    return await _set_archived(request, True)


async def unarchive_holding(request: Request) -> Response:
    return await _set_archived(request, False)


async def confirm_delete_holding(request: Request) -> Response:
    """The no-JS confirmation: 'Delete PokerStars and its 12 balance entries?'."""
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request)
        count = await queries.count_entries(session, holding)
    context = {"k": KINDS[holding.kind], "holding": holding, "count": count}
    return render(request, "holdings/confirm_delete_holding.html", context)


async def delete_holding(request: Request) -> Response:
    """Soft delete with an Undo; from a list row, the row goes and the totals update in place."""
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request)
        await queries.soft_delete(session, holding)
        await daily.after_holding(session, user, holding)
        await session.commit()
        undo = request.url_for("restore_holding", holding_id=holding.id).path
        flash(request, f"Deleted {holding.name}.", "success", undo=undo)
        if not _targets_row(request, holding):
            return _go(request, _list_url(request, holding.kind))
        context = await list_context(session, user, holding.kind)
    oob = ["holdings_totals"] if context["active"] else ["holdings_table"]  # the last one: the empty state
    if holding.kind == "site":
        oob.append("strategy_panel")
    return render_list(request, context, block="holding_removed", oob=oob)


async def restore_holding(request: Request) -> Response:
    """The Undo of a delete; refused (and still undoable) while a live item has taken the name."""
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        holding = await _own_holding(session, user, request, deleted=True)
        if holding.deleted_at is not None and not await queries.save_holding(
            session, holding, deleted_at=None
        ):
            undo = request.url_for("restore_holding", holding_id=holding.id).path
            message = f"{_duplicate(holding.kind, holding.name)} Rename that one first, then undo again."
            flash(request, message, "error", undo=undo)
            if htmx.is_htmx(request):
                return render(request, "_flash.html", status_code=409)
            return RedirectResponse(_list_url(request, holding.kind), status_code=303)
        await daily.after_holding(session, user, holding)
        await session.commit()
    flash(request, f"{holding.name} is back.", "success")
    return _go(request, _list_url(request, holding.kind))


# ---- history entries ----------------------------------------------------------------------------


async def _history_response(
    request: Request,
    session: AsyncSession,
    user: User,
    holding: Holding,
    view: HistoryView,
    *,
    status_code: int = 200,
    entry_forms: dict[Any, Parsed] | None = None,
) -> Response:
    """The #history block (with the header figures after a change), else a redirect or the full page."""
    if status_code == 200 and not htmx.is_partial(request):
        return RedirectResponse(_show_url(request, holding, view.query()), status_code=303)
    context = await show_context(session, user, holding, view, entry_forms=entry_forms)
    if not htmx.is_partial(request):
        return render_show(request, context, status_code=status_code)
    oob = ["holding_figures"] if status_code == 200 else []
    return render_show(request, context, block="history", oob=oob, status_code=status_code)


async def update_entry(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        entry, holding = await _own_entry(session, user, request)
        view = forms.history_view(data, user.timezone)
        form = forms.entry(data, entry, user.timezone)
        if not form.ok:
            refused = {entry.id: form}
            return await _history_response(
                request, session, user, holding, view, status_code=422, entry_forms=refused
            )
        moved_from = entry.recorded_at
        entry.balance = form.clean["balance"]
        entry.recorded_at = form.clean["recorded_at"]
        entry.note = form.clean["note"]
        session.add(entry)
        await daily.after_entries(session, user, moved_from, entry.recorded_at)
        await session.commit()
        flash(request, f"Saved the entry of {pages.when(entry.recorded_at, user)}.", "success")
        return await _history_response(request, session, user, holding, view)


async def confirm_delete_entry(request: Request) -> Response:
    """The no-JS confirmation; for the last entry, the way to delete the holding instead."""
    async with db(request) as session:
        user = await require_user(request, session)
        entry, holding = await _own_entry(session, user, request)
        total = await queries.count_entries(session, holding)
    context = {
        "k": KINDS[holding.kind],
        "holding": holding,
        "entry": entry,
        "total_entries": total,
        "when": pages.when(entry.recorded_at, user),
        "view": forms.history_view(request.query_params, user.timezone),
    }
    return render(request, "holdings/confirm_delete_entry.html", context)


async def delete_entry(request: Request) -> Response:
    """Delete one entry (after a confirmation); the last one stays: delete the holding instead."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        entry, holding = await _own_entry(session, user, request)
        view = forms.history_view(data, user.timezone)
        if await queries.count_entries(session, holding) <= 1:
            kind = KINDS[holding.kind]["one"]
            flash(request, f"That is the only entry of {holding.name}: delete the {kind} instead.", "error")
            return await _history_response(request, session, user, holding, view, status_code=422)
        moment = pages.when(entry.recorded_at, user)
        await queries.delete_entry(session, entry)
        await daily.after_entries(session, user, entry.recorded_at)
        await session.commit()
        flash(request, f"Deleted the entry of {moment}.", "success")
        return await _history_response(request, session, user, holding, view)


routes = [
    Route("/sites", list_sites, methods=["GET"]),
    Route("/sites", create_site, methods=["POST"]),
    Route("/sites/order", reorder_sites, methods=["POST"]),
    Route("/assets", list_assets, methods=["GET"]),
    Route("/assets", create_asset, methods=["POST"]),
    Route("/assets/order", reorder_assets, methods=["POST"]),
    Route("/holdings/{holding_id:int}", show_holding, methods=["GET"]),
    Route("/holdings/{holding_id:int}/balance", open_balance_form, methods=["GET"]),
    Route("/holdings/{holding_id:int}/balance", update_balance, methods=["POST"]),
    Route("/holdings/{holding_id:int}/edit", update_holding, methods=["POST"]),
    Route("/holdings/{holding_id:int}/move", move_holding, methods=["POST"]),
    Route("/holdings/{holding_id:int}/archive", archive_holding, methods=["POST"]),
    Route("/holdings/{holding_id:int}/unarchive", unarchive_holding, methods=["POST"]),
    Route("/holdings/{holding_id:int}/delete", confirm_delete_holding, methods=["GET"]),
    Route("/holdings/{holding_id:int}/delete", delete_holding, methods=["POST"]),
    Route("/holdings/{holding_id:int}/restore", restore_holding, methods=["POST"]),
    Route("/entries/{entry_id:int}/edit", update_entry, methods=["POST"]),
    Route("/entries/{entry_id:int}/delete", confirm_delete_entry, methods=["GET"]),
    Route("/entries/{entry_id:int}/delete", delete_entry, methods=["POST"]),
]
