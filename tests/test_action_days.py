"""Stored action days (user_action_days): every write path records the player's local day, once;
streaks and volume goals read them; the unlocks an action brings are toasted once, right away; the
first export unlocks "Safe keeping" once."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from app.achievements import days as action_days
from app.achievements import streaks
from app.models import Achievement, DataExport, Flow, Holding, User, UserActionDay

ZONE = "Pacific/Kiritimati"  # UTC+14: its day is often not UTC's
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def set_timezone(sessionmaker, email: str, zone: str) -> None:
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
        user.timezone = zone
        await session.commit()


async def stored_days(sessionmaker, email: str) -> list[date]:
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        query = select(UserActionDay.day).where(UserActionDay.user_id == user.id).order_by(UserActionDay.day)
        return list((await session.execute(query)).scalars())


async def add_site(post, sessionmaker, email: str, name: str = "Stars", balance: str = "100") -> int:
    response = await post.form("/sites", {"name": name, "currency": "USD", "balance": balance})
    assert response.status_code == 303, response.text
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        query = select(Holding.id).where(Holding.user_id == user.id, Holding.name == name)
        return (await session.execute(query)).scalar_one()


async def record_past_days(sessionmaker, email: str, *days_ago: int) -> None:
    """Action days in the past, stored as the write paths stored them then."""
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        for n in days_ago:
            await action_days.record(session, user, datetime.now(UTC) - timedelta(days=n))
        await session.commit()


def local_today(zone: str = ZONE) -> date:
    return streaks.today(User(email="x", password_hash="x", timezone=zone))


def moment(zone: str = "UTC") -> str:
    """Now, as the player's form shows it (their local time)."""
    return datetime.now(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


# ---- every write path records the day ---------------------------------------------------------------


async def _balance_update(client, post, sessionmaker, email):
    site = await add_site(post, sessionmaker, email)
    await _forget_days(sessionmaker, email)
    await post.form(f"/holdings/{site}/balance", {"balance": "120"})


async def _dashboard_balance(client, post, sessionmaker, email):
    site = await add_site(post, sessionmaker, email)
    await _forget_days(sessionmaker, email)
    data = {"holding_id": site, "balance": "130", "request_key": uuid.uuid4().hex}
    assert (await post.form("/dashboard/balance", data)).status_code == 303


async def _deposit(client, post, sessionmaker, email):
    data = {"amount": "50", "currency": "USD", "occurred_at": moment()}
    assert (await post.form("/deposits", data)).status_code == 303


async def _dashboard_withdrawal(client, post, sessionmaker, email):
    data = {"amount": "5", "currency": "USD", "occurred_at": moment(), "request_key": uuid.uuid4().hex}
    assert (await post.form("/dashboard/withdrawal", data)).status_code == 303


async def _transfer(client, post, sessionmaker, email):
    stars = await add_site(post, sessionmaker, email, "Stars", "100")
    gg = await add_site(post, sessionmaker, email, "GG", "10")
    await _forget_days(sessionmaker, email)
    data = {"from_holding_id": stars, "to_holding_id": gg, "amount": "20", "occurred_at": moment(ZONE)}
    assert (await post.form("/transfers", data)).status_code == 303


async def _poker_session(client, post, sessionmaker, email):
    data = {
        "game": "NLH",
        "format": "cash",
        "setting": "live",
        "venue": "Casino Royale",
        "currency": "USD",
        "stakes": "1/2",
        "buy_in": "100",
        "cash_out": "150",
        "started_at": "2026-03-01T20:00",
        "ended_at": "2026-03-01T22:00",
        "tables": "1",
    }
    assert (await post.form("/play", data)).status_code == 303


async def _timer(client, post, sessionmaker, email):
    assert (await post.form("/play/timer", {})).status_code == 303


async def _import(client, post, sessionmaker, email):
    await add_site(post, sessionmaker, email)
    text = (await client.get("/data/export.json")).text
    await _forget_days(sessionmaker, email)
    token = CSRF_RE.search((await client.get("/data")).text).group(1)  # type: ignore[union-attr]
    uploaded = await client.post(
        "/data/import", data={"csrf_token": token}, files={"file": ("export.json", text, "application/json")}
    )
    assert uploaded.status_code == 303, uploaded.text
    done = await post.form(uploaded.headers["location"], {"mode": "merge"})
    assert done.status_code == 303, done.text


async def _forget_days(sessionmaker, email: str) -> None:
    """Start from no stored day, so the action under test is the one that writes it."""
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        await session.execute(delete(UserActionDay).where(UserActionDay.user_id == user.id))
        await session.commit()


WRITE_PATHS = {
    "new site with its balance": add_site,
    "balance update": _balance_update,
    "dashboard balance": _dashboard_balance,
    "deposit": _deposit,
    "dashboard withdrawal": _dashboard_withdrawal,
    "transfer": _transfer,
    "poker session": _poker_session,
    "session timer": _timer,
    "data import": _import,
}


@pytest.mark.parametrize("path", WRITE_PATHS)
async def test_each_write_path_records_todays_local_day_once(client, player, post, sessionmaker, path):
    await set_timezone(sessionmaker, player, ZONE)
    action = WRITE_PATHS[path]
    if action is add_site:
        await add_site(post, sessionmaker, player)
    else:
        await action(client, post, sessionmaker, player)
    assert await stored_days(sessionmaker, player) == [local_today()]


async def test_recording_the_same_day_twice_stores_one_row(player, sessionmaker):
    user = await user_for(sessionmaker, player)
    for _ in range(2):  # two requests (two sessions), each recording twice
        async with sessionmaker() as session:
            await action_days.record(session, user)
            await action_days.record(session, user.id)
            await session.commit()
    assert len(await stored_days(sessionmaker, player)) == 1


async def test_a_day_is_the_players_local_day_at_the_time_and_stays_after_a_zone_change(player, sessionmaker):
    # 23:30 UTC on 20 November is already 21 November in Tokyo.
    await set_timezone(sessionmaker, player, "Asia/Tokyo")
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        await action_days.record(session, user, datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
        await session.commit()
    await set_timezone(sessionmaker, player, "America/New_York")
    assert await stored_days(sessionmaker, player) == [date(2026, 11, 21)]
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:  # the same instant now falls on New York's 20 November
        await action_days.record(session, user, datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
        await session.commit()
    assert await stored_days(sessionmaker, player) == [date(2026, 11, 20), date(2026, 11, 21)]


async def test_the_streak_comes_from_the_stored_days_even_once_the_actions_are_gone(
    client, player, post, sessionmaker
):
    await record_past_days(sessionmaker, player, 1, 2)
    await _deposit(client, post, sessionmaker, player)
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:  # a purged reset removes the rows; the days stay
        await session.execute(delete(Flow).where(Flow.user_id == user.id))
        await session.commit()
    page = await client.get("/achievements")
    assert 'id="current-streak">3 days' in page.text


async def test_a_volume_goal_counts_stored_days(client, player, post, sessionmaker):
    later = (date.today() + timedelta(days=20)).isoformat()
    await post.form("/goals", {"name": "Days", "kind": "volume", "target": "10", "target_date": later})
    await _deposit(client, post, sessionmaker, player)
    await _deposit(client, post, sessionmaker, player)  # the same day again
    page = await client.get("/goals")
    assert "1 of 10 days" in page.text


# ---- the unlocks an action brings show at once, once --------------------------------------------------


async def test_a_balance_update_that_makes_a_three_day_streak_toasts_it_once(
    client, player, post, sessionmaker
):
    site = await add_site(post, sessionmaker, player)
    await record_past_days(sessionmaker, player, 1, 2)
    response = await post.htmx(f"/holdings/{site}/balance", {"balance": "150"}, f"tr#holding-{site}")
    assert response.status_code == 200
    assert response.text.count("Achievement unlocked: Warming up.") == 1
    assert 'hx-target="#flash"' in response.text  # the out-of-band flash region
    again = await post.htmx(f"/holdings/{site}/balance", {"balance": "160"}, f"tr#holding-{site}")
    assert "Achievement unlocked" not in again.text
    assert "Achievement unlocked" not in (await client.get("/achievements")).text


async def test_a_dashboard_deposit_announces_what_it_unlocks(client, player, post, sessionmaker):
    await record_past_days(sessionmaker, player, 1, 2)
    data = {"amount": "5", "currency": "USD", "occurred_at": moment(), "request_key": uuid.uuid4().hex}
    response = await post.htmx("/dashboard/deposit", data, "form#quick-deposit-form")
    assert response.text.count("Achievement unlocked: Warming up.") == 1


async def test_adding_the_first_site_toasts_seat_taken_on_the_next_page(client, player, post, sessionmaker):
    await add_site(post, sessionmaker, player)
    page = await client.get("/sites")
    assert page.text.count("Achievement unlocked: Seat taken.") == 1
    assert "Achievement unlocked: Seat taken." not in (await client.get("/achievements")).text


async def test_a_plain_page_view_leaves_the_check_to_actions_and_the_achievements_page(
    client, player, sessionmaker
):
    await record_past_days(sessionmaker, player, 0, 1, 2)  # stored without a request: not checked yet
    assert "Achievement unlocked" not in (await client.get("/dashboard")).text
    assert (await client.get("/achievements")).text.count("Achievement unlocked: Warming up.") == 1


# ---- the first export --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/data/export.json", "/data/export.zip", "/play/export.csv"])
async def test_the_first_export_unlocks_safe_keeping_once_with_one_toast(client, player, sessionmaker, url):
    page = await client.get("/achievements")
    locked = page.text[page.text.index('id="locked-achievements"') :]
    assert "Safe keeping" in locked
    assert (await client.get(url)).status_code == 200
    assert (await client.get("/data")).text.count("Achievement unlocked: Safe keeping.") == 1
    assert (await client.get(url)).status_code == 200
    assert "Achievement unlocked" not in (await client.get("/data")).text
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        exports = (
            await session.execute(select(func.count()).where(DataExport.user_id == user.id))
        ).scalar_one()
        rows = (
            await session.execute(
                select(Achievement.key).where(
                    Achievement.user_id == user.id, Achievement.key == "first_export"
                )
            )
        ).all()
    assert exports == 2 and len(rows) == 1
    unlocked = (await client.get("/achievements")).text
    assert "Safe keeping" in unlocked[: unlocked.index('id="locked-achievements"')]


async def test_a_balance_update_that_completes_a_goal_toasts_goal_getter_with_the_celebration(
    client, player, post, sessionmaker
):
    site = await add_site(post, sessionmaker, player, balance="100")
    later = (date.today() + timedelta(days=20)).isoformat()
    await post.form(
        "/goals", {"name": "Five hundred", "kind": "bankroll", "target": "500", "target_date": later}
    )
    response = await post.htmx(f"/holdings/{site}/balance", {"balance": "600"}, f"tr#holding-{site}")
    assert response.text.count("Goal reached: Five hundred") == 1
    assert response.text.count("Achievement unlocked: Goal getter.") == 1
    assert "Achievement unlocked: Goal getter." not in (await client.get("/goals")).text
