"""All SQL of the API's lists: one keyset page each (newest first), always within the token's player."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.models import BalanceEntry, Flow, PokerSession

E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]
P = PokerSession.__table__.c  # type: ignore[attr-defined]


def _before(moment: sa.ColumnElement[datetime], ident: sa.ColumnElement[int], key: list | None) -> list:  # type: ignore[type-arg]
    """Rows after the cursor in a (moment desc, id desc) order; none without a cursor."""
    if key is None:
        return []
    at, last_id = datetime.fromisoformat(key[0]), key[1]
    return [sa.or_(moment < at, sa.and_(moment == at, ident < last_id))]


async def entries(
    session: AsyncSession,
    holding_id: int,
    key: list | None,
    limit: int,  # type: ignore[type-arg]
) -> list[BalanceEntry]:
    """A holding's balance entries, newest first (served by the holding/time index)."""
    query = (
        select(BalanceEntry)
        .where(E.holding_id == holding_id, *_before(E.recorded_at, E.id, key))
        .order_by(E.recorded_at.desc(), E.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def flows(
    session: AsyncSession,
    user_id: int,
    kind: str,
    key: list | None,
    limit: int,  # type: ignore[type-arg]
) -> list[Flow]:
    """The player's live deposits or withdrawals, newest first."""
    query = (
        select(Flow)
        .where(
            F.user_id == user_id, F.kind == kind, F.deleted_at.is_(None), *_before(F.occurred_at, F.id, key)
        )
        .order_by(F.occurred_at.desc(), F.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def plays(
    session: AsyncSession,
    user_id: int,
    key: list | None,
    limit: int,  # type: ignore[type-arg]
) -> list[PokerSession]:
    """The player's poker sessions (a running one too), newest first."""
    query = (
        select(PokerSession)
        .where(P.user_id == user_id, P.deleted_at.is_(None), *_before(P.started_at, P.id, key))
        .order_by(P.started_at.desc(), P.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def entry_by_key(session: AsyncSession, holding_id: int, request_key: str) -> BalanceEntry | None:
    query = select(BalanceEntry).where(
        BalanceEntry.holding_id == holding_id, BalanceEntry.request_key == request_key
    )
    return (await session.execute(query)).scalar_one_or_none()


async def flow_by_key(session: AsyncSession, user_id: int, request_key: str) -> Flow | None:
    query = select(Flow).where(Flow.user_id == user_id, col(Flow.request_key) == request_key)
    return (await session.execute(query)).scalar_one_or_none()
