"""Accounts in a real browser: sign up, log out, log in — on a desktop and at 360 px."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"


def sign_up(page: Page, currency: str = "USD") -> str:
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.com"
    page.goto("/signup")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Your currency").select_option(currency)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url("/dashboard")
    return email


def test_a_visitor_signs_up_logs_out_and_logs_back_in(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Your whole poker bankroll, in one place.")).to_be_visible()
    email = sign_up(page, "EUR")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("don't match an account")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/dashboard")


def test_sign_up_errors_show_next_to_the_field(page: Page):
    page.goto("/signup")
    page.get_by_label("E-mail address").fill("not-an-email")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Enter a valid e-mail address")).to_be_visible()
    expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("not-an-email")


def test_sign_up_works_with_javascript_off(nojs_page: Page):
    page = nojs_page
    page.goto("/signup")
    page.get_by_label("E-mail address").fill(f"nojs-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url("/dashboard")
