"""Goals over HTTP: add (plain, htmx, 422, double submit), progress, automatic completion with one
celebration, complete by hand, archive/restore, edit and extend a missed goal, the dashboard panel."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.goals import services
from app.models import Goal, Holding, User
from tests.conftest import sign_up

KEY_RE = re.compile(r'name="request_key" value="([^"]+)"')


def later(days: int = 30) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def goals_of(sessionmaker, email: str) -> list[Goal]:
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        return list((await session.execute(select(Goal).where(Goal.user_id == user.id))).scalars())


async def add_site(post, sessionmaker, name="PokerStars", balance="100") -> int:
    response = await post.form("/sites", {"name": name, "currency": "USD", "balance": balance})
    assert response.status_code == 303, response.text
    async with sessionmaker() as session:
        return (await session.execute(select(Holding.id).where(Holding.name == name))).scalars().all()[-1]


async def add_goal(post, name="Reach 1,000", kind="bankroll", target="1000", target_date=None):
    return await post.form(
        "/goals", {"name": name, "kind": kind, "target": target, "target_date": target_date or later()}
    )


async def test_a_player_adds_a_goal_and_sees_its_progress(client, player, post, sessionmaker):
    await add_site(post, sessionmaker, balance="250")
    response = await add_goal(post, target="1000")
    assert response.status_code == 303 and response.headers["location"] == "/goals"
    page = await client.get("/goals")
    assert "Reach 1,000" in page.text
    assert 'value="25"' in page.text and "25 %" in page.text
    assert "$250.00 of $1,000.00" in page.text
    assert "30 days left" in page.text and "needs $175.00 a week" in page.text


async def test_adding_a_goal_with_htmx_returns_a_fresh_form_and_the_list(client, player, post):
    response = await post.htmx(
        "/goals",
        {"name": "Profit 500", "kind": "profit", "target": "500", "target_date": later()},
        "#goal-form",
    )
    assert response.status_code == 200
    assert response.text.startswith('<form id="goal-form"')
    assert 'hx-target="#goal-list"' in response.text and "Profit 500" in response.text
    assert 'hx-target="#flash"' in response.text  # the "added" message rides along


async def test_a_bad_goal_is_answered_next_to_each_field_keeping_the_input(client, player, post):
    data = {"name": "", "kind": "bankroll", "target": "-5", "target_date": "2001-01-01"}
    for response in (await post.form("/goals", data), await post.htmx("/goals", data, "#goal-form")):
        assert response.status_code == 422
        assert "Give the goal a name." in response.text
        assert "can&#39;t be negative" in response.text
        assert "Choose today or a later date." in response.text
        assert 'value="2001-01-01"' in response.text
    response = await post.form("/goals", {**data, "name": "Days", "kind": "volume", "target": "2.5"})
    assert "Enter a whole number of days" in response.text


async def test_a_goal_submitted_twice_is_stored_once(client, player, post, sessionmaker):
    key = KEY_RE.search((await client.get("/goals")).text).group(1)
    data = {"name": "Once", "kind": "bankroll", "target": "100", "target_date": later(), "request_key": key}
    await post.form("/goals", data)
    await post.form("/goals", data)
    assert [g.name for g in await goals_of(sessionmaker, player)] == ["Once"]


async def test_a_goal_completes_by_itself_when_a_balance_update_reaches_it_and_is_celebrated_once(
    client, player, post, sessionmaker
):
    site = await add_site(post, sessionmaker, balance="100")
    await add_goal(post, name="Four figures", target="1000")
    await client.get("/goals")
    [goal] = await goals_of(sessionmaker, player)
    assert goal.completed_at is None
    await post.form(f"/holdings/{site}/balance", {"balance": "1000"})
    page = await client.get("/goals")
    assert page.text.count("Goal reached: Four figures") == 1
    [goal] = await goals_of(sessionmaker, player)
    assert goal.completed_at is not None and goal.completed_by == "auto"
    again = await client.get("/goals")
    assert "Goal reached" not in again.text
    assert "Completed</h2>" in again.text


async def test_evaluate_can_be_called_after_a_balance_change_by_other_features(
    client, player, post, sessionmaker
):
    site = await add_site(post, sessionmaker, balance="10")
    await add_goal(post, name="Twenty", target="20")
    await post.form(f"/holdings/{site}/balance", {"balance": "25"})
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        progress = await services.evaluate(session, user)
    assert [(p.goal.name, p.status, p.percent) for p in progress] == [("Twenty", "completed", 100)]


async def test_a_profit_goal_uses_bankroll_minus_deposits_plus_withdrawals(
    client, player, post, sessionmaker
):
    await add_site(post, sessionmaker, balance="300")
    moment = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    response = await post.form("/deposits", {"amount": "50", "currency": "USD", "occurred_at": moment})
    assert response.status_code == 303, response.text
    await add_goal(post, name="Profit", kind="profit", target="500")
    page = await client.get("/goals")
    assert "$250.00 of $500.00" in page.text and "50 %" in page.text


async def test_a_volume_goal_counts_the_days_with_a_balance_update(client, player, post, sessionmaker):
    await add_goal(post, name="Twenty days", kind="volume", target="20")
    await add_site(post, sessionmaker, balance="5")
    page = await client.get("/goals")
    assert "1 of 20 days" in page.text and "5 %" in page.text


async def test_a_goal_can_be_completed_by_hand_archived_and_restored(client, player, post, sessionmaker):
    await add_goal(post, name="Manual", target="999999")
    [goal] = await goals_of(sessionmaker, player)
    response = await post.htmx(f"/goals/{goal.id}/complete", {}, "#goal-list")
    assert response.status_code == 200 and response.text.startswith('<section id="goal-list"')
    assert "Completed</h2>" in response.text and "completed by hand" not in response.text
    [goal] = await goals_of(sessionmaker, player)
    assert goal.completed_by == "hand"
    response = await post.form(f"/goals/{goal.id}/archive")
    assert response.status_code == 303
    assert "Archived</h2>" in (await client.get("/goals")).text
    await post.form(f"/goals/{goal.id}/restore")
    [goal] = await goals_of(sessionmaker, player)
    assert goal.archived_at is None


async def test_a_goal_past_its_date_is_missed_and_can_be_extended(client, player, post, sessionmaker):
    await add_goal(post, name="Too late", target="5000")
    [goal] = await goals_of(sessionmaker, player)
    async with sessionmaker() as session:
        stored = await session.get(Goal, goal.id)
        stored.target_date = date.today() - timedelta(days=3)
        await session.commit()
    page = await client.get("/goals")
    assert "Missed</h2>" in page.text and "Extend or edit" in page.text
    edit = await client.get(f"/goals/{goal.id}/edit")
    assert edit.status_code == 200 and 'value="5000"' in edit.text
    response = await post.form(
        f"/goals/{goal.id}",
        {"name": "Too late", "kind": "bankroll", "target": "5000", "target_date": later(10)},
    )
    assert response.status_code == 303
    page = await client.get("/goals")
    assert "Missed</h2>" not in page.text and "10 days left" in page.text


async def test_editing_with_bad_input_answers_422_keeping_it(client, player, post, sessionmaker):
    await add_goal(post)
    [goal] = await goals_of(sessionmaker, player)
    data = {"name": "x" * 101, "kind": "bankroll", "target": "abc", "target_date": later()}
    response = await post.htmx(f"/goals/{goal.id}", data, "#goal-edit-form")
    assert response.status_code == 422 and response.text.startswith('<form id="goal-edit-form"')
    assert "under 100 characters" in response.text or "Enter a number" in response.text


async def test_another_players_goal_is_not_found(
    client, player, post, other_client, other_player, other_post, sessionmaker
):
    await add_goal(post)
    [goal] = await goals_of(sessionmaker, player)
    assert (await other_client.get(f"/goals/{goal.id}/edit")).status_code == 404
    for action in ("complete", "archive", "restore"):
        assert (await other_post.form(f"/goals/{goal.id}/{action}")).status_code == 404
    assert (await other_post.form(f"/goals/{goal.id}", {"name": "Mine"})).status_code == 404
    [goal] = await goals_of(sessionmaker, player)
    assert goal.completed_at is None and goal.archived_at is None


async def test_goal_changes_need_a_csrf_token(client, player, post, sessionmaker):
    await add_goal(post)
    [goal] = await goals_of(sessionmaker, player)
    assert (await client.post("/goals", data={"name": "x"})).status_code == 403
    assert (await client.post(f"/goals/{goal.id}/complete")).status_code == 403


async def test_the_goals_page_needs_a_login(client):
    response = await client.get("/goals")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_the_dashboard_panel_shows_active_goals_compactly(client, player, post, sessionmaker):
    await add_site(post, sessionmaker, balance="100")
    await add_goal(post, name="Panel goal", target="400")
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        context = await services.dashboard_context(session, user)
    assert [p.goal.name for p in context["goal_panel"]] == ["Panel goal"]
    from app.templating import env

    class FakeRequest:
        app = client._transport.app.app  # type: ignore[attr-defined]

    html = env.get_template("goals/_dashboard_panel.html").render(
        {**context, "request": FakeRequest(), "user": user}
    )
    assert 'id="goal-panel"' in html and "Panel goal" in html and "25 %" in html


async def test_a_goal_amount_is_in_the_players_currency(client, sessionmaker):
    email = await sign_up(client, currency="EUR", locale="de_DE")
    from tests.conftest import Poster

    post = Poster(client)
    await add_goal(post, name="Euro goal", target="1.500,50")
    [goal] = await goals_of(sessionmaker, email)
    assert goal.currency == "EUR" and goal.target == Decimal("1500.50")
    assert datetime.now(UTC) >= goal.created_at
