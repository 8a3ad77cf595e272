"""Sites and assets forms: parse and validate, returning the typed values and per-field messages.

Checks that need the database (a duplicate name) are added by the routes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData, QueryParams

from app import money
from app.auth.forms import Form

NAME_MAX = 100
NOTE_MAX = 500
CATEGORIES = {"bank": "Bank", "ewallet": "E-wallet", "crypto": "Crypto", "cash": "Cash", "other": "Other"}
DIRECTIONS = ("up", "down")
_KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,48}")  # stored as is, and with a suffix for the first entry
_EARLIEST = date(1970, 1, 1)


@dataclass
class Parsed(Form):
    """A Form plus the typed values, filled only when the form is valid."""

    clean: dict[str, Any] = field(default_factory=dict)


def new_key() -> str:
    """A fresh request_key for a form about to be rendered (a repeat submit then records nothing)."""
    return uuid.uuid4().hex


def text(data: FormData | QueryParams, name: str) -> str:
    """A trimmed text field; long input is kept (so its length can be reported), within reason."""
    value = data.get(name)
    return value.strip()[:5000] if isinstance(value, str) else ""


def request_key(data: FormData) -> str | None:
    key = text(data, "request_key")
    return key if _KEY_RE.fullmatch(key) else None


def name_key(name: str) -> str:
    """What makes two names the same: case and spacing don't count."""
    return name.casefold()


def local_input(moment: datetime, timezone: str) -> str:
    """An aware instant as a datetime-local value in the player's time zone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M")


def today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def parse_moment(value: str, timezone: str) -> datetime:
    """A datetime-local value read in the player's time zone, as aware UTC; ValueError(message) if bad."""
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("Enter a date and time, like 2026-03-01 18:30.") from None
    if local.tzinfo is not None:
        raise ValueError("Enter a date and time, like 2026-03-01 18:30.")
    if local.date() < _EARLIEST:
        raise ValueError("Enter a date after 1970.")
    if local.date() > today(timezone) + timedelta(days=1):
        raise ValueError("The date can't be later than tomorrow.")
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def _name(form: Parsed, data: FormData) -> None:
    name = " ".join(text(data, "name").split())
    form.values["name"] = name
    if not name:
        form.errors["name"] = "Enter a name."
    elif len(name) > NAME_MAX:
        form.errors["name"] = f"Use at most {NAME_MAX} characters (this one has {len(name)})."
    else:
        form.clean["name"] = name
        form.clean["name_key"] = name_key(name)


def _currency(form: Parsed, data: FormData) -> None:
    currency = text(data, "currency").upper()
    form.values["currency"] = currency
    if money.is_currency(currency):
        form.clean["currency"] = currency
    else:
        form.errors["currency"] = "Choose a currency from the list."


def _category(form: Parsed, data: FormData, kind: str) -> None:
    if kind != "asset":
        form.clean["category"] = None
        return
    category = text(data, "category")
    form.values["category"] = category
    if category in CATEGORIES:
        form.clean["category"] = category
    else:
        form.errors["category"] = "Choose a category from the list."


def _amount(form: Parsed, data: FormData, name: str, currency: str | None) -> None:
    form.values[name] = text(data, name)
    if currency is None:
        return  # the currency's own message says what to fix; its decimals decide what is valid here
    try:
        form.clean[name] = money.parse_amount(form.values[name], currency, allow_zero=True)
    except money.MoneyError as error:
        form.errors[name] = str(error)


def _moment(form: Parsed, data: FormData, timezone: str) -> None:
    value = text(data, "recorded_at")
    form.values["recorded_at"] = value
    form.clean["recorded_at"] = None
    if value:
        try:
            form.clean["recorded_at"] = parse_moment(value, timezone)
        except ValueError as error:
            form.errors["recorded_at"] = str(error)


def _note(form: Parsed, data: FormData) -> None:
    note = text(data, "note")
    form.values["note"] = note
    if len(note) > NOTE_MAX:
        form.errors["note"] = f"Use at most {NOTE_MAX} characters (this one has {len(note)})."
    else:
        form.clean["note"] = note or None


def blank_holding(kind: str, currency: str) -> Parsed:
    values = {"name": "", "currency": currency, "balance": "", "request_key": new_key()}
    if kind == "asset":
        values["category"] = "bank"
    return Parsed(values)


def new_holding(data: FormData, kind: str) -> Parsed:
    """Name, currency, category (assets) and starting balance of a new site or asset."""
    form = Parsed({"request_key": request_key(data) or new_key()})
    form.clean["request_key"] = request_key(data)
    _name(form, data)
    _currency(form, data)
    _category(form, data, kind)
    _amount(form, data, "balance", form.clean.get("currency"))
    return form


def holding_settings(data: FormData, kind: str) -> Parsed:
    """Rename, change the currency of future entries, change the category (assets)."""
    form = Parsed({})
    _name(form, data)
    _currency(form, data)
    _category(form, data, kind)
    return form


def settings_values(holding: Any) -> Parsed:
    values = {"name": holding.name, "currency": holding.currency}
    if holding.kind == "asset":
        values["category"] = holding.category or "other"
    return Parsed(values)


def blank_balance() -> Parsed:
    return Parsed({"balance": "", "recorded_at": "", "note": "", "request_key": new_key()})


def balance(data: FormData, currency: str, timezone: str) -> Parsed:
    """A new balance: the amount (zero allowed), an optional moment (default now) and note."""
    form = Parsed({"request_key": request_key(data) or new_key()})
    form.clean["request_key"] = request_key(data)
    _amount(form, data, "balance", currency)
    _moment(form, data, timezone)
    _note(form, data)
    return form


def entry_values(entry: Any, timezone: str) -> Parsed:
    return Parsed(
        {
            "balance": f"{entry.balance:f}",
            "recorded_at": local_input(entry.recorded_at, timezone),
            "note": entry.note or "",
        }
    )


def entry(data: FormData, entry: Any, timezone: str) -> Parsed:
    """An edited entry; an unchanged (minute-rounded) time keeps the original instant."""
    form = Parsed({})
    _amount(form, data, "balance", entry.currency)
    _moment(form, data, timezone)
    _note(form, data)
    shown = local_input(entry.recorded_at, timezone)
    if form.clean.get("recorded_at") is None or form.values["recorded_at"] == shown:
        form.clean["recorded_at"] = entry.recorded_at
    return form


@dataclass
class HistoryView:
    """The history filter and page, from the query string (GET) or hidden fields (POST)."""

    start: str = ""
    end: str = ""
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)
    since: datetime | None = None  # aware UTC bounds: [since, until)
    until: datetime | None = None

    @property
    def values(self) -> dict[str, str]:
        return {"from": self.start, "to": self.end}

    def params(self, page: int | None = None) -> dict[str, str]:
        """The parameters that reproduce this view (or another page of it); empty ones left out."""
        page = page or self.page
        params = {"from": self.start, "to": self.end, "page": str(page) if page > 1 else ""}
        return {key: value for key, value in params.items() if value}

    def query(self, page: int | None = None) -> str:
        """ "?from=...&page=2", or "" for the plain view."""
        params = self.params(page)
        return "?" + urlencode(params) if params else ""


def _day(value: str) -> date:
    day = date.fromisoformat(value)
    if day < _EARLIEST:
        raise ValueError
    return day


def history_view(data: FormData | QueryParams, timezone: str) -> HistoryView:
    view = HistoryView(start=text(data, "from")[:10], end=text(data, "to")[:10])
    page = text(data, "page")
    view.page = int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1
    tz = ZoneInfo(timezone)
    days: dict[str, date] = {}
    for name, value in (("from", view.start), ("to", view.end)):
        if not value:
            continue
        try:
            days[name] = _day(value)
        except ValueError:
            view.errors[name] = "Enter a date like 2026-03-01."
    if "from" in days and "to" in days and days["from"] > days["to"]:
        view.errors["to"] = "The end date must not be before the start date."
        return view
    if "from" in days:
        view.since = datetime.combine(days["from"], datetime.min.time(), tz).astimezone(UTC)
    if "to" in days:
        view.until = datetime.combine(days["to"] + timedelta(days=1), datetime.min.time(), tz).astimezone(UTC)
    return view
