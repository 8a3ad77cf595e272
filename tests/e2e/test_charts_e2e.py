"""The charts page in a real browser (desktop and 360 px): choose each site's value over time, switch
the range in place, read the legend and the text summary; nothing scrolls sideways on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_accounts_e2e import sign_up
from tests.e2e.test_bankroll_journey_e2e import add_holding, assert_fits, open_page


def test_a_player_sees_each_sites_value_over_time_stacked(page: Page):
    sign_up(page)
    open_page(page, "Sites")
    add_holding(page, "site", "PokerStars", "USD", "300")
    add_holding(page, "site", "GGPoker", "USD", "100")

    open_page(page, "Charts")
    chooser = page.get_by_role("navigation", name="Chart")
    chooser.get_by_role("link", name="Sites over time").click()
    expect(page.get_by_role("heading", level=2, name="Sites over time")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/charts\?chart=sites&range=90d"))  # shareable
    chart = page.get_by_role("img", name="Sites over time")
    expect(chart).to_be_visible()
    expect(chart.locator("path.stack")).to_have_count(2)
    legend = page.locator(".stack-legend")
    expect(legend).to_contain_text("PokerStars")
    expect(legend).to_contain_text("GGPoker")
    summary = page.locator("#chart-summary")
    expect(summary).to_contain_text("PokerStars $300.00, GGPoker $100.00; total $400.00")
    assert_fits(page)

    page.get_by_role("navigation", name="Period").get_by_role("link", name="All").click()
    expect(page).to_have_url(re.compile(r"/charts\?chart=sites&range=all"))
    expect(page.get_by_role("navigation", name="Period").get_by_role("link", name="All")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", level=2, name="Sites over time")).to_be_visible()
    assert_fits(page)
