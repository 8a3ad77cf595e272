"""All SQL for goals."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.models import Goal


async def goals_of(session: AsyncSession, user_id: int) -> list[Goal]:
    query = select(Goal).where(Goal.user_id == user_id).order_by(Goal.target_date, Goal.id)  # type: ignore[arg-type]
    return list((await session.execute(query)).scalars().all())


async def get_goal(session: AsyncSession, user_id: int, goal_id: int) -> Goal | None:
    goal = await session.get(Goal, goal_id)
    return goal if goal is not None and goal.user_id == user_id else None


async def create_goal(session: AsyncSession, goal: Goal) -> bool:
    """Store a new goal; False when its request key was already used (a double submit)."""
    if goal.request_key:
        found = await session.execute(select(Goal.id).where(Goal.request_key == goal.request_key))
        if found.first() is not None:
            return False
    session.add(goal)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def complete(session: AsyncSession, goal_ids: list[int], by: str, now: datetime) -> set[int]:
    """Complete the goals not completed yet and return their ids: of two requests, one completes each."""
    G = Goal.__table__.c  # type: ignore[attr-defined]
    statement = (
        sa.update(Goal.__table__)  # type: ignore[attr-defined]
        .where(G.id.in_(goal_ids), G.completed_at.is_(None))
        .values(completed_at=now, completed_by=by)
        .returning(G.id)
    )
    done = set((await session.execute(statement)).scalars().all())
    await session.commit()
    return done
