"""The installable app in a real browser: Chromium finds it installable, the service worker takes over,
and with the network cut (Playwright's offline mode) a page is answered with the offline page and the
last-seen dashboard figures, labelled as not current — never another player's."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, Playwright, expect

from tests.e2e.conftest import CHROMIUM_ARGS, _executable
from tests.e2e.test_accounts_e2e import sign_up
from tests.e2e.test_bankroll_journey_e2e import add_holding

OFFLINE_HEADING = "You are offline — your last dashboard"


def controlled(page: Page) -> None:
    """Wait until the service worker controls the page (it claims open pages when it activates)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def dashboard_with_a_site(page: Page, name: str, balance: str, shown: str) -> None:
    page.goto("/sites")
    add_holding(page, "site", name, "USD", balance)
    page.goto("/dashboard")
    expect(page.locator("#bankroll-total")).to_have_text(shown)
    controlled(page)


def offline_card(page: Page, label: str):  # type: ignore[no-untyped-def]
    return page.locator("#offline-dashboard .card", has=page.get_by_role("heading", name=label, exact=True))


def test_chromium_finds_the_app_installable(playwright: Playwright, live_server: str, tmp_path: Path):
    # A real profile: Playwright's usual contexts are incognito, where Chromium never offers to install.
    context = playwright.chromium.launch_persistent_context(
        tmp_path, executable_path=_executable(), args=CHROMIUM_ARGS, headless=True, base_url=live_server
    )
    try:
        page = context.new_page()
        page.goto("/")
        controlled(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.webmanifest") and manifest["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_cut_off_from_the_network_a_page_shows_the_last_seen_totals_as_not_current(page: Page):
    sign_up(page)
    dashboard_with_a_site(page, "Stars", "1234.50", "$1,234.50")
    # a quick deposit swaps in fresh figures (htmx): those are the ones kept
    page.get_by_text("Add a deposit").click()
    form = page.locator("#quick-deposit-form")
    form.get_by_label("Amount").fill("100")
    form.get_by_role("button", name="Add deposit").click()
    expect(page.locator("#deposits-total")).to_have_text("$100.00")
    page.wait_for_function(
        "() => (localStorage.getItem('stakeeasy-offline-dashboard') || '').includes('$100.00')"
    )

    page.context.set_offline(True)
    page.goto("/sites")
    expect(page.get_by_role("heading", level=1, name=OFFLINE_HEADING)).to_be_visible()
    expect(page).to_have_url("/sites")  # the address asked for; the worker answered it
    expect(page.get_by_text("Not current:")).to_be_visible()
    expect(page.locator("[data-offline-time]")).not_to_be_empty()
    expect(offline_card(page, "Total bankroll").locator(".figure")).to_have_text("$1,234.50")
    expect(offline_card(page, "Poker sites").locator(".figure")).to_have_text("$1,234.50")
    expect(offline_card(page, "Deposits").locator(".figure")).to_have_text("$100.00")
    expect(offline_card(page, "Profit").locator(".figure")).to_have_text("+$1,134.50")
    expect(page.get_by_text("No figures are saved on this device.")).to_be_hidden()

    page.context.set_offline(False)
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Sites")).to_be_visible()  # back to the real page


def test_after_log_out_the_next_player_never_sees_the_first_players_figures(page: Page):
    sign_up(page)
    dashboard_with_a_site(page, "Stars", "1234.50", "$1,234.50")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    sign_up(page)  # a second player on the same browser, whose dashboard has nothing yet
    controlled(page)
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1, name=OFFLINE_HEADING)).to_be_visible()
    expect(page.get_by_text("No figures are saved on this device.")).to_be_visible()
    expect(page.get_by_text("$1,234.50")).to_have_count(0)
    expect(page.get_by_text("Not current:")).to_be_hidden()


def test_a_session_that_ended_without_log_out_does_not_hand_its_figures_on(page: Page):
    sign_up(page)
    dashboard_with_a_site(page, "Stars", "1234.50", "$1,234.50")
    page.context.clear_cookies()  # the first player's session expires; the tab is left open
    sign_up(page)
    page.context.set_offline(True)
    page.goto("/dashboard")
    expect(page.get_by_role("heading", level=1, name=OFFLINE_HEADING)).to_be_visible()
    expect(page.get_by_text("No figures are saved on this device.")).to_be_visible()
    expect(page.get_by_text("$1,234.50")).to_have_count(0)

    page.context.set_offline(False)
    dashboard_with_a_site(page, "GG", "77", "$77.00")  # the second player's own figures replace nothing
    page.context.set_offline(True)
    page.reload()
    expect(offline_card(page, "Total bankroll").locator(".figure")).to_have_text("$77.00")
