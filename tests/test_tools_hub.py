"""The tools hub and the per-player tool-use counter."""

from __future__ import annotations

from sqlalchemy import select

from app.models import ToolUse, User
from app.tools.queries import record_use, uses_by_tool


async def test_the_tools_hub_is_open_to_visitors_and_linked_from_the_header(client):
    response = await client.get("/tools")
    assert response.status_code == 200
    assert "<h1>Tools</h1>" in response.text
    home = await client.get("/")
    assert 'href="/tools"' in home.text


async def test_the_tools_hub_is_in_the_main_navigation_once_logged_in(client, player):
    response = await client.get("/dashboard")
    assert 'href="/tools"' in response.text


async def test_each_use_of_a_tool_adds_one_to_that_players_counter(sessionmaker, client, player):
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == player))).scalar_one()
        await record_use(session, user.id, "spr")
        await record_use(session, user.id, "spr")
        await record_use(session, user.id, "pot-odds")
        assert await uses_by_tool(session, user.id) == {"spr": 2, "pot-odds": 1}
        row = await session.get(ToolUse, (user.id, "spr"))
        assert row is not None and row.last_used_at >= row.first_used_at
