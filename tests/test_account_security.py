"""Settings → Security: change e-mail and password, log out other devices, delete the account."""

from __future__ import annotations

from sqlalchemy import func, inspect, select
from sqlmodel import SQLModel

from app.models import User
from tests.conftest import PASSWORD, build_client, csrf_token, sign_up
from tests.test_auth_links import NEW_PASSWORD, _user
from tests.test_email import last_link, outbox


async def _log_in(client, email: str, password: str = PASSWORD):
    token = await csrf_token(client, "/login")
    return await client.post("/login", data={"csrf_token": token, "email": email, "password": password})


async def test_the_security_page_lists_what_a_player_can_do(client, player):
    page = await client.get("/settings/security")
    assert page.status_code == 200
    for text in (
        "Change e-mail address",
        "Change password",
        "Set up two-factor",
        "Log out of all other devices",
        "Delete my account",
    ):
        assert text in page.text
    assert "Sign-in providers" not in page.text  # no provider configured, no buttons


async def test_changing_the_e_mail_address_needs_the_link_sent_to_the_new_one(
    client, player, post, sessionmaker
):
    response = await post.form(
        "/settings/email", {"new_email": "New-Home@example.com", "current_password": PASSWORD}
    )
    assert response.status_code == 303
    assert (await _user(sessionmaker, player)).email == player  # nothing changes yet
    path = await last_link(sessionmaker, "new-home@example.com")
    assert "Use <strong>new-home@example.com</strong>" in (await client.get(path)).text
    confirm = await post.form(path)
    assert confirm.status_code == 303 and confirm.headers["location"] == "/settings/security"
    user = await _user(sessionmaker, "new-home@example.com")
    assert user.email_confirmed_at is not None
    [notice] = [m for m in await outbox(sessionmaker, player) if "was changed" in m.subject]
    assert "new-home@example.com" in notice.text_body  # the old address is told
    again = await post.form(path)
    assert again.status_code == 400


async def test_changing_the_e_mail_address_checks_the_password_and_the_address(
    client, player, post, sessionmaker
):
    wrong = await post.htmx(
        "/settings/email",
        {"new_email": "x@example.com", "current_password": "not my password"},
        target="#email-form",
    )
    assert wrong.status_code == 422 and 'id="e-current_password"' in wrong.text
    assert wrong.text.lstrip().startswith('<form id="email-form"') and 'value="x@example.com"' in wrong.text
    bad = await post.form("/settings/email", {"new_email": "nope", "current_password": PASSWORD})
    assert bad.status_code == 422 and 'id="e-new_email"' in bad.text and 'value="nope"' in bad.text
    assert await outbox(sessionmaker, "x@example.com") == []


async def test_an_address_taken_meanwhile_is_not_given_to_a_second_account(
    client, player, post, other_client, sessionmaker
):
    await post.form("/settings/email", {"new_email": "wanted@example.com", "current_password": PASSWORD})
    path = await last_link(sessionmaker, "wanted@example.com")
    await sign_up(other_client, "wanted@example.com")
    response = await post.form(path)
    assert response.status_code == 400 and "belongs to another account" in response.text
    assert (await _user(sessionmaker, player)).email == player


async def test_changing_the_password_needs_the_current_one_and_logs_out_other_devices(
    client, player, post, other_client, sessionmaker
):
    assert (await _log_in(other_client, player)).status_code == 303
    wrong = await post.form(
        "/settings/password",
        {"current_password": "wrong password!", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and "not your current password" in wrong.text
    response = await post.form(
        "/settings/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 303
    assert (await client.get("/settings/security")).status_code == 200  # this device stays in
    assert (await other_client.get("/dashboard")).status_code == 303  # the other one is out
    assert (await _log_in(other_client, player, PASSWORD)).status_code == 422
    assert (await _log_in(other_client, player, NEW_PASSWORD)).status_code == 303
    assert any("password was changed" in m.subject for m in await outbox(sessionmaker, player))


async def test_a_weak_new_password_is_refused_next_to_the_field(client, player, post):
    response = await post.htmx(
        "/settings/password",
        {"current_password": PASSWORD, "password": "short", "password_again": "short"},
        target="#password-form",
    )
    assert response.status_code == 422 and 'id="e-password"' in response.text
    assert response.text.lstrip().startswith('<form id="password-form"')


async def test_log_out_of_all_other_devices_keeps_this_one(client, player, post, other_client):
    await _log_in(other_client, player)
    response = await post.form("/settings/sessions/logout-others")
    assert response.status_code == 303
    assert (await client.get("/dashboard")).status_code == 200
    assert (await other_client.get("/dashboard")).status_code == 303


async def _owned_rows(sessionmaker, user_id: int) -> dict[str, int]:
    """Rows in every table with a user_id column that belong to the player."""
    counts = {}
    async with sessionmaker() as session:
        connection = await session.connection()
        existing = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        for table in SQLModel.metadata.sorted_tables:
            if "user_id" in table.c and table.name in existing:
                counts[table.name] = (
                    await session.execute(
                        select(func.count()).select_from(table).where(table.c.user_id == user_id)
                    )
                ).scalar_one()
    return counts


async def test_deleting_the_account_needs_the_password_and_removes_every_row(
    client, player, post, other_client, other_player, sessionmaker
):
    user = await _user(sessionmaker, player)
    await post.form("/sites", {"name": "Stars", "currency": "USD", "balance": "100"})
    page = await client.get("/settings/delete")
    assert "keep a copy of your data" in page.text
    wrong = await post.form("/settings/delete", {"password": "not it at all", "confirm": "DELETE"})
    assert wrong.status_code == 422 and 'id="e-password"' in wrong.text
    unconfirmed = await post.form("/settings/delete", {"password": PASSWORD, "confirm": "yes"})
    assert unconfirmed.status_code == 422 and 'id="e-confirm"' in unconfirmed.text
    before = await _owned_rows(sessionmaker, user.id)
    assert before["email_messages"] >= 1 and before["holdings"] == 1
    response = await post.form("/settings/delete", {"password": PASSWORD, "confirm": "delete"})
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert set((await _owned_rows(sessionmaker, user.id)).values()) == {0}
    async with sessionmaker() as session:
        assert await session.get(User, user.id) is None
    assert (await client.get("/dashboard")).status_code == 303
    assert (await _log_in(client, player)).status_code == 422
    assert (await other_client.get("/dashboard")).status_code == 200  # nobody else is touched


async def test_deleting_by_htmx_re_renders_the_form_on_errors(client, player, post):
    response = await post.htmx("/settings/delete", {"password": "", "confirm": ""}, target="#delete-form")
    assert response.status_code == 422 and response.text.lstrip().startswith('<form id="delete-form"')


async def test_security_pages_need_a_login(client):
    for path in ("/settings/security", "/settings/two-factor", "/settings/delete"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


async def test_a_browser_session_slides_while_the_player_is_active(
    settings, sessionmaker, limiter, monkeypatch
):
    import app.security.sessions as sessions

    async with build_client(settings, sessionmaker, limiter) as client:
        await sign_up(client)
        monkeypatch.setattr(sessions, "REFRESH_SECONDS", -1)  # every cookie counts as a minute old
        response = await client.get("/dashboard")
        assert "stakeeasy_session=" in response.headers.get("set-cookie", "")
        static = await client.get("/static/css/app.css")
        assert "set-cookie" not in static.headers
