"""Sign up, log in, log out, sessions and the pages that need a login."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import User
from app.security import passwords
from app.security.ratelimit import RateLimiter
from tests.conftest import PASSWORD, build_client, csrf_token, make_settings, sign_up


async def test_anonymous_visitors_get_the_landing_page(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert "Your whole poker bankroll" in response.text
    assert 'href="/signup"' in response.text


async def test_money_pages_send_anonymous_visitors_to_login(client):
    response = await client.get("/settings")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/settings"


async def test_htmx_requests_without_a_login_are_redirected_by_header(client):
    response = await client.get("/settings", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/login")


async def test_signing_up_logs_the_player_in_and_stores_an_argon2id_hash(client, sessionmaker):
    email = await sign_up(client, "New.Player@Example.com", currency="EUR", locale="de_DE")
    assert email == "New.Player@Example.com"
    page = await client.get("/settings")
    assert page.status_code == 200
    async with sessionmaker() as session:
        user = (
            await session.execute(select(User).where(User.email == "new.player@example.com"))
        ).scalar_one()
    assert user.password_hash.startswith("$argon2id$")
    assert user.display_currency == "EUR" and user.locale == "de_DE"


@pytest.mark.parametrize(
    ("email", "password", "field", "message"),
    [
        ("", PASSWORD, "email", "Enter your e-mail address."),
        ("not-an-address", PASSWORD, "email", "Enter a valid e-mail address"),
        ("a@example.com", "short", "password", "at least 10 characters"),
        ("a@example.com", "password123", "password", "too common"),
        ("a@example.com", "aaaaaaaaaaaa", "password", "too common"),
    ],
)
async def test_sign_up_rejects_bad_input_next_to_the_field(client, email, password, field, message):
    token = await csrf_token(client, "/signup")
    response = await client.post(
        "/signup",
        data={
            "csrf_token": token,
            "email": email,
            "password": password,
            "display_currency": "USD",
            "locale": "en_US",
        },
    )
    assert response.status_code == 422
    assert f'id="e-{field}"' in response.text
    assert message in response.text
    assert f'value="{email}"' in response.text  # what the player typed is kept


async def test_sign_up_rejects_an_unknown_currency(client):
    token = await csrf_token(client, "/signup")
    response = await client.post(
        "/signup",
        data={
            "csrf_token": token,
            "email": "x@example.com",
            "password": PASSWORD,
            "display_currency": "XXX",
            "locale": "en_US",
        },
    )
    assert response.status_code == 422
    assert "Choose a currency from the list." in response.text


async def test_an_e_mail_address_can_only_have_one_account(client, other_client):
    await sign_up(client, "twice@example.com")
    token = await csrf_token(other_client, "/signup")
    response = await other_client.post(
        "/signup",
        data={
            "csrf_token": token,
            "email": "TWICE@example.com",
            "password": PASSWORD,
            "display_currency": "USD",
            "locale": "en_US",
        },
    )
    assert response.status_code == 422
    assert "exists" in response.text


async def test_htmx_sign_up_errors_re_render_only_the_form(client):
    token = await csrf_token(client, "/signup")
    response = await client.post(
        "/signup",
        data={"email": "bad", "password": "x", "display_currency": "USD", "locale": "en_US"},
        headers={"HX-Request": "true", "HX-Target": "form#signup-form", "X-CSRF-Token": token},
    )
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<form id="signup-form"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["Vary"]


async def test_logging_in_rotates_the_session_and_honours_next(client, other_client):
    email = await sign_up(client)
    before = await csrf_token(other_client, "/login")
    response = await other_client.post(
        "/login",
        data={
            "csrf_token": before,
            "email": email.upper(),
            "password": PASSWORD,
            "next": "/settings",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/settings"
    after = await csrf_token(other_client, "/settings")
    assert after != before  # a session fixed before login is not the session after it
    assert "Max-Age" not in response.headers["set-cookie"]  # a browser session without "remember me"


async def test_remember_me_keeps_the_session_for_14_days(client, other_client):
    email = await sign_up(client)
    token = await csrf_token(other_client, "/login")
    response = await other_client.post(
        "/login",
        data={
            "csrf_token": token,
            "email": email,
            "password": PASSWORD,
            "remember": "on",
        },
    )
    cookie = response.headers["set-cookie"]
    assert "Max-Age=1209600" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


async def test_login_never_redirects_off_site(client, other_client):
    email = await sign_up(client)
    token = await csrf_token(other_client, "/login")
    response = await other_client.post(
        "/login",
        data={
            "csrf_token": token,
            "email": email,
            "password": PASSWORD,
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/dashboard"


async def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, other_client):
    email = await sign_up(client)
    token = await csrf_token(other_client, "/login")
    wrong = await other_client.post(
        "/login", data={"csrf_token": token, "email": email, "password": "nope" * 4}
    )
    unknown = await other_client.post(
        "/login",
        data={
            "csrf_token": token,
            "email": "nobody@example.com",
            "password": "nope" * 4,
        },
    )
    assert wrong.status_code == unknown.status_code == 422
    assert "don&#39;t match an account" in wrong.text and "don&#39;t match an account" in unknown.text
    assert f'value="{email}"' in wrong.text


async def test_logging_out_ends_the_session(client, post):
    await sign_up(client)
    response = await post.form("/logout")
    assert response.status_code == 303
    assert (await client.get("/settings")).status_code == 303


async def test_a_password_change_elsewhere_ends_old_sessions(client, sessionmaker):
    email = await sign_up(client)
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
        user.session_version += 1
        await session.commit()
    assert (await client.get("/settings")).status_code == 303


async def test_login_is_rate_limited_per_address(settings, sessionmaker):
    strict = make_settings(settings.database_url, login_rate="3/minute")
    limiter = RateLimiter(strict.redis_url, prefix="test-login-limit")
    await limiter.reset()
    try:
        async with build_client(strict, sessionmaker, limiter) as client:
            token = await csrf_token(client, "/login")
            codes = []
            for _ in range(4):
                response = await client.post(
                    "/login",
                    data={
                        "csrf_token": token,
                        "email": "victim@example.com",
                        "password": "guess-guess-guess",
                    },
                )
                codes.append(response.status_code)
        assert codes == [422, 422, 422, 429]
        assert "Too many attempts" in response.text
    finally:
        await limiter.reset()


async def test_old_hashes_are_upgraded_at_login(client, other_client, sessionmaker, monkeypatch):
    email = await sign_up(client)
    monkeypatch.setattr(passwords, "needs_rehash", lambda _hash: True)
    async with sessionmaker() as session:
        old = (await session.execute(select(User).where(User.email == email))).scalar_one().password_hash
    token = await csrf_token(other_client, "/login")
    await other_client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    async with sessionmaker() as session:
        new = (await session.execute(select(User).where(User.email == email))).scalar_one().password_hash
    assert new != old and passwords.verify(new, PASSWORD)


async def test_settings_change_the_display_currency_and_number_format(client, post):
    await sign_up(client)
    response = await post.form(
        "/settings", {"display_currency": "GBP", "locale": "fr_FR", "timezone": "Europe/Paris"}
    )
    assert response.status_code == 303
    page = await client.get("/settings")
    assert '<option value="GBP" selected>' in page.text
    assert '<option value="Europe/Paris" selected>' in page.text


async def test_settings_reject_unknown_values_next_to_the_field(client, post):
    await sign_up(client)
    response = await post.htmx(
        "/settings",
        {"display_currency": "ZZZ", "locale": "xx", "timezone": "Mars/Base"},
        target="form#settings-form",
    )
    assert response.status_code == 422
    for field in ("display_currency", "locale", "timezone"):
        assert f'id="e-{field}"' in response.text
