"""Sessions against balances: how much of the online sites' balance changes the sessions do not explain.

For each live site with a balance, over a period (since the first session at a site, or this month):

    unexplained = balance change − money moved in or out − session results

- balance change: the latest balance now minus the balance at the start of the period (the latest one
  recorded at or before it). A site whose first balance comes later starts from that first balance:
  an opening balance is where a site starts, not a change.
- money moved: deposits + bonuses − withdrawals tied to the site, + transfers in − transfers out.
- session results: cash-out − what it cost to play, of the sessions at the site that ended in the period.
  Expenses (travel, food) are not paid from a site and are left out.

Amounts in another currency than the site's (a site whose currency changed) and the total in the
player's currency use the newest exchange rates. Pure functions; the SQL is in app.play.queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app import money

ZERO = Decimal(0)
PERIODS = {"all": "since your first session at a site", "month": "this month"}


@dataclass(frozen=True)
class Boundary:
    """One of a site's balance entries at the edges of the period (see queries.balance_boundaries)."""

    holding_id: int
    name: str
    recorded_at: datetime
    balance: Decimal
    currency: str
    before: bool  # recorded at or before the start of the period


@dataclass(frozen=True)
class Window:
    """A site's balance at the start of its window and now; `since` is when the window starts."""

    name: str
    since: datetime
    opening: Decimal
    opening_currency: str
    closing: Decimal
    currency: str  # of the closing balance: the site's


@dataclass(frozen=True)
class Line:
    """One site's reconciliation, in the site's currency."""

    holding_id: int
    name: str
    currency: str
    change: Decimal
    moved: Decimal
    played: Decimal

    @property
    def unexplained(self) -> Decimal:
        return self.change - self.moved - self.played


@dataclass(frozen=True)
class Reconciliation:
    period: str
    start: datetime
    lines: list[Line]
    total: Decimal  # Σ unexplained, in `currency`
    currency: str

    @property
    def label(self) -> str:
        return PERIODS[self.period]


def windows(boundaries: Iterable[Boundary], start: datetime) -> dict[int, Window]:
    """Each site's opening and closing balance from its boundary entries.

    Opening: the latest entry at or before `start`, else the earliest after it (then the window starts
    there). Closing: the latest entry of all.
    """
    by_site: dict[int, list[Boundary]] = {}
    for entry in boundaries:
        by_site.setdefault(entry.holding_id, []).append(entry)
    found = {}
    for holding_id, entries in by_site.items():
        ordered = sorted(entries, key=lambda e: e.recorded_at)
        before = [e for e in ordered if e.before]
        opening = before[-1] if before else ordered[0]
        closing = ordered[-1]
        found[holding_id] = Window(
            name=closing.name,
            since=start if before else opening.recorded_at,
            opening=opening.balance,
            opening_currency=opening.currency,
            closing=closing.balance,
            currency=closing.currency,
        )
    return found


Convert = Callable[[Decimal, str, str], Decimal]


def reconcile(
    period: str,
    start: datetime,
    sites: dict[int, Window],
    sums: Iterable[tuple[int, str, str, Decimal]],
    convert: Convert,
    currency: str,
) -> Reconciliation:
    """Lines per site and the total unexplained in `currency`.

    `sums` are (holding id, "moved" or "played", currency, amount) rows within each site's window;
    `convert(amount, from, to)` converts at the newest rates.
    """
    moved: dict[int, list[Decimal]] = {}
    played: dict[int, list[Decimal]] = {}
    for holding_id, source, code, amount in sums:
        window = sites.get(holding_id)
        if window is None:
            continue  # a site without any balance: nothing to reconcile with
        bucket = moved if source == "moved" else played
        bucket.setdefault(holding_id, []).append(convert(amount, code, window.currency))
    lines = []
    for holding_id, window in sites.items():
        opening = convert(window.opening, window.opening_currency, window.currency)
        lines.append(
            Line(
                holding_id,
                window.name,
                window.currency,
                window.closing - opening,
                money.add(moved.get(holding_id, [])),
                money.add(played.get(holding_id, [])),
            )
        )
    lines.sort(key=lambda line: (-abs(line.unexplained), line.name.lower()))
    total = money.add(convert(line.unexplained, line.currency, currency) for line in lines)
    return Reconciliation(period, start, lines, total, currency)
