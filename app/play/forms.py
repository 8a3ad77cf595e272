"""The poker session form and the list/results filter: parse and validate, keep what was typed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from app import money
from app.auth.forms import Form
from app.flows.forms import local_input, parse_moment, zone
from app.models import Holding, PokerSession, User

GAMES = ("NLH", "PLO", "PLO5", "Limit", "mixed")
FORMATS = ("cash", "MTT", "SNG", "Spin")
SETTINGS = ("online", "live")
TEXT_LIMITS = {"venue": 100, "location": 100, "tags": 300, "notes": 2000}
REQUEST_KEY_LIMIT = 56  # the balance entry's key adds "-balance"
FIELDS = (
    "game",
    "format",
    "setting",
    "holding_id",
    "venue",
    "currency",
    "stakes",
    "buy_in",
    "fee",
    "re_entries",
    "add_ons",
    "cash_out",
    "expenses",
    "started_at",
    "ended_at",
    "break_minutes",
    "hands",
    "tables",
    "location",
    "tags",
    "notes",
    "new_balance",
    "update_cash",
    "cash_holding_id",
    "request_key",
)
STAKES_RE = re.compile(r"^\s*([0-9][0-9.,]*)\s*/\s*([0-9][0-9.,]*)\s*$")


@dataclass
class PlayInput:
    """A valid session, ready for queries.create_play / queries.update_play."""

    game: str
    format: str
    live: bool
    holding: Holding | None
    venue: str | None
    currency: str
    small_blind: Decimal | None
    big_blind: Decimal | None
    buy_in: Decimal
    fee: Decimal
    re_entries: int
    add_ons: Decimal
    cash_out: Decimal
    expenses: Decimal
    started_at: datetime
    ended_at: datetime
    break_seconds: int
    hands: int | None
    tables: int
    location: str | None
    tags: str | None
    notes: str | None
    new_balance: Decimal | None
    request_key: str | None
    cash_holding: Holding | None = None  # a live session's cash asset, when "update my cash" is checked
    cash_change: Decimal | None = None  # what that asset gains (or loses): result − expenses


def cash_change(result: Decimal, expenses: Decimal) -> Decimal:
    """What a live session does to the player's cash: the cash-out came back, the buy-ins and the
    expenses (travel, food, tips) were paid from it."""
    return result - expenses


def tournament(fmt: str) -> bool:
    return fmt != "cash"


def cost(play: PokerSession) -> Decimal:
    """What the session cost to play: the cash buy-in, or (buy-in + fee) per entry plus add-ons."""
    if not tournament(play.format):
        return play.buy_in
    return (play.buy_in + play.fee) * (1 + play.re_entries) + play.add_ons


def result(play: PokerSession) -> Decimal | None:
    return None if play.cash_out is None else play.cash_out - cost(play)


def played_seconds(play: PokerSession, now: datetime | None = None) -> int:
    """Time at the table so far (breaks, and a running break, excluded)."""
    end = play.ended_at or play.paused_at or now or datetime.now(UTC)
    return max(0, int((end - play.started_at).total_seconds()) - play.break_seconds)


def stakes_text(small: Decimal | None, big: Decimal | None) -> str:
    if small is None or big is None:
        return ""
    return f"{small.normalize():f}/{big.normalize():f}"


def tags_text(stored: str | None) -> str:
    return ", ".join(t for t in (stored or "").split(",") if t)


def tag_list(stored: str | None) -> list[str]:
    return [t for t in (stored or "").split(",") if t]


def new_request_key() -> str:
    return str(uuid.uuid4())


def _amount_text(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else f"{money.quantize(amount, currency):f}"


def blank(user: User, last: PokerSession | None = None, now: datetime | None = None) -> Form:
    """A fresh form: ending now, two hours long; game, stakes and place prefilled from the last session."""
    end = now or datetime.now(UTC)
    values = dict.fromkeys(FIELDS, "")
    values.update(
        game="NLH",
        format="cash",
        setting="online",
        currency=user.display_currency,
        started_at=local_input(end - timedelta(hours=2), user),
        ended_at=local_input(end, user),
        break_minutes="0",
        tables="1",
        re_entries="0",
        request_key=new_request_key(),
    )
    if last is not None:
        values.update(_place_and_stakes(last))
    return Form(values)


def _place_and_stakes(play: PokerSession) -> dict[str, str]:
    return {
        "game": play.game,
        "format": play.format,
        "setting": "live" if play.live else "online",
        "holding_id": str(play.holding_id) if play.holding_id is not None else "",
        "venue": play.venue or "",
        "currency": play.currency,
        "stakes": stakes_text(play.small_blind, play.big_blind),
        "buy_in": _amount_text(play.buy_in, play.currency) if play.buy_in else "",
        "fee": _amount_text(play.fee, play.currency) if play.fee else "",
    }


def from_play(play: PokerSession, user: User, now: datetime | None = None) -> Form:
    """The edit form filled from a stored session (a stopped timer: end is its stop time)."""
    values = dict.fromkeys(FIELDS, "")
    values.update(_place_and_stakes(play))
    values.update(
        buy_in=_amount_text(play.buy_in, play.currency),
        fee=_amount_text(play.fee, play.currency) if play.fee else "",
        re_entries=str(play.re_entries),
        add_ons=_amount_text(play.add_ons, play.currency) if play.add_ons else "",
        cash_out=_amount_text(play.cash_out, play.currency),
        expenses=_amount_text(play.expenses, play.currency) if play.expenses else "",
        started_at=_local_seconds(play.started_at, user),
        ended_at=_local_seconds(play.ended_at or now or datetime.now(UTC), user),
        break_minutes=str(round(play.break_seconds / 60)),
        hands="" if play.hands is None else str(play.hands),
        tables=str(play.tables),
        location=play.location or "",
        tags=tags_text(play.tags),
        notes=play.notes or "",
        request_key=new_request_key(),  # the balance or cash entry this save adds is added once
    )
    return Form(values)


def _local_seconds(moment: datetime, user: User) -> str:
    """Like local_input, to the second: a timer stopped within its first minute still ends after it starts."""
    return moment.astimezone(zone(user)).strftime("%Y-%m-%dT%H:%M:%S")


def _raw(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _money(form: Form, name: str, currency: str | None, *, required: bool, blank_as: Decimal | None = None):
    text = form.values[name]
    if not text and not required:
        return blank_as
    try:
        return money.parse_amount(text, currency or "BTC")
    except money.MoneyError as problem:
        form.errors[name] = str(problem)
        return None


def _whole(form: Form, name: str, low: int, high: int, label: str) -> int | None:
    text = form.values[name]
    if not text:
        return None
    if not re.fullmatch(r"-?[0-9]+", text):
        form.errors[name] = f"Enter the {label} as a whole number."
        return None
    value = int(text)
    if value < low:
        form.errors[name] = (
            f"The {label} can't be less than {low}." if low else f"The {label} can't be negative."
        )
    elif value > high:
        form.errors[name] = f"The {label} must be {high:,} or fewer."
    return value if low <= value <= high else None


def parse_tags(text: str) -> str | None:
    """ "a, b, a" → ",a,b," (each tag once, trimmed, no empty ones)."""
    seen: list[str] = []
    for raw in text.split(","):
        tag = " ".join(raw.split())[:40]
        if tag and tag.lower() not in (t.lower() for t in seen):
            seen.append(tag)
    return "," + ",".join(seen) + "," if seen else None


def parse_stakes(text: str, currency: str | None) -> tuple[Decimal | None, Decimal | None, str | None]:
    match = STAKES_RE.match(text)
    if match is None:
        return None, None, "Enter the blinds like 1/2."
    try:
        small, big = (
            money.parse_amount(part, currency or "BTC", allow_zero=False) for part in match.groups()
        )
    except money.MoneyError:
        return None, None, "Enter the blinds like 1/2 (more than zero)."
    if small > big:
        return None, None, "The small blind is larger than the big blind."
    return small, big, None


def parse_play(
    data: Mapping[str, Any],
    user: User,
    sites: Sequence[Holding],
    *,
    now: datetime | None = None,
    cash_assets: Sequence[Holding] = (),
) -> tuple[Form, PlayInput | None]:
    """Validate a submitted session form; `sites` are the player's live holdings of kind site,
    `cash_assets` their live assets of category cash (for "update my cash")."""
    form = Form({name: _raw(data, name)[: TEXT_LIMITS.get(name, 100) + 1] for name in FIELDS})
    v = form.values
    if v["game"] not in GAMES:
        form.errors["game"] = "Choose a game from the list."
    if v["format"] not in FORMATS:
        form.errors["format"] = "Choose a format from the list."
    if v["setting"] not in SETTINGS:
        form.errors["setting"] = "Choose live or online."
    holding = None
    if v["holding_id"]:
        holding = next((h for h in sites if str(h.id) == v["holding_id"]), None)
        if holding is None:
            form.errors["holding_id"] = "Choose one of your sites."
    if holding is None and not v["venue"] and "holding_id" not in form.errors:
        form.errors["venue"] = "Choose a site or enter the venue."
    for name, limit in TEXT_LIMITS.items():
        if len(v[name]) > limit:
            form.errors[name] = f"Keep it to {limit} characters or fewer."
    v["currency"] = holding.currency if holding is not None else v["currency"].upper()
    currency: str | None = v["currency"]
    if not money.is_currency(currency):
        form.errors["currency"] = "Choose a currency from the list."
        currency = None
    small = big = None
    if v["format"] == "cash":
        if not v["stakes"]:
            form.errors["stakes"] = "Enter the blinds like 1/2."
        else:
            small, big, problem = parse_stakes(v["stakes"], currency)
            if problem:
                form.errors["stakes"] = problem
    buy_in = _money(form, "buy_in", currency, required=True)
    fee = _money(form, "fee", currency, required=False, blank_as=Decimal(0))
    add_ons = _money(form, "add_ons", currency, required=False, blank_as=Decimal(0))
    expenses = _money(form, "expenses", currency, required=False, blank_as=Decimal(0))
    if not v["cash_out"]:
        form.errors["cash_out"] = "Enter the cash-out (0 if nothing was left)."
        cash_out = None
    else:
        cash_out = _money(form, "cash_out", currency, required=True)
    re_entries = _whole(form, "re_entries", 0, 100, "re-entries") or 0
    break_minutes = _whole(form, "break_minutes", 0, 10_000, "break minutes") or 0
    hands = _whole(form, "hands", 0, 1_000_000, "hands")
    tables = _whole(form, "tables", 1, 40, "tables") or 1
    started_at, problem = parse_moment(v["started_at"], user, now)
    if problem:
        form.errors["started_at"] = problem
    ended_at, problem = parse_moment(v["ended_at"], user, now)
    if problem:
        form.errors["ended_at"] = problem
    if started_at and ended_at:
        if ended_at <= started_at:
            form.errors["ended_at"] = "The end is before the start."
        elif (ended_at - started_at).total_seconds() > 7 * 86400:
            form.errors["ended_at"] = "A session can't last more than a week."
        elif break_minutes * 60 >= (ended_at - started_at).total_seconds():
            form.errors["break_minutes"] = "The breaks are as long as the session: no time left at the table."
    new_balance = None
    if v["new_balance"]:
        if holding is None:
            form.errors["new_balance"] = "Choose the site whose new balance this is."
        else:
            new_balance = _money(form, "new_balance", holding.currency, required=True)
    cash_holding = _cash_holding(form, cash_assets, currency)
    tags = parse_tags(v["tags"])
    if tags and len(tags) > TEXT_LIMITS["tags"]:
        form.errors["tags"] = "Use fewer tags."
    key = v["request_key"]
    if not form.ok or None in (currency, buy_in, fee, add_ons, expenses, cash_out, started_at, ended_at):
        return form, None
    assert currency and buy_in is not None and fee is not None and add_ons is not None
    assert expenses is not None and cash_out is not None and started_at and ended_at
    cash = v["format"] == "cash"
    spent = buy_in if cash else (buy_in + fee) * (1 + re_entries) + add_ons  # as cost() computes it
    return form, PlayInput(
        game=v["game"],
        format=v["format"],
        live=v["setting"] == "live",
        holding=holding,
        venue=v["venue"] or None,
        currency=currency,
        small_blind=small,
        big_blind=big,
        buy_in=buy_in,
        fee=Decimal(0) if cash else fee,
        re_entries=0 if cash else re_entries,
        add_ons=Decimal(0) if cash else add_ons,
        cash_out=cash_out,
        expenses=expenses,
        started_at=started_at,
        ended_at=ended_at,
        break_seconds=break_minutes * 60,
        hands=hands,
        tables=tables,
        location=v["location"] or None,
        tags=tags,
        notes=v["notes"] or None,
        new_balance=new_balance,
        request_key=key if 0 < len(key) <= REQUEST_KEY_LIMIT else None,
        cash_holding=cash_holding,
        cash_change=cash_change(cash_out - spent, expenses) if cash_holding is not None else None,
    )


def _cash_holding(form: Form, assets: Sequence[Holding], currency: str | None) -> Holding | None:
    """The cash asset to update when "update my cash" is checked: live sessions only, same currency."""
    v = form.values
    v["update_cash"] = "on" if v["update_cash"] else ""
    if not v["update_cash"]:
        return None
    if v["setting"] != "live":
        form.errors["update_cash"] = (
            "Only a live session is paid from your cash: an online one is at its site."
        )
        return None
    if not v["cash_holding_id"] and len(assets) == 1:
        v["cash_holding_id"] = str(assets[0].id)
    holding = next((h for h in assets if str(h.id) == v["cash_holding_id"]), None)
    if holding is None:
        form.errors["cash_holding_id"] = (
            "Choose one of your cash assets." if assets else "Add an asset of category Cash first."
        )
        return None
    if currency is not None and holding.currency != currency:
        form.errors["cash_holding_id"] = (
            f"{holding.name} is in {holding.currency} and the session in {currency}: "
            "update that balance by hand."
        )
        return None
    return holding


FILTER_FIELDS = ("from", "to", "game", "format", "stakes", "place", "tag", "setting")


@dataclass
class Filter:
    """The list/results filter as typed, and what it means for the query."""

    form: Form
    start: datetime | None = None
    end: datetime | None = None
    small_blind: Decimal | None = None
    big_blind: Decimal | None = None

    def value(self, name: str) -> str:
        return "" if name in self.form.errors else self.form.values[name]

    @property
    def active(self) -> bool:
        return any(self.form.values[name] for name in FILTER_FIELDS)

    def query(self, page: int = 1) -> str:
        """The filter as a query string (and the list's page, past the first)."""
        params = {k: self.form.values[k] for k in FILTER_FIELDS if self.form.values[k]}
        if page > 1:
            params["page"] = str(page)
        return "?" + urlencode(params) if params else ""


PAGE_LIMIT = 10_000


def parse_page(params: Mapping[str, Any]) -> int:
    """?page=N of the session list: 1 unless a whole number from 1 to PAGE_LIMIT."""
    text = _raw(params, "page")
    return int(text) if text.isdigit() and 1 <= int(text) <= PAGE_LIMIT else 1


def parse_filter(params: Mapping[str, Any], user: User) -> Filter:
    """Read ?from&to (local dates), game, format, stakes (1/2), place (site id or venue), tag, setting."""
    form = Form({name: _raw(params, name)[:100] for name in FILTER_FIELDS})
    result = Filter(form)
    v = form.values
    tz = zone(user)
    days: dict[str, date] = {}
    for key in ("from", "to"):
        if v[key]:
            try:
                days[key] = date.fromisoformat(v[key])
            except ValueError:
                form.errors[key] = "Enter a date like 2026-03-01."
    if "from" in days and "to" in days and days["from"] > days["to"]:
        form.errors["to"] = "The end date is before the start date."
        del days["to"]
    if "from" in days:
        result.start = datetime.combine(days["from"], time(0), tz).astimezone(UTC)
    if "to" in days:
        result.end = datetime.combine(days["to"] + timedelta(days=1), time(0), tz).astimezone(UTC)
    if v["game"] and v["game"] not in GAMES:
        form.errors["game"] = "Choose a game from the list."
    if v["format"] and v["format"] not in FORMATS:
        form.errors["format"] = "Choose a format from the list."
    if v["setting"] and v["setting"] not in SETTINGS:
        form.errors["setting"] = "Choose live or online."
    if v["stakes"]:
        small, big, problem = parse_stakes(v["stakes"], None)
        if problem:
            form.errors["stakes"] = problem
        result.small_blind, result.big_blind = small, big
    return result
