"""All SQL for exchange rates: store fetched days (never overwriting one), read the history back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import ExchangeRate
from app.rates.history import RateHistory

R = ExchangeRate.__table__.c  # type: ignore[attr-defined]


async def save(session: AsyncSession, rows: Iterable[tuple[str, date, Decimal]], source: str) -> int:
    """Insert the rows whose (currency, day) is not stored yet; a stored day is history and stays.

    Returns how many were new. The caller commits.
    """
    values = [
        {"currency": code, "day": day, "units_per_eur": rate, "source": source} for code, day, rate in rows
    ]
    if not values:
        return 0
    stored = sa.select(R.currency, R.day).where(
        R.day.in_({row["day"] for row in values}), R.currency.in_({row["currency"] for row in values})
    )
    known = {(code, day) for code, day in (await session.execute(stored)).all()}
    fresh = {
        (row["currency"], row["day"]): row for row in values if (row["currency"], row["day"]) not in known
    }
    if not fresh:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # ON CONFLICT DO NOTHING: another instance may store the same day meanwhile.
    statement = insert(ExchangeRate.__table__).on_conflict_do_nothing()  # type: ignore[attr-defined]
    await session.execute(statement, list(fresh.values()))
    return len(fresh)


def _newest_per_currency() -> sa.Select[tuple[str, date, Decimal]]:
    newest = sa.select(R.currency, sa.func.max(R.day).label("day")).group_by(R.currency).subquery()
    return sa.select(R.currency, R.day, R.units_per_eur).join(
        newest, sa.and_(R.currency == newest.c.currency, R.day == newest.c.day)
    )


async def history(
    session: AsyncSession, currencies: Iterable[str] = (), since: date | None = None
) -> RateHistory:
    """One query: every currency's newest rate, plus, for `currencies`, every rate from `since` on
    (starting at the newest one on or before `since`, which still applies on that day)."""
    query: sa.Select | sa.CompoundSelect = _newest_per_currency()
    codes = sorted(set(currencies))
    if codes and since is not None:
        earlier = ExchangeRate.__table__.alias("earlier")  # type: ignore[attr-defined]
        start = (
            sa.select(sa.func.max(earlier.c.day))
            .where(earlier.c.currency == R.currency, earlier.c.day <= since)
            .scalar_subquery()
        )
        since_then = sa.select(R.currency, R.day, R.units_per_eur).where(
            R.currency.in_(codes), R.day >= sa.func.coalesce(start, since)
        )
        query = sa.union(query, since_then)
    rows = (await session.execute(query)).all()
    return RateHistory.from_rows((code, day, Decimal(rate)) for code, day, rate in rows)


async def newest_days(session: AsyncSession) -> dict[str, tuple[date, str]]:
    """Per currency, the day and source of its newest stored rate (for the rates page)."""
    newest = _newest_per_currency().add_columns(R.source)
    return {code: (day, source) for code, day, _rate, source in (await session.execute(newest)).all()}


async def stored_days(
    session: AsyncSession, currency: str, limit: int = 60
) -> list[tuple[date, Decimal, str]]:
    """A currency's newest stored rates, newest first."""
    query = (
        sa.select(R.day, R.units_per_eur, R.source)
        .where(R.currency == currency)
        .order_by(R.day.desc())
        .limit(limit)
    )
    return [(day, Decimal(rate), source) for day, rate, source in (await session.execute(query)).all()]
