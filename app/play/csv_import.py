"""CSV import of sessions: map the file's columns to session fields, check every row, no duplicates.

Pure functions: a row becomes the same form data the session form posts, and forms.parse_play checks
it, so an imported session obeys exactly the rules of a typed one. The export's columns map
themselves, so an exported file imports again (and, being already there, adds nothing).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.flows.forms import zone
from app.models import Holding, User
from app.play import forms

MAX_ROWS = 5000
# The session fields a column can fill, with a label and the header names recognised without help.
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "started_at": ("Start", ("started_at", "start", "started", "date", "start time")),
    "ended_at": ("End", ("ended_at", "end", "ended", "end time")),
    "break_minutes": ("Break minutes", ("break_minutes", "break", "breaks")),
    "game": ("Game", ("game",)),
    "format": ("Format", ("format", "type")),
    "setting": ("Live or online", ("setting", "live/online")),
    "site": ("Site", ("site", "room")),
    "venue": ("Venue", ("venue", "casino")),
    "currency": ("Currency", ("currency",)),
    "stakes": ("Stakes (1/2)", ("stakes", "blinds", "limit")),
    "small_blind": ("Small blind", ("small_blind", "sb")),
    "big_blind": ("Big blind", ("big_blind", "bb")),
    "buy_in": ("Buy-in", ("buy_in", "buyin", "buy-in")),
    "fee": ("Fee", ("fee", "rake")),
    "re_entries": ("Re-entries", ("re_entries", "rebuys", "re-entries")),
    "add_ons": ("Add-ons", ("add_ons", "addons", "add-ons")),
    "cash_out": ("Cash-out or prize", ("cash_out", "cashout", "cash-out", "prize", "won")),
    "expenses": ("Expenses", ("expenses",)),
    "hands": ("Hands", ("hands",)),
    "tables": ("Tables", ("tables",)),
    "location": ("Location", ("location",)),
    "tags": ("Tags", ("tags",)),
    "notes": ("Notes", ("notes", "note", "comment")),
}
REQUIRED = ("started_at", "ended_at", "buy_in", "cash_out")


class CsvProblem(Exception):
    """The file as a whole can't be read."""


@dataclass
class Row:
    number: int  # the line in the file (the header is line 1)
    values: forms.PlayInput | None
    errors: dict[str, str] = field(default_factory=dict)
    duplicate: bool = False


def read(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows (blank lines skipped)."""
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    if not rows:
        raise CsvProblem("The file is empty.")
    if len(rows) - 1 > MAX_ROWS:
        raise CsvProblem(f"The file has more than {MAX_ROWS:,} sessions; split it.")
    header = [cell.strip() for cell in rows[0]]
    return header, rows[1:]


def guess_mapping(header: Sequence[str]) -> dict[str, str]:
    """target → header name, for the headers that name a field."""
    known = {h.strip().lower().replace(" ", "_"): h for h in header}
    known.update({h.strip().lower(): h for h in header})
    mapping = {}
    for target, (_label, names) in TARGETS.items():
        for name in names:
            if name in known:
                mapping[target] = known[name]
                break
    return mapping


def _moment(text: str, user: User) -> str:
    """ISO timestamps with an offset (the export's) become the player's local time; others pass as typed."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    return moment.astimezone(zone(user)).strftime("%Y-%m-%dT%H:%M:%S")


def row_key(user: User, data: Mapping[str, str]) -> str:
    """The same session in the same file twice (or imported again) gets the same key."""
    basis = "|".join([str(user.id), *(data.get(k, "") for k in sorted(TARGETS))])
    return "csv-" + hashlib.sha256(basis.encode()).hexdigest()[:40]


def form_data(
    cells: Mapping[str, str], user: User, sites: Sequence[Holding]
) -> tuple[dict[str, str], str | None]:
    """A mapped row as the session form's data, and a problem with its site name (if any)."""
    data = {target: cells.get(target, "").strip() for target in TARGETS}
    data["game"] = next((g for g in forms.GAMES if g.lower() == data["game"].lower()), data["game"] or "NLH")
    data["format"] = next(
        (f for f in forms.FORMATS if f.lower() == data["format"].lower()), data["format"] or "cash"
    )
    problem = None
    site_name = data.pop("site")
    holding_id = ""
    if site_name:
        site = next((s for s in sites if s.name.casefold() == site_name.casefold()), None)
        if site is None:
            problem = f"You have no site named “{site_name}”: add it first, or map the column to Venue."
        else:
            holding_id = str(site.id)
    setting = data["setting"].lower()
    data["setting"] = setting if setting in forms.SETTINGS else ("online" if site_name else "live")
    small, big = data.pop("small_blind"), data.pop("big_blind")
    if not data["stakes"] and small and big:
        data["stakes"] = f"{small}/{big}"
    if data["format"] != "cash":
        data["stakes"] = ""
    data["currency"] = data["currency"] or user.display_currency
    data["started_at"] = _moment(data["started_at"], user)
    data["ended_at"] = _moment(data["ended_at"], user)
    data["break_minutes"] = data["break_minutes"] or "0"
    data["tables"] = data["tables"] or "1"
    data["holding_id"] = holding_id
    return data, problem


def check(
    rows: Sequence[Sequence[str]],
    header: Sequence[str],
    mapping: Mapping[str, str],
    user: User,
    sites: Sequence[Holding],
) -> list[Row]:
    """Every row checked with the session form's rules; each carries a key that makes re-imports no-ops."""
    index = {name: i for i, name in enumerate(header)}
    checked = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        cells = {
            t: row[index[h]] if index.get(h, len(row)) < len(row) else "" for t, h in mapping.items() if h
        }
        data, site_problem = form_data(cells, user, sites)
        key = row_key(user, {k: cells.get(k, "") for k in TARGETS})
        form, values = forms.parse_play(data, user, sites)
        errors = dict(form.errors)
        if site_problem:
            errors["holding_id"] = site_problem
            values = None
        checked.append(Row(number, values, errors, duplicate=key in seen))
        seen.add(key)
    return checked


def missing_targets(mapping: Mapping[str, str]) -> list[str]:
    return [TARGETS[t][0] for t in REQUIRED if not mapping.get(t)]
