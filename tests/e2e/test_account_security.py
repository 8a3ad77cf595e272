"""Account security in a real browser: sign up, confirm from the outbox, two-factor on, log in with a
code, log in with a recovery code, reset the password — on a desktop and at 360 px.

The server runs in development mode, so the e-mails are read the way a developer reads them: on the
outbox page (/dev/outbox), which exists only there."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import running_server

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    """This module's own server, in development mode (for the outbox page)."""
    with running_server(
        "e2e-security", STAKEEASY_ENV="development", BASE_URL="{base}", EMAIL_BACKEND="outbox"
    ) as base:
        yield base


def open_mail(page: Page, email: str, subject: str) -> None:
    """Follow the link in the newest e-mail with this subject to this address, from the outbox page."""
    page.goto("/dev/outbox")
    message = page.locator("article", has_text=email).filter(has_text=subject).first
    expect(message).to_be_visible()
    message.get_by_role("link", name="Open link 1").click()


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()


def enter_code(page: Page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url("/dashboard")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()


def test_sign_up_confirm_two_factor_recovery_and_reset(page: Page):
    email = f"secure-{uuid.uuid4().hex[:10]}@example.com"
    page.goto("/signup")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url("/dashboard")
    banner = page.get_by_role("region", name="Confirm your e-mail address")
    expect(banner).to_be_visible()

    open_mail(page, email, "Confirm your e-mail address")
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_text("your e-mail address is confirmed")).to_be_visible()
    expect(banner).to_have_count(0)

    page.goto("/settings/security")
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Six-digit code").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".code-list code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I saved my recovery codes").click()
    expect(page.get_by_text("On. 10 recovery codes left.")).to_be_visible()

    log_out(page)
    log_in(page, email, PASSWORD)
    enter_code(page, totp.at(time.time() + 30))  # the code used to turn it on cannot be used again

    log_out(page)
    log_in(page, email, PASSWORD)
    enter_code(page, codes[0])
    expect(page.get_by_text("You used a recovery code; 9 left.")).to_be_visible()

    log_out(page)
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text("has an account, we sent it a link")).to_be_visible()
    open_mail(page, email, "Reset your StakeEasy password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    log_in(page, email, NEW_PASSWORD)
    enter_code(page, codes[1])


def test_a_used_reset_link_says_so(page: Page):
    page.goto("/reset/not-a-real-token")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    expect(page.get_by_text("This link is not valid")).to_be_visible()
