"""Two-factor authentication: setup with a QR code, recovery codes, the login step, turning it off."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from app.models import RecoveryCode
from app.security import totp
from tests.conftest import PASSWORD, build_client, csrf_token, make_settings
from tests.test_auth_links import _user

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
CODE_RE = re.compile(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>")


def code_at(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


async def enable(client, post) -> tuple[str, list[str]]:
    """Turn two-factor on; returns the secret and the recovery codes."""
    page = await client.get("/settings/two-factor")
    secret = SECRET_RE.search(page.text).group(1)
    response = await post.form("/settings/two-factor", {"code": code_at(secret)})
    assert response.status_code == 200, response.text
    return secret, CODE_RE.findall(response.text)


async def password_step(client, email: str):
    token = await csrf_token(client, "/login")
    return await client.post(
        "/login", data={"csrf_token": token, "email": email, "password": PASSWORD, "next": "/settings"}
    )


async def code_step(client, code: str, **headers: str):
    token = await csrf_token(client, "/login")
    return await client.post("/login/two-factor", data={"csrf_token": token, "code": code}, headers=headers)


async def test_setup_shows_a_server_drawn_qr_code_without_inline_styles(client, player):
    page = await client.get("/settings/two-factor")
    assert page.status_code == 200
    svg = page.text.split('<div class="qr-box">')[1].split("</div>")[0]
    assert svg.strip().startswith("<svg") and 'role="img"' in svg and "style" not in svg
    assert SECRET_RE.search(page.text)
    again = await client.get("/settings/two-factor")
    assert SECRET_RE.search(again.text).group(1) == SECRET_RE.search(page.text).group(1)


async def test_a_wrong_code_does_not_turn_it_on(client, player, post, sessionmaker):
    await client.get("/settings/two-factor")
    response = await post.htmx("/settings/two-factor", {"code": "000000"}, target="#two-factor-panel")
    assert response.status_code == 422 and 'id="e-code"' in response.text
    assert response.text.lstrip().startswith('<div id="two-factor-panel"')
    assert (await _user(sessionmaker, player)).totp_enabled_at is None


async def test_enabling_shows_ten_recovery_codes_once_and_stores_only_hashes(
    client, player, post, sessionmaker
):
    secret, codes = await enable(client, post)
    assert len(codes) == 10 and len(set(codes)) == 10
    user = await _user(sessionmaker, player)
    assert user.totp_enabled_at is not None and user.totp_secret == secret
    async with sessionmaker() as session:
        stored = (
            await session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id))
        ).all()
    assert sorted(stored) == sorted(totp.hash_recovery(c) for c in codes)
    assert not any(code in stored for code in codes)
    page = await client.get("/settings/two-factor")
    assert not CODE_RE.search(page.text) and "10 recovery codes left" in page.text


async def test_login_asks_for_the_code_after_the_password(client, player, post, other_client):
    secret, _ = await enable(client, post)
    response = await password_step(other_client, player)
    assert response.status_code == 303 and response.headers["location"] == "/login/two-factor"
    assert (await other_client.get("/dashboard")).status_code == 303  # not logged in yet
    wrong = await code_step(other_client, "123456", **{"HX-Request": "true", "HX-Target": "#two-factor-form"})
    assert wrong.status_code == 422 and wrong.text.lstrip().startswith('<form id="two-factor-form"')
    ok = await code_step(other_client, code_at(secret, 1))  # the next step: one either side is accepted
    assert ok.status_code == 303 and ok.headers["location"] == "/settings"
    assert (await other_client.get("/dashboard")).status_code == 200


async def test_a_code_cannot_be_replayed(client, player, post, other_client, settings, sessionmaker, limiter):
    secret, _ = await enable(client, post)
    code = code_at(secret, 1)
    await password_step(other_client, player)
    assert (await code_step(other_client, code)).status_code == 303
    async with build_client(settings, sessionmaker, limiter) as third:
        await password_step(third, player)
        replay = await code_step(third, code)
        older = await code_step(third, code_at(secret, -1))
    assert replay.status_code == 422 and older.status_code == 422


async def test_codes_two_steps_away_are_refused(client, player, post, other_client):
    secret, _ = await enable(client, post)
    await password_step(other_client, player)
    assert (await code_step(other_client, code_at(secret, 2))).status_code == 422
    assert (await code_step(other_client, code_at(secret, -2))).status_code == 422


async def test_a_recovery_code_works_once(
    client, player, post, other_client, settings, sessionmaker, limiter
):
    _, codes = await enable(client, post)
    await password_step(other_client, player)
    response = await code_step(other_client, codes[0].upper())
    assert response.status_code == 303
    assert "9 left" in (await other_client.get("/settings")).text
    async with build_client(settings, sessionmaker, limiter) as third:
        await password_step(third, player)
        assert (await code_step(third, codes[0])).status_code == 422


async def test_the_code_step_is_rate_limited_per_account(
    client, player, post, settings, sessionmaker, limiter
):
    await enable(client, post)
    strict = make_settings(settings.database_url, two_factor_rate="5/15 minutes")
    async with build_client(strict, sessionmaker, limiter) as other:
        await password_step(other, player)
        codes = [(await code_step(other, "000000")).status_code for _ in range(6)]
        last = await code_step(other, "000000")
    assert codes == [422] * 4 + [429] * 2  # turning it on was the first of the five
    assert int(last.headers["retry-after"]) > 0


async def test_the_code_step_expires_after_five_minutes(client, player, post, other_client, monkeypatch):
    import app.auth.login as login

    secret, _ = await enable(client, post)
    await password_step(other_client, player)
    monkeypatch.setattr(login, "PENDING_SECONDS", -1)
    response = await code_step(other_client, code_at(secret, 1))
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert (await other_client.get("/login/two-factor")).status_code == 303


async def test_turning_it_off_needs_the_password_and_a_code(client, player, post, sessionmaker):
    secret, _ = await enable(client, post)
    no_password = await post.form(
        "/settings/two-factor/disable", {"password": "", "code": code_at(secret, 1)}
    )
    assert no_password.status_code == 422 and 'id="e-password"' in no_password.text
    no_code = await post.form("/settings/two-factor/disable", {"password": PASSWORD, "code": "111111"})
    assert no_code.status_code == 422 and 'id="e-code"' in no_code.text
    assert (await _user(sessionmaker, player)).totp_enabled_at is not None
    response = await post.form(
        "/settings/two-factor/disable", {"password": PASSWORD, "code": code_at(secret, 1)}
    )
    assert response.status_code == 303
    user = await _user(sessionmaker, player)
    assert user.totp_enabled_at is None and user.totp_secret is None


async def test_new_recovery_codes_replace_the_old_ones(client, player, post, other_client):
    _, old = await enable(client, post)
    response = await post.form("/settings/two-factor/recovery-codes", {"renew_password": PASSWORD})
    new = CODE_RE.findall(response.text)
    assert response.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    await password_step(other_client, player)
    assert (await code_step(other_client, old[0])).status_code == 422
    assert (await code_step(other_client, new[0])).status_code == 303
