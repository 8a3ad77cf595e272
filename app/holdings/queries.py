"""All SQL for sites and assets: look-ups that hide other players' rows, ordering, history pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.achievements import days as action_days
from app.models import BalanceEntry, Holding, User, utcnow


async def get_holding(
    session: AsyncSession, user: User, holding_id: int, *, deleted: bool = False
) -> Holding | None:
    """The player's own holding (live, or with deleted=True a deleted one too), else None."""
    query = select(Holding).where(Holding.id == holding_id, Holding.user_id == user.id)
    if not deleted:
        query = query.where(col(Holding.deleted_at).is_(None))
    return (await session.execute(query)).scalar_one_or_none()


async def get_entry(session: AsyncSession, user: User, entry_id: int) -> tuple[BalanceEntry, Holding] | None:
    """An entry of one of the player's live holdings, with its holding, else None."""
    query = (
        select(BalanceEntry, Holding)
        .join(Holding, col(Holding.id) == BalanceEntry.holding_id)
        .where(BalanceEntry.id == entry_id, Holding.user_id == user.id, col(Holding.deleted_at).is_(None))
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


async def live_holdings(session: AsyncSession, user: User, kind: str) -> list[Holding]:
    """The player's live holdings of one kind, in list order (archived ones included)."""
    query = (
        select(Holding)
        .where(Holding.user_id == user.id, Holding.kind == kind, col(Holding.deleted_at).is_(None))
        .order_by(col(Holding.position), col(Holding.id))
    )
    return list((await session.execute(query)).scalars())


async def holding_named(
    session: AsyncSession, user: User, kind: str, name_key: str, exclude_id: int | None = None
) -> Holding | None:
    """A live holding of this kind with this name (case-insensitive), other than exclude_id."""
    query = select(Holding).where(
        Holding.user_id == user.id,
        Holding.kind == kind,
        Holding.name_key == name_key,
        col(Holding.deleted_at).is_(None),
    )
    if exclude_id is not None:
        query = query.where(Holding.id != exclude_id)
    return (await session.execute(query.limit(1))).scalar_one_or_none()


async def holding_by_request_key(session: AsyncSession, user: User, request_key: str) -> Holding | None:
    query = select(Holding).where(Holding.user_id == user.id, Holding.request_key == request_key)
    return (await session.execute(query)).scalar_one_or_none()


async def next_position(session: AsyncSession, user: User, kind: str) -> int:
    """One past the last position, so a new or returning item goes to the end of the list."""
    query = sa.select(sa.func.max(col(Holding.position))).where(
        col(Holding.user_id) == user.id, col(Holding.kind) == kind, col(Holding.deleted_at).is_(None)
    )
    last = (await session.execute(query)).scalar_one_or_none()
    return 0 if last is None else last + 1


async def create_holding(
    session: AsyncSession, holding: Holding, balance: Decimal, request_key: str | None
) -> Holding | None:
    """Insert a holding with its starting balance; None when the name or request_key is already taken.

    The caller commits.
    """
    try:
        async with session.begin_nested():
            session.add(holding)
            await session.flush()
            session.add(
                BalanceEntry(
                    holding_id=holding.id,  # type: ignore[arg-type]
                    recorded_at=holding.created_at,
                    balance=balance,
                    currency=holding.currency,
                    request_key=f"{request_key}-start" if request_key else None,
                )
            )
    except IntegrityError:
        return None
    await action_days.record(session, holding.user_id)  # its starting balance is a balance update
    return holding


async def save_holding(session: AsyncSession, holding: Holding, **changes: Any) -> bool:
    """Apply changes to a holding in a savepoint; False (changes undone) when its name is taken.

    The partial unique index on live names is the final word: two requests can't both pass the check.
    The caller commits.
    """
    try:
        async with session.begin_nested():
            for key, value in changes.items():
                setattr(holding, key, value)
            session.add(holding)
    except IntegrityError:
        await session.refresh(holding)
        return False
    return True


async def save_order(session: AsyncSession, holdings: Sequence[Holding]) -> None:
    """Give the holdings positions 0, 1, 2... in the order given (only changed rows are written)."""
    for position, holding in enumerate(holdings):
        if holding.position != position:
            holding.position = position
            session.add(holding)


async def soft_delete(session: AsyncSession, holding: Holding) -> None:
    holding.deleted_at = utcnow()
    session.add(holding)


def _in_range(since: datetime | None, until: datetime | None) -> list[sa.ColumnElement[bool]]:
    """Conditions for entries recorded in [since, until); an open end adds none."""
    conditions = []
    if since is not None:
        conditions.append(col(BalanceEntry.recorded_at) >= since)
    if until is not None:
        conditions.append(col(BalanceEntry.recorded_at) < until)
    return conditions


async def count_entries(session: AsyncSession, holding: Holding) -> int:
    query = sa.select(sa.func.count()).where(col(BalanceEntry.holding_id) == holding.id)
    return int((await session.execute(query)).scalar_one())


async def entry_counts(
    session: AsyncSession, holding: Holding, since: datetime | None = None, until: datetime | None = None
) -> tuple[int, int]:
    """All of a holding's entries, and those in [since, until): one query."""
    in_range = sa.and_(sa.true(), *_in_range(since, until))
    query = sa.select(sa.func.count(), sa.func.count(sa.case((in_range, 1)))).where(
        col(BalanceEntry.holding_id) == holding.id
    )
    total, shown = (await session.execute(query)).one()
    return int(total), int(shown)


async def entries_page(
    session: AsyncSession,
    holding: Holding,
    *,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> list[BalanceEntry]:
    """One page of a holding's history, newest first (served by the holding/time index)."""
    query = select(BalanceEntry).where(BalanceEntry.holding_id == holding.id, *_in_range(since, until))
    query = query.order_by(col(BalanceEntry.recorded_at).desc(), col(BalanceEntry.id).desc())
    return list((await session.execute(query.limit(limit).offset(offset))).scalars())


async def delete_entry(session: AsyncSession, entry: BalanceEntry) -> None:
    await session.delete(entry)
