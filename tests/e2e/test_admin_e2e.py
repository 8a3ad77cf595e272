"""The admin area in a real browser (desktop and 360 px): an account made an admin with the
`stakeeasy admin grant` command finds a player, disables them, and the player is logged out at once
and cannot log in again; the audit log says who did it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from app.auth.login import DISABLED
from app.settings import BASE_DIR
from tests.conftest import PASSWORD
from tests.e2e import conftest as e2e
from tests.e2e.test_accounts_e2e import sign_up
from tests.e2e.test_bankroll_journey_e2e import assert_fits, open_page


@pytest.fixture(scope="module")
def admin_server() -> Iterator[tuple[str, str]]:
    """This module's own server, and its database URL (the command line grants the admin role there)."""
    original, made = e2e._make_database, []

    def recording(kind: str):  # type: ignore[no-untyped-def]
        made.append(original(kind))
        return made[-1]

    e2e._make_database = recording  # running_server makes the database through this name
    try:
        with e2e.running_server("admin") as base:
            e2e._make_database = original
            yield base, made[0][0]
    finally:
        e2e._make_database = original


@pytest.fixture(scope="module")
def live_server(admin_server: tuple[str, str]) -> str:
    return admin_server[0]


def grant_admin(database_url: str, email: str) -> None:
    """`stakeeasy admin grant EMAIL`, as an operator would run it on the server."""
    env = {**os.environ, "DATABASE_URL": database_url, "STAKEEASY_ENV": "test", "SECRET_KEY": "x" * 40}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "app", "admin", "grant", email],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{email} is an admin now" in done.stdout


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_admin_disables_a_player_who_then_cannot_log_in(
    page: Page, browser: Browser, admin_server: tuple[str, str]
):
    base, database_url = admin_server
    size = page.viewport_size or {"width": 1280, "height": 860}
    player_context = browser.new_context(base_url=base, viewport=size)  # the player's own browser
    player_context.set_default_timeout(10_000)
    player = player_context.new_page()
    target = sign_up(player)

    email = sign_up(page)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Admin", exact=True)).to_have_count(0)
    grant_admin(database_url, email)
    page.goto("/dashboard")  # a privilege change ends the session: log in again to use it
    expect(page).to_have_url("/login?next=/dashboard")
    log_in(page, email)
    expect(page).to_have_url("/dashboard")

    open_page(page, "Admin")
    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1, name="Users")).to_be_visible()
    page.get_by_label("E-mail address contains").fill(target)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=f"1 account match “{target}”")).to_be_visible()
    assert_fits(page)
    page.get_by_role("link", name=target).click()

    expect(page.get_by_role("heading", level=1, name=target)).to_be_visible()
    account = page.locator("#user-account")
    expect(account).to_contain_text("Active")
    expect(account).to_contain_text("Not confirmed")
    assert_fits(page)
    account.get_by_role("button", name="Disable this account").click()  # no reason: refused in place
    expect(account.get_by_text("Say why, for the audit log")).to_be_visible()
    account.get_by_label("Reason (kept in the audit log)").fill("Chargeback fraud, ticket 42")
    account.get_by_role("button", name="Disable this account").click()
    expect(page.get_by_role("status")).to_contain_text(f"{target} is disabled and logged out everywhere")
    expect(account.get_by_role("button", name="Enable this account")).to_be_visible()
    expect(account).to_contain_text("Disabled since")
    expect(page.locator("#user-audit")).to_contain_text("Chargeback fraud, ticket 42")  # out of band
    assert_fits(page)

    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Audit log").click()
    row = page.get_by_role("row").filter(has_text="Disabled the account").filter(has_text=target)
    expect(row).to_contain_text(email)
    expect(row).to_contain_text("Chargeback fraud, ticket 42")
    assert_fits(page)

    player.goto("/dashboard")  # the player's open session is over
    expect(player).to_have_url("/login?next=/dashboard")
    log_in(player, target)
    expect(player.get_by_text(DISABLED)).to_be_visible()
    expect(player).to_have_url("/login")
    player.goto("/dashboard")
    expect(player).to_have_url("/login?next=/dashboard")
    player_context.close()


def test_the_admin_area_works_with_javascript_off(nojs_page: Page, admin_server: tuple[str, str]):
    page = nojs_page
    target = sign_up(page)
    page.get_by_role("button", name="Log out").click()
    email = sign_up(page)
    grant_admin(admin_server[1], email)
    log_in(page, email)
    expect(page).to_have_url("/dashboard")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Users").click()
    page.get_by_label("E-mail address contains").fill(target)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"/admin/users?q={target.replace('@', '%40')}")
    page.get_by_role("link", name=target).click()
    page.get_by_label("Reason (kept in the audit log)").fill("Spam")
    page.get_by_role("button", name="Disable this account").click()
    expect(page.get_by_text(f"{target} is disabled and logged out everywhere")).to_be_visible()
    page.get_by_role("button", name="Enable this account").click()
    expect(page.get_by_text(f"{target} is enabled: they can log in again.")).to_be_visible()
    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Rates").click()
    expect(page.get_by_role("button", name="Refresh rates now")).to_be_visible()
