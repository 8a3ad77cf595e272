"""The JSON API v1 (/api/v1): read the bankroll, its sites, assets, histories, deposits, withdrawals
and poker sessions; record a balance, a deposit or a withdrawal.

Handlers reuse the HTML side's validation (app.holdings.forms, app.flows.forms), money logic
(app.bankroll.services) and after-change hooks (bankroll snapshots, goals, achievements). Each is
declared as an Operation right below it; `OPERATIONS` makes the routes and the OpenAPI document.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.achievements import days as action_days
from app.achievements import services as achievements
from app.api import errors, openapi, pagination, queries, serialisers
from app.api.errors import ApiError
from app.api.registry import PAGE_PARAMS, Call, Operation, Param, endpoint
from app.bankroll import daily, services
from app.bankroll import queries as bankroll
from app.flows import forms as flow_forms
from app.flows import queries as flow_queries
from app.goals import services as goals
from app.holdings import forms as holding_forms
from app.models import Holding, User
from app.settings import Settings

HOLDING_ID = Param("holding_id", "path", {"type": "integer"}, "The id of one of your sites or assets.", True)
IDEMPOTENCY = Param(
    "Idempotency-Key",
    "header",
    {"type": "string", "minLength": 1, "maxLength": 200},
    "Any unique string: the same request sent again with it records nothing twice (200, the first result).",
)
TIME_KEYS = ("recorded_at", "occurred_at")
TIME_SHAPES = (str, int)

MONEY_EXAMPLE = {"amount": "1250.50", "currency": "USD"}
HOLDING_EXAMPLE = {
    "id": 12,
    "kind": "site",
    "name": "PokerStars",
    "currency": "USD",
    "category": None,
    "position": 0,
    "archived_at": None,
    "created_at": "2026-01-05T10:00:00Z",
    "balance": MONEY_EXAMPLE,
    "value": {"amount": "1150.46", "currency": "EUR"},
    "updated_at": "2026-12-01T18:30:00Z",
}
ENTRY_EXAMPLE = {
    "id": 345,
    "holding_id": 12,
    "recorded_at": "2026-12-01T18:30:00Z",
    "balance": MONEY_EXAMPLE,
    "note": "after the Sunday Million",
    "created_at": "2026-12-01T18:31:02Z",
}
FLOW_EXAMPLE = {
    "id": 78,
    "kind": "deposit",
    "occurred_at": "2026-12-01T12:00:00Z",
    "amount": {"amount": "500.00", "currency": "USD"},
    "holding_id": 12,
    "note": None,
    "created_at": "2026-12-01T12:00:05Z",
}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, headers=headers)


def _page(rows: list[Any], size: int, key_of: Any, shown: Any) -> Response:
    items, cursor = pagination.page(rows, size, key_of)
    return _json({"data": [shown(item) for item in items], "next_cursor": cursor})


def _time_key(moment: datetime, ident: int | None) -> list[Any]:
    return [serialisers.instant(moment), ident]


async def _body(request: Request) -> dict[str, Any]:
    """The JSON object sent; numbers are kept as their exact text (1250.5 → "1250.5"), never floats."""
    raw = await request.body()
    try:
        data = json.loads(raw, parse_float=str, parse_int=str)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Send a JSON object (Content-Type: application/json).", code="bad_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Send a JSON object (Content-Type: application/json).", code="bad_json")
    return data


def _local_time(value: str, user: User) -> str:
    """An ISO 8601 instant with an offset, written in the player's zone as the forms read it; other
    text (a local time, a date) goes to the form's own checks as it is."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(flow_forms.zone(user)).replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S")


def _fields(data: dict[str, Any], allowed: tuple[str, ...], user: User) -> dict[str, str]:
    """The body as the text fields a form takes; unknown or non-text fields are a 422."""
    problems = {name: "Unknown field." for name in data if name not in allowed}
    fields: dict[str, str] = {}
    for name in allowed:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            problems[name] = "Send this as a string."
            continue
        fields[name] = _local_time(value.strip(), user) if name in TIME_KEYS else value
    if problems:
        raise ApiError(422, fields=problems)
    return fields


def _request_key(request: Request, user: User, what: str) -> str | None:
    """The Idempotency-Key as this player's own request_key (the column is unique across players)."""
    sent = request.headers.get("idempotency-key", "").strip()
    if not sent:
        return None
    if len(sent) > 200:
        raise ApiError(422, fields={"Idempotency-Key": "Use at most 200 characters."})
    return "api" + hashlib.sha256(f"{user.id}:{what}:{sent}".encode()).hexdigest()[:40]


async def _after_action(call: Call) -> None:
    """What the pages do after a change: goals reached are completed; achievements unlocked (their
    toasts wait for the next page, an API response has nowhere to show them)."""
    await goals.evaluate(call.session, call.user)
    if action_days.acted(call.session):
        await achievements.check(call.session, call.user, keys=achievements.ACTION_KEYS)


async def _own_holding(call: Call) -> Holding:
    found = await bankroll.get_holding(call.session, call.user_id, call.request.path_params["holding_id"])
    if found is None:
        raise ApiError(404, "No such site or asset.")
    return found


# ---- the token and the summary --------------------------------------------------------------------


async def show_token(call: Call) -> Response:
    """The token you are using and your display settings (a quick way to check a token works)."""
    return _json(serialisers.token(call.token, call.user))


async def show_summary(call: Call) -> Response:
    """Totals as the dashboard shows them, in your display currency."""
    figures, parts, book, _points = await services.overview(call.session, call.user)
    if book.stored:
        await call.session.commit()  # flows valued for the first time: kept, as the dashboard does
    return _json(serialisers.summary(figures, parts))


# ---- sites, assets and their history ----------------------------------------------------------------


async def _holdings(call: Call, kind: str) -> Response:
    size, key = pagination.limit(call.request), pagination.cursor(call.request, (int, int))
    figures = await services.summary(call.session, call.user, kind)
    group = figures.sites if kind == "site" else figures.assets
    items = sorted(group.items, key=lambda item: (item.holding.position, item.holding.id))
    if key is not None:
        items = [item for item in items if (item.holding.position, item.holding.id) > tuple(key)]
    return _page(
        items[: size + 1],
        size,
        lambda item: [item.holding.position, item.holding.id],
        lambda item: serialisers.holding(item, call.user.display_currency),
    )


async def list_sites(call: Call) -> Response:
    """Your poker sites in your list order (archived ones too), with balances and values."""
    return await _holdings(call, "site")


async def list_assets(call: Call) -> Response:
    """Your other assets (bank, e-wallet, crypto, cash) in your list order."""
    return await _holdings(call, "asset")


async def show_holding(call: Call) -> Response:
    """One site or asset with its current balance."""
    holding = await _own_holding(call)
    figures = await services.summary(call.session, call.user, holding.kind)
    group = figures.sites if holding.kind == "site" else figures.assets
    item = next(item for item in group.items if item.holding.id == holding.id)
    return _json(serialisers.holding(item, call.user.display_currency))


async def list_entries(call: Call) -> Response:
    """A site's or asset's balance history, newest first."""
    holding = await _own_holding(call)
    size, key = pagination.limit(call.request), pagination.cursor(call.request, (str, int))
    rows = await queries.entries(call.session, holding.id, _checked_time(key), size + 1)  # type: ignore[arg-type]
    return _page(rows, size, lambda row: _time_key(row.recorded_at, row.id), serialisers.entry)


async def create_entry(call: Call) -> Response:
    """Record a new balance of a site or asset (as the balance form does)."""
    holding = await _own_holding(call)
    fields = _fields(await _body(call.request), ("balance", "recorded_at", "note"), call.user)
    key = _request_key(call.request, call.user, f"entry:{holding.id}")
    if key:
        fields["request_key"] = key
    form = holding_forms.balance(FormData(list(fields.items())), holding.currency, call.user.timezone)
    if not form.ok:
        raise ApiError(422, fields=form.errors)
    clean = form.clean
    entry = await bankroll.add_balance(
        call.session,
        holding,
        clean["balance"],
        recorded_at=clean["recorded_at"],
        note=clean["note"],
        request_key=clean["request_key"],
    )
    if entry is None:  # sent before with this Idempotency-Key: the first result
        assert key is not None
        first = await queries.entry_by_key(call.session, holding.id, key)  # type: ignore[arg-type]
        if first is None:
            raise ApiError(409, "That Idempotency-Key is in use by another request.")
        return _json(serialisers.entry(first), 200, {"Idempotent-Replayed": "true"})
    await daily.after_entries(call.session, call.user, entry.recorded_at)
    await call.session.commit()
    await _after_action(call)
    return _json(serialisers.entry(entry), 201)


# ---- deposits and withdrawals -----------------------------------------------------------------------


async def _flows(call: Call, kind: str) -> Response:
    size, key = pagination.limit(call.request), pagination.cursor(call.request, (str, int))
    rows = await queries.flows(call.session, call.user_id, kind, _checked_time(key), size + 1)
    return _page(rows, size, lambda row: _time_key(row.occurred_at, row.id), serialisers.flow)


async def _create_flow(call: Call, kind: str) -> Response:
    allowed = ("occurred_at", "amount", "currency", "holding_id", "note", "new_balance")
    fields = _fields(await _body(call.request), allowed, call.user)
    now = datetime.now(UTC)
    given = "occurred_at" in fields
    fields.setdefault("occurred_at", _local_time(now.isoformat(), call.user))
    key = _request_key(call.request, call.user, kind)
    if key:
        fields["request_key"] = key
    holdings = await flow_queries.live_holdings(call.session, call.user_id)
    form, values = flow_forms.parse_flow(fields, call.user, holdings, kind)
    if values is None:
        raise ApiError(422, fields=form.errors)
    if not given:
        values.occurred_at = now  # now to the microsecond, so it follows anything recorded before
    flow = await flow_queries.create_flow(call.session, call.user, values)  # commits
    if flow is None:  # sent before with this Idempotency-Key: the first result
        assert key is not None
        first = await queries.flow_by_key(call.session, call.user_id, key)
        if first is None:
            raise ApiError(409, "That Idempotency-Key is in use by another request.")
        return _json(serialisers.flow(first), 200, {"Idempotent-Replayed": "true"})
    await _after_action(call)
    return _json(serialisers.flow(flow), 201)


async def list_deposits(call: Call) -> Response:
    """Your deposits, newest first."""
    return await _flows(call, "deposit")


async def create_deposit(call: Call) -> Response:
    """Record a deposit (optionally with the site's new balance), as the deposit form does."""
    return await _create_flow(call, "deposit")


async def list_withdrawals(call: Call) -> Response:
    """Your withdrawals, newest first."""
    return await _flows(call, "withdrawal")


async def create_withdrawal(call: Call) -> Response:
    """Record a withdrawal (optionally with the site's new balance), as the withdrawal form does."""
    return await _create_flow(call, "withdrawal")


# ---- poker sessions ---------------------------------------------------------------------------------


async def list_sessions(call: Call) -> Response:
    """Your poker sessions, newest first (a running one has ended_at null)."""
    size, key = pagination.limit(call.request), pagination.cursor(call.request, (str, int))
    rows = await queries.plays(call.session, call.user_id, _checked_time(key), size + 1)
    return _page(rows, size, lambda row: _time_key(row.started_at, row.id), serialisers.play)


def _checked_time(key: list[Any] | None) -> list[Any] | None:
    """A time cursor whose time reads as an aware instant; a 400 otherwise."""
    if key is None:
        return None
    try:
        moment = datetime.fromisoformat(key[0])
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApiError(
            400, "That cursor is not valid: use next_cursor from a previous page.", code="bad_cursor"
        )
    return key


OPERATIONS = [
    Operation(
        "GET",
        "/token",
        show_token,
        "The token in use",
        "Token",
        "Account",
        example={
            "name": "Spreadsheet",
            "scope": "read",
            "created_at": "2026-12-01T09:00:00Z",
            "last_used_at": "2026-12-03T08:15:00Z",
            "display_currency": "EUR",
            "timezone": "Europe/Berlin",
        },
    ),
    Operation(
        "GET",
        "/summary",
        show_summary,
        "Bankroll summary",
        "Summary",
        "Bankroll",
        description="Bankroll = the latest balance of every site and asset, converted at the latest rates. "
        "Profit = bankroll − deposits + withdrawals, each flow at the rate of its own day. "
        "The breakdown splits the profit as the dashboard does. Converted totals are rounded to the "
        "currency's decimals.",
        example={
            "currency": "USD",
            "rates_date": "2026-12-02",
            "bankroll": {"amount": "5230.10", "currency": "USD"},
            "sites": {"amount": "3100.00", "currency": "USD"},
            "assets": {"amount": "2130.10", "currency": "USD"},
            "deposits": {"amount": "4000.00", "currency": "USD"},
            "withdrawals": {"amount": "500.00", "currency": "USD"},
            "bonuses": {"amount": "120.00", "currency": "USD"},
            "profit": {"amount": "1730.10", "currency": "USD"},
            "poker_profit": {"amount": "-400.00", "currency": "USD"},
            "breakdown": {
                "poker": {"amount": "-520.00", "currency": "USD"},
                "assets": {"amount": "2000.00", "currency": "USD"},
                "exchange": {"amount": "130.10", "currency": "USD"},
                "bonuses": {"amount": "120.00", "currency": "USD"},
                "fees": {"amount": "0.00", "currency": "USD"},
            },
        },
    ),
    Operation(
        "GET",
        "/sites",
        list_sites,
        "List sites",
        "HoldingPage",
        "Sites and assets",
        params=PAGE_PARAMS,
        example={"data": [HOLDING_EXAMPLE], "next_cursor": None},
    ),
    Operation(
        "GET",
        "/assets",
        list_assets,
        "List assets",
        "HoldingPage",
        "Sites and assets",
        params=PAGE_PARAMS,
        example={
            "data": [{**HOLDING_EXAMPLE, "id": 13, "kind": "asset", "name": "Bank", "category": "bank"}],
            "next_cursor": None,
        },
    ),
    Operation(
        "GET",
        "/holdings/{holding_id:int}",
        show_holding,
        "One site or asset",
        "Holding",
        "Sites and assets",
        params=(HOLDING_ID,),
        errors=(404,),
        example=HOLDING_EXAMPLE,
    ),
    Operation(
        "GET",
        "/holdings/{holding_id:int}/entries",
        list_entries,
        "A site's or asset's balance history",
        "BalanceEntryPage",
        "Sites and assets",
        params=(HOLDING_ID, *PAGE_PARAMS),
        errors=(404,),
        example={"data": [ENTRY_EXAMPLE], "next_cursor": "WyIyMDI2LTEyLTAxVDE4OjMwOjAwWiIsMzQ1XQ"},
    ),
    Operation(
        "POST",
        "/holdings/{holding_id:int}/entries",
        create_entry,
        "Record a balance",
        "BalanceEntry",
        "Sites and assets",
        description="The balance is in the holding's currency. Snapshots, goals and streaks follow, as "
        "after the balance form.",
        status=201,
        write=True,
        body="BalanceInput",
        params=(HOLDING_ID, IDEMPOTENCY),
        errors=(400, 404, 409, 422),
        example_body={
            "balance": "1250.50",
            "recorded_at": "2026-12-01T18:30:00Z",
            "note": "after the Sunday Million",
        },
        example=ENTRY_EXAMPLE,
    ),
    Operation(
        "GET",
        "/deposits",
        list_deposits,
        "List deposits",
        "FlowPage",
        "Deposits and withdrawals",
        params=PAGE_PARAMS,
        example={"data": [FLOW_EXAMPLE], "next_cursor": None},
    ),
    Operation(
        "POST",
        "/deposits",
        create_deposit,
        "Record a deposit",
        "Flow",
        "Deposits and withdrawals",
        status=201,
        write=True,
        body="FlowInput",
        params=(IDEMPOTENCY,),
        errors=(400, 409, 422),
        example_body={
            "amount": "500.00",
            "currency": "USD",
            "occurred_at": "2026-12-01T12:00:00Z",
            "holding_id": 12,
        },
        example=FLOW_EXAMPLE,
    ),
    Operation(
        "GET",
        "/withdrawals",
        list_withdrawals,
        "List withdrawals",
        "FlowPage",
        "Deposits and withdrawals",
        params=PAGE_PARAMS,
        example={"data": [{**FLOW_EXAMPLE, "kind": "withdrawal"}], "next_cursor": None},
    ),
    Operation(
        "POST",
        "/withdrawals",
        create_withdrawal,
        "Record a withdrawal",
        "Flow",
        "Deposits and withdrawals",
        description="With holding_id and new_balance, the site's new balance is recorded in the same step.",
        status=201,
        write=True,
        body="FlowInput",
        params=(IDEMPOTENCY,),
        errors=(400, 409, 422),
        example_body={"amount": "300.00", "currency": "USD", "holding_id": 12, "new_balance": "950.50"},
        example={**FLOW_EXAMPLE, "kind": "withdrawal", "amount": {"amount": "300.00", "currency": "USD"}},
    ),
    Operation(
        "GET",
        "/sessions",
        list_sessions,
        "List poker sessions",
        "PokerSessionPage",
        "Poker sessions",
        params=PAGE_PARAMS,
        example={
            "data": [
                {
                    "id": 9,
                    "game": "NLH",
                    "format": "cash",
                    "live": False,
                    "holding_id": 12,
                    "venue": None,
                    "started_at": "2026-12-01T18:00:00Z",
                    "ended_at": "2026-12-01T21:30:00Z",
                    "break_seconds": 600,
                    "small_blind": {"amount": "0.50", "currency": "USD"},
                    "big_blind": {"amount": "1.00", "currency": "USD"},
                    "buy_in": {"amount": "100.00", "currency": "USD"},
                    "fee": {"amount": "0.00", "currency": "USD"},
                    "re_entries": 0,
                    "add_ons": {"amount": "0.00", "currency": "USD"},
                    "cash_out": {"amount": "164.25", "currency": "USD"},
                    "result": {"amount": "64.25", "currency": "USD"},
                    "expenses": {"amount": "0.00", "currency": "USD"},
                    "hands": 540,
                    "tables": 2,
                    "location": None,
                    "tags": ["zoom"],
                    "notes": None,
                }
            ],
            "next_cursor": None,
        },
    ),
]


async def show_openapi(request: Request) -> Response:
    """The OpenAPI 3.1 document of this API (public, like the docs page)."""
    return _json(openapi.document(OPERATIONS))


def create_api(settings: Settings) -> Starlette:
    """The /api/v1 application: its own routes and JSON errors; the main app's middleware and lifespan
    state (database, limiter) wrap it. Cookies never authenticate here, so no CSRF token is needed."""
    routes = [Route("/openapi.json", show_openapi, methods=["GET"])]
    routes += [Route(op.path, endpoint(op), methods=[op.method], name=op.name) for op in OPERATIONS]
    api = Starlette(routes=routes, exception_handlers=errors.handlers)  # type: ignore[arg-type]
    api.state.settings = settings
    return api
