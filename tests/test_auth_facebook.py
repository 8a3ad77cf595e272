"""Sign in with Facebook, end to end against the local provider of tests/test_auth_oauth.py playing Facebook.

The dialog, the Graph API token exchange and `me` are served on localhost: nothing leaves the machine.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select

from app.auth.oauth import build_registry
from app.models import OAuthAccount
from app.settings import Settings
from tests.conftest import PASSWORD, Poster, build_client, csrf_token, make_settings, sign_up
from tests.test_account_two_factor import code_at, enable
from tests.test_auth_oauth import (
    CLIENT_ID,
    CLIENT_SECRET,
    FACEBOOK_APP_ID,
    FACEBOOK_APP_SECRET,
    Provider,
    _email,
    _links,
    _user,
    running,
)
from tests.test_email import last_link, outbox

LINK = "/settings/connections/facebook/link"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running(Provider()) as provider:
        yield provider


@pytest.fixture(autouse=True)
def fresh_provider(provider: Provider) -> None:
    provider.facebook, provider.facebook_answer, provider.graph_broken = {}, None, False
    provider.dialogs.clear()


def facebook_overrides(provider: Provider) -> dict[str, str]:
    return {
        "facebook_client_id": FACEBOOK_APP_ID,
        "facebook_client_secret": FACEBOOK_APP_SECRET,
        "facebook_dialog_url": f"{provider.url}/v19.0/dialog/oauth",
        "facebook_graph_url": f"{provider.url}/graph/v19.0",  # no trailing slash: it is added
    }


@pytest.fixture
def facebook_settings(settings, provider):
    return make_settings(settings.database_url, **facebook_overrides(provider))


@pytest.fixture
async def browser(facebook_settings, sessionmaker, limiter):
    async with build_client(facebook_settings, sessionmaker, limiter) as client:
        yield client


def profile(email: str | None, name: str = "Phil Ivey", facebook_id: str | None = None) -> dict:
    return {"id": facebook_id or str(10**15 + secrets.randbelow(10**15)), "name": name, "email": email}


async def go_to_facebook(client, start: str = "/auth/facebook/login", **form) -> httpx.Response:
    """Start a sign-in (GET) or a connection from the settings (POST with `form`): the dialog redirect."""
    if form:
        token = await csrf_token(client, "/settings")
        response = await client.post(start, data={"csrf_token": token, **form})
    else:
        response = await client.get(start)
    assert response.status_code in (302, 303), response.text
    return response


async def sign_in_with_facebook(
    client, provider: Provider, who: dict, start: str = "/auth/facebook/login", **form
) -> httpx.Response:
    """Go to the Facebook dialog (it signs `who` in at once) and come back to the callback."""
    provider.facebook = who
    response = await go_to_facebook(client, start, **form)
    assert response.headers["location"].startswith(provider.url + "/v19.0/dialog/oauth?")
    async with httpx.AsyncClient() as outside:
        back = await outside.get(response.headers["location"])
    target = urlsplit(back.headers["location"])
    assert target.path == "/auth/facebook/callback"
    return await client.get(f"{target.path}?{target.query}")


def test_the_facebook_endpoints_come_from_the_environment_with_facebook_s_own_as_defaults():
    default = Settings.from_env({"STAKEEASY_ENV": "test"})
    assert default.facebook_graph_url == "https://graph.facebook.com/v19.0/"
    assert default.facebook_dialog_url == "https://www.facebook.com/v19.0/dialog/oauth"
    local = Settings.from_env(
        {
            "STAKEEASY_ENV": "test",
            "FACEBOOK_GRAPH_URL": "http://127.0.0.1:9/graph/",
            "FACEBOOK_DIALOG_URL": "http://127.0.0.1:9/dialog",
        }
    )
    assert local.facebook_graph_url == "http://127.0.0.1:9/graph/"
    assert local.facebook_dialog_url == "http://127.0.0.1:9/dialog"


def test_the_facebook_client_uses_the_configured_endpoints(settings, provider):
    config = make_settings(settings.database_url, **facebook_overrides(provider))
    client = build_registry(config).create_client("facebook")
    assert client.authorize_url == f"{provider.url}/v19.0/dialog/oauth"
    assert client.access_token_url == f"{provider.url}/graph/v19.0/oauth/access_token"
    assert client.api_base_url == f"{provider.url}/graph/v19.0/"


async def test_the_facebook_button_appears_only_when_facebook_is_configured(
    client, browser, settings, provider, sessionmaker, limiter
):
    assert "Facebook" not in (await client.get("/login")).text
    assert (await client.get("/auth/facebook/login")).status_code == 404
    assert (await client.get("/auth/facebook/callback?code=x&state=y")).status_code == 404
    google_only = make_settings(
        settings.database_url,
        google_client_id=CLIENT_ID,
        google_client_secret=CLIENT_SECRET,
        google_metadata_url=f"{provider.url}/.well-known/openid-configuration",
    )
    async with build_client(google_only, sessionmaker, limiter) as google:
        assert "Facebook" not in (await google.get("/login")).text
        assert (await google.get("/auth/facebook/login")).status_code == 404
    half = make_settings(settings.database_url, facebook_client_id=FACEBOOK_APP_ID)  # no secret
    async with build_client(half, sessionmaker, limiter) as unconfigured:
        assert "Facebook" not in (await unconfigured.get("/login")).text
    for page in ("/login", "/signup"):
        text = (await browser.get(page)).text
        assert 'href="/auth/facebook/login"' in text and 'href="/auth/google/login"' not in text
    await sign_up(browser, _email())
    assert "Connect Facebook" in (await browser.get("/settings/security")).text


async def test_the_login_sends_the_player_to_the_configured_dialog(browser, provider, facebook_settings):
    response = await go_to_facebook(browser)
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.url}/v19.0/dialog/oauth"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["client_id"] == FACEBOOK_APP_ID and query["response_type"] == "code"
    assert query["redirect_uri"] == facebook_settings.base_url + "/auth/facebook/callback"
    assert set(query["scope"].split()) == {"email", "public_profile"} and len(query["state"]) >= 16
    assert "auth_type" not in query


async def test_the_first_facebook_sign_in_creates_an_account(browser, provider, sessionmaker):
    email = _email()
    who = profile(email.upper())  # addresses are kept in lower case
    response = await sign_in_with_facebook(browser, provider, who)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    dashboard = await browser.get("/dashboard")
    assert dashboard.status_code == 200 and "You signed up with Facebook" in dashboard.text
    user = await _user(sessionmaker, email)
    assert user is not None and user.password_hash == ""
    # Facebook does not say whether it checked the address: the account starts unconfirmed.
    assert user.email_confirmed_at is None and 'id="unconfirmed-banner"' in dashboard.text
    links = await _links(sessionmaker, user.id)
    assert [(link.provider, link.subject, link.email) for link in links] == [("facebook", who["id"], email)]
    browser.cookies.clear()
    again = await sign_in_with_facebook(browser, provider, who)
    assert again.status_code == 303 and again.headers["location"] == "/dashboard"
    assert (await browser.get("/dashboard")).status_code == 200
    assert len(await _links(sessionmaker, user.id)) == 1


async def test_a_sign_in_without_an_e_mail_address_is_refused_clearly_and_asks_for_it_again(
    browser, provider, sessionmaker
):
    who = profile(None)
    response = await sign_in_with_facebook(browser, provider, who)
    assert response.status_code == 400
    assert "Facebook did not share your e-mail address" in response.text
    assert "allow access to your e-mail address" in response.text
    assert (await browser.get("/dashboard")).status_code == 303  # not signed in
    async with sessionmaker() as session:
        found = await session.scalars(select(OAuthAccount).where(OAuthAccount.subject == who["id"]))
        assert found.first() is None
    # The next try asks Facebook to show the e-mail permission again (it does not by itself).
    email = _email()
    retried = await sign_in_with_facebook(browser, provider, {**who, "email": email})
    assert provider.dialogs[-1].get("auth_type") == "rerequest"
    assert retried.status_code == 303 and retried.headers["location"] == "/dashboard"
    assert (await _user(sessionmaker, email)) is not None
    location = (await go_to_facebook(browser)).headers["location"]
    assert "auth_type" not in location  # only right after a refusal


async def test_a_connected_facebook_account_without_an_e_mail_address_can_sign_in(
    browser, provider, sessionmaker, facebook_settings, limiter
):
    email = await sign_up(browser, _email())
    who = profile(None)
    connected = await sign_in_with_facebook(browser, provider, who, LINK, x="1")
    assert connected.status_code == 303 and connected.headers["location"] == "/settings/security"
    async with build_client(facebook_settings, sessionmaker, limiter) as phone:
        response = await sign_in_with_facebook(phone, provider, who)
        assert response.status_code == 303 and response.headers["location"] == "/dashboard"
        assert email in (await phone.get("/settings/security")).text


async def test_an_existing_address_is_connected_only_after_a_password_login(
    client, browser, provider, sessionmaker
):
    email = await sign_up(client, _email())
    user = await _user(sessionmaker, email)
    who = profile(email)
    response = await sign_in_with_facebook(browser, provider, who)
    assert response.status_code == 200 and "already has a StakeEasy account" in response.text
    assert (await browser.get("/dashboard")).status_code == 303  # not logged in by Facebook alone
    assert await _links(sessionmaker, user.id) == []
    assert any("Connect Facebook" in m.subject for m in await outbox(sessionmaker, email))
    wrong = await browser.post(
        "/login",
        data={"csrf_token": await csrf_token(browser), "email": email, "password": "not the password"},
    )
    assert wrong.status_code == 422 and await _links(sessionmaker, user.id) == []
    login = await browser.post(
        "/login", data={"csrf_token": await csrf_token(browser), "email": email, "password": PASSWORD}
    )
    assert login.status_code == 303
    links = await _links(sessionmaker, user.id)
    assert [(link.provider, link.subject) for link in links] == [("facebook", who["id"])]
    browser.cookies.clear()
    assert (await sign_in_with_facebook(browser, provider, who)).headers["location"] == "/dashboard"


async def test_a_password_login_in_another_browser_does_not_connect_facebook(
    client, browser, provider, sessionmaker
):
    email = await sign_up(client, _email())
    user = await _user(sessionmaker, email)
    await sign_in_with_facebook(browser, provider, profile(email))
    client.cookies.clear()
    login = await client.post(
        "/login", data={"csrf_token": await csrf_token(client), "email": email, "password": PASSWORD}
    )
    assert login.status_code == 303 and await _links(sessionmaker, user.id) == []


async def test_an_existing_address_can_be_connected_by_the_mailed_link(
    client, browser, provider, sessionmaker
):
    email = await sign_up(client, _email())
    user = await _user(sessionmaker, email)
    who = profile(email)
    await sign_in_with_facebook(browser, provider, who)
    path = await last_link(sessionmaker, email)
    assert path.startswith("/auth/link/")
    assert "Connect Facebook" in (await browser.get(path)).text
    assert await _links(sessionmaker, user.id) == []  # opening the link alone connects nothing
    response = await browser.post(path, data={"csrf_token": await csrf_token(browser, path)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    links = await _links(sessionmaker, user.id)
    assert [(link.provider, link.subject) for link in links] == [("facebook", who["id"])]
    again = await browser.post(path, data={"csrf_token": await csrf_token(browser, "/login")})
    assert again.status_code == 400 and "already been used" in again.text
    assert (await sign_in_with_facebook(browser, provider, who)).headers["location"] == "/dashboard"


async def test_facebook_sign_in_still_asks_for_the_two_factor_code(
    browser, provider, sessionmaker, facebook_settings, limiter
):
    email = await sign_up(browser, _email())
    secret, _ = await enable(browser, Poster(browser))
    who = profile(email)
    await sign_in_with_facebook(browser, provider, who, LINK, x="1")
    async with build_client(facebook_settings, sessionmaker, limiter) as phone:
        response = await sign_in_with_facebook(phone, provider, who)
        assert response.headers["location"] == "/login/two-factor"
        assert (await phone.get("/dashboard")).status_code == 303
        token = await csrf_token(phone, "/login")
        wrong = await phone.post("/login/two-factor", data={"csrf_token": token, "code": "000000"})
        assert wrong.status_code == 422 and (await phone.get("/dashboard")).status_code == 303
        done = await phone.post("/login/two-factor", data={"csrf_token": token, "code": code_at(secret, 1)})
        assert done.status_code == 303 and (await phone.get("/dashboard")).status_code == 200


async def test_facebook_is_connected_and_disconnected_in_settings(browser, provider, sessionmaker):
    email = await sign_up(browser, _email())
    user = await _user(sessionmaker, email)
    assert "Connect Facebook" in (await browser.get("/settings/security")).text
    who = profile("another-address@example.com")  # the Facebook address may differ from the account's
    response = await sign_in_with_facebook(browser, provider, who, LINK, x="1")
    assert response.status_code == 303 and response.headers["location"] == "/settings/security"
    page = await browser.get("/settings/security")
    assert "Facebook is connected" in page.text and "Facebook: connected" in page.text
    assert "Disconnect Facebook" in page.text
    assert [link.subject for link in await _links(sessionmaker, user.id)] == [who["id"]]
    token = await csrf_token(browser, "/settings")
    response = await browser.post("/settings/connections/facebook/unlink", data={"csrf_token": token})
    assert response.status_code == 303 and await _links(sessionmaker, user.id) == []
    assert "Connect Facebook" in (await browser.get("/settings/security")).text
    missing = await browser.post("/settings/connections/facebook/unlink", data={"csrf_token": token})
    assert missing.status_code == 404
    browser.cookies.clear()  # the disconnected identity no longer signs in to this account
    stranger = await sign_in_with_facebook(browser, provider, who)
    assert stranger.headers["location"] == "/dashboard"
    assert await _user(sessionmaker, "another-address@example.com") is not None


async def test_connecting_needs_a_csrf_token_and_a_login(client, browser, provider):
    await sign_up(browser, _email())
    refused = await browser.post(LINK, data={"x": "1"})
    assert refused.status_code == 403 and not provider.dialogs
    logged_out = await client.post(LINK, data={"csrf_token": await csrf_token(client, "/login")})
    assert logged_out.status_code in (303, 404) and not provider.dialogs


async def test_the_last_way_in_cannot_be_disconnected(browser, provider, sessionmaker):
    email = _email()
    await sign_in_with_facebook(browser, provider, profile(email))
    user = await _user(sessionmaker, email)
    assert "your only way in" in (await browser.get("/settings/security")).text
    token = await csrf_token(browser, "/settings")
    response = await browser.post("/settings/connections/facebook/unlink", data={"csrf_token": token})
    assert response.status_code == 303 and len(await _links(sessionmaker, user.id)) == 1
    assert "only way in" in (await browser.get("/settings/security")).text


async def test_a_facebook_account_of_another_player_is_not_connected_twice(
    browser, provider, sessionmaker, facebook_settings, limiter
):
    who = profile(_email())
    await sign_in_with_facebook(browser, provider, who)
    async with build_client(facebook_settings, sessionmaker, limiter) as second:
        email = await sign_up(second, _email())
        response = await sign_in_with_facebook(second, provider, who, LINK, x="1")
    assert response.status_code == 400 and "already connected to another" in response.text
    assert await _links(sessionmaker, (await _user(sessionmaker, email)).id) == []


async def test_a_forged_state_is_refused(browser, provider, sessionmaker):
    provider.facebook = profile(_email())
    location = (await go_to_facebook(browser)).headers["location"]
    async with httpx.AsyncClient() as outside:
        back = urlsplit((await outside.get(location)).headers["location"])
    code = parse_qs(back.query)["code"][0]
    forged = await browser.get("/auth/facebook/callback?" + urlencode({"code": code, "state": "forged"}))
    assert forged.status_code == 400 and "did not work" in forged.text
    assert (await browser.get("/dashboard")).status_code == 303
    assert await _user(sessionmaker, provider.facebook["email"]) is None
    # Another browser cannot use this browser's answer either (the state lives in the session).
    browser.cookies.clear()
    stolen = await browser.get(f"{back.path}?{back.query}")
    assert stolen.status_code == 400 and await _user(sessionmaker, provider.facebook["email"]) is None


async def test_cancelling_the_facebook_dialog_shows_a_clear_message(browser, provider, sessionmaker):
    provider.facebook_answer = "access_denied"
    response = await sign_in_with_facebook(browser, provider, profile(_email()))
    assert response.status_code == 400 and "Signing in with Facebook did not work" in response.text
    assert (await browser.get("/dashboard")).status_code == 303


async def test_a_failing_graph_api_shows_a_clear_message(browser, provider, sessionmaker):
    provider.graph_broken = True
    email = _email()
    response = await sign_in_with_facebook(browser, provider, profile(email))
    assert response.status_code == 400 and "Signing in with Facebook did not work" in response.text
    assert await _user(sessionmaker, email) is None
