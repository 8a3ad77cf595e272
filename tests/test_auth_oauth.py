"""Sign in with Google, end to end against a small OpenID provider that the tests start on localhost.

The same provider also plays Facebook (login dialog, Graph API token exchange and `me`): see
tests/test_auth_facebook.py.
"""

from __future__ import annotations

import base64
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
import uvicorn
from joserfc import jwk, jwt
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from app.models import OAuthAccount, User
from tests.conftest import PASSWORD, Poster, build_client, csrf_token, make_settings, sign_up
from tests.test_account_two_factor import code_at, enable
from tests.test_email import last_link, outbox

CLIENT_ID = "stakeeasy-test-client"
CLIENT_SECRET = "provider-secret-for-tests"
FACEBOOK_APP_ID = "stakeeasy-test-app"
FACEBOOK_APP_SECRET = "facebook-app-secret-for-tests"


class Provider:
    """A tiny OpenID Connect provider: it signs in whoever the test says, with RS256 ID tokens.

    It also plays Facebook: the login dialog at /v19.0/dialog/oauth and the Graph API under /graph/v19.0/
    (`oauth/access_token`, then `me` with the access token). `facebook` is the profile the dialog signs in
    (id, name and, when the player shares it, email); `facebook_answer` makes the dialog answer with an
    error instead (e.g. "access_denied" when the player cancels); `graph_broken` makes `me` fail.
    """

    def __init__(self) -> None:
        self.key = jwk.RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.codes: dict[str, dict] = {}
        self.identity: dict = {}
        self.url = ""
        self.facebook: dict = {}
        self.facebook_answer: str | None = None
        self.graph_broken = False
        self.dialogs: list[dict[str, str]] = []  # the query of every dialog request, newest last
        self.facebook_codes: dict[str, tuple[str, dict]] = {}  # code → (redirect_uri, profile)
        self.facebook_tokens: dict[str, dict] = {}  # access token → profile

    def app(self) -> Starlette:
        async def metadata(request: Request) -> JSONResponse:
            return JSONResponse(
                {
                    "issuer": self.url,
                    "authorization_endpoint": f"{self.url}/authorize",
                    "token_endpoint": f"{self.url}/token",
                    "jwks_uri": f"{self.url}/jwks",
                    "userinfo_endpoint": f"{self.url}/userinfo",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )

        async def authorize(request: Request) -> RedirectResponse:
            query = request.query_params
            assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
            assert "openid" in query["scope"].split() and query.get("code_challenge")
            code = secrets.token_urlsafe(12)
            self.codes[code] = {"nonce": query.get("nonce"), **self.identity}
            target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
            return RedirectResponse(target, status_code=302)

        async def token(request: Request) -> JSONResponse:
            form = await request.form()
            claims = self.codes.pop(str(form["code"]), None)
            if claims is None:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            now = int(time.time())
            id_token = jwt.encode(
                {"alg": "RS256", "kid": "test-key"},
                {"iss": self.url, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **claims},
                self.key,
            )
            return JSONResponse(
                {
                    "access_token": "at-" + secrets.token_hex(4),
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": id_token,
                }
            )

        async def keys(request: Request) -> JSONResponse:
            return JSONResponse({"keys": [self.key.as_dict(private=False)]})

        async def facebook_dialog(request: Request) -> RedirectResponse:
            query = request.query_params
            self.dialogs.append(dict(query))
            assert query["client_id"] == FACEBOOK_APP_ID and query["response_type"] == "code"
            assert "email" in query["scope"].split()
            answer: dict[str, str] = {"state": query["state"]}
            if self.facebook_answer:
                answer |= {"error": self.facebook_answer, "error_reason": "user_denied"}
            else:
                code = secrets.token_urlsafe(12)
                self.facebook_codes[code] = (query["redirect_uri"], dict(self.facebook))
                answer["code"] = code
            return RedirectResponse(query["redirect_uri"] + "?" + urlencode(answer), status_code=302)

        def graph_error(message: str, status_code: int = 400) -> JSONResponse:
            error = {"message": message, "type": "OAuthException", "code": 190}
            return JSONResponse({"error": error}, status_code=status_code)

        async def facebook_token(request: Request) -> JSONResponse:
            values = dict(request.query_params) | dict(await request.form())
            basic = request.headers.get("authorization", "")
            if basic.lower().startswith("basic "):
                client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
                values |= {"client_id": client_id, "client_secret": secret}
            if (values.get("client_id"), values.get("client_secret")) != (
                FACEBOOK_APP_ID,
                FACEBOOK_APP_SECRET,
            ):
                return graph_error("Error validating client secret.")
            issued = self.facebook_codes.pop(str(values.get("code")), None)
            if issued is None or issued[0] != values.get("redirect_uri"):
                return graph_error("This authorization code has expired or was already used.")
            access_token = "fb-" + secrets.token_hex(8)
            self.facebook_tokens[access_token] = issued[1]
            return JSONResponse({"access_token": access_token, "token_type": "bearer", "expires_in": 5183944})

        async def facebook_me(request: Request) -> JSONResponse:
            bearer = request.headers.get("authorization", "")
            access_token = bearer[7:] if bearer.lower().startswith("bearer ") else ""
            profile = self.facebook_tokens.get(access_token or request.query_params.get("access_token", ""))
            if profile is None:
                return graph_error("Invalid OAuth access token.")
            if self.graph_broken:
                return graph_error("An unexpected error has occurred.", 500)
            fields = request.query_params.get("fields", "id,name").split(",")
            return JSONResponse({name: profile[name] for name in fields if profile.get(name) is not None})

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", metadata),
                Route("/authorize", authorize),
                Route("/token", token, methods=["POST"]),
                Route("/jwks", keys),
                Route("/v19.0/dialog/oauth", facebook_dialog),
                Route("/graph/v19.0/oauth/access_token", facebook_token, methods=["GET", "POST"]),
                Route("/graph/v19.0/me", facebook_me),
            ]
        )


@contextmanager
def running(provider: Provider) -> Iterator[Provider]:
    """Serve the provider on a free local port (in a thread) while the block runs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider.url = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running(Provider()) as provider:
        yield provider


@pytest.fixture
def google_settings(settings, provider):
    return make_settings(
        settings.database_url,
        google_client_id=CLIENT_ID,
        google_client_secret=CLIENT_SECRET,
        google_metadata_url=f"{provider.url}/.well-known/openid-configuration",
    )


@pytest.fixture
async def browser(google_settings, sessionmaker, limiter):
    async with build_client(google_settings, sessionmaker, limiter) as client:
        yield client


def identity(email: str | None, verified: bool = True, sub: str | None = None) -> dict:
    return {"sub": sub or "g-" + secrets.token_hex(6), "email": email, "email_verified": verified}


async def sign_in_with_google(
    client, provider: Provider, who: dict, start: str = "/auth/google/login", **form
):
    """Go to the provider (it signs `who` in at once) and come back to the callback."""
    provider.identity = who
    if form:
        response = await client.post(
            start, data={"csrf_token": await csrf_token(client, "/settings"), **form}
        )
    else:
        response = await client.get(start)
    assert response.status_code in (302, 303), response.text
    assert response.headers["location"].startswith(provider.url + "/authorize")
    async with httpx.AsyncClient() as outside:
        back = await outside.get(response.headers["location"])
    target = urlsplit(back.headers["location"])
    return await client.get(f"{target.path}?{target.query}")


async def _user(sessionmaker, email: str) -> User | None:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one_or_none()


async def _links(sessionmaker, user_id: int) -> list[OAuthAccount]:
    async with sessionmaker() as session:
        return list(
            (await session.scalars(select(OAuthAccount).where(OAuthAccount.user_id == user_id))).all()
        )


def _email() -> str:
    return f"oauth-{secrets.token_hex(5)}@example.com"


async def test_buttons_appear_only_when_a_provider_is_configured(client, browser):
    assert "Google" not in (await client.get("/login")).text
    assert (await client.get("/auth/google/login")).status_code == 404
    page = await browser.get("/login")
    assert 'href="/auth/google/login"' in page.text and "Facebook" not in page.text
    assert 'href="/auth/google/login"' in (await browser.get("/signup")).text
    assert (await browser.get("/auth/facebook/login")).status_code == 404


async def test_the_first_google_sign_in_creates_a_confirmed_account(browser, provider, sessionmaker):
    email = _email()
    who = identity(email)
    response = await sign_in_with_google(browser, provider, who)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert (await browser.get("/dashboard")).status_code == 200
    user = await _user(sessionmaker, email)
    assert user is not None and user.password_hash == "" and user.email_confirmed_at is not None
    browser.cookies.clear()
    again = await sign_in_with_google(browser, provider, who)
    assert again.status_code == 303
    assert len(await _links(sessionmaker, user.id)) == 1


async def test_an_unverified_address_makes_an_unconfirmed_account(browser, provider, sessionmaker):
    email = _email()
    await sign_in_with_google(browser, provider, identity(email, verified=False))
    assert (await _user(sessionmaker, email)).email_confirmed_at is None


async def test_an_existing_address_is_connected_only_after_a_password_login(
    client, browser, provider, sessionmaker
):
    email = await sign_up(client, _email())
    user = await _user(sessionmaker, email)
    who = identity(email)
    response = await sign_in_with_google(browser, provider, who)
    assert response.status_code == 200 and "already has a StakeEasy account" in response.text
    assert (await browser.get("/dashboard")).status_code == 303  # not logged in by Google alone
    assert await _links(sessionmaker, user.id) == []
    assert any("Connect Google" in m.subject for m in await outbox(sessionmaker, email))
    wrong = await browser.post(
        "/login",
        data={"csrf_token": await csrf_token(browser), "email": email, "password": "not the password"},
    )
    assert wrong.status_code == 422 and await _links(sessionmaker, user.id) == []
    login = await browser.post(
        "/login", data={"csrf_token": await csrf_token(browser), "email": email, "password": PASSWORD}
    )
    assert login.status_code == 303
    assert [link.subject for link in await _links(sessionmaker, user.id)] == [who["sub"]]
    browser.cookies.clear()
    assert (await sign_in_with_google(browser, provider, who)).headers["location"] == "/dashboard"


async def test_an_existing_address_can_be_connected_by_the_mailed_link(
    client, browser, provider, sessionmaker
):
    email = await sign_up(client, _email())
    user = await _user(sessionmaker, email)
    who = identity(email)
    await sign_in_with_google(browser, provider, who)
    path = await last_link(sessionmaker, email)
    assert path.startswith("/auth/link/")
    assert "Connect Google" in (await browser.get(path)).text
    response = await browser.post(path, data={"csrf_token": await csrf_token(browser, path)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert len(await _links(sessionmaker, user.id)) == 1
    again = await browser.post(path, data={"csrf_token": await csrf_token(browser, "/login")})
    assert again.status_code == 400 and "already been used" in again.text


async def test_google_sign_in_still_asks_for_the_two_factor_code(
    browser, provider, sessionmaker, google_settings, limiter
):
    email = await sign_up(browser, _email())
    secret, _ = await enable(browser, Poster(browser))
    who = identity(email)
    await sign_in_with_google(browser, provider, who, "/settings/connections/google/link", x="1")
    async with build_client(google_settings, sessionmaker, limiter) as phone:
        response = await sign_in_with_google(phone, provider, who)
        assert response.headers["location"] == "/login/two-factor"
        assert (await phone.get("/dashboard")).status_code == 303
        token = await csrf_token(phone, "/login")
        done = await phone.post("/login/two-factor", data={"csrf_token": token, "code": code_at(secret, 1)})
        assert done.status_code == 303 and (await phone.get("/dashboard")).status_code == 200


async def test_providers_are_connected_and_disconnected_in_settings(
    browser, provider, sessionmaker, other_client
):
    email = await sign_up(browser, _email())
    user = await _user(sessionmaker, email)
    page = await browser.get("/settings/security")
    assert "Connect Google" in page.text
    who = identity("someone-else@example.com")
    response = await sign_in_with_google(browser, provider, who, "/settings/connections/google/link", x="1")
    assert response.status_code == 303 and response.headers["location"] == "/settings/security"
    assert "Google: connected" in (await browser.get("/settings/security")).text
    token = await csrf_token(browser, "/settings")
    response = await browser.post("/settings/connections/google/unlink", data={"csrf_token": token})
    assert response.status_code == 303 and await _links(sessionmaker, user.id) == []
    missing = await browser.post("/settings/connections/google/unlink", data={"csrf_token": token})
    assert missing.status_code == 404


async def test_the_last_way_in_cannot_be_disconnected(browser, provider, sessionmaker):
    email = _email()
    await sign_in_with_google(browser, provider, identity(email))
    user = await _user(sessionmaker, email)
    page = await browser.get("/settings/security")
    assert "your only way in" in page.text
    token = await csrf_token(browser, "/settings")
    response = await browser.post("/settings/connections/google/unlink", data={"csrf_token": token})
    assert response.status_code == 303 and len(await _links(sessionmaker, user.id)) == 1
    assert "only way in" in (await browser.get("/settings/security")).text


async def test_an_identity_of_another_account_is_not_connected_twice(
    browser, provider, sessionmaker, google_settings, limiter
):
    who = identity(_email())
    await sign_in_with_google(browser, provider, who)
    async with build_client(google_settings, sessionmaker, limiter) as second:
        await sign_up(second, _email())
        response = await sign_in_with_google(
            second, provider, who, "/settings/connections/google/link", x="1"
        )
    assert response.status_code == 400 and "already connected to another" in response.text


async def test_a_forged_callback_is_refused(browser, provider, sessionmaker):
    await browser.get("/auth/google/login")
    response = await browser.get("/auth/google/callback?code=stolen&state=forged")
    assert response.status_code == 400 and "did not work" in response.text
    error = await browser.get("/auth/google/callback?error=access_denied")
    assert error.status_code == 400


async def test_an_account_made_with_google_can_be_deleted_right_after_signing_in(
    browser, provider, sessionmaker
):
    email = _email()
    await sign_in_with_google(browser, provider, identity(email))
    page = await browser.get("/settings/delete")
    assert 'name="password"' not in page.text
    token = await csrf_token(browser, "/settings")
    response = await browser.post("/settings/delete", data={"csrf_token": token, "confirm": "DELETE"})
    assert response.status_code == 303 and await _user(sessionmaker, email) is None
