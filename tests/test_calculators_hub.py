"""Every bankroll calculator is on the tools hub with a one-line description, and opens as a page."""

from __future__ import annotations

from markupsafe import escape

from app.calculators import TOOLS


async def test_the_hub_lists_every_bankroll_calculator_under_bankroll_and_stakes(client):
    response = await client.get("/tools")
    assert "Bankroll and stakes" in response.text
    assert len(TOOLS) == 8
    for tool in TOOLS:
        assert tool.group == "Bankroll and stakes"
        assert f">{tool.name}</a>" in response.text
        assert str(escape(tool.summary)) in response.text


async def test_every_calculator_page_opens_for_a_visitor_and_a_player(client):
    from tests.conftest import sign_up

    paths = [f"/tools/{slug}" for slug in ("stakes", "tournaments", "risk-of-ruin", "variance", "spr")]
    paths += ["/tools/pot-odds", "/tools/goals", "/tools/strategy"]
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert 'hx-target="#calculator"' in response.text and 'method="get"' in response.text
    await sign_up(client)
    for path in paths:
        assert (await client.get(path)).status_code == 200, path


async def test_a_player_s_uses_show_on_the_hub(client, player):
    await client.get("/tools/pot-odds")
    await client.get("/tools/pot-odds", params={"bet": "10"})
    response = await client.get("/tools")
    assert "used 2×" in response.text
