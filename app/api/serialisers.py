"""Rows to JSON: money as {"amount": decimal string, "currency": code}, instants as ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app import money
from app.bankroll.services import Breakdown, HoldingFigures, Summary
from app.models import ApiToken, BalanceEntry, Flow, PokerSession, User
from app.play import forms as play_forms


def amount(value: Decimal | None, code: str, *, exact: bool = True) -> dict[str, str] | None:
    """A stored amount exactly, written with the currency's decimals (more only when it has more); a
    converted total (exact=False) rounded to the currency's decimals, as the pages show it."""
    if value is None:
        return None
    rounded = money.quantize(value, code)
    if exact and rounded != value:
        rounded = value.normalize()
    return {"amount": f"{rounded.copy_abs() if rounded == 0 else rounded:f}", "currency": code}


def total(value: Decimal, code: str) -> dict[str, str]:
    shown = amount(value, code, exact=False)
    assert shown is not None
    return shown


def instant(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def token(item: ApiToken, user: User) -> dict[str, Any]:
    return {
        "name": item.name,
        "scope": item.scope,
        "created_at": instant(item.created_at),
        "last_used_at": instant(item.last_used_at),
        "display_currency": user.display_currency,
        "timezone": user.timezone,
    }


def summary(figures: Summary, parts: Breakdown) -> dict[str, Any]:
    code = figures.currency
    return {
        "currency": code,
        "rates_date": figures.rates_date,
        "bankroll": total(figures.bankroll, code),
        "sites": total(figures.sites.total, code),
        "assets": total(figures.assets.total, code),
        "deposits": total(figures.deposits, code),
        "withdrawals": total(figures.withdrawals, code),
        "bonuses": total(figures.bonuses, code),
        "profit": total(figures.profit, code),
        "poker_profit": total(figures.poker_profit, code),
        "breakdown": {
            name: total(getattr(parts, name), code)
            for name in ("poker", "assets", "exchange", "bonuses", "fees")
        },
    }


def holding(item: HoldingFigures, display_currency: str) -> dict[str, Any]:
    row = item.row
    found, latest = row.holding, row.latest
    return {
        "id": found.id,
        "kind": found.kind,
        "name": found.name,
        "currency": found.currency,
        "category": found.category,
        "position": found.position,
        "archived_at": instant(found.archived_at),
        "created_at": instant(found.created_at),
        "balance": amount(latest.balance, latest.currency) if latest is not None else None,
        "value": amount(item.value, display_currency, exact=False),
        "updated_at": instant(latest.recorded_at) if latest is not None else None,
    }


def entry(item: BalanceEntry) -> dict[str, Any]:
    return {
        "id": item.id,
        "holding_id": item.holding_id,
        "recorded_at": instant(item.recorded_at),
        "balance": amount(item.balance, item.currency),
        "note": item.note,
        "created_at": instant(item.created_at),
    }


def flow(item: Flow) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "occurred_at": instant(item.occurred_at),
        "amount": amount(item.amount, item.currency),
        "holding_id": item.holding_id,
        "note": item.note,
        "created_at": instant(item.created_at),
    }


def play(item: PokerSession) -> dict[str, Any]:
    code = item.currency
    return {
        "id": item.id,
        "game": item.game,
        "format": item.format,
        "live": item.live,
        "holding_id": item.holding_id,
        "venue": item.venue,
        "started_at": instant(item.started_at),
        "ended_at": instant(item.ended_at),
        "break_seconds": item.break_seconds,
        "small_blind": amount(item.small_blind, code),
        "big_blind": amount(item.big_blind, code),
        "buy_in": amount(item.buy_in, code),
        "fee": amount(item.fee, code),
        "re_entries": item.re_entries,
        "add_ons": amount(item.add_ons, code),
        "cash_out": amount(item.cash_out, code),
        "result": amount(play_forms.result(item), code),
        "expenses": amount(item.expenses, code),
        "hands": item.hands,
        "tables": item.tables,
        "location": item.location,
        "tags": play_forms.tag_list(item.tags),
        "notes": item.notes,
    }
