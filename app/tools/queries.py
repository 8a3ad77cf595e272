"""Counting tool uses per player (for achievements)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.models import ToolUse, utcnow


async def record_use(session: AsyncSession, user_id: int, tool: str) -> None:
    """Add one use of `tool` for the player (an upsert, safe under concurrent requests) and commit."""
    now = utcnow()
    dialect = session.bind.dialect.name if session.bind is not None else "postgresql"
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    statement = insert(ToolUse).values(
        user_id=user_id, tool=tool, uses=1, first_used_at=now, last_used_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "tool"],
        set_={"uses": ToolUse.uses + 1, "last_used_at": now},  # type: ignore[operator]
    )
    await session.execute(statement)
    await session.commit()


async def uses_by_tool(session: AsyncSession, user_id: int) -> dict[str, int]:
    rows = await session.execute(select(ToolUse.tool, ToolUse.uses).where(ToolUse.user_id == user_id))
    return {tool: uses for tool, uses in rows.all()}
