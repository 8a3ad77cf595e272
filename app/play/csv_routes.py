"""CSV out and in for poker sessions: the documented export; the import (upload, map, preview, confirm)."""

from __future__ import annotations

import csv
import io
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from app import htmx, money
from app.achievements import services as achievements
from app.data import upload
from app.models import User
from app.play import csv_import, forms, queries
from app.templating import flash, render
from app.web import db, require_user

IMPORT = "play/import.html"


def _uid(user: User) -> int:
    assert user.id is not None
    return user.id


def _done(request: Request, url: str) -> Response:
    return htmx.redirect(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


EXPORT_COLUMNS = [
    "id",
    "started_at",
    "ended_at",
    "break_minutes",
    "hours",
    "game",
    "format",
    "setting",
    "site",
    "venue",
    "currency",
    "small_blind",
    "big_blind",
    "buy_in",
    "fee",
    "re_entries",
    "add_ons",
    "cash_out",
    "result",
    "expenses",
    "hands",
    "tables",
    "location",
    "tags",
    "notes",
]


async def export_play(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        flt = forms.parse_filter(request.query_params, user)
        found = await queries.finished(session, _uid(user), flt)
        await achievements.exported(session, user, request, "csv")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for p, site in reversed(found):
        result = forms.result(p)
        writer.writerow(
            [
                p.id,
                p.started_at.isoformat(),
                p.ended_at.isoformat() if p.ended_at else "",
                round(p.break_seconds / 60),
                f"{forms.played_seconds(p) / 3600:.2f}",
                p.game,
                p.format,
                "live" if p.live else "online",
                _cell(site or ""),
                _cell(p.venue or ""),
                p.currency,
                "" if p.small_blind is None else f"{p.small_blind.normalize():f}",
                "" if p.big_blind is None else f"{p.big_blind.normalize():f}",
                *(f"{money.quantize(a, p.currency):f}" for a in (p.buy_in, p.fee)),
                p.re_entries,
                f"{money.quantize(p.add_ons, p.currency):f}",
                "" if p.cash_out is None else f"{money.quantize(p.cash_out, p.currency):f}",
                "" if result is None else f"{money.quantize(result, p.currency):f}",
                f"{money.quantize(p.expenses, p.currency):f}",
                "" if p.hands is None else p.hands,
                p.tables,
                _cell(p.location or ""),
                _cell(forms.tags_text(p.tags)),
                _cell(p.notes or ""),
            ]
        )
    headers = {"Content-Disposition": 'attachment; filename="stakeeasy-sessions.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _cell(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: prefix those with a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def show_play_import(request: Request) -> Response:
    async with db(request) as session:
        await require_user(request, session)
    return render(request, IMPORT, {"preview": None, "problem": None, "columns": EXPORT_COLUMNS})


def _text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


async def import_play(request: Request) -> Response:
    """Upload (guess the mapping), check again with another mapping, or confirm: all or nothing."""
    data = await upload.checked_upload(request)
    async with db(request) as session:
        user = await require_user(request, session)
        sites = await queries.sites(session, _uid(user))
        uploaded = isinstance(data.get("file"), UploadFile)
        try:
            if uploaded:
                _name, content = await upload.file_bytes(data)
                text = content.decode("utf-8-sig")
            else:
                text = _text_of(data.get("csv"))
            header, rows = csv_import.read(text)
        except UnicodeDecodeError:
            return _import_problem(
                request, "That file is not UTF-8 text. Save it as CSV (UTF-8) and try again."
            )
        except (upload.FileProblem, csv_import.CsvProblem) as problem:
            return _import_problem(request, str(problem))
        if uploaded:
            mapping = csv_import.guess_mapping(header)
        else:
            mapping = {t: _text_of(data.get(f"map_{t}")) for t in csv_import.TARGETS}
            mapping = {t: h for t, h in mapping.items() if h in header}
        missing = csv_import.missing_targets(mapping)
        checked = [] if missing else csv_import.check(rows, header, mapping, user, sites)
        bad = [row for row in checked if row.errors]
        fresh = [row.values for row in checked if row.values is not None and not row.duplicate]
        stored = await queries.fingerprints(session, _uid(user))
        new = [
            v
            for v in fresh
            if queries.fingerprint(v.started_at, v.ended_at, v.buy_in, v.cash_out) not in stored
        ]
        if data.get("action") == "confirm" and checked and not missing and not bad:
            added = await queries.create_many(session, user, fresh)
            flash(request, f"Imported {added} session{'s' if added != 1 else ''}.", "success")
            await achievements.after_action(session, user, request)
            return _done(request, str(request.app.url_path_for("list_play")))
        preview = {
            "text": text,
            "header": header,
            "mapping": mapping,
            "missing": missing,
            "rows": checked,
            "bad": bad,
            "new": new,
            "known": len(fresh) - len(new),
            "labels": {t: label for t, (label, _names) in csv_import.TARGETS.items()},
            "field_labels": {
                **{t: label for t, (label, _n) in csv_import.TARGETS.items()},
                "holding_id": "Site",
            },
        }
    status = 422 if missing or bad else 200
    return render(
        request,
        IMPORT,
        {"preview": preview, "problem": None, "columns": EXPORT_COLUMNS},
        block=htmx.block_for(request, "play_import"),
        status_code=status,
    )


def _import_problem(request: Request, problem: str) -> Response:
    context = {"preview": None, "problem": problem, "columns": EXPORT_COLUMNS}
    return render(request, IMPORT, context, block=htmx.block_for(request, "play_import"), status_code=422)
