"""The bankroll goal planner over HTTP."""

from __future__ import annotations

from tests.test_calculators_stakes import HX, cell, error_of, uses


async def test_time_to_goal_is_the_gap_over_the_monthly_profit_with_a_projection_chart(client):
    params = {"bankroll": "2000", "target": "10000", "monthly_profit": "700"}
    response = await client.get("/tools/goals", params=params)
    assert response.status_code == 200
    assert cell(response.text, "goal-months") == "12"  # 8,000 / 700 = 11.4
    assert "1 year to $10,000.00 at $700.00 a month" in response.text
    assert '<title id="goal-title">Projected bankroll</title>' in response.text
    assert 'class="goal-line"' in response.text and "style=" not in response.text.split("<svg")[1]


async def test_the_profit_a_deadline_needs_is_the_gap_over_the_months(client):
    params = {"mode": "profit", "bankroll": "2000", "target": "10000", "months": "16"}
    response = await client.get("/tools/goals", params=params)
    assert cell(response.text, "goal-profit") == "$500.00"
    assert "in 1 year 4 months" in response.text


async def test_a_bankroll_at_the_goal_is_already_there(client):
    response = await client.get("/tools/goals", params={"bankroll": "12000", "target": "10000"})
    assert response.status_code == 200
    assert "You are already there" in cell(response.text, "goal-answer")
    assert "<svg" not in response.text


async def test_goal_inputs_are_validated_next_to_the_field(client):
    for params, name, message in (
        ({"bankroll": "100", "monthly_profit": "0"}, "monthly_profit", "more than zero"),
        ({"bankroll": "100", "monthly_profit": "-50"}, "monthly_profit", "can't be negative"),
        ({"bankroll": "100", "target": "0"}, "target", "more than zero"),
        ({"bankroll": "100", "target": "ten"}, "target", "Enter a number"),
        ({"bankroll": "100", "mode": "profit", "months": "601"}, "months", "at most 600"),
        ({"bankroll": "100", "mode": "profit", "months": "0"}, "months", "at least 1"),
    ):
        response = await client.get("/tools/goals", params=params, headers=HX)
        assert response.status_code == 422, params
        assert message in error_of(response.text, name), params
        assert response.text.lstrip().startswith('<div id="calculator"')


async def test_a_visitor_without_a_bankroll_is_asked_for_one(client):
    response = await client.get("/tools/goals")
    assert response.status_code == 200
    assert "Enter your bankroll to plan" in response.text


async def test_a_player_starts_from_their_poker_bankroll(client, player, post, sessionmaker):
    await post.form("/sites", {"name": "Stars", "currency": "USD", "balance": "4000"})
    response = await client.get("/tools/goals", params={"target": "10000", "monthly_profit": "1000"})
    assert cell(response.text, "goal-months") == "6"
    assert (await uses(sessionmaker, player)).get("goals") == 1
