"""All SQL for the bankroll core: holdings with their key entries, balance updates, flows totals, rates.

Every function runs a fixed number of queries, whatever the number of holdings or history rows: the
per-holding look-ups are correlated subqueries served by the (holding_id, recorded_at, id) index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app import money
from app.models import BalanceEntry, ExchangeRate, Flow, Holding, utcnow

E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
H = Holding.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]


@dataclass
class HoldingRow:
    """A holding with its latest, previous and first balance entries (None when it has fewer)."""

    holding: Holding
    latest: BalanceEntry | None
    previous: BalanceEntry | None
    first: BalanceEntry | None


def _entry_id(
    holding_id: sa.ColumnElement[int],
    *,
    newest: bool,
    offset: int = 0,
    before: sa.ColumnElement[datetime] | None = None,
) -> sa.ScalarSelect[int]:
    order = (E.recorded_at.desc(), E.id.desc()) if newest else (E.recorded_at.asc(), E.id.asc())
    query = sa.select(E.id).where(E.holding_id == holding_id)
    if before is not None:
        query = query.where(E.recorded_at <= before)
    return query.order_by(*order).limit(1).offset(offset).scalar_subquery()


def _live(user_id: int, kind: str | None) -> list[sa.ColumnElement[bool]]:
    conditions = [H.user_id == user_id, H.deleted_at.is_(None)]
    if kind is not None:
        conditions.append(H.kind == kind)
    return conditions


async def holdings_with_entries(
    session: AsyncSession, user_id: int, kind: str | None = None
) -> list[HoldingRow]:
    """The player's holdings in list order, each with its key entries: two queries in all."""
    latest = _entry_id(Holding.id, newest=True).label("latest_id")  # type: ignore[arg-type]
    previous = _entry_id(Holding.id, newest=True, offset=1).label("previous_id")  # type: ignore[arg-type]
    first = _entry_id(Holding.id, newest=False).label("first_id")  # type: ignore[arg-type]
    query = (
        select(Holding, latest, previous, first)
        .where(*_live(user_id, kind))
        .order_by(Holding.kind.desc(), Holding.position, Holding.id)  # type: ignore[attr-defined]
    )
    rows = (await session.execute(query)).all()
    ids = {i for row in rows for i in row[1:] if i is not None}
    entries: dict[int, BalanceEntry] = {}
    if ids:
        result = await session.execute(select(BalanceEntry).where(BalanceEntry.id.in_(ids)))  # type: ignore[union-attr]
        entries = {e.id: e for e in result.scalars()}  # type: ignore[misc]
    return [
        HoldingRow(row[0], entries.get(row[1]), entries.get(row[2]), entries.get(row[3]))  # type: ignore[arg-type]
        for row in rows
    ]


async def flow_totals(session: AsyncSession, user_id: int) -> dict[str, list[tuple[Decimal, str]]]:
    """Deposits and withdrawals summed per currency: {"deposit": [(amount, "USD"), ...], ...}."""
    query = (
        sa.select(F.kind, F.currency, sa.func.sum(F.amount))
        .where(F.user_id == user_id, F.deleted_at.is_(None))
        .group_by(F.kind, F.currency)
    )
    totals: dict[str, list[tuple[Decimal, str]]] = {"deposit": [], "withdrawal": []}
    for kind, currency, amount in (await session.execute(query)).all():
        totals.setdefault(kind, []).append((amount, currency))
    return totals


async def latest_rates(session: AsyncSession) -> tuple[dict[str, Decimal], str]:
    """Units per euro for every known currency, and the date of the newest rates used.

    Fetched rates newer than the bundled snapshot win; the snapshot serves a machine that never fetched.
    """
    newest = (
        sa.select(ExchangeRate.currency, sa.func.max(ExchangeRate.day).label("day"))
        .group_by(ExchangeRate.currency)  # type: ignore[arg-type]
        .subquery()
    )
    query = select(ExchangeRate).join(
        newest, sa.and_(ExchangeRate.currency == newest.c.currency, ExchangeRate.day == newest.c.day)
    )
    rates = dict(money.SNAPSHOT_RATES)
    day = money.SNAPSHOT_DATE
    for rate in (await session.execute(query)).scalars():
        if rate.day >= money.SNAPSHOT_DATE and rate.currency in money.CURRENCIES:
            rates[rate.currency] = rate.units_per_eur
            day = max(day, rate.day)
    return rates, day.isoformat()


async def add_balance(
    session: AsyncSession,
    holding: Holding,
    balance: Decimal,
    *,
    recorded_at: datetime | None = None,
    note: str | None = None,
    request_key: str | None = None,
) -> BalanceEntry | None:
    """Record a balance (in the holding's current currency); None if this form was already submitted.

    The caller commits. A repeated `request_key` (a double-submitted form) records nothing.
    """
    entry = BalanceEntry(
        holding_id=holding.id,  # type: ignore[arg-type]
        recorded_at=recorded_at or utcnow(),
        balance=balance,
        currency=holding.currency,
        note=note or None,
        request_key=request_key or None,
    )
    try:
        async with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        return None
    return entry


async def get_holding(
    session: AsyncSession, user_id: int, holding_id: int, kind: str | None = None
) -> Holding | None:
    """The player's own live holding, or None (another player's id looks exactly like a missing one)."""
    query = select(Holding).where(Holding.id == holding_id, *_live(user_id, kind))
    return (await session.execute(query)).scalar_one_or_none()
