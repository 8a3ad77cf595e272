"""Goals, achievements and articles in a real browser (desktop and 360 px): create a goal, reach it
by updating a balance in place on /sites, see the celebration; search the articles in place and mark
one read, with the achievement's toast."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_accounts_e2e import sign_up
from tests.e2e.test_bankroll_journey_e2e import add_holding, assert_fits, open_page, update_balance


def test_a_goal_is_created_and_completed_by_a_balance_update_with_a_celebration(page: Page):
    sign_up(page)
    open_page(page, "Sites")
    add_holding(page, "site", "PokerStars", "USD", "100")

    open_page(page, "Goals")
    form = page.locator("#goal-form")
    form.get_by_label("Name").fill("Reach 500")
    form.get_by_label("Type").select_option("bankroll")
    form.get_by_label("Target", exact=True).fill("500")
    form.get_by_role("button", name="Add goal").click()
    expect(page.get_by_role("status")).to_contain_text("Goal “Reach 500” added.")
    card = page.locator("#goal-list li", has_text="Reach 500")
    expect(card).to_contain_text("20 %")
    expect(card).to_contain_text("$100.00 of $500.00")
    expect(form.get_by_label("Name")).to_have_value("")  # a fresh form for the next goal
    assert_fits(page)

    open_page(page, "Sites")
    update_balance(page, "PokerStars", "USD", "650")
    expect(page.get_by_role("status")).to_contain_text("PokerStars")
    expect(page.get_by_role("status")).to_contain_text("Goal reached: Reach 500!")  # celebrated in place
    expect(page.get_by_role("status")).to_contain_text("Achievement unlocked: Goal getter.")  # toasted too

    open_page(page, "Goals")
    expect(page.get_by_role("status")).not_to_contain_text("Achievement unlocked: Goal getter.")  # once
    expect(page.get_by_role("heading", name="Completed")).to_be_visible()
    expect(page.locator("#goal-list li", has_text="Reach 500")).to_contain_text("100 %")

    page.reload()
    expect(page.get_by_role("heading", name="Completed")).to_be_visible()
    expect(page.get_by_role("status")).not_to_contain_text("Goal reached")  # celebrated once


def test_a_player_searches_the_articles_in_place_and_marks_one_read(page: Page):
    sign_up(page)
    open_page(page, "Articles")
    page.get_by_label("Search").fill("risk of ruin")
    results = page.locator("#article-results")
    expect(results.get_by_role("heading", level=2)).to_contain_text("for “risk of ruin”")
    expect(page).to_have_url(re.compile(r"/articles\?q=risk\+of\+ruin"))  # shareable
    page.get_by_label("Tag").select_option("variance")
    expect(results.get_by_role("heading", level=2)).to_contain_text("tagged variance")
    assert_fits(page)

    results.get_by_role("link", name="Variance and risk of ruin").click()
    expect(page.get_by_role("heading", level=1, name="Variance and risk of ruin")).to_be_visible()
    expect(page.get_by_text("min read")).to_be_visible()
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator("#read-status")).to_contain_text("Read ✓")
    expect(page.get_by_role("status")).to_contain_text("Achievement unlocked: Student of the game")
    assert_fits(page)

    page.go_back()
    expect(page.locator("#article-results")).to_contain_text("Read ✓")


def test_the_charts_page_switches_chart_in_place(page: Page):
    sign_up(page)
    open_page(page, "Sites")
    add_holding(page, "site", "PokerStars", "USD", "100")
    open_page(page, "Charts")
    expect(page.get_by_role("heading", level=2, name="Bankroll over time")).to_be_visible()
    page.get_by_role("navigation", name="Chart").get_by_role("link", name="Split by site and asset").click()
    expect(page.get_by_role("heading", level=2, name="Split by site and asset")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/charts\?chart=split"))
    expect(page.locator("#chart-summary")).to_have_text("PokerStars: 100.0 %")
    assert_fits(page)
