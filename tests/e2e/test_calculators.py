"""The calculators in a real browser: results update in place as inputs change (no page reload, the
field keeps focus, the URL follows), errors appear next to the field, and the same forms work with
JavaScript off — on a desktop and at 360 px.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_bankroll_journey_e2e import assert_fits

MARKER = "window.calculatorMarker"


def set_marker(page: Page) -> None:
    """A value that only survives as long as the page is not reloaded."""
    page.evaluate(f"{MARKER} = 'still here'")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate(MARKER) == "still here"


def test_changing_the_bankroll_updates_the_stake_in_place(page: Page):
    page.goto("/tools/stakes?bankroll=5000")
    recommended = page.locator("#recommended-stake")
    expect(recommended).to_have_text("0.25/0.50")
    assert_fits(page)
    set_marker(page)

    bankroll = page.get_by_label("Bankroll", exact=True)
    bankroll.fill("7000")
    expect(recommended).to_have_text("0.50/1")
    expect(page).to_have_url(re.compile(r"bankroll=7000"))
    expect(bankroll).to_be_focused()  # the swap morphs the form: the field being typed in keeps focus

    page.get_by_label("Risk tolerance").select_option("aggressive")
    expect(page.locator("#multiple")).to_have_text("45.5")  # 33–58

    bankroll.fill("-5")
    expect(page.get_by_text("The bankroll can't be negative.")).to_be_visible()
    expect(bankroll).to_have_attribute("aria-invalid", "true")
    expect(recommended).to_have_count(0)
    bankroll.fill("9100")
    expect(recommended).to_have_text("1/2")  # 45.5 × 200
    assert_not_reloaded(page)


def test_risk_links_and_the_variance_chart_swap_only_the_calculator(page: Page):
    page.goto("/tools/risk-of-ruin?bankroll=3000")
    figure = page.locator("#risk-of-ruin")
    expect(figure).to_have_text("4.98\u00a0%")
    set_marker(page)
    page.get_by_role("link", name="PLO 6-max ≈ 140").click()
    expect(page.get_by_label("Standard deviation (σ)")).to_have_value("140")
    page.get_by_role("navigation", name="Units").get_by_role("link", name="Per hour").click()
    expect(figure).to_have_text("2.86\u00a0%")
    assert_not_reloaded(page)

    page.goto("/tools/variance?paths=200&hands=20000")
    expect(page.get_by_role("img", name="Simulated bankroll paths")).to_be_visible()
    assert_fits(page)
    drawdown = page.locator("#worst-drawdown")
    before = drawdown.inner_text()
    set_marker(page)
    page.get_by_label("Seed").fill("2")
    expect(drawdown).not_to_have_text(before)
    assert_not_reloaded(page)


def test_without_javascript_the_form_submits_and_shows_the_result(nojs_page: Page):
    page = nojs_page
    page.goto("/tools/stakes")
    expect(page.locator("#multiple")).to_have_text("65.5")
    page.get_by_label("Bankroll", exact=True).fill("5000")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator("#recommended-stake")).to_have_text("0.25/0.50")
    expect(page).to_have_url(re.compile(r"/tools/stakes\?.*bankroll=5000"))
    page.get_by_label("Bankroll", exact=True).fill("lots")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_text("Enter a number, like 1234.56.")).to_be_visible()
    expect(page.get_by_label("Bankroll", exact=True)).to_have_value("lots")
    page.goto("/tools/risk-of-ruin")
    page.get_by_role("link", name="Per hour").click()
    expect(page.locator("#risk-of-ruin")).to_have_text("2.86\u00a0%")
