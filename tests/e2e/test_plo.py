"""The PLO tools in a real browser: pick cards with the picker (mouse, touch and keyboard) and see the
exact equity; play a five-question quiz to its results — on a desktop and at 360 px, and with
JavaScript off.

The expected equity comes from app.poker.equity, never typed in.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from app.poker.equity import enumerate_equity

HERO = ["Ace of spades", "Ace of hearts", "King of spades", "King of hearts"]
VILLAIN = ["Jack of diamonds", "Ten of diamonds", "Nine of clubs", "Eight of clubs"]
FLOP = ["King of clubs", "Seven of diamonds", "Two of clubs"]


def expected_equity() -> str:
    result = enumerate_equity(["AsAhKsKh", "JdTd9c8c"], "Kc7d2c")
    return f"{result[0].equity:.2f}"


def assert_fits(page: Page) -> None:
    """At 360 px, the page must not scroll sideways."""
    viewport = page.viewport_size
    if viewport and viewport["width"] <= 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1


def pick(page: Page, name: str) -> None:
    """Choose a card in the picker, by touch on a phone, and wait until it is greyed out."""
    button = page.get_by_role("group", name=name.split(" of ")[1].capitalize()).get_by_role(
        "button", name=name
    )
    viewport = page.viewport_size
    if viewport and viewport["width"] <= 360:
        button.tap()
    else:
        button.click()
    expect(button).to_be_disabled()


def test_picking_cards_with_the_picker_shows_the_exact_equity(page: Page) -> None:
    page.goto("/tools/plo/scenario")
    expect(page.get_by_role("heading", level=1, name="PLO scenario analyzer")).to_be_visible()
    for name in HERO:
        pick(page, name)
    expect(page.get_by_label("Your hand", exact=True)).to_have_value("AsAhKsKh")
    # The hand is full, so the picker moved on to the opponent's hand by itself.
    expect(page.get_by_role("radio", name=re.compile("Opponent's hand"))).to_be_checked()
    for name in VILLAIN:
        pick(page, name)
    for name in FLOP[:2]:
        pick(page, name)
    # The last card with the keyboard: focus it and press Enter.
    last = page.get_by_role("button", name=FLOP[2])
    last.focus()
    page.keyboard.press("Enter")
    expect(last).to_be_disabled()
    expect(page.locator("#hero-equity")).to_have_text(f"{expected_equity()}\u00a0%")
    expect(page.locator("#hero-hand")).to_have_text("Three of a kind, kings")
    expect(page).to_have_url(re.compile(r"hero=AsAhKsKh&villain=JdTd9c8c&board=Kc7d2c"))
    assert_fits(page)


def test_bad_cards_are_answered_next_to_the_field(page: Page) -> None:
    page.goto("/tools/plo/scenario?hero=AsAhKsKh&villain=JdTd9c8c&board=Kc7d2c")
    board = page.get_by_label("Board", exact=True)
    board.fill("Kc7d2cAs")
    board.press("Enter")
    expect(page.locator("#e-board")).to_contain_text("As is already in your hand")
    expect(board).to_have_attribute("aria-invalid", "true")
    expect(board).to_have_value("Kc7d2cAs")


def test_without_javascript_a_picked_card_reloads_the_page_with_it(nojs_page: Page) -> None:
    page = nojs_page
    page.goto("/tools/plo/scenario?hero=AsAhKsKh&villain=JdTd9c8c&board=Kc7d&to=board")
    page.get_by_role("button", name="Two of clubs").click()
    expect(page.get_by_role("button", name="Two of clubs")).to_be_disabled()
    expect(page.locator("#hero-equity")).to_have_text(f"{expected_equity()}\u00a0%")
    expect(page).to_have_url(re.compile(r"board=Kc7d2c"))


def test_playing_a_five_question_quiz_to_the_results(page: Page) -> None:
    page.goto("/tools/plo/quiz/strength")
    page.get_by_role("link", name="5 questions").click()
    for number in range(1, 6):
        expect(page.get_by_text(f"Question {number} of 5")).to_be_visible()
        page.get_by_role("link", name="1 · Elite").click()
    expect(page.get_by_role("heading", name=re.compile("Your rating: "))).to_be_visible()
    expect(page.locator("#score")).to_contain_text("of 5 right")
    expect(page).to_have_url(re.compile(r"a=11111$"))
    assert_fits(page)
