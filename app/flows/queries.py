"""All SQL for deposits, withdrawals and bonuses. Each function runs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.achievements import days as action_days
from app.bankroll import daily, marks
from app.bankroll.queries import add_balance
from app.models import Flow, Holding, User, utcnow

if TYPE_CHECKING:
    from app.flows.forms import FlowInput

F = Flow.__table__.c  # type: ignore[attr-defined]
H = Holding.__table__.c  # type: ignore[attr-defined]


@dataclass
class Subtotal:
    currency: str
    amount: Decimal
    count: int
    first: datetime | None = None  # the first and last moment of the flows counted
    last: datetime | None = None


def _in_range(
    user_id: int, kind: str, start: datetime | None, end: datetime | None
) -> list[sa.ColumnElement[bool]]:
    conditions = [F.user_id == user_id, F.kind == kind, F.deleted_at.is_(None)]
    if start is not None:
        conditions.append(F.occurred_at >= start)
    if end is not None:
        conditions.append(F.occurred_at < end)
    return conditions


async def live_holdings(session: AsyncSession, user_id: int) -> list[Holding]:
    """The player's sites then assets (not deleted), in their list order: one query."""
    query = (
        select(Holding)
        .where(H.user_id == user_id, H.deleted_at.is_(None))
        .order_by(H.kind.desc(), H.position, H.id)
    )
    return list((await session.execute(query)).scalars())


async def subtotals(
    session: AsyncSession, user_id: int, kind: str, start: datetime | None = None, end: datetime | None = None
) -> list[Subtotal]:
    """Per-currency sums and counts of the live flows of a kind in [start, end), each with its first and
    last moment: one query."""
    query = (
        sa.select(
            F.currency,
            sa.func.sum(F.amount),
            sa.func.count(),
            sa.func.min(F.occurred_at),
            sa.func.max(F.occurred_at),
        )
        .where(*_in_range(user_id, kind, start, end))
        .group_by(F.currency)
        .order_by(F.currency)
    )
    return [
        Subtotal(currency, amount, count, _aware(first), _aware(last))
        for currency, amount, count, first, last in (await session.execute(query)).all()
    ]


def _aware(moment: datetime | str) -> datetime:
    """min()/max() of a UTC column may come back plain on SQLite: aware UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def amounts(
    session: AsyncSession,
    user_id: int,
    kind: str,
    start: datetime | None = None,
    end: datetime | None = None,
    currencies: Iterable[str] = (),
) -> list[tuple[str, datetime, Decimal]]:
    """(currency, occurred_at, amount) of the live flows of a kind in [start, end) in `currencies`: one
    query (for the currencies whose rate moved meanwhile, valued one by one)."""
    query = sa.select(F.currency, F.occurred_at, F.amount).where(
        *_in_range(user_id, kind, start, end), F.currency.in_(sorted(currencies))
    )
    return [tuple(row) for row in (await session.execute(query)).all()]  # type: ignore[misc]


async def flow_page(
    session: AsyncSession,
    user_id: int,
    kind: str,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> list[tuple[Flow, str | None]]:
    """One page of live flows, newest first, each with its holding's name (None without one): one query."""
    query = (
        select(Flow, Holding.name)
        .outerjoin(Holding, Holding.id == Flow.holding_id)  # type: ignore[arg-type]
        .where(*_in_range(user_id, kind, start, end))
        .order_by(F.occurred_at.desc(), F.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(flow, name) for flow, name in (await session.execute(query)).all()]


async def get_flow(
    session: AsyncSession, user_id: int, flow_id: int, *, deleted: bool | None = False
) -> Flow | None:
    """The player's own flow, or None (another player's id looks exactly like a missing one).

    deleted=False: only live flows; True: only soft-deleted ones; None: either.
    """
    query = select(Flow).where(Flow.id == flow_id, Flow.user_id == user_id)
    if deleted is not None:
        query = query.where(F.deleted_at.isnot(None) if deleted else F.deleted_at.is_(None))
    return (await session.execute(query)).scalar_one_or_none()


async def holding_name(session: AsyncSession, holding_id: int | None) -> str | None:
    if holding_id is None:
        return None
    return (await session.execute(sa.select(H.name).where(H.id == holding_id))).scalar_one_or_none()


async def create_flow(session: AsyncSession, user: User, values: FlowInput) -> Flow | None:
    """Record a deposit/withdrawal (and the holding's new balance, if given) in one transaction; commits.

    Returns None when this form was already submitted (same request_key): nothing is recorded twice.
    The balance entry uses the key f"{request_key}-balance" and the flow's time.
    """
    flow = Flow(
        user_id=user.id,  # type: ignore[arg-type]
        kind=values.kind,
        occurred_at=values.occurred_at,
        amount=values.amount,
        currency=values.currency,
        note=values.note,
        holding_id=values.holding.id if values.holding is not None else None,
        request_key=values.request_key,
    )
    try:
        async with session.begin_nested():
            session.add(flow)
    except IntegrityError:
        return None
    await action_days.record(session, user)
    await marks.changed(session, flow.user_id, flow.occurred_at)
    if values.holding is not None and values.new_balance is not None:
        entry = await add_balance(
            session,
            values.holding,
            values.new_balance,
            recorded_at=values.occurred_at,
            request_key=f"{values.request_key}-balance" if values.request_key else None,
        )
        if entry is not None:
            await daily.after_entries(session, user, entry.recorded_at)
    await session.commit()
    return flow


async def update_flow(session: AsyncSession, flow: Flow, values: FlowInput) -> Flow:
    """Save an edited flow (its kind never changes); commits."""
    await marks.changed(session, flow.user_id, flow.occurred_at, values.occurred_at)
    flow.occurred_at = values.occurred_at
    flow.amount = values.amount
    flow.currency = values.currency
    flow.note = values.note
    flow.holding_id = values.holding.id if values.holding is not None else None
    session.add(flow)
    await session.commit()
    return flow


async def set_deleted(session: AsyncSession, flow: Flow, deleted: bool) -> Flow:
    """Soft-delete (or restore) a flow; commits."""
    await marks.changed(session, flow.user_id, flow.occurred_at)
    flow.deleted_at = (flow.deleted_at or utcnow()) if deleted else None
    session.add(flow)
    await session.commit()
    return flow
