"""Rate limits (429 with Retry-After), the client address behind a proxy, 413 for big bodies, headers,
safe redirects and login timing."""

from __future__ import annotations

import uuid

import httpx
import pytest

from app.auth.login import safe_next
from app.security import passwords
from tests.conftest import PASSWORD, build_client, csrf_token, make_settings, sign_up

WRONG = "wrong password here"


def unique_email() -> str:
    return f"limits-{uuid.uuid4().hex[:10]}@example.com"


async def _login(client, email: str, password: str = WRONG, **headers: str):
    token = await csrf_token(client, "/login")
    return await client.post(
        "/login", data={"csrf_token": token, "email": email, "password": password}, headers=headers
    )


async def test_login_allows_five_tries_per_account_in_fifteen_minutes(settings, sessionmaker, limiter):
    strict = make_settings(settings.database_url, login_rate="5/15 minutes")
    email = unique_email()
    async with build_client(strict, sessionmaker, limiter) as client:
        codes = [(await _login(client, email)).status_code for _ in range(6)]
        last = await _login(client, email)
        other = await _login(client, unique_email())
    assert codes == [422] * 5 + [429]
    assert 800 < int(last.headers["retry-after"]) <= 900
    assert "Too many attempts" in last.text and 'id="e-email"' in last.text
    assert other.status_code == 422  # another account is not locked by this one


async def test_login_allows_twenty_tries_per_address_in_fifteen_minutes(settings, sessionmaker, limiter):
    strict = make_settings(settings.database_url, login_ip_rate="20/15 minutes")
    async with build_client(strict, sessionmaker, limiter) as client:
        codes = [(await _login(client, unique_email())).status_code for _ in range(21)]
    assert codes == [422] * 20 + [429]


async def test_sign_up_allows_five_per_address_per_hour(settings, sessionmaker, limiter):
    strict = make_settings(settings.database_url, signup_rate="5/hour")
    async with build_client(strict, sessionmaker, limiter) as client:
        for _ in range(5):
            client.cookies.clear()
            await sign_up(client)
        client.cookies.clear()
        token = await csrf_token(client, "/signup")
        response = await client.post(
            "/signup",
            data={
                "csrf_token": token,
                "email": unique_email(),
                "password": PASSWORD,
                "display_currency": "USD",
                "locale": "en_US",
            },
        )
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 3000


async def test_the_proxy_header_is_trusted_only_when_configured(settings, sessionmaker, limiter):
    behind_fly = make_settings(
        settings.database_url, login_ip_rate="2/15 minutes", trusted_proxy_header="Fly-Client-IP"
    )
    async with build_client(behind_fly, sessionmaker, limiter) as client:
        first = [
            (await _login(client, unique_email(), **{"Fly-Client-IP": "198.51.100.1"})).status_code
            for _ in range(3)
        ]
        second = await _login(client, unique_email(), **{"Fly-Client-IP": "198.51.100.2"})
    assert first == [422, 422, 429] and second.status_code == 422
    direct = make_settings(settings.database_url, login_ip_rate="2/15 minutes")
    async with build_client(direct, sessionmaker, limiter) as client:
        codes = [
            (await _login(client, unique_email(), **{"Fly-Client-IP": f"198.51.100.{n}"})).status_code
            for n in range(10, 13)
        ]
    assert codes == [422, 422, 429]  # a forged header changes nothing when no proxy is configured


async def test_x_forwarded_for_uses_only_the_address_our_proxy_added(settings, sessionmaker, limiter):
    behind = make_settings(
        settings.database_url, login_ip_rate="2/15 minutes", trusted_proxy_header="X-Forwarded-For"
    )
    async with build_client(behind, sessionmaker, limiter) as client:
        codes = [
            (
                await _login(client, unique_email(), **{"X-Forwarded-For": f"10.0.0.{n}, 192.0.2.50"})
            ).status_code
            for n in range(3)
        ]
    assert codes == [422, 422, 429]  # the forged left-hand part does not make a new bucket


async def test_every_post_has_a_general_ceiling_per_player(settings, sessionmaker, limiter):
    strict = make_settings(settings.database_url, post_rate="4/minute")
    async with build_client(strict, sessionmaker, limiter) as client:
        await sign_up(client)  # one POST (counted per address while logged out)
        token = await csrf_token(client, "/settings")
        data = {"csrf_token": token, "display_currency": "USD", "locale": "en_US", "timezone": "UTC"}
        codes = [(await client.post("/settings", data=data)).status_code for _ in range(4)]
        page = await client.post("/settings", data=data)
        fragment = await client.post(
            "/settings", data=data, headers={"HX-Request": "true", "HX-Target": "#settings-form"}
        )
    assert codes == [303] * 4
    assert page.status_code == 429 and "<html" in page.text and "going too fast" in page.text
    assert int(page.headers["retry-after"]) > 0
    assert fragment.status_code == 429 and fragment.headers["HX-Retarget"] == "#flash"
    assert fragment.text.lstrip().startswith('<div id="flash"')


async def test_rate_limits_do_not_leak_between_limiters(settings, sessionmaker):
    """Each test gets its own key prefix, so one test's attempts never count in another."""
    from app.security.ratelimit import RateLimiter

    first = RateLimiter(settings.redis_url, prefix=f"test-{uuid.uuid4().hex}")
    second = RateLimiter(settings.redis_url, prefix=f"test-{uuid.uuid4().hex}")
    try:
        assert await first.hit("1/minute", "k") and not await first.hit("1/minute", "k")
        assert await second.hit("1/minute", "k")
    finally:
        await first.reset()
        await second.reset()


async def test_a_declared_oversized_body_is_refused_before_it_is_read(settings, sessionmaker, limiter):
    small = make_settings(settings.database_url, max_body_bytes=1000)
    async with build_client(small, sessionmaker, limiter) as client:
        token = await csrf_token(client, "/login")
        response = await client.post(
            "/login",
            content=b"email=" + b"a" * 5000,
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token},
        )
        htmx = await client.post(
            "/login",
            content=b"email=" + b"a" * 5000,
            headers={"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"},
        )
    assert response.status_code == 413 and "more data than StakeEasy accepts" in response.text
    assert "<html" in response.text
    assert htmx.status_code == 413 and htmx.headers["HX-Retarget"] == "#flash"


async def test_a_streamed_body_is_refused_once_it_passes_the_limit(settings, sessionmaker, limiter):
    """Without Content-Length the middleware counts the chunks as they arrive."""
    small = make_settings(settings.database_url, max_body_bytes=1000)
    async with build_client(small, sessionmaker, limiter) as client:
        token = await csrf_token(client, "/login")

        async def chunks():
            for _ in range(10):
                yield b"a" * 400

        response = await client.post(
            "/login",
            content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token},
        )
        fine = await client.post(
            "/login", data={"csrf_token": token, "email": "a@example.com", "password": "x"}
        )
    assert response.status_code == 413
    assert fine.status_code == 422  # a normal form still goes through


async def test_the_body_limit_stops_reading_at_the_limit():
    from app.security.bodylimit import BodyLimitMiddleware

    pulled = []

    async def receive():
        pulled.append(400)
        return {"type": "http.request", "body": b"a" * 400, "more_body": len(pulled) < 10}

    async def app(scope, receive_, send):
        while (await receive_()).get("more_body"):
            pass

    middleware = BodyLimitMiddleware(app, max_bytes=1000)
    refused = []

    async def refuse(scope, receive_, send):
        refused.append(True)

    middleware._refuse = refuse  # type: ignore[method-assign]
    await middleware({"type": "http", "method": "POST", "path": "/", "headers": []}, receive, None)
    assert refused and sum(pulled) == 1200  # stopped at the first chunk past the limit, not all 4000


async def test_production_sends_hsts_and_every_response_the_other_headers():
    from app.security.headers import SecurityHeadersMiddleware

    async def plain(scope, receive, send):
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]}
        )
        await send({"type": "http.response.body", "body": b"<p>hi</p>"})

    for hsts in (True, False):
        transport = httpx.ASGITransport(app=SecurityHeadersMiddleware(plain, hsts=hsts))
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            response = await client.get("/")
        assert ("strict-transport-security" in response.headers) is hsts
        assert "camera=()" in response.headers["permissions-policy"]
        assert response.headers["referrer-policy"] == "same-origin"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/%0d%0aSet-Cookie:x",
        "evil.example",
        "",
    ],
)
def test_next_only_accepts_local_paths(target):
    assert safe_next(target) in ("/dashboard", target)
    assert not safe_next(target).startswith(("//", "/\\", "http", "javascript"))
    if target.startswith("/%0d"):
        assert safe_next(target) == target  # encoded, it is just a (missing) local path


def test_next_keeps_local_paths_with_queries():
    assert safe_next("/holdings/3?from=2026-01-01") == "/holdings/3?from=2026-01-01"


async def test_login_with_an_unknown_address_still_runs_a_full_password_check(client, monkeypatch):
    """Same work for known and unknown addresses, so response times do not reveal accounts."""
    calls = []
    real = passwords.verify
    monkeypatch.setattr(passwords, "verify", lambda h, p: calls.append(h) or real(h, p))
    known = await sign_up(client)
    client.cookies.clear()
    await _login(client, "nobody-at-all@example.com")
    await _login(client, known)
    assert len(calls) == 2 and calls[0] is None and calls[1].startswith("$argon2id$")


def test_a_missing_password_never_matches_the_dummy_hash():
    assert not passwords.verify("", "stakeeasy-dummy-password")
    assert not passwords.verify(None, "stakeeasy-dummy-password")
