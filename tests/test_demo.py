"""The README's first command: `stakeeasy demo` makes an account a newcomer can log in to and find a
year of data in — balances, money in and out, and poker sessions that explain most of the sites'
balance changes."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from app.cli import migrate
from app.db import create_engine, create_sessionmaker
from app.demo import create_demo_user
from app.models import BalanceEntry, Flow, Goal, Holding, PokerSession, User, UserActionDay
from app.security.ratelimit import RateLimiter
from tests.conftest import CSRF_RE, _make_database, build_client, make_settings

EMAIL, PASSWORD = "demo@stakeeasy.test", "demo-password-2026"


@pytest.fixture
async def demo_settings():  # type: ignore[no-untyped-def]
    url, drop = _make_database(f"demo_{uuid.uuid4().hex[:6]}")
    settings = make_settings(url)
    migrate(settings)
    await create_demo_user(settings, EMAIL, PASSWORD)
    yield settings
    drop()


async def test_the_demo_account_holds_a_year_of_balances_flows_and_sessions(demo_settings):
    engine = create_engine(demo_settings)
    async with create_sessionmaker(engine)() as session:
        user = (await session.execute(select(User).where(User.email == EMAIL))).scalar_one()
        holdings = (await session.execute(select(Holding).where(Holding.user_id == user.id))).scalars().all()
        entries = await session.scalar(
            select(func.count()).select_from(BalanceEntry).join(Holding).where(Holding.user_id == user.id)
        )
        flows = await session.scalar(select(func.count()).select_from(Flow).where(Flow.user_id == user.id))
        plays = (
            (await session.execute(select(PokerSession).where(PokerSession.user_id == user.id)))
            .scalars()
            .all()
        )
        days = await session.scalar(
            select(func.count()).select_from(UserActionDay).where(UserActionDay.user_id == user.id)
        )
        goals = (await session.execute(select(Goal).where(Goal.user_id == user.id))).scalars().all()
    await engine.dispose()
    assert sorted(h.kind for h in holdings).count("site") == 5 and len(holdings) == 8
    assert entries > 300 and flows == 24
    online = [p for p in plays if not p.live]
    assert online and all(p.holding_id in {h.id for h in holdings if h.kind == "site"} for p in online)
    assert any(p.live and p.expenses > 0 for p in plays)
    assert all(p.ended_at > p.started_at and p.cash_out >= 0 for p in plays)
    assert days > 100  # the streak and volume goals count the demo's active days
    assert {g.kind for g in goals} == {"bankroll", "volume"} and all(g.completed_at is None for g in goals)


async def test_running_demo_again_replaces_the_account_instead_of_doubling_it(demo_settings):
    await create_demo_user(demo_settings, EMAIL, PASSWORD)
    engine = create_engine(demo_settings)
    async with create_sessionmaker(engine)() as session:
        users = await session.scalar(select(func.count()).select_from(User).where(User.email == EMAIL))
        holdings = await session.scalar(select(func.count()).select_from(Holding))
    await engine.dispose()
    assert users == 1 and holdings == 8


async def test_a_newcomer_logs_in_to_the_demo_and_sees_the_bankroll_results_and_reconciliation(demo_settings):
    engine = create_engine(demo_settings)
    limiter = RateLimiter(None)
    async with build_client(demo_settings, create_sessionmaker(engine), limiter) as client:
        token = CSRF_RE.search((await client.get("/login")).text).group(1)  # type: ignore[union-attr]
        response = await client.post(
            "/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD}
        )
        assert response.status_code == 303
        dashboard = await client.get("/dashboard")
        assert dashboard.status_code == 200 and re.search(r"Total bankroll", dashboard.text, re.I)
        assert "Bankroll of $30,000" in dashboard.text  # the active goals, compactly
        assert "Goal reached" not in dashboard.text  # none is reached by merely looking
        results = await client.get("/play/results")
        assert results.status_code == 200 and "bb/100" in results.text
        reconcile = await client.get("/play/reconcile")
        assert reconcile.status_code == 200 and "Unexplained" in reconcile.text
        assert "Nothing to compare yet" not in reconcile.text
    await engine.dispose()
