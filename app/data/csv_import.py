"""Import a simple spreadsheet: one row per balance, deposit, withdrawal or bonus.

Columns (any order, any names: the player maps them; usual names are recognised): date, kind
(balance / deposit / withdrawal / bonus), site or asset name, amount, currency, note, and optionally
the holding type (site / asset) for names StakeEasy does not know yet. Every row is checked and every
problem reported with its row number; only a file without problems can be imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app import money
from app.data.imports import (
    NAME_LIMIT,
    NOTE_LIMIT,
    Bundle,
    EntryIn,
    FlowIn,
    HoldingIn,
    ImportRefused,
    formula_like,
)
from app.flows.forms import parse_moment
from app.models import Holding, User

MAX_ROWS = 20_000
SHOWN_ROWS = 50
KINDS = {
    "balance": "balance",
    "deposit": "deposit",
    "withdrawal": "withdrawal",
    "bonus": "bonus",
    "rakeback": "bonus",
    "cashout": "withdrawal",
    "cash out": "withdrawal",
    "withdraw": "withdrawal",
}
# field -> (label, required, header names recognised)
FIELDS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "date": ("Date", True, ("date", "day", "when", "time", "datetime", "date and time", "recorded at")),
    "kind": (
        "Kind (balance, deposit, withdrawal, bonus)",
        True,
        ("kind", "entry", "entry type", "transaction"),
    ),
    "name": ("Site or asset", True, ("name", "site", "asset", "site or asset", "holding", "account", "room")),
    "amount": ("Amount", True, ("amount", "balance", "value", "sum", "total")),
    "currency": ("Currency", False, ("currency", "ccy", "cur", "currency code")),
    "note": ("Note", False, ("note", "notes", "comment", "comments", "description", "memo")),
    "type": ("Site or asset type (site, asset)", False, ("type", "holding type", "site or asset type")),
}
TEMPLATE = (
    "date,kind,name,amount,currency,note,type\r\n"
    "2026-03-01,balance,PokerStars,250.00,USD,,site\r\n"
    "2026-03-01,balance,Skrill,1200.00,EUR,,asset\r\n"
    "2026-03-02,deposit,PokerStars,100.00,USD,reload,\r\n"
    "2026-03-05,withdrawal,PokerStars,50.00,USD,cash out,\r\n"
    "2026-03-06,bonus,PokerStars,12.50,USD,weekly rakeback,\r\n"
    "2026-03-06,balance,PokerStars,312.50,USD,after Sunday,\r\n"
)


@dataclass
class Sheet:
    """The file's header and rows, as text."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class RowReport:
    number: int  # the line in the file (the header is line 1)
    cells: dict[str, str]
    problems: list[str] = field(default_factory=list)


@dataclass
class Checked:
    """The rows checked against a mapping: the bundle to import, per-row reports, mapping problems."""

    bundle: Bundle
    reports: list[RowReport]
    mapping_problems: dict[str, str] = field(default_factory=dict)

    @property
    def bad_rows(self) -> list[RowReport]:
        return [report for report in self.reports if report.problems]

    @property
    def ok(self) -> bool:
        return not self.mapping_problems and self.bundle.ok and not self.bad_rows


def read(text: str) -> Sheet:
    """Split the CSV text (comma, semicolon or tab separated); ImportRefused when it can't be read."""
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise ImportRefused(f"The CSV file can't be read ({error}).") from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise ImportRefused("The CSV file needs a header line and at least one row.")
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRefused(f"The CSV file has {len(rows) - 1} rows; StakeEasy imports at most {MAX_ROWS}.")
    if "\x00" in text:
        raise ImportRefused("That is not a text file.")
    return Sheet([cell.strip() for cell in rows[0]], rows[1:])


def _normal(header: str) -> str:
    return re.sub(r"[^a-z]+", " ", header.casefold()).strip()


def guess_mapping(header: Sequence[str]) -> dict[str, int | None]:
    """Each field's column, by the usual header names (None: not found)."""
    names = [_normal(h) for h in header]
    mapping: dict[str, int | None] = {}
    for name, (_label, _required, known) in FIELDS.items():
        mapping[name] = next((i for i, h in enumerate(names) if h in known), None)
    return mapping


def clean_mapping(raw: dict[str, str], width: int) -> dict[str, int | None]:
    """A submitted mapping: each field's column number, or None ("not in the file")."""
    mapping: dict[str, int | None] = {}
    for name in FIELDS:
        value = str(raw.get(name, "")).strip()
        mapping[name] = int(value) if value.isdigit() and int(value) < width else None
    return mapping


def check(sheet: Sheet, mapping: dict[str, int | None], user: User, holdings: Sequence[Holding]) -> Checked:
    """Check every row; the bundle holds the good rows (to be imported only when none is bad)."""
    bundle = Bundle()
    checked = Checked(bundle, [])
    used: dict[int, str] = {}
    for name, (label, required, _known) in FIELDS.items():
        column = mapping.get(name)
        if column is None and required:
            checked.mapping_problems[name] = (
                f"Choose the column that holds the {label.split(' (')[0].lower()}."
            )
        elif column is not None and column in used:
            checked.mapping_problems[name] = f"That column is already the {FIELDS[used[column]][0].lower()}."
        elif column is not None:
            used[column] = name
    if checked.mapping_problems:
        return checked
    known: dict[str, list[Holding]] = {}
    for holding in holdings:
        known.setdefault(holding.name_key, []).append(holding)
    new: dict[tuple[str, str], HoldingIn] = {}
    pending: list[tuple[RowReport, str, str, str | None, datetime, object]] = []
    for offset, row in enumerate(sheet.rows):
        cells = {name: _cell(row, mapping[name]) for name in FIELDS}
        report = RowReport(offset + 2, cells)
        checked.reports.append(report)
        _check_row(report, cells, user, known, new, pending)
    for report, kind, name, currency, moment, amount_text in pending:
        _to_bundle(report, bundle, kind, name, currency, moment, str(amount_text), known, new)
    bundle.holdings.extend(new.values())  # the known ones the rows use are already there
    return checked


def _cell(row: list[str], column: int | None) -> str:
    return row[column].strip() if column is not None and column < len(row) else ""


def _check_row(
    report: RowReport,
    cells: dict[str, str],
    user: User,
    known: dict[str, list[Holding]],
    new: dict[tuple[str, str], HoldingIn],
    pending: list[tuple[RowReport, str, str, str | None, datetime, object]],
) -> None:
    for name, value in cells.items():
        if value and formula_like(value) and not (name == "amount" and value[:1] in "+-"):
            report.problems.append(
                f"{FIELDS[name][0].split(' (')[0]}: {value[:20]!r} looks like a spreadsheet formula."
            )
    if report.problems:
        return
    kind = KINDS.get(cells["kind"].casefold())
    if kind is None:
        report.problems.append(f"Kind: {cells['kind'][:20]!r} is not balance, deposit, withdrawal or bonus.")
    moment, problem = parse_moment(cells["date"], user)
    if problem:
        report.problems.append(f"Date: {problem}")
    name = cells["name"]
    if len(name) > NAME_LIMIT:
        report.problems.append(f"Site or asset: longer than {NAME_LIMIT} characters.")
    if kind == "balance" and not name:
        report.problems.append("Site or asset: a balance needs the site or asset it belongs to.")
    if len(cells["note"]) > NOTE_LIMIT:
        report.problems.append(f"Note: longer than {NOTE_LIMIT} characters.")
    currency = cells["currency"].upper() or None
    if currency is not None and not money.is_currency(currency):
        report.problems.append(f"Currency: {cells['currency'][:12]!r} is not a currency StakeEasy knows.")
    holding_type = cells["type"].casefold()
    if holding_type and holding_type not in ("site", "asset"):
        report.problems.append("Type: use site or asset.")
    if not cells["amount"]:
        report.problems.append("Amount: missing.")
    if report.problems or kind is None or moment is None:
        return
    pending.append((report, kind, name, currency, moment, cells["amount"]))


def _holding_for(
    report: RowReport,
    name: str,
    holding_type: str,
    known: dict[str, list[Holding]],
    new: dict[tuple[str, str], HoldingIn],
) -> Holding | HoldingIn | None:
    key = name.casefold()
    matches: list[Holding | HoldingIn] = [
        h for h in known.get(key, []) if not holding_type or h.kind == holding_type
    ]
    matches += [h for (kind, k), h in new.items() if k == key and (not holding_type or kind == holding_type)]
    if len(matches) > 1:
        report.problems.append(
            f"Site or asset: you have a site and an asset called {name!r}; add a type column."
        )
        return None
    return matches[0] if matches else None


def _to_bundle(
    report: RowReport,
    bundle: Bundle,
    kind: str,
    name: str,
    currency: str | None,
    moment: datetime,
    amount_text: str,
    known: dict[str, list[Holding]],
    new: dict[tuple[str, str], HoldingIn],
) -> None:
    holding_type = report.cells["type"].casefold()
    holding = _holding_for(report, name, holding_type, known, new) if name else None
    if report.problems:
        return
    if name and holding is None:
        if kind != "balance":
            report.problems.append(
                f"Site or asset: no site or asset called {name!r} (add a balance row for it)."
            )
            return
        if currency is None:
            report.problems.append(f"Currency: {name!r} is new, so its balance needs a currency.")
            return
        holding = HoldingIn(ref=len(new) + 1, kind=holding_type or "site", name=name, currency=currency)
        new[(holding.kind, name.casefold())] = holding
    if holding is not None and kind == "balance":
        if currency is not None and currency != holding.currency:
            report.problems.append(f"Currency: {holding.name} keeps its balances in {holding.currency}.")
            return
        currency = holding.currency
    if currency is None:
        currency = holding.currency if holding is not None else None
    if currency is None:
        report.problems.append("Currency: missing.")
        return
    try:
        amount = money.parse_amount(amount_text, currency, allow_zero=kind == "balance")
    except money.MoneyError as problem:
        report.problems.append(f"Amount: {problem}")
        return
    note = report.cells["note"] or None
    ref = _ref(holding, bundle)
    if kind == "balance":
        bundle.entries.append(EntryIn(len(bundle.entries) + 1, ref or 0, moment, amount, currency, note))
    else:
        bundle.flows.append(FlowIn(kind, moment, amount, currency, ref, note))


def _ref(holding: Holding | HoldingIn | None, bundle: Bundle) -> int | None:
    """The bundle's reference of a holding: new ones by their ref, known ones added to the bundle."""
    if holding is None:
        return None
    if isinstance(holding, HoldingIn):
        return holding.ref
    ref = -int(holding.id)  # type: ignore[arg-type]  # known holdings: negative refs, never clashing
    if not any(h.ref == ref for h in bundle.holdings):
        bundle.holdings.append(
            HoldingIn(ref=ref, kind=holding.kind, name=holding.name, currency=holding.currency)
        )
    return ref
