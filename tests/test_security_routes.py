"""Derived from the app's route table, so new routes are covered without anyone remembering to:
every POST without a CSRF token is refused and changes nothing; every route that takes an object id
answers 404 to another player, and changes nothing."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select, text
from sqlmodel import SQLModel
from starlette.routing import Route

from app.main import create_app
from app.models import (
    ApiToken,
    BalanceEntry,
    DataImport,
    DataReset,
    Flow,
    Goal,
    Holding,
    PokerSession,
    Transfer,
    User,
    utcnow,
)
from tests.conftest import csrf_token

# What a careless route would need to change something (names of every form in the app).
HOSTILE_FORM = {
    "name": "Taken over",
    "currency": "EUR",
    "balance": "1",
    "amount": "1",
    "new_balance": "1",
    "recorded_at": "",
    "occurred_at": "",
    "note": "not yours",
    "direction": "up",
    "category": "bank",
    "confirm": "DELETE",
}


async def _user_id(sessionmaker, email: str) -> int:
    async with sessionmaker() as session:
        return (await session.execute(select(User.id).where(User.email == email))).scalar_one()


async def _holding(session, user_id: int) -> Holding:
    name = f"Owner's site {uuid.uuid4().hex[:6]}"
    holding = Holding(user_id=user_id, kind="site", name=name, name_key=name.lower(), currency="USD")
    session.add(holding)
    await session.flush()
    return holding


async def make_holding(session, user_id: int) -> int:
    holding = await _holding(session, user_id)
    session.add(
        BalanceEntry(holding_id=holding.id, recorded_at=utcnow(), balance=Decimal(100), currency="USD")
    )
    await session.commit()
    return holding.id  # type: ignore[return-value]


async def make_entry(session, user_id: int) -> int:
    holding = await _holding(session, user_id)
    first = BalanceEntry(
        holding_id=holding.id, recorded_at=utcnow() - timedelta(days=2), balance=Decimal(50), currency="USD"
    )
    second = BalanceEntry(
        holding_id=holding.id, recorded_at=utcnow() - timedelta(days=1), balance=Decimal(80), currency="USD"
    )
    session.add_all([first, second])
    await session.commit()
    return first.id  # type: ignore[return-value]


async def make_flow(session, user_id: int) -> int:
    flow = Flow(user_id=user_id, kind="deposit", occurred_at=utcnow(), amount=Decimal(25), currency="USD")
    session.add(flow)
    await session.commit()
    return flow.id  # type: ignore[return-value]


async def make_play(session, user_id: int) -> int:
    play = PokerSession(
        user_id=user_id, game="NLH", format="cash", currency="USD", venue="Casino", started_at=utcnow()
    )
    session.add(play)
    await session.commit()
    return play.id  # type: ignore[return-value]


async def make_transfer(session, user_id: int) -> int:
    source, target = await _holding(session, user_id), await _holding(session, user_id)
    transfer = Transfer(
        user_id=user_id,
        occurred_at=utcnow(),
        from_holding_id=source.id,
        to_holding_id=target.id,
        amount=Decimal(10),
        from_currency="USD",
        received=Decimal(10),
        to_currency="USD",
    )
    session.add(transfer)
    await session.commit()
    return transfer.id  # type: ignore[return-value]


async def make_import(session, user_id: int) -> int:
    payload = json.dumps({"format": "stakeeasy-export", "version": 1})
    pending = DataImport(user_id=user_id, format="json", filename="export.json", payload=payload)
    session.add(pending)
    await session.commit()
    return pending.id  # type: ignore[return-value]


async def make_reset(session, user_id: int) -> int:
    marker = DataReset(user_id=user_id)
    session.add(marker)
    await session.commit()
    return marker.id  # type: ignore[return-value]


async def make_goal(session, user_id: int) -> int:
    today = utcnow().date()
    goal = Goal(
        user_id=user_id,
        name="Owner's goal",
        kind="bankroll",
        target=Decimal(10**6),
        currency="USD",
        start_date=today,
        target_date=today + timedelta(days=30),
    )
    session.add(goal)
    await session.commit()
    return goal.id  # type: ignore[return-value]


async def make_token(session, user_id: int) -> int:
    digest = uuid.uuid4().hex * 2
    token = ApiToken(
        user_id=user_id, name="Owner's token", scope="write", token_hash=digest, prefix="se_owner"
    )
    session.add(token)
    await session.commit()
    return token.id  # type: ignore[return-value]


async def make_admin_target(session, user_id: int) -> int:
    """Admin pages take any account's id: the owner becomes an admin (so the owner can open them) and
    the id is another account's; for everyone else they are 404 like another player's object."""
    owner = await session.get(User, user_id)
    owner.is_admin = True
    target = User(email=f"target-{uuid.uuid4().hex[:8]}@example.com", password_hash="x")
    session.add_all([owner, target])
    await session.commit()
    return target.id  # type: ignore[return-value]


# One factory per kind of id a path can take. A new kind of id fails the test until it has one here.
FACTORIES = {
    "holding_id": make_holding,
    "entry_id": make_entry,
    "flow_id": make_flow,
    "play_id": make_play,
    "transfer_id": make_transfer,
    "import_id": make_import,
    "reset_id": make_reset,
    "goal_id": make_goal,
    "token_id": make_token,
    "user_id": make_admin_target,
}
# Not object ids: signed e-mail links (refused on their own, see test_auth_links) and provider names.
TOKEN_PARAMS = {"token", "provider", "slug"}  # ...and article slugs (articles are public)


def _routes(settings) -> list[Route]:
    return [route for route in create_app(settings).routes if isinstance(route, Route)]


def _params(route: Route) -> list[str]:
    return list(route.param_convertors)


async def snapshot(sessionmaker) -> dict[str, list[str]]:
    """Every row of every table (as text), to prove a request changed nothing."""
    rows = {}
    async with sessionmaker() as session:
        connection = await session.connection()
        existing = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        for table in SQLModel.metadata.sorted_tables:
            if table.name in existing:
                result = await session.execute(select(table))
                rows[table.name] = sorted(str(tuple(row)) for row in result.all())
    return rows


async def _concrete(route: Route, sessionmaker, owner_id: int) -> str:
    values = {}
    for name in _params(route):
        factory = FACTORIES.get(name)
        if factory is None:
            pytest.fail(f"{route.path} ({route.name}) takes {{{name}}}: add a factory for it to FACTORIES")
        async with sessionmaker() as session:
            values[name] = await factory(session, owner_id)
    return route.url_path_for(route.name, **values)


def test_every_id_route_has_a_factory(settings):
    for route in _routes(settings):
        for name in _params(route):
            assert name in FACTORIES or name in TOKEN_PARAMS, f"{route.path}: no factory for {{{name}}}"


async def test_another_players_ids_are_not_found_and_nothing_changes(
    client, player, other_client, other_player, other_post, sessionmaker, settings
):
    owner_id = await _user_id(sessionmaker, player)
    routes = [r for r in _routes(settings) if set(_params(r)) - TOKEN_PARAMS]
    assert len(routes) >= 10
    token = await other_post.token()
    for route in routes:
        path = await _concrete(route, sessionmaker, owner_id)
        before = await snapshot(sessionmaker)
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            if method == "GET":
                responses = [
                    await other_client.get(path),
                    await other_client.get(path, headers={"HX-Request": "true"}),
                ]
            else:
                responses = [
                    await other_client.post(path, data={"csrf_token": token, **HOSTILE_FORM}),
                    await other_client.post(
                        path, data=HOSTILE_FORM, headers={"HX-Request": "true", "X-CSRF-Token": token}
                    ),
                ]
            for response in responses:
                assert response.status_code == 404, f"{method} {path} ({route.name}): {response.status_code}"
        assert await snapshot(sessionmaker) == before, f"{route.name} changed data for another player's id"
        owner_page = await client.get(path) if "GET" in (route.methods or ()) else None
        assert owner_page is None or owner_page.status_code < 400, f"the owner cannot open {path}"


async def test_every_post_without_a_csrf_token_changes_nothing(client, player, sessionmaker, settings):
    owner_id = await _user_id(sessionmaker, player)
    posts = [r for r in _routes(settings) if "POST" in (r.methods or ())]
    assert {"log_in", "create_account", "delete_account", "change_password"} <= {r.name for r in posts}
    for route in posts:
        if set(_params(route)) & TOKEN_PARAMS:
            path = route.path.replace("{token}", "not-a-real-token").replace("{provider}", "google")
        else:
            path = await _concrete(route, sessionmaker, owner_id)
        before = await snapshot(sessionmaker)
        missing = await client.post(path, data=HOSTILE_FORM)
        forged = await client.post(path, data={"csrf_token": "forged", **HOSTILE_FORM})
        header = await client.post(
            path, data=HOSTILE_FORM, headers={"HX-Request": "true", "X-CSRF-Token": "x"}
        )
        assert missing.status_code == forged.status_code == header.status_code == 403, route.name
        assert await snapshot(sessionmaker) == before, f"{route.name} changed something without a CSRF token"
    assert (await client.get("/dashboard")).status_code == 200  # and the player is still logged in


async def test_the_csrf_token_of_one_session_does_not_work_in_another(
    client, player, other_client, other_player
):
    mine = await csrf_token(client, "/settings")
    response = await other_client.post("/settings/sessions/logout-others", data={"csrf_token": mine})
    assert response.status_code == 403


async def test_the_snapshot_notices_a_change(sessionmaker, player):
    """The helper above must be able to fail."""
    before = await snapshot(sessionmaker)
    async with sessionmaker() as session:
        await session.execute(text("UPDATE users SET locale = 'de_DE'"))
        await session.commit()
    assert await snapshot(sessionmaker) != before
