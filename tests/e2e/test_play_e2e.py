"""Poker sessions in a real browser: log a session, run the live timer through a break and a reload,
stop it, enter the cash-out and see the results change — at desktop size and at 360 px; and the timer
without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_accounts_e2e import sign_up
from tests.e2e.test_bankroll_journey_e2e import assert_fits


def open_sessions(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sessions", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Sessions")).to_be_visible()
    assert_fits(page)


def add_session(page: Page, cash_out: str) -> None:
    page.get_by_role("link", name="Add a finished session").click()
    expect(page.get_by_role("heading", level=1, name="Add a session")).to_be_visible()
    assert_fits(page)
    page.get_by_label("Live or online").select_option("live")
    page.get_by_label("Venue").fill("Casino Royale")
    page.get_by_label("Stakes (blinds)").fill("1/2")
    page.get_by_label("Buy-in").fill("200")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Enter the cash-out (0 if nothing was left).")).to_be_visible()  # 422 in place
    page.get_by_label("Cash-out or prize").fill(cash_out)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", level=1, name="Sessions")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Session saved.")


def results_profit(page: Page) -> str:
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", level=1, name="Results")).to_be_visible()
    assert_fits(page)
    return page.locator("#play-results .card").first.inner_text()


def test_a_player_times_a_session_through_a_break_and_a_reload(page: Page):
    sign_up(page)
    open_sessions(page)
    add_session(page, "350")
    assert "+$150.00" in results_profit(page)

    open_sessions(page)
    page.get_by_role("button", name="Start timer").click()
    timer = page.locator("#play-timer")
    expect(timer.get_by_role("heading", name="Playing NLH 1/2")).to_be_visible()
    clock = timer.locator("time")
    expect(clock).to_have_text(re.compile(r"^0:00:0[1-9]$"))  # Alpine ticks it between requests

    timer.get_by_role("button", name="Pause").click()
    expect(timer.get_by_text("On a break")).to_be_visible()
    page.reload()  # the running state lives on the server
    expect(page.locator("#play-timer").get_by_role("button", name="Resume")).to_be_visible()
    page.locator("#play-timer").get_by_role("button", name="Resume").click()
    expect(page.locator("#play-timer").get_by_role("button", name="Pause")).to_be_visible()

    page.locator("#play-timer").get_by_role("button", name="Stop").click()
    expect(page.get_by_role("heading", level=1, name="Edit session")).to_be_visible()
    expect(page.get_by_label("Venue")).to_have_value("Casino Royale")  # prefilled from the last session
    assert_fits(page)
    page.get_by_label("Cash-out or prize").fill("150")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status")).to_contain_text("Session saved.")
    expect(page.locator("#play-list")).to_contain_text("-$50.00")

    assert "+$100.00" in results_profit(page)
    expect(page.get_by_role("img", name="Cumulative profit over 2 sessions")).to_be_visible()
    page.get_by_label("Live or online").select_option("online")  # results update in place
    expect(page.locator("#play-results")).to_contain_text("No finished sessions match this filter.")
    expect(page).to_have_url(re.compile(r"setting=online"))


def test_the_timer_works_without_javascript(nojs_page: Page):
    page = nojs_page
    sign_up(page)
    page.goto("/play")
    page.get_by_role("button", name="Start timer").click()
    expect(page.locator("#play-timer time")).to_have_text(re.compile(r"^0:00:0\d$"))
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("heading", level=1, name="Edit session")).to_be_visible()


SHEET = (
    "When,Finished,Blinds,In,Out,Casino\n"
    "2026-01-05 20:00,2026-01-05 23:00,1/3,300,500,Bellagio\n"
    "2026-01-06 20:00,2026-01-06 22:00,1/3,300,0,Bellagio\n"
)


def upload_sheet(page: Page) -> None:
    page.goto("/play/import")
    expect(page.get_by_role("heading", level=1, name="Import sessions")).to_be_visible()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "sessions.csv", "mimeType": "text/csv", "buffer": SHEET.encode()}]
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Columns")).to_be_visible()
    assert_fits(page)


def map_columns(page: Page) -> None:
    expect(page.get_by_role("alert")).to_contain_text(
        "Choose the columns for: Start, End, Buy-in, Cash-out or prize"
    )
    for label, column in (
        ("Start", "When"),
        ("End", "Finished"),
        ("Buy-in", "In"),
        ("Cash-out or prize", "Out"),
    ):
        page.get_by_label(label, exact=True).select_option(column)
    expect(page.get_by_label("Stakes (1/2)")).to_have_value("Blinds")  # recognised without help
    page.get_by_role("button", name="Check again").click()


def test_a_spreadsheet_is_mapped_previewed_imported_and_never_imported_twice(page: Page):
    sign_up(page)
    upload_sheet(page)
    map_columns(page)
    expect(page.get_by_text("2 new sessions")).to_be_visible()
    expect(page.get_by_role("cell", name="Bellagio").first).to_be_visible()  # the preview table
    page.get_by_role("button", name="Import 2 sessions").click()
    expect(page.get_by_role("heading", level=1, name="Sessions")).to_be_visible()
    rows = page.locator("#play-list tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#play-list")).to_contain_text("+$200.00")

    upload_sheet(page)  # the same file again
    map_columns(page)
    expect(page.get_by_text("2 already imported (skipped)")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Import \d"))).to_have_count(0)
    open_sessions(page)
    expect(page.locator("#play-list tbody tr")).to_have_count(2)


def test_a_session_form_keeps_what_was_typed_until_it_is_saved(page: Page):
    sign_up(page)
    open_sessions(page)
    page.get_by_role("link", name="Add a finished session").click()
    page.get_by_label("Live or online").select_option("live")
    page.get_by_label("Venue").fill("Hendon Mob Club")
    page.get_by_label("Stakes (blinds)").fill("2/5")
    page.get_by_label("Buy-in").fill("500")
    page.reload()  # the page is lost (a closed tab, a dead battery, no signal to save)
    expect(page.get_by_label("Venue")).to_have_value("Hendon Mob Club")
    expect(page.get_by_label("Stakes (blinds)")).to_have_value("2/5")
    expect(page.get_by_label("Live or online")).to_have_value("live")
    expect(page.get_by_text("Restored what you typed before it was saved.")).to_be_visible()
    assert_fits(page)
    page.get_by_label("Cash-out or prize").fill("650")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text="Session saved.")).to_be_visible()
    page.get_by_role("link", name="Add a finished session").click()  # saved: the next form starts fresh
    expect(page.get_by_label("Cash-out or prize")).to_have_value("")
    expect(page.get_by_text("Restored what you typed before it was saved.")).to_be_hidden()


def test_a_restored_draft_can_be_discarded(page: Page):
    sign_up(page)
    page.goto("/play/new")
    page.get_by_label("Venue").fill("Somewhere")
    page.reload()
    expect(page.get_by_label("Venue")).to_have_value("Somewhere")
    page.get_by_role("button", name="Discard").click()
    expect(page.get_by_label("Venue")).to_have_value("")
    page.reload()
    expect(page.get_by_label("Venue")).to_have_value("")


def test_a_draft_is_the_typists_own_it_goes_at_log_out(page: Page):
    sign_up(page)
    page.goto("/play/new")
    page.get_by_label("Venue").fill("My home game")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    sign_up(page)  # somebody else, on the same browser
    page.goto("/play/new")
    expect(page.get_by_label("Venue")).to_have_value("")
    expect(page.get_by_text("Restored what you typed before it was saved.")).to_be_hidden()
