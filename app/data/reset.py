"""Reset my bankroll data: every live holding (with its history), flow, transfer and poker session
soft-deleted at one instant, undoable for 24 hours, then purged by the scheduled job. The account, its
settings, goals, achievements and tool counters stay."""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import select

from app.bankroll import daily, marks
from app.data.queries import UNDO_WINDOW
from app.models import DataImport, DataReset, Flow, Holding, PokerSession, Transfer, User, utcnow

log = logging.getLogger("stakeeasy.data")
WORD = "RESET"
H = Holding.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]
T = Transfer.__table__.c  # type: ignore[attr-defined]
S = PokerSession.__table__.c  # type: ignore[attr-defined]
TABLES = (  # holdings first: undo and purge go through them in this order (purge backwards)
    (Holding.__table__, H),  # type: ignore[attr-defined]
    (Flow.__table__, F),  # type: ignore[attr-defined]
    (Transfer.__table__, T),  # type: ignore[attr-defined]
    (PokerSession.__table__, S),  # type: ignore[attr-defined]
)


async def reset(session: AsyncSession, user: User, request_key: str | None = None) -> DataReset | None:
    """Soft-delete all the player's bankroll data at one instant; None when this form was already sent.

    The caller commits.
    """
    marker = DataReset(user_id=user.id, created_at=utcnow(), request_key=request_key)  # type: ignore[arg-type]
    try:
        async with session.begin_nested():
            session.add(marker)
    except IntegrityError:
        return None
    for table, c in TABLES:
        await session.execute(
            sa.update(table)
            .where(c.user_id == user.id, c.deleted_at.is_(None))
            .values(deleted_at=marker.created_at)
        )
    await daily.refresh(session, user)
    await marks.forget(session, user.id)  # type: ignore[arg-type]
    return marker


async def get_reset(session: AsyncSession, user: User, reset_id: int) -> DataReset | None:
    """The player's own reset, else None (another player's id looks like a missing one)."""
    query = select(DataReset).where(DataReset.id == reset_id, DataReset.user_id == user.id)
    return (await session.execute(query)).scalar_one_or_none()


def undoable(marker: DataReset, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return marker.undone_at is None and marker.purged_at is None and marker.created_at > now - UNDO_WINDOW


async def undo(session: AsyncSession, user: User, marker: DataReset) -> list[str]:
    """Bring back what the reset deleted; returns the names given to holdings whose name was taken
    meanwhile (they come back as "Name (restored)"). The caller commits."""
    live = select(Holding.kind, Holding.name_key).where(Holding.user_id == user.id, H.deleted_at.is_(None))
    taken: set[tuple[str, str]] = {(kind, key) for kind, key in (await session.execute(live)).all()}
    query = select(Holding).where(Holding.user_id == user.id, Holding.deleted_at == marker.created_at)
    renamed = []
    for holding in (await session.execute(query)).scalars():
        if (holding.kind, holding.name_key) in taken:
            holding.name = _free_name(holding.name, holding.kind, taken)
            holding.name_key = holding.name.casefold()
            renamed.append(holding.name)
        taken.add((holding.kind, holding.name_key))
        holding.deleted_at = None
        session.add(holding)
    await session.flush()
    for table, c in TABLES[1:]:
        await session.execute(
            sa.update(table)
            .where(c.user_id == user.id, c.deleted_at == marker.created_at)
            .values(deleted_at=None)
        )
    marker.undone_at = utcnow()
    session.add(marker)
    await daily.refresh(session, user)
    await marks.forget(session, user.id)  # type: ignore[arg-type]
    return renamed


def _free_name(name: str, kind: str, taken: set[tuple[str, str]]) -> str:
    for n in range(1, 1000):
        suffix = " (restored)" if n == 1 else f" (restored {n})"
        candidate = name[: 100 - len(suffix)] + suffix
        if (kind, candidate.casefold()) not in taken:
            return candidate
    raise RuntimeError("no free name")  # 999 restored copies of one name: not a real account


async def purge_expired(sessionmaker: async_sessionmaker[AsyncSession], now: datetime | None = None) -> int:
    """Delete for good what resets older than 24 hours soft-deleted, and imports nobody confirmed in a
    day; returns how many resets were purged. Run by the schedule (`stakeeasy rates --loop`)."""
    now = now or utcnow()
    purged = 0
    async with sessionmaker() as session:
        query = select(DataReset).where(
            DataReset.undone_at.is_(None),  # type: ignore[union-attr]
            DataReset.purged_at.is_(None),  # type: ignore[union-attr]
            DataReset.created_at <= now - UNDO_WINDOW,
        )
        for marker in list((await session.execute(query)).scalars()):
            for table, c in reversed(TABLES):  # transfers and flows first, then the holdings (and entries)
                await session.execute(
                    sa.delete(table).where(c.user_id == marker.user_id, c.deleted_at == marker.created_at)
                )
            await marks.forget(session, marker.user_id)  # flows' holdings may be gone now
            marker.purged_at = now
            session.add(marker)
            await session.commit()
            purged += 1
        await session.execute(sa.delete(DataImport).where(DataImport.created_at <= now - UNDO_WINDOW))  # type: ignore[arg-type]
        await session.commit()
    if purged:
        log.info("purged %d expired resets", purged)
    return purged
