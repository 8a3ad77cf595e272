"""The admin area: who may open it (admins; 404 for players, the login page for visitors), the user
search and page (never an amount), disabling and enabling accounts (sessions, logins, resets, API
tokens and sign-in providers all stop), resending a confirmation, the rate job, the e-mail outbox,
reloading articles, the audit log of every action, and the `stakeeasy admin` command."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from starlette.routing import Route

from app import cli
from app.api import tokens
from app.auth.login import DISABLED
from app.main import create_app
from app.models import AuditLog, BalanceEntry, EmailMessage, Flow, Holding, JobRun, OAuthAccount, User, utcnow
from app.settings import Settings
from tests import test_auth_oauth as oauth_tests
from tests import test_rates as rate_tests
from tests.conftest import PASSWORD, Poster, csrf_token, sign_up
from tests.test_account_two_factor import code_at, code_step, enable, password_step
from tests.test_auth_oauth import identity, sign_in_with_google
from tests.test_email import outbox
from tests.test_rates import Answer
from tests.test_security_routes import snapshot

# Fixtures shared with the modules that own them: the local Google and the local rate sources.
provider, google_settings, browser = oauth_tests.provider, oauth_tests.google_settings, oauth_tests.browser
fake = rate_tests.fake


async def user_of(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def make_admin(sessionmaker, email: str) -> None:
    """Straight in the database, without the command's session bump, so the browser stays logged in."""
    async with sessionmaker() as session:
        await session.execute(update(User).where(User.email == email).values(is_admin=True))
        await session.commit()


async def audit_rows(sessionmaker, action: str | None = None) -> list[AuditLog]:
    async with sessionmaker() as session:
        query = select(AuditLog).order_by(AuditLog.id)
        if action:
            query = query.where(AuditLog.action == action)
        return list((await session.scalars(query)).all())


async def log_in(client, email: str, password: str = PASSWORD):
    token = await csrf_token(client, "/login")
    return await client.post("/login", data={"csrf_token": token, "email": email, "password": password})


@pytest.fixture
async def admin(client, player, sessionmaker) -> str:
    """`client` logged in as an admin."""
    await make_admin(sessionmaker, player)
    return player


@pytest.fixture
async def member(other_client, other_player, sessionmaker) -> User:
    """A player (logged in on `other_client`) for the admin to look at."""
    return await user_of(sessionmaker, other_player)


def admin_routes() -> list[Route]:
    app = create_app(Settings(environment="test", secret_key="x" * 40))
    return [r for r in app.routes if isinstance(r, Route) and r.path.startswith("/admin")]


def concrete(route: Route, user_id: int) -> str:
    params = {"user_id": user_id} if "user_id" in route.param_convertors else {}
    return route.url_path_for(route.name, **params)


# ---- who may enter -------------------------------------------------------------------------------


def test_the_area_has_the_pages_and_actions_the_issue_asks_for():
    names = {route.name for route in admin_routes()}
    assert names == {
        "show_admin",
        "reload_articles",
        "list_audit",
        "list_emails",
        "show_rate_job",
        "refresh_rates",
        "list_users",
        "show_user",
        "disable_user",
        "enable_user",
        "resend_user_confirmation",
    }


async def test_visitors_are_sent_to_the_login_page_from_every_admin_url(client, sessionmaker):
    someone = await user_of(sessionmaker, await sign_up(client))
    client.cookies.clear()
    token = await csrf_token(client, "/login")
    for route in admin_routes():
        path = concrete(route, someone.id)
        if "GET" in route.methods:
            response = await client.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next=/admin"), path
            htmx = await client.get(path, headers={"HX-Request": "true"})
            assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/login"), path
        else:
            response = await client.post(path, data={"csrf_token": token, "reason": "x"})
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), path


async def test_players_who_are_not_admins_get_404_on_every_admin_url_and_nothing_changes(
    client, player, other_player, post, sessionmaker
):
    target = await user_of(sessionmaker, other_player)
    before = await snapshot(sessionmaker)
    for route in admin_routes():
        path = concrete(route, target.id)
        if "GET" in route.methods:
            assert (await client.get(path)).status_code == 404, path
            assert (await client.get(path, headers={"HX-Request": "true"})).status_code == 404, path
        else:
            assert (await post.form(path, {"reason": "no"})).status_code == 404, path
            assert (await post.htmx(path, {"reason": "no"}, target="div#user-account")).status_code == 404
    assert await snapshot(sessionmaker) == before
    assert (await client.get("/dashboard")).status_code == 200  # still logged in, just not an admin


async def test_a_revoked_admin_loses_the_area_at_once(client, admin, sessionmaker):
    assert (await client.get("/admin")).status_code == 200
    async with sessionmaker() as session:
        await session.execute(update(User).where(User.email == admin).values(is_admin=False))
        await session.commit()
    assert (await client.get("/admin")).status_code == 404


async def test_admin_posts_without_a_csrf_token_are_refused(client, admin, member, sessionmaker):
    before = await snapshot(sessionmaker)
    for route in admin_routes():
        if "POST" in route.methods:
            path = concrete(route, member.id)
            assert (await client.post(path, data={"reason": "fraud"})).status_code == 403, path
            forged = await client.post(path, data={"reason": "fraud"}, headers={"X-CSRF-Token": "forged"})
            assert forged.status_code == 403, path
    assert await snapshot(sessionmaker) == before


async def test_the_admin_link_is_in_the_navigation_only_for_admins(
    client, player, other_client, sessionmaker
):
    await sign_up(other_client)
    assert 'href="/admin"' not in (await other_client.get("/dashboard")).text
    await make_admin(sessionmaker, player)
    page = (await client.get("/dashboard")).text
    assert '<a href="/admin">Admin</a>' in page
    assert '<a href="/admin" aria-current="page">Admin</a>' in (await client.get("/admin/users")).text


async def test_there_is_no_web_route_that_grants_the_admin_role(client, admin, post, member, sessionmaker):
    for path in ("/admin/users/{id}/grant", "/admin/users/{id}/admin", "/settings"):
        await post.form(path.format(id=member.id), {"is_admin": "true", "role": "admin"})
    assert not (await user_of(sessionmaker, member.email)).is_admin


# ---- users ---------------------------------------------------------------------------------------


async def test_an_admin_searches_users_by_part_of_the_address_case_insensitively(client, admin, sessionmaker):
    tag = uuid.uuid4().hex[:6]
    async with sessionmaker() as session:
        for n in range(23):
            session.add(User(email=f"find-{tag}-{n:02}@example.com", password_hash="x"))
        session.add(User(email=f"other_{tag}@example.com", password_hash="x"))
        await session.commit()
    page = await client.get(f"/admin/users?q=FIND-{tag.upper()}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "23 accounts match" in page.text and page.text.count(f"find-{tag}-") == 20
    assert f"other_{tag}" not in page.text
    second = await client.get(f"/admin/users?q=find-{tag}&page=2")
    assert second.text.count(f"find-{tag}-") == 3 and "Page 2 of 2" in second.text
    # LIKE wildcards in the search are plain characters
    assert "1 account match" in (await client.get(f"/admin/users?q=_{tag}")).text
    assert "No accounts match" in (await client.get(f"/admin/users?q=%25{tag}-")).text
    assert "No accounts match" in (await client.get("/admin/users?q=nobody-has-this-address")).text


async def test_the_htmx_search_returns_only_the_results_region(client, admin):
    response = await client.get(
        f"/admin/users?q={admin[:10]}", headers={"HX-Request": "true", "HX-Target": "section#user-results"}
    )
    assert response.text.lstrip().startswith('<section id="user-results"') and "<html" not in response.text
    assert admin in response.text and "HX-Request" in response.headers["Vary"]


async def test_a_bad_page_number_shows_the_first_page(client, admin):
    for value in ("0", "-3", "abc", "99999999999"):
        assert (await client.get(f"/admin/users?page={value}")).status_code == 200


async def test_the_user_page_shows_the_account_state_and_never_an_amount(client, admin, member, sessionmaker):
    async with sessionmaker() as session:
        holding = Holding(user_id=member.id, kind="site", name="Stars", name_key="stars", currency="USD")
        session.add(holding)
        await session.flush()
        session.add(
            BalanceEntry(
                holding_id=holding.id, recorded_at=utcnow(), balance=Decimal("98765.43"), currency="USD"
            )
        )
        session.add(
            Flow(
                user_id=member.id,
                kind="deposit",
                occurred_at=utcnow(),
                amount=Decimal("45678.9"),
                currency="USD",
            )
        )
        session.add(OAuthAccount(user_id=member.id, provider="google", subject="g-1", email=member.email))
        await session.commit()
    page = await client.get(f"/admin/users/{member.id}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.text
    assert member.email in text and "Not confirmed" in text and "Two-factor</dt><dd>Off" in text
    assert "Google (since" in text and "Active" in text and "Last login</dt><dd>" in text
    assert (
        'data-label="Subject">Confirm your e-mail address' in text
    )  # the e-mail sent at sign-up, without its body
    assert not re.search(r"/confirm/(?!resend)", text)
    for path in (f"/admin/users/{member.id}", f"/admin/users?q={member.email}", "/admin", "/admin/audit"):
        body = (await client.get(path)).text
        for figure in ("98765", "98,765", "45678", "45,678", "Stars"):
            assert figure not in body, f"{figure} on {path}"


async def test_a_user_that_does_not_exist_is_404(client, admin, post):
    assert (await client.get("/admin/users/999999999")).status_code == 404
    assert (await post.form("/admin/users/999999999/disable", {"reason": "x"})).status_code == 404


# ---- disabling -----------------------------------------------------------------------------------


async def test_disabling_ends_the_sessions_logins_and_api_tokens_of_the_account(
    client, admin, post, other_client, member, settings, sessionmaker, limiter
):
    async with sessionmaker() as session:
        _, secret = await tokens.create(session, await session.get(User, member.id), "Script", "read")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await other_client.get("/api/v1/summary", headers=bearer)).status_code == 200
    assert (await other_client.get("/dashboard")).status_code == 200

    response = await post.form(f"/admin/users/{member.id}/disable", {"reason": "Chargeback fraud, ticket 42"})
    assert response.status_code == 303 and response.headers["location"] == f"/admin/users/{member.id}"
    page = (await client.get(response.headers["location"])).text
    assert "is disabled and logged out everywhere" in page and "Enable this account" in page

    disabled = await user_of(sessionmaker, member.email)
    assert disabled.disabled_at is not None and disabled.session_version == member.session_version + 1
    [row] = await audit_rows(sessionmaker, "disable_user")
    admin_user = await user_of(sessionmaker, admin)
    assert (row.actor_id, row.actor_email, row.target_user_id) == (admin_user.id, admin, member.id)
    assert row.detail == "Chargeback fraud, ticket 42" and row.created_at is not None

    # the open session is over, the API token stops working, and logging in again is refused
    assert (await other_client.get("/dashboard")).status_code == 303
    assert (await other_client.get("/api/v1/summary", headers=bearer)).status_code == 401
    refused = await log_in(other_client, member.email)
    assert refused.status_code == 403 and DISABLED in refused.text
    assert "uid" not in str(other_client.cookies)  # not logged in
    assert (await other_client.get("/dashboard")).status_code == 303
    # the wrong password gets the usual answer: being disabled is said only to whoever knows the password
    wrong = await log_in(other_client, member.email, "not the password at all")
    assert wrong.status_code == 422 and DISABLED not in wrong.text

    # no reset link is mailed (the same answer as for any address)
    before = len(await outbox(sessionmaker, member.email))
    forgot = await other_client.post(
        "/forgot", data={"csrf_token": await csrf_token(other_client, "/forgot"), "email": member.email}
    )
    assert forgot.status_code == 200 and len(await outbox(sessionmaker, member.email)) == before

    enabled = await post.form(f"/admin/users/{member.id}/enable")
    assert enabled.status_code == 303
    assert (await user_of(sessionmaker, member.email)).disabled_at is None
    assert (await log_in(other_client, member.email)).status_code == 303
    assert (await other_client.get("/dashboard")).status_code == 200
    assert (await other_client.get("/api/v1/summary", headers=bearer)).status_code == 200
    assert [r.action for r in await audit_rows(sessionmaker)] == ["disable_user", "enable_user"]


async def test_a_disabled_account_cannot_finish_a_two_factor_login(
    client, admin, post, other_client, sessionmaker
):
    email = await sign_up(other_client)
    secret, _ = await enable(other_client, Poster(other_client))
    other_client.cookies.clear()
    assert (await password_step(other_client, email)).headers["location"] == "/login/two-factor"
    target = await user_of(sessionmaker, email)
    await post.form(f"/admin/users/{target.id}/disable", {"reason": "stolen account"})
    response = await code_step(other_client, code_at(secret))
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert (await other_client.get("/dashboard")).status_code == 303


async def test_a_disabled_account_cannot_sign_in_with_a_provider(
    client,
    admin,
    post,
    browser,
    provider,
    sessionmaker,
):
    email = f"oauth-{uuid.uuid4().hex[:8]}@example.com"
    who = identity(email)
    assert (await sign_in_with_google(browser, provider, who)).status_code == 303
    target = await user_of(sessionmaker, email)
    await post.form(f"/admin/users/{target.id}/disable", {"reason": "abuse"})
    assert (await browser.get("/dashboard")).status_code == 303  # logged out at once
    refused = await sign_in_with_google(browser, provider, who)
    assert refused.status_code == 403 and DISABLED in refused.text
    assert (await browser.get("/dashboard")).status_code == 303


async def test_disabling_needs_a_reason_kept_next_to_the_field(client, admin, post, member, sessionmaker):
    before = await snapshot(sessionmaker)
    plain = await post.form(f"/admin/users/{member.id}/disable", {"reason": "   "})
    assert plain.status_code == 422 and "Say why, for the audit log" in plain.text and "<html" in plain.text
    long = await post.htmx(
        f"/admin/users/{member.id}/disable", {"reason": "x" * 501}, target="section#user-account"
    )
    assert long.status_code == 422 and long.text.lstrip().startswith('<section id="user-account"')
    assert "Use at most 500 characters" in long.text and 'aria-invalid="true"' in long.text
    assert await snapshot(sessionmaker) == before


async def test_an_admin_cannot_disable_their_own_account(client, admin, post, sessionmaker):
    me = await user_of(sessionmaker, admin)
    page = (await client.get(f"/admin/users/{me.id}")).text
    assert "This is your own account" in page and "Disable this account" not in page
    response = await post.form(f"/admin/users/{me.id}/disable", {"reason": "oops"})
    assert response.status_code == 422 and "disable your own account" in response.text
    assert (await user_of(sessionmaker, admin)).disabled_at is None
    assert await audit_rows(sessionmaker) == []
    assert (await client.get("/admin")).status_code == 200


async def test_with_htmx_disable_and_enable_swap_the_account_region(
    client, admin, post, member, sessionmaker
):
    response = await post.htmx(
        f"/admin/users/{member.id}/disable", {"reason": "spam"}, target="section#user-account"
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="user-account"') and "<html" not in response.text
    assert "Enable this account" in response.text and 'hx-target="#flash"' in response.text
    assert '<hx-partial hx-target="#user-audit"' in response.text and "Disabled the account" in response.text
    again = await post.htmx(
        f"/admin/users/{member.id}/disable", {"reason": "spam"}, target="section#user-account"
    )
    assert "was already disabled" in again.text
    assert len(await audit_rows(sessionmaker, "disable_user")) == 1  # nothing done twice
    enabled = await post.htmx(f"/admin/users/{member.id}/enable", target="section#user-account")
    assert "Disable this account" in enabled.text and "is enabled" in enabled.text


async def test_resending_a_confirmation_mails_a_new_link_and_is_audited(
    client, admin, post, member, sessionmaker
):
    before = len(await outbox(sessionmaker, member.email))
    response = await post.form(f"/admin/users/{member.id}/resend-confirmation")
    assert response.status_code == 303
    messages = await outbox(sessionmaker, member.email)
    assert len(messages) == before + 1 and messages[-1].subject == "Confirm your e-mail address"
    [row] = await audit_rows(sessionmaker, "resend_confirmation")
    assert row.target_user_id == member.id and row.actor_email == admin
    async with sessionmaker() as session:
        await session.execute(update(User).where(User.id == member.id).values(email_confirmed_at=utcnow()))
        await session.commit()
    confirmed = await post.form(f"/admin/users/{member.id}/resend-confirmation")
    assert confirmed.status_code == 303
    assert len(await outbox(sessionmaker, member.email)) == before + 1
    assert "already confirmed: nothing sent" in (await client.get(f"/admin/users/{member.id}")).text
    assert len(await audit_rows(sessionmaker, "resend_confirmation")) == 1


# ---- last login ----------------------------------------------------------------------------------


async def test_the_last_login_is_set_by_complete_logins_only(
    client, player, post, other_client, sessionmaker
):
    assert (await user_of(sessionmaker, player)).last_login_at is None  # signing up is not a login
    client.cookies.clear()
    await log_in(client, player)
    first = (await user_of(sessionmaker, player)).last_login_at
    assert first is not None
    secret, _ = await enable(client, post)
    await password_step(other_client, player)
    assert (await user_of(sessionmaker, player)).last_login_at == first  # the code is still due
    await code_step(other_client, code_at(secret, 1))
    assert (await user_of(sessionmaker, player)).last_login_at > first


# ---- the system ----------------------------------------------------------------------------------


@pytest.fixture
def local_rates(fake, monkeypatch):
    """The rate sources on a local HTTP server, named through the environment as in production."""
    fake.recorded()
    config = fake.config()
    monkeypatch.setenv("RATES_ECB_DAILY_URL", config.ecb_daily_url)
    monkeypatch.setenv("RATES_ECB_HISTORY_URL", config.ecb_history_url)
    monkeypatch.setenv("RATES_CRYPTO_URL", config.crypto_url)
    monkeypatch.setenv("RATES_CRYPTO_HISTORY_URL", config.crypto_history_url)
    monkeypatch.setenv("RATES_ATTEMPTS", "1")
    return fake


async def test_refreshing_the_rates_fetches_them_records_the_run_and_the_audit_row(
    client, admin, post, local_rates, sessionmaker
):
    status = (await client.get("/admin/rates")).text
    assert "No run recorded yet." in status and "No fetched rates stored" in status
    response = await post.form("/admin/rates/refresh")
    assert response.status_code == 303 and response.headers["location"] == "/admin/rates"
    assert any(hit.startswith("/ecb/hist-90d.xml") for hit in local_rates.hits)
    page = (await client.get("/admin/rates")).text
    assert "Rates refreshed." in page and "ecb: 6 new rates, newest 2026-11-20" in page
    assert "2026-11-20" in page and "an admin" in page
    async with sessionmaker() as session:
        [run] = (await session.scalars(select(JobRun))).all()
    assert run.ok and run.trigger == "admin" and run.job == "rates"
    [row] = await audit_rows(sessionmaker, "refresh_rates")
    assert "ecb: 6 new rates" in row.detail and row.actor_email == admin
    assert "OK" in (await client.get("/admin")).text


async def test_a_failed_rate_refresh_is_shown_as_failed(client, admin, post, local_rates, sessionmaker):
    local_rates.set("/ecb/hist-90d.xml", Answer(500))
    await post.form("/admin/rates/refresh")
    page = (await client.get("/admin/rates")).text
    assert "Some rates could not be fetched." in page and "<strong>Failed</strong>" in page
    assert "ecb: failed, kept the stored rates" in page
    assert (await audit_rows(sessionmaker, "refresh_rates"))[0].detail.startswith("ecb: failed")


async def test_the_email_page_lists_failures_without_the_bodies(client, admin, member, sessionmaker):
    async with sessionmaker() as session:
        session.add(
            EmailMessage(
                user_id=member.id,
                to_address=member.email,
                subject="Reset your StakeEasy password",
                text_body="https://stakeeasy.test/reset/SECRET-LINK",
                html_body="<a href='https://stakeeasy.test/reset/SECRET-LINK'>reset</a>",
                status="failed",
                attempts=4,
                last_error="ConnectError: provider unreachable",
            )
        )
        await session.commit()
    page = await client.get("/admin/email")
    assert (
        page.status_code == 200
        and "SECRET-LINK" not in page.text
        and not re.search(r"/confirm/(?!resend)", page.text)
    )
    subject = 'data-label="Subject">Confirm your e-mail address'
    assert "ConnectError: provider unreachable" in page.text and subject in page.text
    failed = (await client.get("/admin/email?status=failed")).text
    assert "1 message with status failed" in failed and subject not in failed
    assert "1 failed" in (await client.get("/admin")).text
    assert "message with status" not in (await client.get("/admin/email?status=bogus")).text


async def test_reloading_the_articles_loads_them_and_is_audited(client, admin, post, sessionmaker):
    response = await post.form("/admin/articles/reload")
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    assert "Articles reloaded:" in (await client.get("/admin")).text
    await post.form("/admin/articles/reload")
    rows = await audit_rows(sessionmaker, "reload_articles")
    assert len(rows) == 2 and rows[1].detail == "0 added, 0 updated"


async def test_the_audit_log_says_who_did_what_to_whom_newest_first(
    client, admin, post, member, sessionmaker
):
    await post.form(f"/admin/users/{member.id}/disable", {"reason": "first <b>bold</b>"})
    await post.form(f"/admin/users/{member.id}/enable")
    page = (await client.get("/admin/audit")).text
    assert page.index("Enabled the account") < page.index("Disabled the account")
    assert f'<a href="/admin/users/{member.id}">{member.email}</a>' in page and admin in page
    assert "first &lt;b&gt;bold&lt;/b&gt;" in page  # escaped
    assert "Admin actions on this account" in (await client.get(f"/admin/users/{member.id}")).text


# ---- the command ---------------------------------------------------------------------------------


async def test_the_admin_command_grants_lists_and_revokes_the_role(tmp_path, monkeypatch, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'admin.db'}"
    cli.migrate(Settings(database_url=url))
    monkeypatch.setenv("DATABASE_URL", url)
    from app.db import create_engine, create_sessionmaker

    engine = create_engine(Settings(database_url=url))
    maker = create_sessionmaker(engine)
    async with maker() as session:
        session.add(User(email="boss@example.com", password_hash="x"))
        await session.commit()

    def run(*argv: str) -> int:
        with pytest.raises(SystemExit) as done:
            cli.main(list(argv))
        return int(done.value.code or 0)

    assert await asyncio.to_thread(run, "admin", "list") == 0
    assert "No admins yet." in capsys.readouterr().out
    assert await asyncio.to_thread(run, "admin", "grant", "BOSS@example.com") == 0
    assert "boss@example.com is an admin now" in capsys.readouterr().out
    assert await asyncio.to_thread(run, "admin", "list") == 0
    assert capsys.readouterr().out.strip() == "boss@example.com"
    async with maker() as session:
        boss = (await session.scalars(select(User))).one()
        assert boss.is_admin and boss.session_version == 1  # logged out, to log in with the new rights
        [grant] = (await session.scalars(select(AuditLog))).all()
        assert (grant.action, grant.actor_id, grant.actor_email) == ("grant_admin", None, "command line")
    assert await asyncio.to_thread(run, "admin", "revoke", "boss@example.com") == 0
    assert await asyncio.to_thread(run, "admin", "grant", "nobody@example.com") == 1
    assert "No account with the e-mail address nobody@example.com" in capsys.readouterr().out
    async with maker() as session:
        assert not (await session.scalars(select(User))).one().is_admin
        actions = [
            row.action for row in (await session.scalars(select(AuditLog).order_by(AuditLog.id))).all()
        ]
        assert actions == ["grant_admin", "revoke_admin"]
    await engine.dispose()


async def test_old_audit_rows_outlive_the_accounts_they_name(client, admin, post, member, sessionmaker):
    await post.form(f"/admin/users/{member.id}/disable", {"reason": "closing"})
    async with sessionmaker() as session:
        await session.delete(await session.get(User, member.id))
        await session.commit()
    [row] = await audit_rows(sessionmaker, "disable_user")
    assert row.target_user_id is None and row.actor_email == admin
    assert "closing" in (await client.get("/admin/audit")).text


async def test_an_admin_page_for_a_user_created_long_ago_shows_its_dates(client, admin, sessionmaker):
    async with sessionmaker() as session:
        old = User(
            email=f"old-{uuid.uuid4().hex[:6]}@example.com",
            password_hash="x",
            created_at=utcnow() - timedelta(days=400),
            last_login_at=utcnow() - timedelta(days=3),
        )
        session.add(old)
        await session.commit()
    page = (await client.get(f"/admin/users/{old.id}")).text
    assert old.created_at.strftime("%Y-%m-%d %H:%M") in page
    assert old.last_login_at.strftime("%Y-%m-%d %H:%M") in page  # type: ignore[union-attr]
