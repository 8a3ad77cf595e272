"""All SQL for the bankroll core: holdings with their key entries, balance updates, flows totals, rates.

Every function runs a fixed number of queries, whatever the number of holdings or history rows: the
per-holding look-ups are correlated subqueries served by the (holding_id, recorded_at, id) index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app import money
from app.achievements import days as action_days
from app.models import BalanceEntry, BankrollDay, ExchangeRate, Flow, Holding, Transfer, utcnow

E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
H = Holding.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]
D = BankrollDay.__table__.c  # type: ignore[attr-defined]


@dataclass
class HoldingRow:
    """A holding with its latest, previous and first balance entries (None when it has fewer)."""

    holding: Holding
    latest: BalanceEntry | None
    previous: BalanceEntry | None
    first: BalanceEntry | None


def entry_id(
    holding_id: sa.ColumnElement[int],
    *where: sa.ColumnElement[bool],
    newest: bool,
    offset: int = 0,
) -> sa.ScalarSelect[int]:
    """The id of a holding's newest (or oldest) balance entry meeting `where`, `offset` entries in:
    one probe of the (holding, time) index, for a correlated column."""
    order = (E.recorded_at.desc(), E.id.desc()) if newest else (E.recorded_at.asc(), E.id.asc())
    query = sa.select(E.id).where(E.holding_id == holding_id, *where)
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
    latest = entry_id(Holding.id, newest=True).label("latest_id")  # type: ignore[arg-type]
    previous = entry_id(Holding.id, newest=True, offset=1).label("previous_id")  # type: ignore[arg-type]
    first = entry_id(Holding.id, newest=False).label("first_id")  # type: ignore[arg-type]
    query = (
        select(Holding, latest, previous, first)
        .where(*_live(user_id, kind))
        .order_by(col(Holding.kind).desc(), col(Holding.position), col(Holding.id))
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
        sa.select(col(ExchangeRate.currency), sa.func.max(ExchangeRate.day).label("day"))
        .group_by(col(ExchangeRate.currency))
        .subquery()
    )
    query = select(ExchangeRate).join(
        newest,
        sa.and_(col(ExchangeRate.currency) == newest.c.currency, col(ExchangeRate.day) == newest.c.day),
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
    await action_days.record(session, holding.user_id)  # a balance update is a streak's action
    return entry


async def get_holding(
    session: AsyncSession, user_id: int, holding_id: int, kind: str | None = None
) -> Holding | None:
    """The player's own live holding, or None (another player's id looks exactly like a missing one)."""
    query = select(Holding).where(Holding.id == holding_id, *_live(user_id, kind))
    return (await session.execute(query)).scalar_one_or_none()


# ---- rows for history-aware figures (each one query, rows only as many as the player's records) ----


class FlowRow(NamedTuple):
    """A live deposit, withdrawal or bonus, with the kind of the holding it is tied to (None: no holding)."""

    occurred_at: datetime
    kind: str
    currency: str
    amount: Decimal
    holding_kind: str | None


class TransferRow(NamedTuple):
    """A live transfer between two live holdings: what left one and what arrived in the other."""

    occurred_at: datetime
    from_kind: str
    from_currency: str
    amount: Decimal
    to_kind: str
    to_currency: str
    received: Decimal


async def flow_rows(
    session: AsyncSession,
    user_id: int,
    currencies: Iterable[str] | None = None,
    since: datetime | None = None,
) -> list[FlowRow]:
    """Every live flow of the player (in `currencies` only, when given; from `since` on, when given),
    oldest first: one query."""
    query = (
        sa.select(F.occurred_at, F.kind, F.currency, F.amount, H.kind)
        .select_from(Flow.__table__.outerjoin(Holding.__table__, H.id == F.holding_id))  # type: ignore[attr-defined]
        .where(F.user_id == user_id, F.deleted_at.is_(None))
        .order_by(F.occurred_at, F.id)
    )
    if currencies is not None:
        query = query.where(F.currency.in_(sorted(currencies)))
    if since is not None:
        query = query.where(F.occurred_at >= since)
    return [FlowRow._make(row) for row in (await session.execute(query)).all()]


async def flow_groups(
    session: AsyncSession, user_id: int
) -> list[tuple[str, str, datetime, datetime, Decimal]]:
    """The player's live flows summed per kind and currency, with the first and last moment of each
    group: (kind, currency, first, last, total). One query, a handful of rows."""
    query = (
        sa.select(
            F.kind, F.currency, sa.func.min(F.occurred_at), sa.func.max(F.occurred_at), sa.func.sum(F.amount)
        )
        .where(F.user_id == user_id, F.deleted_at.is_(None))
        .group_by(F.kind, F.currency)
    )
    rows = (await session.execute(query)).all()
    return [(kind, code, _aware(first), _aware(last), total) for kind, code, first, last, total in rows]


def _aware(moment: datetime | str) -> datetime:
    """min()/max() of a UTC column come back plain on SQLite (text, or a naive time): aware UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def money_starts(session: AsyncSession, user_id: int) -> dict[str, datetime]:
    """Every currency the player's live flows and transfers use, with the first moment it was used:
    one query, a handful of rows."""
    T = Transfer.__table__.c  # type: ignore[attr-defined]
    live = T.user_id == user_id, T.deleted_at.is_(None)
    parts = sa.union_all(
        sa.select(F.currency.label("code"), F.occurred_at.label("at")).where(
            F.user_id == user_id, F.deleted_at.is_(None)
        ),
        sa.select(T.from_currency, T.occurred_at).where(*live),
        sa.select(T.to_currency, T.occurred_at).where(*live),
    ).subquery()
    query = sa.select(parts.c.code, sa.func.min(parts.c.at)).group_by(parts.c.code)
    return {code: _aware(at) for code, at in (await session.execute(query)).all()}


async def transfer_rows(
    session: AsyncSession, user_id: int, since: datetime | None = None
) -> list[TransferRow]:
    """Every live transfer whose two holdings are live (from `since` on, when given), oldest first:
    one query.

    A transfer touching a deleted holding is left out: its remaining balance entry then counts like
    any other balance change.
    """
    T = Transfer.__table__.c  # type: ignore[attr-defined]
    source = Holding.__table__.alias("source")  # type: ignore[attr-defined]
    target = Holding.__table__.alias("target")  # type: ignore[attr-defined]
    query = (
        sa.select(
            T.occurred_at, source.c.kind, T.from_currency, T.amount, target.c.kind, T.to_currency, T.received
        )
        .join(source, source.c.id == T.from_holding_id)
        .join(target, target.c.id == T.to_holding_id)
        .where(
            T.user_id == user_id,
            T.deleted_at.is_(None),
            source.c.deleted_at.is_(None),
            target.c.deleted_at.is_(None),
        )
        .order_by(T.occurred_at, T.id)
    )
    if since is not None:
        query = query.where(T.occurred_at >= since)
    return [TransferRow._make(row) for row in (await session.execute(query)).all()]


async def currency_spans(session: AsyncSession, user_id: int) -> dict[str, tuple[date, date]]:
    """Per currency in the player's daily snapshots (app.bankroll.daily), its first and last day."""
    query = (
        sa.select(D.currency, sa.func.min(D.day), sa.func.max(D.day))
        .where(D.user_id == user_id)
        .group_by(D.currency)
    )
    return {code: (first, last) for code, first, last in (await session.execute(query)).all()}


async def snapshot_span(session: AsyncSession, user_id: int) -> tuple[date | None, date | None]:
    """The player's first and last snapshot days: two probes of the (user, day) key."""
    query = sa.select(sa.func.min(D.day), sa.func.max(D.day)).where(D.user_id == user_id)
    first, last = (await session.execute(query)).one()
    return first, last


async def day_totals(
    session: AsyncSession, user_id: int, *, since: date | None = None, currencies: Iterable[str] | None = None
) -> list[tuple[date, str, str, Decimal]]:
    """The player's daily snapshots, oldest first: (day, kind, currency, total), from `since` on, of
    `currencies` only (None: all of them)."""
    query = sa.select(D.day, D.kind, D.currency, D.total).where(D.user_id == user_id)
    if since is not None:
        query = query.where(D.day >= since)
    if currencies is not None:
        query = query.where(D.currency.in_(sorted(currencies)))
    rows = (await session.execute(query.order_by(D.day, D.kind, D.currency))).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]
