"""The deposit, withdrawal and bonus form and the list's date filter: parse and validate, keep input."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app import money
from app.auth.forms import Form
from app.models import Flow, Holding, User

KINDS = ("deposit", "withdrawal", "bonus")
NOTE_LIMIT = 500
REQUEST_KEY_LIMIT = 56  # the column holds 64 and the balance entry's key adds "-balance"
EARLIEST = date(1970, 1, 1)
DATE_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
FIELDS = ("occurred_at", "amount", "currency", "holding_id", "note", "new_balance", "request_key")


@dataclass
class FlowInput:
    """A valid deposit or withdrawal, ready for queries.create_flow / queries.update_flow."""

    kind: str
    occurred_at: datetime  # aware UTC
    amount: Decimal
    currency: str
    note: str | None
    holding: Holding | None
    new_balance: Decimal | None  # the chosen holding's balance after this flow (in its currency)
    request_key: str | None


def zone(user: User) -> tzinfo:
    """The player's time zone (UTC if the stored name is unknown)."""
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_input(moment: datetime, user: User) -> str:
    """An aware instant as a datetime-local input value in the player's time zone."""
    return moment.astimezone(zone(user)).strftime("%Y-%m-%dT%H:%M")


def new_request_key() -> str:
    return str(uuid.uuid4())


def blank(user: User, holding: Holding | None = None, now: datetime | None = None) -> Form:
    """A fresh add form: now in the player's time zone, the site's currency or else the player's."""
    return Form(
        {
            "occurred_at": local_input(now or datetime.now(UTC), user),
            "amount": "",
            "currency": holding.currency if holding is not None else user.display_currency,
            "holding_id": str(holding.id) if holding is not None else "",
            "note": "",
            "new_balance": "",
            "request_key": new_request_key(),
        }
    )


def from_flow(flow: Flow, user: User) -> Form:
    """The edit form, filled in from a stored flow."""
    return Form(
        {
            "occurred_at": local_input(flow.occurred_at, user),
            "amount": f"{money.quantize(flow.amount, flow.currency):f}",
            "currency": flow.currency,
            "holding_id": str(flow.holding_id) if flow.holding_id is not None else "",
            "note": flow.note or "",
            "new_balance": "",
            "request_key": "",
        }
    )


def _raw(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def parse_moment(text: str, user: User, now: datetime | None = None) -> tuple[datetime | None, str | None]:
    """A datetime-local (or date-only) value in the player's time zone → (aware UTC instant, problem)."""
    if not text:
        return None, "Enter the date."
    tz = zone(user)
    today = (now or datetime.now(UTC)).astimezone(tz)
    local: datetime | None = None
    for pattern in DATE_FORMATS:
        try:
            local = datetime.strptime(text, pattern)  # the zone is attached below
            break
        except ValueError:
            continue
    if local is None:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None, "Enter a date and time like 2026-03-01 14:30."
        # A bare date means now when it is today, else midday (so it sorts sensibly within the day).
        local = today.replace(tzinfo=None) if day == today.date() else datetime.combine(day, time(12))
    if local.date() < EARLIEST:
        return None, "Enter a date after 1970."
    if local.date() > today.date() + timedelta(days=1):
        return None, "The date can't be more than a day in the future."
    return local.replace(tzinfo=tz).astimezone(UTC), None


def _parse_amount(form: Form, name: str, currency: str | None, **options: bool) -> Decimal | None:
    """Parse one money field into form.errors; with an unknown currency only its shape is checked."""
    try:
        return money.parse_amount(form.values[name], currency or "BTC", **options)
    except money.MoneyError as problem:
        if currency is not None or "decimals" not in str(problem):
            form.errors[name] = str(problem)
        return None


def parse_flow(
    data: Mapping[str, Any],
    user: User,
    holdings: Sequence[Holding],
    kind: str = "deposit",
    *,
    now: datetime | None = None,
) -> tuple[Form, FlowInput | None]:
    """Validate a submitted deposit/withdrawal form against the player's live holdings.

    Returns the form (typed values kept, a message per bad field) and the parsed input, or None when
    something is wrong. `holdings` are the player's live sites and assets (queries.live_holdings).
    A new balance is optional and only allowed together with a site.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown flow kind {kind!r}")
    form = Form({name: _raw(data, name) for name in FIELDS})
    values = form.values
    values["currency"] = values["currency"].upper()
    occurred_at, problem = parse_moment(values["occurred_at"], user, now)
    if problem:
        form.errors["occurred_at"] = problem
    currency: str | None = values["currency"]
    if not money.is_currency(currency):
        form.errors["currency"] = "Choose a currency from the list."
        currency = None
    amount = _parse_amount(form, "amount", currency, allow_zero=False)
    holding = None
    if values["holding_id"]:
        by_id = {str(h.id): h for h in holdings}
        holding = by_id.get(values["holding_id"])
        if holding is None:
            form.errors["holding_id"] = "Choose one of your sites"
    if len(values["note"]) > NOTE_LIMIT:
        form.errors["note"] = f"Keep the note to {NOTE_LIMIT} characters or fewer."
    new_balance = None
    if values["new_balance"]:
        if not values["holding_id"]:
            form.errors["new_balance"] = "Choose the site whose new balance this is."
        elif holding is not None:
            new_balance = _parse_amount(form, "new_balance", holding.currency)
    key = values["request_key"]
    if not form.ok or occurred_at is None or amount is None or currency is None:
        return form, None
    return form, FlowInput(
        kind=kind,
        occurred_at=occurred_at,
        amount=amount,
        currency=currency,
        note=values["note"] or None,
        holding=holding,
        new_balance=new_balance,
        request_key=key if 0 < len(key) <= REQUEST_KEY_LIMIT else None,
    )


@dataclass
class DateFilter:
    """The list's date range: local dates as typed, and the UTC instants they cover (end exclusive)."""

    form: Form
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1

    @property
    def active(self) -> bool:
        return self.start is not None or self.end is not None

    def query(self, page: int | None = None) -> str:
        """The query string for this filter (and a page), '' when there is nothing to say."""
        params = {key: self.form.values[key] for key in ("from", "to") if self.form.values[key]}
        if page is not None and page > 1:
            params["page"] = str(page)
        return "?" + urlencode(params) if params else ""


def parse_filter(params: Mapping[str, Any], user: User) -> DateFilter:
    """Read ?from=YYYY-MM-DD&to=YYYY-MM-DD&page=N; a bad date is reported and ignored."""
    form = Form({"from": _raw(params, "from"), "to": _raw(params, "to")})
    result = DateFilter(form)
    tz = zone(user)
    days: dict[str, date] = {}
    for key in ("from", "to"):
        if not form.values[key]:
            continue
        try:
            days[key] = date.fromisoformat(form.values[key])
        except ValueError:
            form.errors[key] = "Enter a date like 2026-03-01."
    if "from" in days and "to" in days and days["from"] > days["to"]:
        form.errors["to"] = "The end date is before the start date."
        del days["to"]
    if "from" in days:
        result.start = datetime.combine(days["from"], time(0), tz).astimezone(UTC)
    if "to" in days:
        result.end = datetime.combine(days["to"] + timedelta(days=1), time(0), tz).astimezone(UTC)
    page = _raw(params, "page")
    result.page = int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1
    return result
