"""Bankroll figures: every conversion to the player's currency happens here, with exact Decimals.

Total bankroll = sum of the latest balance of every site and asset, converted.
Profit = bankroll − deposits + withdrawals. Poker profit uses the sites alone, so a move in an asset
(a Bitcoin wallet, say) is not mistaken for poker results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app import money
from app.bankroll import queries
from app.bankroll.queries import HoldingRow
from app.models import BalanceEntry, User

ZERO = Decimal(0)


@dataclass
class HoldingFigures:
    """One list row: the holding's own balance plus its values in the player's currency."""

    row: HoldingRow
    value: Decimal | None = None  # latest balance, converted
    previous_value: Decimal | None = None
    change: Decimal | None = None  # latest − previous
    change_since_first: Decimal | None = None

    @property
    def holding(self):  # type: ignore[no-untyped-def]
        return self.row.holding


@dataclass
class Group:
    """Sites or assets: their rows, total, and what the most recent day of updates changed."""

    items: list[HoldingFigures] = field(default_factory=list)
    total: Decimal = ZERO
    change: Decimal | None = None
    last_update: datetime | None = None


@dataclass
class Summary:
    currency: str
    rates: Mapping[str, Decimal]
    rates_date: str
    sites: Group
    assets: Group
    deposits: Decimal
    withdrawals: Decimal

    @property
    def bankroll(self) -> Decimal:
        return money.add([self.sites.total, self.assets.total])

    @property
    def profit(self) -> Decimal:
        return money.add([self.bankroll, self.deposits.copy_negate(), self.withdrawals])

    @property
    def poker_profit(self) -> Decimal:
        return money.add([self.sites.total, self.deposits.copy_negate(), self.withdrawals])

    @property
    def has_holdings(self) -> bool:
        return bool(self.sites.items or self.assets.items)


def _value(entry: BalanceEntry | None, to: str, rates: Mapping[str, Decimal]) -> Decimal | None:
    return None if entry is None else money.convert(entry.balance, entry.currency, to, rates)


def figures(row: HoldingRow, to: str, rates: Mapping[str, Decimal]) -> HoldingFigures:
    value = _value(row.latest, to, rates)
    previous = _value(row.previous, to, rates)
    first = _value(row.first, to, rates)
    return HoldingFigures(
        row=row,
        value=value,
        previous_value=previous,
        change=None if value is None or previous is None else money.add([value, previous.copy_negate()]),
        change_since_first=None
        if value is None or first is None or row.previous is None
        else money.add([value, first.copy_negate()]),
    )


def group(rows: list[HoldingRow], to: str, rates: Mapping[str, Decimal], tz: ZoneInfo) -> Group:
    """A group's total, and the change its latest day of updates made (the sum of those updates)."""
    result = Group(items=[figures(row, to, rates) for row in rows])
    result.total = money.add(item.value for item in result.items if item.value is not None)
    stamps = [row.latest.recorded_at for row in rows if row.latest is not None]
    if not stamps:
        return result
    result.last_update = max(stamps)
    last_day: date = result.last_update.astimezone(tz).date()
    changes = [
        item.change
        for item in result.items
        if item.change is not None
        and item.row.latest is not None
        and item.row.latest.recorded_at.astimezone(tz).date() == last_day
    ]
    result.change = money.add(changes) if changes else None
    return result


def build_summary(
    rows: list[HoldingRow],
    flows: Mapping[str, list[tuple[Decimal, str]]],
    rates: Mapping[str, Decimal],
    rates_date: str,
    currency: str,
    timezone: str = "UTC",
) -> Summary:
    tz = ZoneInfo(timezone)
    return Summary(
        currency=currency,
        rates=rates,
        rates_date=rates_date,
        sites=group([r for r in rows if r.holding.kind == "site"], currency, rates, tz),
        assets=group([r for r in rows if r.holding.kind == "asset"], currency, rates, tz),
        deposits=money.total(flows.get("deposit", []), currency, rates),
        withdrawals=money.total(flows.get("withdrawal", []), currency, rates),
    )


async def summary(session: AsyncSession, user: User, kind: str | None = None) -> Summary:
    """Everything the dashboard and the lists show: four queries, whatever the size of the history."""
    rows = await queries.holdings_with_entries(session, user.id, kind)  # type: ignore[arg-type]
    flows = await queries.flow_totals(session, user.id)  # type: ignore[arg-type]
    rates, rates_date = await queries.latest_rates(session)
    return build_summary(rows, flows, rates, rates_date, user.display_currency, user.timezone)
