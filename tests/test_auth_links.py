"""E-mailed links: confirming the address, "resend", forgot password and reset; each single use."""

from __future__ import annotations

import time

import itsdangerous
from sqlalchemy import select

from app.models import User
from app.security import tokens
from tests.conftest import PASSWORD, build_client, csrf_token, make_settings, sign_up
from tests.test_email import last_link, outbox

NEW_PASSWORD = "a brand new passphrase"


async def _user(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email.lower()))).scalar_one()


async def _confirm(client, path: str):
    token = await csrf_token(client, path)
    return await client.post(path, data={"csrf_token": token})


async def test_a_new_account_is_unconfirmed_and_sees_the_banner(client, sessionmaker):
    email = await sign_up(client)
    assert (await _user(sessionmaker, email)).email_confirmed_at is None
    page = await client.get("/dashboard")
    assert 'id="unconfirmed-banner"' in page.text and "Resend link" in page.text


async def test_the_confirmation_link_confirms_once(client, sessionmaker):
    email = await sign_up(client)
    path = await last_link(sessionmaker, email)
    page = await client.get(path)
    assert page.status_code == 200 and "Confirm my address" in page.text
    assert (await _user(sessionmaker, email)).email_confirmed_at is None  # opening the link changes nothing
    response = await _confirm(client, path)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert (await _user(sessionmaker, email)).email_confirmed_at is not None
    assert 'id="unconfirmed-banner"' not in (await client.get("/dashboard")).text
    again = await _confirm(client, path)
    assert again.status_code == 400 and "already confirmed" in again.text


async def test_confirmation_works_in_a_browser_that_is_not_logged_in(client, other_client, sessionmaker):
    email = await sign_up(client)
    response = await _confirm(other_client, await last_link(sessionmaker, email))
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert (await _user(sessionmaker, email)).email_confirmed_at is not None


async def test_a_tampered_confirmation_link_gets_a_clear_message(client, sessionmaker):
    email = await sign_up(client)
    path = await last_link(sessionmaker, email)
    page = await client.get(path[:-3] + "xyz")
    assert page.status_code == 400 and "not valid" in page.text
    response = await _confirm(client, path[:-3] + "xyz")
    assert response.status_code == 400
    assert (await _user(sessionmaker, email)).email_confirmed_at is None


async def test_an_expired_confirmation_link_is_refused(client, sessionmaker, settings, monkeypatch):
    email = await sign_up(client)
    user = await _user(sessionmaker, email)
    day_ago = int(time.time()) - 24 * 3600 - 5
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: day_ago)
    token = tokens.make(settings.secret_key, "confirm", user.id, email=email)
    monkeypatch.undo()
    page = await client.get(f"/confirm/{token}")
    assert page.status_code == 400 and "expired" in page.text


async def test_a_reset_token_is_not_accepted_as_a_confirmation(client, sessionmaker, settings):
    email = await sign_up(client)
    user = await _user(sessionmaker, email)
    token = tokens.make(settings.secret_key, "reset", user.id, email=email)
    assert (await client.get(f"/confirm/{token}")).status_code == 400


async def test_resending_the_confirmation_link_is_rate_limited(settings, sessionmaker, limiter):
    strict = make_settings(settings.database_url, email_rate="3/hour")
    async with build_client(strict, sessionmaker, limiter) as client:
        email = await sign_up(client)  # the first e-mail counts
        token = await csrf_token(client, "/dashboard")
        codes = []
        for _ in range(3):
            response = await client.post("/confirm/resend", data={"csrf_token": token, "next": "/dashboard"})
            codes.append(response.status_code)
        htmx = await client.post(
            "/confirm/resend", headers={"HX-Request": "true", "X-CSRF-Token": token}, data={}
        )
    assert codes == [303, 303, 429]
    assert int(response.headers["retry-after"]) > 0 and "Wait an hour" in response.text
    assert htmx.status_code == 429 and htmx.headers["HX-Retarget"] == "#flash"
    assert len(await outbox(sessionmaker, email)) == 3


async def test_resend_by_htmx_answers_with_the_flash_region(client, sessionmaker):
    email = await sign_up(client)
    token = await csrf_token(client, "/dashboard")
    response = await client.post(
        "/confirm/resend", headers={"HX-Request": "true", "X-CSRF-Token": token}, data={}
    )
    assert response.status_code == 200 and response.text.lstrip().startswith('<div id="flash"')
    assert f"new confirmation link to {email}" in response.text


async def _forgot(client, email: str, **headers: str):
    token = await csrf_token(client, "/forgot")
    return await client.post("/forgot", data={"csrf_token": token, "email": email}, headers=headers)


async def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(
    client, other_client, sessionmaker
):
    email = await sign_up(client)
    known = await _forgot(other_client, email)
    unknown = await _forgot(other_client, "nobody-here@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(email, "X") == unknown.text.replace("nobody-here@example.com", "X")
    assert "If" in known.text and "has an account, we sent it a link" in known.text
    assert len(await outbox(sessionmaker, email)) == 2  # confirmation + reset
    assert await outbox(sessionmaker, "nobody-here@example.com") == []


async def test_forgot_password_validates_the_address_next_to_the_field(other_client):
    response = await _forgot(
        other_client, "not-an-address", **{"HX-Request": "true", "HX-Target": "#forgot-form"}
    )
    assert response.status_code == 422 and 'id="e-email"' in response.text
    assert (
        response.text.lstrip().startswith('<form id="forgot-form"')
        and 'value="not-an-address"' in response.text
    )


async def test_reset_e_mails_are_limited_per_address(settings, sessionmaker, limiter):
    strict = make_settings(settings.database_url, email_rate="3/hour")
    async with build_client(strict, sessionmaker, limiter) as client:
        codes = [(await _forgot(client, "limit@example.com")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


async def test_a_reset_link_sets_a_new_password_once_and_logs_out_every_session(
    client, other_client, sessionmaker
):
    email = await sign_up(client)
    await _forgot(other_client, email)
    path = await last_link(sessionmaker, email)
    assert path.startswith("/reset/")
    page = await other_client.get(path)
    assert page.status_code == 200 and "Choose a new password" in page.text
    token = await csrf_token(other_client, path)
    mismatch = await other_client.post(
        path, data={"csrf_token": token, "password": NEW_PASSWORD, "password_again": "something else!"}
    )
    assert mismatch.status_code == 422 and 'id="e-password_again"' in mismatch.text
    done = await other_client.post(
        path, data={"csrf_token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert (await client.get("/dashboard")).status_code == 303  # the old session is over
    again = await other_client.get(path)
    assert again.status_code == 400 and "already been used" in again.text
    login = await other_client.post(
        "/login",
        data={"csrf_token": await csrf_token(other_client), "email": email, "password": NEW_PASSWORD},
    )
    assert login.status_code == 303
    assert (await _user(sessionmaker, email)).email_confirmed_at is not None  # the link proved the address


async def test_a_reset_link_expires_after_an_hour(client, sessionmaker, settings, monkeypatch):
    email = await sign_up(client)
    user = await _user(sessionmaker, email)
    hour_ago = int(time.time()) - 3601
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: hour_ago)
    token = tokens.make(settings.secret_key, "reset", user.id, pw=tokens.fingerprint(user.password_hash))
    monkeypatch.undo()
    page = await client.get(f"/reset/{token}")
    assert page.status_code == 400 and "expired" in page.text


async def test_a_weak_new_password_is_refused_and_the_link_still_works(client, other_client, sessionmaker):
    email = await sign_up(client)
    await _forgot(other_client, email)
    path = await last_link(sessionmaker, email)
    token = await csrf_token(other_client, path)
    weak = await other_client.post(
        path,
        data={"password": "password123", "password_again": "password123"},
        headers={"HX-Request": "true", "HX-Target": "#reset-form", "X-CSRF-Token": token},
    )
    assert weak.status_code == 422 and weak.text.lstrip().startswith('<form id="reset-form"')
    assert "too common" in weak.text
    assert (await other_client.get(path)).status_code == 200
    assert (await client.get("/dashboard")).status_code == 200


async def test_an_older_reset_link_stops_working_once_the_password_changes(
    client, other_client, sessionmaker
):
    email = await sign_up(client)
    await _forgot(other_client, email)
    first = await last_link(sessionmaker, email)
    await _forgot(other_client, email)
    second = await last_link(sessionmaker, email)
    token = await csrf_token(other_client, second)
    await other_client.post(
        second, data={"csrf_token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert (await other_client.get(first)).status_code == 400


async def test_login_still_works_with_the_old_password_until_a_reset_is_used(
    client, other_client, sessionmaker
):
    email = await sign_up(client)
    await _forgot(other_client, email)
    login = await other_client.post(
        "/login", data={"csrf_token": await csrf_token(other_client), "email": email, "password": PASSWORD}
    )
    assert login.status_code == 303
