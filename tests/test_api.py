"""The JSON API v1 over HTTP: tokens made in settings, bearer authentication (never cookies), scopes,
the per-token rate limit, reads that match the pages, writes that go through the pages' validation
and hooks, idempotency, cursor pages, one error shape, and a token never reaching another player."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from starlette.routing import Mount, Route

from app.api import tokens
from app.api.routes import OPERATIONS
from app.bankroll import services
from app.main import create_app
from app.models import ApiToken, BalanceEntry, BankrollDay, Flow, Goal, Holding, PokerSession, User
from tests.conftest import Poster, build_client, make_settings
from tests.test_security_routes import snapshot

SECRET_RE = re.compile(r'id="new-token" type="text" readonly value="(se_[A-Za-z0-9_-]+)"')
V1 = "/api/v1"


async def make_token(post: Poster, scope: str = "write", name: str | None = None) -> str:
    """Create a token through the settings page, as a player would; returns its secret."""
    response = await post.form(
        "/settings/tokens", {"name": name or f"Script {uuid.uuid4().hex[:4]}", "scope": scope}
    )
    assert response.status_code == 201, response.text
    match = SECRET_RE.search(response.text)
    assert match, "the new token is not shown"
    return match.group(1)


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
async def bare(settings, sessionmaker, limiter):
    """An HTTP client with no cookies at all: what a script uses."""
    async with build_client(settings, sessionmaker, limiter) as client:
        yield client


async def user_of(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def site_id(sessionmaker, name: str) -> int:
    async with sessionmaker() as session:
        return (await session.execute(select(Holding.id).where(Holding.name == name))).scalars().all()[-1]


async def site(
    post: Poster, sessionmaker, name: str = "PokerStars", currency: str = "USD", balance: str = "100"
) -> int:
    response = await post.form("/sites", {"name": name, "currency": currency, "balance": balance})
    assert response.status_code == 303, response.text
    return await site_id(sessionmaker, name)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


# ---- tokens in settings -------------------------------------------------------------------------------


async def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(client, player, post, sessionmaker):
    secret = await make_token(post, "read", "Spreadsheet")
    assert secret.startswith("se_") and len(secret) > 40
    async with sessionmaker() as session:
        stored = (await session.execute(select(ApiToken))).scalars().all()
    assert len(stored) == 1
    assert stored[0].token_hash == tokens.digest(secret) and stored[0].scope == "read"
    assert secret not in str(stored[0].model_dump())
    page = await client.get("/settings/tokens")
    assert "Spreadsheet" in page.text and secret[:10] in page.text and secret not in page.text
    assert "never used" in page.text


async def test_the_settings_page_links_to_the_tokens_page(client, player):
    page = await client.get("/settings")
    assert 'href="/settings/tokens"' in page.text


async def test_the_token_form_refuses_a_missing_name_and_an_unknown_scope_keeping_input(client, player, post):
    response = await post.form("/settings/tokens", {"name": "", "scope": "admin"})
    assert response.status_code == 422
    assert "Enter a name" in response.text and "Choose read only" in response.text
    long = await post.form("/settings/tokens", {"name": "x" * 101, "scope": "read"})
    assert long.status_code == 422 and "at most 100 characters" in long.text
    htmx = await post.htmx("/settings/tokens", {"name": "Bot", "scope": "nope"}, target="div#api-tokens")
    assert htmx.status_code == 422 and 'id="api-tokens"' in htmx.text and 'value="Bot"' in htmx.text
    assert "<html" not in htmx.text


async def test_creating_a_token_with_htmx_returns_the_region_with_the_secret(client, player, post):
    response = await post.htmx("/settings/tokens", {"name": "Bot", "scope": "write"}, target="div#api-tokens")
    assert response.status_code == 201 and SECRET_RE.search(response.text)
    assert response.headers["cache-control"] == "no-store"


async def test_a_revoked_token_gets_401(client, player, post, bare, sessionmaker):
    secret = await make_token(post)
    assert (await bare.get(f"{V1}/token", headers=auth(secret))).status_code == 200
    async with sessionmaker() as session:
        token_id = (await session.execute(select(ApiToken.id))).scalar_one()
    response = await post.form(f"/settings/tokens/{token_id}/revoke")
    assert response.status_code == 303 and response.headers["location"] == "/settings/tokens"
    assert_error(await bare.get(f"{V1}/token", headers=auth(secret)), 401, "unauthorized")
    page = await client.get("/settings/tokens")
    assert "revoked" in page.text


async def test_a_player_cannot_revoke_another_players_token(
    client, player, post, other_client, other_player, other_post, bare
):
    secret = await make_token(post)
    page = await client.get("/settings/tokens")
    token_id = int(re.search(r"/settings/tokens/(\d+)/revoke", page.text).group(1))  # type: ignore[union-attr]
    response = await other_post.form(f"/settings/tokens/{token_id}/revoke")
    assert response.status_code == 404
    assert (await bare.get(f"{V1}/token", headers=auth(secret))).status_code == 200


async def test_the_tokens_page_needs_a_login(bare):
    response = await bare.get("/settings/tokens")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


# ---- authentication, scope, limits --------------------------------------------------------------------


async def test_requests_without_a_valid_token_get_401_in_the_error_shape(bare):
    for headers in ({}, {"Authorization": "Basic abc"}, auth("se_not-a-real-token"), auth("nothing")):
        response = await bare.get(f"{V1}/summary", headers=headers)
        assert_error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_cookies_never_authenticate_the_api_and_posts_need_no_csrf_with_a_token(
    client, player, post, sessionmaker
):
    holding = await site(post, sessionmaker)
    assert_error(await client.get(f"{V1}/sites"), 401)
    token = await post.token()
    refused = await client.post(
        f"{V1}/holdings/{holding}/entries", json={"balance": "5"}, headers={"X-CSRF-Token": token}
    )
    assert_error(refused, 401)
    secret = await make_token(post)
    done = await client.post(f"{V1}/holdings/{holding}/entries", json={"balance": "5"}, headers=auth(secret))
    assert done.status_code == 201, done.text  # no CSRF token: a bearer token is not ambient
    async with sessionmaker() as session:
        count = (
            await session.execute(select(func.count()).where(BalanceEntry.holding_id == holding))
        ).scalar_one()
    assert count == 2


async def test_no_api_route_takes_a_logged_in_cookie_and_no_post_changes_anything_without_a_token(
    client, player, post, sessionmaker, settings
):
    holding = await site(post, sessionmaker)
    mount = next(r for r in create_app(settings).routes if isinstance(r, Mount) and r.path == V1)
    routes = [route for route in mount.routes if isinstance(route, Route) and route.path != "/openapi.json"]
    assert len(routes) == len(OPERATIONS)
    token = await post.token()
    before = await snapshot(sessionmaker)
    for route in routes:
        path = V1 + route.path.replace("{holding_id:int}", str(holding))
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            body = {"balance": "1", "amount": "1", "currency": "USD"} if method == "POST" else None
            response = await client.request(method, path, json=body, headers={"X-CSRF-Token": token})
            assert_error(response, 401, "unauthorized")
    assert await snapshot(sessionmaker) == before


async def test_a_read_token_reads_but_gets_403_on_every_write_and_nothing_changes(
    client, player, post, bare, sessionmaker
):
    holding = await site(post, sessionmaker)
    secret = await make_token(post, "read")
    assert (await bare.get(f"{V1}/sites", headers=auth(secret))).status_code == 200
    writes = [
        (f"{V1}/holdings/{holding}/entries", {"balance": "1"}),
        (f"{V1}/deposits", {"amount": "1", "currency": "USD"}),
        (f"{V1}/withdrawals", {"amount": "1", "currency": "USD"}),
    ]
    for path, body in writes:
        assert_error(await bare.post(path, json=body, headers=auth(secret)), 403, "insufficient_scope")
    async with sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(Flow))).scalar_one() == 0
        assert (await session.execute(select(func.count()).select_from(BalanceEntry))).scalar_one() == 1


async def test_each_token_is_rate_limited_on_its_own(
    database_url, sessionmaker, limiter, client, player, post
):
    limited = make_settings(database_url, api_rate="3/minute")
    async with build_client(limited, sessionmaker, limiter) as api:
        first, second = await make_token(post), await make_token(post)
        for _ in range(3):
            assert (await api.get(f"{V1}/token", headers=auth(first))).status_code == 200
        response = await api.get(f"{V1}/token", headers=auth(first))
        assert_error(response, 429, "rate_limited")
        assert int(response.headers["retry-after"]) >= 1
        assert (await api.get(f"{V1}/token", headers=auth(second))).status_code == 200


async def test_using_a_token_notes_when_it_was_last_used(client, player, post, bare, sessionmaker):
    secret = await make_token(post)
    body = (await bare.get(f"{V1}/token", headers=auth(secret))).json()
    assert body["scope"] == "write" and body["display_currency"] == "USD"
    async with sessionmaker() as session:
        stored = (await session.execute(select(ApiToken))).scalar_one()
    assert stored.last_used_at is not None


async def test_unknown_paths_wrong_methods_and_bad_bodies_answer_in_the_error_shape(
    client, player, post, bare, sessionmaker
):
    secret = await make_token(post)
    holding = await site(post, sessionmaker)
    assert_error(await bare.get(f"{V1}/nothing-here", headers=auth(secret)), 404, "not_found")
    assert_error(await bare.delete(f"{V1}/sites", headers=auth(secret)), 405, "method_not_allowed")
    bad = await bare.post(f"{V1}/holdings/{holding}/entries", content=b"{not json", headers=auth(secret))
    assert_error(bad, 400, "bad_json")
    listed = await bare.post(f"{V1}/deposits", json=["a"], headers=auth(secret))
    assert_error(listed, 400, "bad_json")


# ---- reads --------------------------------------------------------------------------------------------


async def test_the_summary_matches_the_dashboards_figures(client, player, post, bare, sessionmaker):
    await site(post, sessionmaker, "PokerStars", "USD", "1000")
    await site(post, sessionmaker, "Winamax", "EUR", "250.50")
    await post.form("/deposits", {"occurred_at": "2026-01-05", "amount": "400", "currency": "USD"})
    await post.form("/withdrawals", {"occurred_at": "2026-01-06", "amount": "100", "currency": "EUR"})
    secret = await make_token(post, "read")
    body = (await bare.get(f"{V1}/summary", headers=auth(secret))).json()
    user = await user_of(sessionmaker, player)
    async with sessionmaker() as session:
        figures, parts, _book, _points = await services.overview(session, user)
    assert body["currency"] == "USD"
    assert Decimal(body["bankroll"]["amount"]) == round(figures.bankroll, 2)
    assert Decimal(body["profit"]["amount"]) == round(figures.profit, 2)
    assert Decimal(body["deposits"]["amount"]) == Decimal("400.00")
    assert Decimal(body["breakdown"]["poker"]["amount"]) == round(parts.poker, 2)
    assert body["sites"]["currency"] == "USD" and re.fullmatch(r"-?\d+\.\d{2}", body["bankroll"]["amount"])


async def test_sites_list_in_order_with_balances_in_their_currency_and_values_in_the_players(
    client, player, post, bare, sessionmaker
):
    stars = await site(post, sessionmaker, "PokerStars", "USD", "100")
    wina = await site(post, sessionmaker, "Winamax", "EUR", "50")
    await post.form("/assets", {"name": "Bank", "currency": "USD", "balance": "10", "category": "bank"})
    secret = await make_token(post, "read")
    data = (await bare.get(f"{V1}/sites", headers=auth(secret))).json()["data"]
    assert [row["id"] for row in data] == [stars, wina]
    assert data[1]["balance"] == {"amount": "50.00", "currency": "EUR"}
    assert data[1]["value"]["currency"] == "USD"
    assets = (await bare.get(f"{V1}/assets", headers=auth(secret))).json()["data"]
    assert [row["name"] for row in assets] == ["Bank"] and assets[0]["category"] == "bank"
    one = (await bare.get(f"{V1}/holdings/{stars}", headers=auth(secret))).json()
    assert one["name"] == "PokerStars" and one["balance"]["amount"] == "100.00"


async def test_cursor_pages_walk_a_history_newest_first_without_repeats(
    client, player, post, bare, sessionmaker
):
    holding = await site(post, sessionmaker, balance="0")
    async with sessionmaker() as session:
        start = datetime.now(UTC) - timedelta(days=30)
        session.add_all(
            BalanceEntry(
                holding_id=holding, recorded_at=start + timedelta(hours=n), balance=Decimal(n), currency="USD"
            )
            for n in range(1, 8)
        )
        await session.commit()
    secret = await make_token(post, "read")
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        body = (
            await bare.get(f"{V1}/holdings/{holding}/entries", params=params, headers=auth(secret))
        ).json()
        seen += [row["id"] for row in body["data"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 8
    first = (
        await bare.get(f"{V1}/holdings/{holding}/entries", params={"limit": "8"}, headers=auth(secret))
    ).json()
    stamps = [row["recorded_at"] for row in first["data"]]
    assert stamps == sorted(stamps, reverse=True)
    assert first["next_cursor"] is None


async def test_a_bad_cursor_is_400_and_a_bad_limit_422(client, player, post, bare):
    secret = await make_token(post, "read")
    for cursor in ("nonsense", "WzEsMl0", "W10"):
        response = await bare.get(f"{V1}/deposits", params={"cursor": cursor}, headers=auth(secret))
        assert_error(response, 400, "bad_cursor")
    for limit in ("0", "101", "ten"):
        response = await bare.get(f"{V1}/deposits", params={"limit": limit}, headers=auth(secret))
        assert assert_error(response, 422, "validation_error")["fields"]["limit"]


async def test_poker_sessions_are_listed_with_their_result(client, player, post, bare, sessionmaker):
    user = await user_of(sessionmaker, player)
    now = datetime.now(UTC)
    async with sessionmaker() as session:
        session.add(
            PokerSession(
                user_id=user.id,
                game="PLO",
                format="cash",
                currency="EUR",
                venue="Casino",
                live=True,
                small_blind=Decimal("1"),
                big_blind=Decimal("2"),
                buy_in=Decimal(200),
                cash_out=Decimal("315.5"),
                started_at=now - timedelta(hours=4),
                ended_at=now - timedelta(hours=1),
                tags=",live,deep,",
            )
        )
        await session.commit()
    secret = await make_token(post, "read")
    rows = (await bare.get(f"{V1}/sessions", headers=auth(secret))).json()["data"]
    assert len(rows) == 1
    assert rows[0]["result"] == {"amount": "115.50", "currency": "EUR"}
    assert rows[0]["tags"] == ["live", "deep"] and rows[0]["live"] is True


# ---- writes -------------------------------------------------------------------------------------------


async def test_a_balance_update_is_recorded_with_the_pages_hooks(client, player, post, bare, sessionmaker):
    holding = await site(post, sessionmaker, balance="100")
    goal = await post.form(
        "/goals",
        {
            "name": "Reach 500",
            "kind": "bankroll",
            "target": "500",
            "target_date": (datetime.now(UTC).date() + timedelta(days=30)).isoformat(),
        },
    )
    assert goal.status_code == 303
    secret = await make_token(post)
    response = await bare.post(
        f"{V1}/holdings/{holding}/entries",
        json={"balance": "612.25", "note": "big win"},
        headers=auth(secret),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["balance"] == {"amount": "612.25", "currency": "USD"} and body["note"] == "big win"
    async with sessionmaker() as session:
        totals = (
            (await session.execute(select(BankrollDay.total).where(BankrollDay.kind == "site")))
            .scalars()
            .all()
        )
        completed = (await session.execute(select(Goal.completed_at))).scalar_one()
    assert Decimal("612.25") in totals  # today's snapshot follows, as after the balance form
    assert completed is not None  # and the goal it reaches is completed
    summary = (await bare.get(f"{V1}/summary", headers=auth(secret))).json()
    assert summary["bankroll"]["amount"] == "612.25"


async def test_a_balance_time_with_an_offset_is_stored_as_that_instant(
    client, player, post, bare, sessionmaker
):
    holding = await site(post, sessionmaker)
    secret = await make_token(post)
    response = await bare.post(
        f"{V1}/holdings/{holding}/entries",
        json={"balance": "5", "recorded_at": "2026-03-01T18:30:00+02:00"},
        headers=auth(secret),
    )
    assert response.status_code == 201, response.text
    assert response.json()["recorded_at"] == "2026-03-01T16:30:00Z"


async def test_invalid_input_is_422_with_a_message_per_field_and_nothing_is_recorded(
    client, player, post, bare, sessionmaker
):
    holding = await site(post, sessionmaker)
    secret = await make_token(post)
    future = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    bad = await bare.post(
        f"{V1}/holdings/{holding}/entries",
        json={"balance": "12.345", "recorded_at": future, "colour": "red"},
        headers=auth(secret),
    )
    fields = assert_error(bad, 422, "validation_error")["fields"]
    assert set(fields) == {"colour"}  # unknown fields are refused before anything else
    bad = await bare.post(
        f"{V1}/holdings/{holding}/entries",
        json={"balance": "12.345", "recorded_at": future},
        headers=auth(secret),
    )
    fields = assert_error(bad, 422)["fields"]
    assert "at most 2 decimals" in fields["balance"] and "later than tomorrow" in fields["recorded_at"]
    typed = await bare.post(f"{V1}/deposits", json={"amount": True, "currency": "USD"}, headers=auth(secret))
    assert "string" in assert_error(typed, 422)["fields"]["amount"]
    deposit = await bare.post(
        f"{V1}/deposits", json={"amount": "-5", "currency": "XXX", "holding_id": 999999}, headers=auth(secret)
    )
    fields = assert_error(deposit, 422)["fields"]
    assert {"currency", "holding_id"} <= set(fields)
    async with sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(Flow))).scalar_one() == 0
        assert (await session.execute(select(func.count()).select_from(BalanceEntry))).scalar_one() == 1


async def test_json_numbers_are_read_by_their_exact_text(client, player, post, bare, sessionmaker):
    secret = await make_token(post)
    response = await bare.post(
        f"{V1}/deposits", content=b'{"amount": 0.30000000000000004, "currency": "BTC"}', headers=auth(secret)
    )
    assert "decimals" in assert_error(response, 422)["fields"]["amount"]
    ok = await bare.post(
        f"{V1}/deposits", content=b'{"amount": 0.1, "currency": "BTC"}', headers=auth(secret)
    )
    assert ok.status_code == 201 and ok.json()["amount"] == {"amount": "0.10000000", "currency": "BTC"}


async def test_a_withdrawal_can_record_the_sites_new_balance(client, player, post, bare, sessionmaker):
    holding = await site(post, sessionmaker, balance="1000")
    secret = await make_token(post)
    response = await bare.post(
        f"{V1}/withdrawals",
        json={"amount": "300", "currency": "USD", "holding_id": holding, "new_balance": "700"},
        headers=auth(secret),
    )
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "withdrawal" and response.json()["holding_id"] == holding
    one = (await bare.get(f"{V1}/holdings/{holding}", headers=auth(secret))).json()
    assert one["balance"]["amount"] == "700.00"
    listed = (await bare.get(f"{V1}/withdrawals", headers=auth(secret))).json()["data"]
    assert [row["amount"]["amount"] for row in listed] == ["300.00"]
    assert (await bare.get(f"{V1}/deposits", headers=auth(secret))).json()["data"] == []


async def test_an_idempotency_key_records_a_create_once(client, player, post, bare, sessionmaker):
    holding = await site(post, sessionmaker)
    secret = await make_token(post)
    headers = {**auth(secret), "Idempotency-Key": "order-42"}
    first = await bare.post(f"{V1}/deposits", json={"amount": "50", "currency": "USD"}, headers=headers)
    again = await bare.post(f"{V1}/deposits", json={"amount": "50", "currency": "USD"}, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    entry = await bare.post(f"{V1}/holdings/{holding}/entries", json={"balance": "9"}, headers=headers)
    entry_again = await bare.post(f"{V1}/holdings/{holding}/entries", json={"balance": "9"}, headers=headers)
    assert entry.status_code == 201 and entry_again.status_code == 200 and entry_again.json() == entry.json()
    async with sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(Flow))).scalar_one() == 1
        assert (await session.execute(select(func.count()).select_from(BalanceEntry))).scalar_one() == 2


async def test_the_same_idempotency_key_from_two_players_records_both(
    client, player, post, other_client, other_player, other_post, bare, sessionmaker
):
    mine, theirs = await make_token(post), await make_token(other_post)
    body = {"amount": "5", "currency": "USD"}
    for secret in (mine, theirs):
        response = await bare.post(
            f"{V1}/deposits", json=body, headers={**auth(secret), "Idempotency-Key": "same"}
        )
        assert response.status_code == 201
    async with sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(Flow))).scalar_one() == 2


# ---- ownership ----------------------------------------------------------------------------------------


async def test_a_token_never_reaches_another_players_data(
    client, player, post, other_client, other_player, other_post, bare, sessionmaker
):
    theirs = await site(other_post, sessionmaker, "Their site", balance="999")
    await other_post.form(
        "/assets", {"name": "Their bank", "currency": "USD", "balance": "5", "category": "bank"}
    )
    await other_post.form("/deposits", {"occurred_at": "2026-01-05", "amount": "70", "currency": "USD"})
    await other_post.form("/withdrawals", {"occurred_at": "2026-01-05", "amount": "7", "currency": "USD"})
    other_user = await user_of(sessionmaker, other_player)
    async with sessionmaker() as session:
        session.add(
            PokerSession(
                user_id=other_user.id, game="NLH", format="cash", currency="USD", started_at=datetime.now(UTC)
            )
        )
        await session.commit()
    mine = await site(post, sessionmaker, "My site", balance="1")
    secret = await make_token(post)
    for path in (f"{V1}/holdings/{theirs}", f"{V1}/holdings/{theirs}/entries"):
        assert_error(await bare.get(path, headers=auth(secret)), 404, "not_found")
    assert_error(
        await bare.post(f"{V1}/holdings/{theirs}/entries", json={"balance": "0"}, headers=auth(secret)), 404
    )
    spoof = await bare.post(
        f"{V1}/deposits", json={"amount": "1", "currency": "USD", "holding_id": theirs}, headers=auth(secret)
    )
    assert "holding_id" in assert_error(spoof, 422)["fields"]
    for path in ("/sites", "/assets", "/deposits", "/withdrawals", "/sessions"):
        rows = (await bare.get(f"{V1}{path}", headers=auth(secret))).json()["data"]
        assert all(row.get("id") != theirs for row in rows)
        assert path != "/sites" or [row["id"] for row in rows] == [mine]
        assert path == "/sites" or rows == []
    summary = (await bare.get(f"{V1}/summary", headers=auth(secret))).json()
    assert summary["bankroll"]["amount"] == "1.00"
    async with sessionmaker() as session:
        theirs_entries = (
            await session.execute(select(func.count()).where(BalanceEntry.holding_id == theirs))
        ).scalar_one()
    assert theirs_entries == 1
