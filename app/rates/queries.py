"""All SQL for exchange rates: store fetched days (never overwriting one), read the history back."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app import money
from app.models import ExchangeRate, Revision
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
    bump = insert(Revision.__table__).values(name="rates", value=1)  # type: ignore[attr-defined]
    bump = bump.on_conflict_do_update(index_elements=["name"], set_={"value": Revision.__table__.c.value + 1})  # type: ignore[attr-defined]
    await session.execute(bump)  # cached aggregates keyed by the old revision are out of reach now
    return len(fresh)


@functools.cache
def _newest_per_currency() -> sa.Select[tuple[str, date, Decimal]]:
    """Each known currency's newest stored rate: one backward probe of the (currency, day) key per
    currency, however long the history (a GROUP BY would read every stored day). Built once."""
    newest = [
        sa.select(sa.func.max(R.day)).where(R.currency == code).scalar_subquery()
        for code in sorted(money.SNAPSHOT_RATES)
    ]
    return sa.select(R.currency, R.day, R.units_per_eur).where(
        sa.or_(
            *(
                sa.and_(R.currency == code, R.day == day)
                for code, day in zip(sorted(money.SNAPSHOT_RATES), newest, strict=True)
            )
        )
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
        # Per currency, an uncorrelated look-up (computed once) of the rate still in force on `since`.
        starts = [
            sa.func.coalesce(
                sa.select(sa.func.max(earlier.c.day))
                .where(earlier.c.currency == code, earlier.c.day <= since)
                .scalar_subquery(),
                since,
            )
            for code in codes
        ]
        since_then = sa.select(R.currency, R.day, R.units_per_eur).where(
            sa.or_(
                *(
                    sa.and_(R.currency == code, R.day >= start)
                    for code, start in zip(codes, starts, strict=True)
                )
            )
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
