"""What the sites/assets pages show: the context for list.html and show.html, and their rendering.

Each builder runs a fixed number of queries, whatever the number of holdings or history entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from app import money
from app.bankroll import queries as bankroll
from app.bankroll import services
from app.bankroll.services import Group, HoldingFigures
from app.calculators.strategy import strategy_context
from app.holdings import forms, queries
from app.holdings.forms import HistoryView, Parsed
from app.models import Holding, User
from app.templating import render

PER_PAGE = 50
CURRENCY_OPTIONS = [(code, f"{code} — {currency.name}") for code, currency in money.CURRENCIES.items()]
KINDS: dict[str, dict[str, str]] = {
    "site": {
        "kind": "site",
        "one": "site",
        "many": "sites",
        "title": "Sites",
        "list": "list_sites",
        "create": "create_site",
        "order": "reorder_sites",
        "intro": "The poker rooms where you play, with what is in each account.",
        "empty": "Add the poker rooms where you have money: the name, its currency and today's balance.",
        "name_hint": "The poker room, like PokerStars.",
    },
    "asset": {
        "kind": "asset",
        "one": "asset",
        "many": "assets",
        "title": "Assets",
        "list": "list_assets",
        "create": "create_asset",
        "order": "reorder_assets",
        "intro": "Your poker money kept outside the poker rooms: bank, e-wallets, crypto, cash.",
        "empty": "Add the places where you keep poker money outside the rooms: a bank, Skrill, a wallet.",
        "name_hint": "Like Skrill or Bank account.",
    },
}


@dataclass
class Totals:
    """The tfoot row: sums of the rows' figures in the player's currency (archived rows included)."""

    value: Decimal
    change: Decimal | None
    since_first: Decimal | None
    archived: bool


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return money.add(present) if present else None


def totals(group: Group) -> Totals:
    return Totals(
        value=group.total,
        change=_sum([item.change for item in group.items]),
        since_first=_sum([item.change_since_first for item in group.items]),
        archived=any(item.holding.archived_at is not None for item in group.items),
    )


def when(moment: datetime, user: User) -> str:
    """A moment as the player reads it: their time zone, their locale."""
    return format_datetime(moment, "medium", tzinfo=ZoneInfo(user.timezone), locale=user.locale)


async def list_context(
    session: AsyncSession,
    user: User,
    kind: str,
    *,
    create: Parsed | None = None,
    row_forms: dict[Any, Parsed] | None = None,
) -> dict[str, Any]:
    """Everything list.html shows: services.summary's four queries, whatever the number of rows."""
    summary = await services.summary(session, user, kind)
    group = summary.sites if kind == "site" else summary.assets
    active = [item for item in group.items if item.holding.archived_at is None]
    # Each row's form gets its own request key, so one row's update never looks like another's repeat.
    forms_by_id = dict(row_forms or {})  # only the rows whose balance form is open
    strategy = (
        strategy_context(summary.sites.total, summary.currency, summary.rates) if kind == "site" else {}
    )
    return {
        **strategy,
        "k": KINDS[kind],
        "currency": user.display_currency,
        "active": active,
        "archived": [item for item in group.items if item.holding.archived_at is not None],
        "totals": totals(group),
        "create": create or forms.blank_holding(kind, user.display_currency),
        "row_forms": forms_by_id,
        "categories": forms.CATEGORIES,
        "currency_options": CURRENCY_OPTIONS,
    }


def item_of(context: dict[str, Any], holding: Holding) -> HoldingFigures | None:
    items = context["active"] + context["archived"]
    return next((item for item in items if item.holding.id == holding.id), None)


def render_list(request: Request, context: dict[str, Any], **options: Any) -> Response:
    return render(request, "holdings/list.html", context, **options)


async def show_context(
    session: AsyncSession,
    user: User,
    holding: Holding,
    view: HistoryView,
    *,
    settings: Parsed | None = None,
    record: Parsed | None = None,
    entry_forms: dict[Any, Parsed] | None = None,
) -> dict[str, Any]:
    """The header figures and one page of history: five queries, whatever the length of the history."""
    rows = await bankroll.holdings_with_entries(session, user.id, holding.kind)  # type: ignore[arg-type]
    row = next(row for row in rows if row.holding.id == holding.id)
    rates, _ = await bankroll.latest_rates(session)
    total, shown = await queries.entry_counts(session, holding, view.since, view.until)
    pages = max(1, ceil(shown / PER_PAGE))
    view.page = min(view.page, pages)
    entries = await queries.entries_page(
        session,
        holding,
        since=view.since,
        until=view.until,
        limit=PER_PAGE,
        offset=(view.page - 1) * PER_PAGE,
    )
    edit_forms = {entry.id: forms.entry_values(entry, user.timezone) for entry in entries}
    edit_forms.update(entry_forms or {})
    return {
        "k": KINDS[holding.kind],
        "holding": holding,
        "item": services.figures(row, user.display_currency, rates),
        "currency": user.display_currency,
        "latest_when": when(row.latest.recorded_at, user) if row.latest else "",
        "settings": settings or forms.settings_values(holding),
        "record": record or forms.blank_balance(),
        "view": view,
        "entries": entries,
        "entry_times": {entry.id: when(entry.recorded_at, user) for entry in entries},
        "entry_forms": edit_forms,
        "total_entries": total,
        "shown_entries": shown,
        "pages": pages,
        "categories": forms.CATEGORIES,
        "currency_options": CURRENCY_OPTIONS,
    }


def render_show(request: Request, context: dict[str, Any], **options: Any) -> Response:
    return render(request, "holdings/show.html", context, **options)
