"""The bankroll journey in a real browser: sites and an asset, an inline balance update, a deposit and a
withdrawal, the dashboard's totals, reordering, delete and undo — on a desktop and at 360 px, once with
JavaScript off, and the keyboard alternative to dragging.

Expected figures come from app.money (the bundled snapshot rates a fresh database uses), never typed in.
"""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Dialog, Locator, Page, expect

from app.money import SNAPSHOT_RATES, convert, format_money
from tests.e2e.test_accounts_e2e import sign_up

CURRENCY = "USD"


def shown(amount: Decimal | int, currency: str = CURRENCY, *, signed: bool = False) -> str:
    """An amount as the app displays it to a player with the default en_US number format."""
    return format_money(Decimal(amount), currency, "en_US", signed=signed)


def in_usd(amount: Decimal | int, currency: str) -> Decimal:
    return convert(Decimal(amount), currency, CURRENCY, SNAPSHOT_RATES)


def open_page(page: Page, name: str) -> None:
    """Follow a link of the main navigation, as a player would."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    assert_fits(page)


def assert_fits(page: Page) -> None:
    """At 360 px, the page must not scroll sideways."""
    viewport = page.viewport_size
    width = viewport["width"] if viewport else 0
    if 0 < width <= 360:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width + 1, f"{page.url} scrolls sideways: {scroll_width}px at {width}px"


def add_holding(page: Page, kind: str, name: str, currency: str, balance: str) -> None:
    """Fill in the 'Add a site/asset' form of the list page the player is on."""
    form = page.locator("form", has=page.get_by_role("heading", name=f"Add a {kind}"))
    form.get_by_label("Name").fill(name)
    form.get_by_label("Currency").select_option(currency)
    form.get_by_label("Starting balance").fill(balance)
    form.get_by_role("button", name=f"Add {kind}").click()
    expect(holding_row(page, name)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"Added {name}.")


def listed(page: Page) -> Locator:
    """The rows of the sites or assets list, in the player's order (not the totals row)."""
    return page.locator("#holdings-body").get_by_role("row")


def holding_row(page: Page, name: str) -> Locator:
    return listed(page).filter(has=page.get_by_role("link", name=name, exact=True))


def expect_order(page: Page, *names: str) -> None:
    rows = listed(page)
    expect(rows).to_have_count(len(names))
    for index, name in enumerate(names):
        expect(rows.nth(index).get_by_role("link", name=name, exact=True)).to_be_visible()


def update_balance(page: Page, name: str, currency: str, balance: str, *, js: bool = True) -> None:
    """Open the row's balance form (in place; without JavaScript on the item's page) and save."""
    row = holding_row(page, name)
    row.get_by_role("link", name=f"Update balance of {name}").click()
    if js:
        field = row.get_by_label(f"New balance ({currency})")
        expect(field).to_be_focused()
        field.fill(balance)
        row.get_by_role("button", name=f"Save the balance of {name}").click()
        return
    form = page.get_by_role("region", name="Record a balance")
    form.get_by_label(f"New balance ({currency})").fill(balance)
    form.get_by_role("button", name="Save balance").click()


def add_flow(page: Page, kind: str, amount: str, currency: str) -> None:
    """Record a deposit or withdrawal (no site) on its own page."""
    open_page(page, f"{kind}s")
    form = page.locator("form", has=page.get_by_role("heading", name=f"Add a {kind.lower()}"))
    form.get_by_label("Amount").fill(amount)
    form.get_by_label("Currency").select_option(currency)
    form.get_by_role("button", name=f"Add {kind.lower()}").click()
    text = shown(Decimal(amount), currency)
    expect(page.get_by_role("status")).to_contain_text(f"{kind} of {text} added.")
    expect(
        page.get_by_role("region", name=f"{kind}s").get_by_role("row").filter(has_text=text)
    ).to_have_count(1)
    assert_fits(page)


def expect_dashboard(
    page: Page, sites: Decimal, assets: Decimal, deposits: Decimal, withdrawals: Decimal
) -> None:
    bankroll = sites + assets
    expect(page.locator("#bankroll-total")).to_have_text(shown(bankroll))
    expect(page.locator("#sites-total")).to_have_text(shown(sites))
    expect(page.locator("#assets-total")).to_have_text(shown(assets))
    expect(page.locator("#deposits-total")).to_have_text(shown(deposits))
    expect(page.locator("#withdrawals-total")).to_have_text(shown(withdrawals))
    expect(page.locator("#profit-total")).to_have_text(shown(bankroll - deposits + withdrawals, signed=True))
    expect(page.locator("#poker-profit")).to_have_text(shown(sites - deposits + withdrawals, signed=True))


def drag_above(page: Page, moving: str, target: str) -> None:
    """Drag one row by its handle onto another with the mouse, and wait for the order to be saved."""
    handle = holding_row(page, moving).locator("[data-drag-handle]")
    onto = holding_row(page, target).locator("[data-drag-handle]")
    # As a player would, scroll until both rows show between the sticky top bar and, on a phone, the
    # bottom bar (a finger on a bar grabs the bar, not the row).
    onto.evaluate("element => window.scrollBy(0, element.getBoundingClientRect().top - 120)")
    with page.expect_response(
        lambda r: r.url.endswith("/sites/order") and r.request.method == "POST"
    ) as saved:
        handle.drag_to(onto)
    assert saved.value.status == 200


def test_a_player_builds_a_bankroll_and_reorders_deletes_and_restores_a_site(page: Page):
    sign_up(page, CURRENCY)

    open_page(page, "Sites")
    add_holding(page, "site", "PokerStars", "USD", "100")
    add_holding(page, "site", "Winamax", "EUR", "50")
    assert_fits(page)
    open_page(page, "Assets")
    add_holding(page, "asset", "Bank", "USD", "200")
    assert_fits(page)

    # The inline update swaps the row and the totals in place: same URL, same document.
    open_page(page, "Sites")
    winamax = in_usd(50, "EUR")
    totals = page.locator("#holdings-totals")
    expect(totals).to_contain_text(shown(100 + winamax))
    url = page.url
    page.evaluate("window.journeyMarker = 'same document'")
    update_balance(page, "PokerStars", "USD", "250")
    row = holding_row(page, "PokerStars")
    expect(row.get_by_role("cell").nth(2)).to_have_text(shown(250))
    expect(row).to_contain_text(shown(150, signed=True))
    expect(totals).to_contain_text(shown(250 + winamax))
    expect(totals).to_contain_text(shown(150, signed=True))
    expect(page.get_by_role("status")).to_contain_text("Saved the balance of PokerStars.")
    expect(page).to_have_url(url)
    assert page.evaluate("window.journeyMarker") == "same document"
    assert_fits(page)

    add_flow(page, "Deposit", "50", "USD")
    add_flow(page, "Withdrawal", "100", "USD")

    open_page(page, "Dashboard")
    expect_dashboard(page, 250 + winamax, Decimal(200), Decimal(50), Decimal(100))

    # Reorder by dragging Winamax above PokerStars; a reload shows the saved order.
    open_page(page, "Sites")
    expect_order(page, "PokerStars", "Winamax")
    shortcuts = page.get_by_role("navigation", name="Shortcuts")
    if (page.viewport_size or {"width": 0})["width"] <= 360:  # a phone keeps its bottom bar while dragging
        expect(shortcuts).to_be_visible()
    else:
        expect(shortcuts).to_be_hidden()
    drag_above(page, "Winamax", "PokerStars")
    expect_order(page, "Winamax", "PokerStars")
    page.reload()
    expect_order(page, "Winamax", "PokerStars")
    assert_fits(page)

    # Delete (after the browser's confirmation), then undo from the toast.
    questions: list[str] = []

    def accept(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    holding_row(page, "Winamax").get_by_role("link", name="Delete Winamax").click()
    expect(holding_row(page, "Winamax")).to_have_count(0)
    assert questions == ["Delete Winamax? You can undo this for a little while."]
    expect(totals).to_contain_text(shown(250))
    toast = page.get_by_role("status")
    expect(toast).to_contain_text("Deleted Winamax.")
    toast.get_by_role("button", name="Undo").click()
    expect(toast).to_contain_text("Winamax is back.")
    expect_order(page, "Winamax", "PokerStars")
    expect(totals).to_contain_text(shown(250 + winamax))
    assert_fits(page)


def test_the_key_journey_works_with_javascript_off(nojs_page: Page):
    page = nojs_page
    sign_up(page, CURRENCY)

    open_page(page, "Sites")
    add_holding(page, "site", "PokerStars", "USD", "100")
    update_balance(page, "PokerStars", "USD", "250", js=False)
    expect(page.get_by_role("status")).to_contain_text("Saved the balance of PokerStars.")
    open_page(page, "Sites")
    expect(holding_row(page, "PokerStars").get_by_role("cell").nth(2)).to_have_text(shown(250))

    add_flow(page, "Deposit", "50", "USD")

    open_page(page, "Dashboard")
    expect_dashboard(page, Decimal(250), Decimal(0), Decimal(50), Decimal(0))

    open_page(page, "Sites")
    holding_row(page, "PokerStars").get_by_role("link", name="Delete PokerStars").click()
    expect(page.get_by_role("heading", name="Delete PokerStars and its 2 balance entries?")).to_be_visible()
    assert_fits(page)
    page.get_by_role("button", name="Delete PokerStars").click()
    expect(page.get_by_role("status")).to_contain_text("Deleted PokerStars.")
    expect(page.get_by_text("No sites yet.")).to_be_visible()


def test_a_site_moves_down_with_the_keyboard_and_keeps_its_place(page: Page):
    sign_up(page, CURRENCY)
    open_page(page, "Sites")
    add_holding(page, "site", "PokerStars", "USD", "100")
    add_holding(page, "site", "Winamax", "EUR", "50")
    expect_order(page, "PokerStars", "Winamax")

    # From the site's name, Tab passes "Update balance" and "Move up" and reaches "Move down".
    holding_row(page, "PokerStars").get_by_role("link", name="PokerStars", exact=True).focus()
    for _ in range(3):
        page.keyboard.press("Tab")
    move_down = page.get_by_role("button", name="Move PokerStars down")
    expect(move_down).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("PokerStars is now number 2 of 2.")
    expect_order(page, "Winamax", "PokerStars")
    expect(move_down).to_be_focused()  # the swapped list keeps the keyboard user's place

    page.reload()
    expect_order(page, "Winamax", "PokerStars")
