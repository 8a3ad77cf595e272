"""Streaks (local days, across midnight in a non-UTC zone) and every achievement: each unlocks once,
with one toast, and the page lists unlocked ones with their date and locked ones with progress."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.achievements import days as action_days
from app.achievements import services, streaks
from app.articles import loader
from app.models import Achievement, Article, ArticleRead, BalanceEntry, Flow, Holding, User
from app.tools.queries import record_use


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def set_timezone(sessionmaker, email: str, zone: str) -> None:
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
        user.timezone = zone
        await session.commit()


async def add_holding(
    sessionmaker, email: str, balance="0", currency="USD", kind="site", created=None
) -> int:
    """A holding with one balance entry whose creation time is `created` (default now), its day stored
    as the write paths store it (the actions made in the past, as if made then)."""
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        name = f"H{uuid.uuid4().hex[:8]}"
        holding = Holding(user_id=user.id, kind=kind, name=name, name_key=name.casefold(), currency=currency)
        session.add(holding)
        await session.flush()
        at = created or datetime.now(UTC)
        session.add(
            BalanceEntry(
                holding_id=holding.id,
                recorded_at=at,
                balance=Decimal(balance),
                currency=currency,
                created_at=at,
            )
        )
        await action_days.record(session, user, at)
        await session.commit()
        return holding.id


async def add_actions(sessionmaker, email: str, moments: list[datetime]) -> None:
    """Deposits created at the given instants (each one bankroll action, its day stored as then)."""
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        for at in moments:
            await action_days.record(session, user, at)
            session.add(
                Flow(
                    user_id=user.id,
                    kind="deposit",
                    occurred_at=at,
                    amount=Decimal(1),
                    currency="USD",
                    created_at=at,
                )
            )
        await session.commit()


async def unlocked(sessionmaker, email: str) -> dict[str, bool]:
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Achievement.key, Achievement.notified).where(Achievement.user_id == user.id)
        )
        return dict(rows.all())


def toast(name: str) -> str:
    return f"Achievement unlocked: {name}."


# ---- streaks ---------------------------------------------------------------------------------------


def test_a_streak_counts_consecutive_days_and_survives_until_today_ends():
    today = date(2026, 11, 22)
    days = [today - timedelta(days=n) for n in (1, 2, 3, 5, 6)]
    result = streaks.streak(days, today)
    assert (result.current, result.longest, result.active_today) == (3, 3, False)
    assert streaks.streak([*days, today], today).current == 4
    assert streaks.streak([today - timedelta(days=2)], today).current == 0
    assert streaks.streak([], today) == streaks.Streak(0, 0, False)


async def test_a_streak_follows_the_players_own_midnight_not_utcs(client, player, sessionmaker):
    await set_timezone(sessionmaker, player, "Asia/Tokyo")  # UTC+9
    # 23:30 and 00:30 in Tokyo (one UTC day), then 01:00 the next Tokyo day: three local days.
    moments = [
        datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
        datetime(2026, 11, 20, 15, 30, tzinfo=UTC),
        datetime(2026, 11, 21, 16, 0, tzinfo=UTC),
    ]
    await add_actions(sessionmaker, player, moments)
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        days = await streaks.activity_days(session, user)
    assert days == {date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)}
    assert streaks.streak(days, date(2026, 11, 22)).longest == 3
    assert {at.date() for at in moments} == {date(2026, 11, 20), date(2026, 11, 21)}  # only 2 UTC days
    page = await client.get("/achievements")
    assert toast("Warming up") in page.text
    await set_timezone(sessionmaker, player, "UTC")


async def test_the_same_actions_in_utc_make_no_three_day_streak(client, player, sessionmaker):
    await add_actions(
        sessionmaker,
        player,
        [
            datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
            datetime(2026, 11, 20, 15, 30, tzinfo=UTC),
            datetime(2026, 11, 21, 16, 0, tzinfo=UTC),
        ],
    )
    page = await client.get("/achievements")
    assert toast("Warming up") not in page.text
    assert 'id="longest-streak">2 days' in page.text


@pytest.mark.parametrize(
    ("days", "names"),
    [(7, ["Warming up", "Week of focus"]), (30, ["Warming up", "Week of focus", "Iron discipline"])],
)
async def test_long_streaks_unlock_their_achievements_once(client, player, sessionmaker, days, names):
    start = datetime.now(UTC) - timedelta(days=days - 1)
    await add_actions(sessionmaker, player, [start + timedelta(days=n) for n in range(days)])
    page = await client.get("/achievements")
    for name in names:
        assert page.text.count(toast(name)) == 1
    assert f'id="current-streak">{days} days' in page.text
    again = await client.get("/achievements")
    assert "Achievement unlocked" not in again.text


async def test_balance_entries_and_transfers_count_as_actions_too(client, player, post, sessionmaker):
    now = datetime.now(UTC)
    await add_holding(sessionmaker, player, created=now - timedelta(days=1))
    await add_holding(sessionmaker, player, created=now)
    page = await client.get("/achievements")
    assert 'id="current-streak">2 days' in page.text


# ---- each achievement unlocks once -------------------------------------------------------------------


async def test_first_site_and_in_the_black_unlock_once_with_one_toast(client, player, post, sessionmaker):
    response = await post.form("/sites", {"name": "Stars", "currency": "USD", "balance": "100"})
    assert response.status_code == 303
    page = await client.get("/achievements")
    assert page.text.count(toast("Seat taken")) == 1
    assert page.text.count(toast("In the black")) == 1  # 100 − 0 deposits + 0 withdrawals > 0
    assert (await unlocked(sessionmaker, player))["first_site"] is True
    again = await client.get("/achievements")
    assert toast("Seat taken") not in again.text and "Unlocked (" in again.text
    assert len(await unlocked(sessionmaker, player)) == 2


async def test_a_losing_player_is_not_in_the_black(client, player, post, sessionmaker):
    await add_holding(sessionmaker, player, balance="40")
    await add_actions(sessionmaker, player, [datetime.now(UTC)] * 50)  # deposits of 1 each: 50 in, 40 left
    page = await client.get("/achievements")
    assert toast("In the black") not in page.text
    assert "in_the_black" not in await unlocked(sessionmaker, player)


async def test_bankroll_thresholds_are_in_usd_equivalent(client, player, sessionmaker):
    await add_holding(sessionmaker, player, balance="999", currency="USD")
    page = await client.get("/achievements")
    assert toast("Four figures") not in page.text
    assert "999 of 1,000 USD" in page.text
    await add_holding(sessionmaker, player, balance="100", currency="EUR")  # 100 EUR is more than 1 USD
    page = await client.get("/achievements")
    assert page.text.count(toast("Four figures")) == 1 and toast("Five figures") not in page.text
    await add_holding(sessionmaker, player, balance="10000", currency="USD")
    page = await client.get("/achievements")
    assert page.text.count(toast("Five figures")) == 1 and toast("Four figures") not in page.text


async def test_first_goal_completed_unlocks_once(client, player, post, sessionmaker):
    later = (date.today() + timedelta(days=20)).isoformat()
    await post.form("/goals", {"name": "G", "kind": "bankroll", "target": "50000", "target_date": later})
    page = await client.get("/achievements")
    assert toast("Goal getter") not in page.text
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        from app.models import Goal

        goal_id = (await session.execute(select(Goal.id).where(Goal.user_id == user.id))).scalar_one()
    response = await post.htmx(f"/goals/{goal_id}/complete", {}, "#goal-list")
    assert response.text.count(toast("Goal getter")) == 1  # synced on the goals page itself
    assert toast("Goal getter") not in (await client.get("/achievements")).text


async def test_reading_one_and_ten_articles_unlock_once_each(client, player, post, sessionmaker):
    async with sessionmaker() as session:
        await loader.load(session)
        ids = list((await session.execute(select(Article.id).order_by(Article.id))).scalars())
    assert len(ids) >= 10
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        session.add(ArticleRead(user_id=user.id, article_id=ids[0]))
        await session.commit()
    page = await client.get("/achievements")
    assert page.text.count(toast("Student of the game")) == 1
    assert "1 of 10" in page.text
    async with sessionmaker() as session:
        session.add_all(ArticleRead(user_id=user.id, article_id=i) for i in ids[1:10])
        await session.commit()
    page = await client.get("/achievements")
    assert page.text.count(toast("Bookworm")) == 1 and toast("Student of the game") not in page.text


async def test_first_tool_use_unlocks_once(client, player, sessionmaker):
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        await record_use(session, user.id, "stakes")
        await record_use(session, user.id, "stakes")
    page = await client.get("/achievements")
    assert page.text.count(toast("Number cruncher")) == 1
    assert toast("Number cruncher") not in (await client.get("/achievements")).text


async def test_sync_called_twice_concurrently_stores_one_row_and_one_toast(client, player, sessionmaker):
    await add_holding(sessionmaker, player, balance="5")
    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        await services.sync(session, user)  # no request: unlocks silently, the toast waits
        await services.sync(session, user)
    async with sessionmaker() as session:
        total = (
            await session.execute(
                select(func.count()).select_from(Achievement).where(Achievement.user_id == user.id)
            )
        ).scalar_one()
    assert total == 2  # first site, in the black
    page = await client.get("/achievements")
    assert page.text.count("Achievement unlocked") == 2


async def test_the_achievements_page_shows_dates_and_progress(client, player, sessionmaker):
    await add_holding(sessionmaker, player, balance="250")
    page = await client.get("/achievements")
    assert "Unlocked (2)" in page.text and f"Unlocked {date.today().isoformat()}" in page.text
    assert "250 of 1,000 USD" in page.text and 'value="25"' in page.text


async def test_a_visitor_is_sent_to_log_in(client):
    response = await client.get("/achievements")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_a_poker_session_counts_as_an_action(client, player, sessionmaker):
    from app.models import PokerSession

    user = await user_for(sessionmaker, player)
    async with sessionmaker() as session:
        for days_ago in (0, 1, 2):
            at = datetime.now(UTC) - timedelta(days=days_ago)
            session.add(
                PokerSession(
                    user_id=user.id, game="NLH", format="cash", currency="USD", started_at=at, created_at=at
                )
            )
            await action_days.record(session, user, at)
        await session.commit()
    page = await client.get("/achievements")
    assert page.text.count(toast("Warming up")) == 1
