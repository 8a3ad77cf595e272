"""The "Your data" page: export (JSON, CSV zip), import (our JSON, a simple CSV) and reset with undo.

Import is two steps: upload (the whole file is checked; nothing changes) then, on the preview page,
confirm (applied in one transaction). htmx regions: data/show.html #import-form and #reset-form;
data/preview.html #import-preview.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from app import htmx
from app.achievements import services as achievements
from app.auth.forms import Form
from app.data import csv_import, export, imports, queries, reset, upload
from app.data.imports import Bundle, ImportRefused
from app.flows import queries as flow_queries
from app.flows.forms import new_request_key
from app.models import DataImport, User, utcnow
from app.security import csrf
from app.templating import flash, render
from app.web import db, require_user

PAGE = "data/show.html"
PREVIEW = "data/preview.html"
BINARY = {
    b"PK\x03\x04": "a zip file (an Excel workbook, or the CSV export)",
    b"%PDF": "a PDF",
    b"\x89PNG": "an image",
}
TYPE_HINT = "Import a StakeEasy JSON export, or a spreadsheet saved as CSV."


async def _page(
    request: Request, session: AsyncSession, user: User, status_code: int = 200, **forms: Any
) -> Response:
    context = {
        "counts": await queries.counts(session, user.id),  # type: ignore[arg-type]
        "reset": await queries.undoable_reset(session, user),
        "import_form": forms.get("import_form") or Form({}),
        "problems": forms.get("problems") or [],
        "reset_form": forms.get("reset_form") or Form({"confirm": "", "request_key": new_request_key()}),
        "word": reset.WORD,
    }
    block = htmx.block_for(request, "import_form", "reset_form")
    return render(request, PAGE, context, block=block, status_code=status_code)


async def show_data(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        return await _page(request, session, user)


def _download(
    request: Request, user: User, chunks: export.Chunks, media_type: str, extension: str
) -> Response:
    name = export.filename(user, extension)
    return StreamingResponse(
        chunks(request.state["sessionmaker"], user),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


async def export_json(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        await achievements.exported(session, user, request, "json")
    return _download(request, user, export.json_chunks, "application/json", "json")


async def export_zip(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        await achievements.exported(session, user, request, "zip")
    return _download(request, user, export.zip_chunks, "application/zip", "zip")


async def csv_template(request: Request) -> Response:
    return Response(
        "\ufeff" + csv_import.TEMPLATE,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="stakeeasy-import-template.csv"'},
    )


# ---- import: upload, preview, confirm --------------------------------------------------------------


def _format_of(filename: str, content: bytes) -> str:
    """json or csv, from the name and the first bytes; FileProblem for anything else."""
    for magic, what in BINARY.items():
        if content.startswith(magic):
            raise upload.FileProblem(f"That is {what}. {TYPE_HINT}", 415)
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise upload.FileProblem(f"That is not a text file. {TYPE_HINT}", 415)
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if extension == "json" or (extension not in ("csv", "txt", "tsv") and content.lstrip()[:1] == b"{"):
        return "json"
    if extension in ("csv", "txt", "tsv", ""):
        return "csv"
    raise upload.FileProblem(f"A .{extension[:10]} file can't be imported. {TYPE_HINT}", 415)


async def upload_import(request: Request) -> Response:
    """Check the whole file; when it is usable, keep it and show its preview (nothing changes yet)."""
    data = await upload.checked_upload(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form = Form({})
        try:
            filename, content = await upload.file_bytes(data)
            kind = _format_of(filename, content)
            text = imports.decode(content)
            if kind == "json":
                bundle = imports.parse_json(text)
                if not bundle.ok:
                    form.errors["file"] = (
                        "The file has problems; nothing was imported. Fix them and try again."
                    )
                    return await _page(
                        request, session, user, 422, import_form=form, problems=_listed(bundle)
                    )
            else:
                csv_import.read(text)  # refuses what is not a CSV at all; the rows are checked on the preview
        except upload.FileProblem as problem:
            form.errors["file"] = str(problem)
            return await _page(request, session, user, problem.status, import_form=form)
        except ImportRefused as refused:
            form.errors["file"] = str(refused)
            return await _page(request, session, user, 422, import_form=form)
        pending = DataImport(user_id=user.id, format=kind, filename=filename, payload=text)  # type: ignore[arg-type]
        session.add(pending)
        await session.commit()
        url = request.url_for("show_import", import_id=pending.id).path
    return htmx.location(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


def _listed(bundle: Bundle) -> list[str]:
    more = [f"… and {bundle.more_problems} more."] if bundle.more_problems else []
    return bundle.problems + more


async def _own_import(session: AsyncSession, user: User, request: Request) -> DataImport:
    query = select(DataImport).where(
        DataImport.id == request.path_params["import_id"], DataImport.user_id == user.id
    )
    pending = (await session.execute(query)).scalar_one_or_none()
    if pending is None:
        raise HTTPException(404)
    return pending


async def _checked(
    session: AsyncSession, user: User, pending: DataImport, mapping: dict[str, int | None] | None = None
) -> tuple[Bundle, csv_import.Checked | None, csv_import.Sheet | None, dict[str, int | None]]:
    """The stored file checked again (the player's data may have changed meanwhile)."""
    if pending.format == "json":
        return imports.parse_json(pending.payload), None, None, {}
    sheet = csv_import.read(pending.payload)
    if mapping is None:
        stored = json.loads(pending.mapping) if pending.mapping else None
        mapping = stored if stored is not None else csv_import.guess_mapping(sheet.header)
    holdings = await flow_queries.live_holdings(session, user.id)  # type: ignore[arg-type]
    checked = csv_import.check(sheet, mapping, user, holdings)
    return checked.bundle, checked, sheet, mapping


async def _preview(
    request: Request,
    session: AsyncSession,
    user: User,
    pending: DataImport,
    *,
    mapping: dict[str, int | None] | None = None,
    status_code: int = 200,
    mode: str = "merge",
    confirm_form: Form | None = None,
) -> Response:
    bundle, checked, sheet, mapping = await _checked(session, user, pending, mapping)
    ready = bundle.ok and (checked is None or checked.ok)
    plans = {}
    if ready:
        for name in imports.MODES:
            plans[name] = await imports.apply(session, user, bundle, name, dry_run=True)
    context = {
        "pending": pending,
        "bundle": bundle,
        "checked": checked,
        "sheet": sheet,
        "mapping": mapping,
        "fields": csv_import.FIELDS,
        "ready": ready,
        "plans": plans,
        "modes": imports.MODES,
        "mode": mode if mode in imports.MODES else "merge",
        "shown_rows": csv_import.SHOWN_ROWS,
        "word": reset.WORD,
        "confirm_form": confirm_form or Form({"confirm": ""}),
    }
    block = htmx.block_for(request, "import_preview")
    return render(request, PREVIEW, context, block=block, status_code=status_code)


async def show_import(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        pending = await _own_import(session, user, request)
        if pending.applied_at is not None:
            return RedirectResponse(request.url_for("show_data").path, status_code=303)
        return await _preview(request, session, user, pending)


async def map_import(request: Request) -> Response:
    """A CSV's column mapping changed: check the rows again with it."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        pending = await _own_import(session, user, request)
        if pending.format != "csv" or pending.applied_at is not None:
            raise HTTPException(404)
        sheet = csv_import.read(pending.payload)
        raw = {name: str(data.get(f"map_{name}") or "") for name in csv_import.FIELDS}
        mapping = csv_import.clean_mapping(raw, len(sheet.header))
        pending.mapping = json.dumps(mapping)
        session.add(pending)
        await session.commit()
        problems = csv_import.check(sheet, mapping, user, []).mapping_problems
        if not problems and not htmx.is_htmx(request):
            return RedirectResponse(
                request.url_for("show_import", import_id=pending.id).path, status_code=303
            )
        return await _preview(
            request, session, user, pending, mapping=mapping, status_code=422 if problems else 200
        )


async def apply_import(request: Request) -> Response:
    """Import the previewed file, all or nothing; a second submit (or a second tab) imports nothing."""
    data = await csrf.checked_form(request)
    mode = str(data.get("mode") or "")
    async with db(request) as session:
        user = await require_user(request, session)
        pending = await _own_import(session, user, request)
        form = Form({"confirm": str(data.get("confirm") or "")[:40]})
        if mode not in imports.MODES:
            form.errors["mode"] = "Choose how to import: merge or replace."
        elif mode == "replace" and form.values["confirm"].strip().upper() != reset.WORD:
            form.errors["confirm"] = f"Type {reset.WORD} to replace everything."
        if not form.ok:
            return await _preview(
                request, session, user, pending, status_code=422, mode=mode, confirm_form=form
            )
        claim = (
            sa.update(DataImport)
            .where(DataImport.id == pending.id, DataImport.applied_at.is_(None))  # type: ignore[arg-type, union-attr]
            .values(applied_at=utcnow())
        )
        if (await session.execute(claim)).rowcount != 1:  # type: ignore[attr-defined]
            flash(request, "That file was already imported.", "info")
            return _go(request, request.url_for("show_data").path)
        bundle, checked, _sheet, _mapping = await _checked(session, user, pending)
        if not bundle.ok or (checked is not None and not checked.ok):  # the player's data changed meanwhile
            await session.rollback()
            await session.refresh(user)
            await session.refresh(pending)
            return await _preview(request, session, user, pending, status_code=422)
        outcome = await imports.apply(session, user, bundle, mode)
        await session.commit()
    flash(request, _done_message(outcome), "success")
    return _go(request, request.url_for("show_dashboard").path)


def _done_message(outcome: imports.Outcome) -> str:
    added = outcome.added
    text = (
        f"Imported {added.get('holdings', 0)} sites and assets, {added.get('balance_entries', 0)} balances, "
        f"{added.get('flows', 0)} deposits, withdrawals and bonuses, {added.get('transfers', 0)} transfers."
    )
    skipped = sum(outcome.skipped.values())
    if skipped:
        text += f" {skipped} records were already there and were skipped."
    if outcome.mode == "replace":
        text += " Your earlier data can be brought back from Your data for 24 hours."
    return text


def _go(request: Request, url: str) -> Response:
    return htmx.location(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


# ---- reset ---------------------------------------------------------------------------------------


async def reset_data(request: Request) -> Response:
    """Soft-delete all bankroll data after the typed confirmation word; undoable for 24 hours."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form = Form(
            {
                "confirm": str(data.get("confirm") or "")[:40],
                "request_key": str(data.get("request_key") or "")[:56],
            }
        )
        if form.values["confirm"].strip().upper() != reset.WORD:
            form.errors["confirm"] = f"Type {reset.WORD} to confirm."
            return await _page(request, session, user, 422, reset_form=form)
        marker = await reset.reset(session, user, form.values["request_key"] or None)
        await session.commit()
        if marker is None:
            flash(request, "Your data was already reset.", "info")
        else:
            undo = request.url_for("undo_reset", reset_id=marker.id).path
            flash(
                request, "Your bankroll data was reset. You can undo this for 24 hours.", "success", undo=undo
            )
    return _go(request, request.url_for("show_data").path)


async def undo_reset(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        marker = await reset.get_reset(session, user, request.path_params["reset_id"])
        if marker is None:
            raise HTTPException(404)
        if marker.undone_at is not None:
            flash(request, "Your data is already back.", "info")
        elif not reset.undoable(marker):
            flash(request, "That reset is more than 24 hours old: its data is gone for good.", "error")
        else:
            renamed = await reset.undo(session, user, marker)
            await session.commit()
            extra = f" Renamed, as the name was taken meanwhile: {', '.join(renamed)}." if renamed else ""
            flash(request, "Your bankroll data is back." + extra, "success")
    return _go(request, request.url_for("show_data").path)


routes = [
    Route("/data", show_data, methods=["GET"]),
    Route("/data/export.json", export_json, methods=["GET"]),
    Route("/data/export.zip", export_zip, methods=["GET"]),
    Route("/data/import-template.csv", csv_template, methods=["GET"]),
    Route("/data/import", upload_import, methods=["POST"]),
    Route("/data/imports/{import_id:int}", show_import, methods=["GET"]),
    Route("/data/imports/{import_id:int}", apply_import, methods=["POST"]),
    Route("/data/imports/{import_id:int}/mapping", map_import, methods=["POST"]),
    Route("/data/reset", reset_data, methods=["POST"]),
    Route("/data/resets/{reset_id:int}/undo", undo_reset, methods=["POST"]),
]
