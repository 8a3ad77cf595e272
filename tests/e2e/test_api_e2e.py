"""API tokens in a real browser (desktop and 360 px): create a token in settings, use it with an HTTP
client against the running server, see its last use, revoke it, and see the API refuse it."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.test_accounts_e2e import sign_up
from tests.e2e.test_bankroll_journey_e2e import assert_fits, open_page


def test_a_player_creates_a_token_uses_it_and_revokes_it(page: Page, live_server: str):
    sign_up(page)
    open_page(page, "Settings")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1, name="API tokens")).to_be_visible()
    expect(page.get_by_text("No tokens yet.")).to_be_visible()

    form = page.locator("#token-form")
    form.get_by_role("button", name="Create token").click()  # no name: refused next to the field
    expect(form.get_by_text("Enter a name")).to_be_visible()
    form.get_by_label("Token name").fill("Laptop script")
    form.get_by_label("Access").select_option("write")
    form.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text("Token “Laptop script” created.")
    secret = page.get_by_label("Your new token", exact=True).input_value()
    assert secret.startswith("se_")
    assert_fits(page)

    headers = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=live_server + "/api/v1", timeout=10) as api:
        summary = api.get("/summary", headers=headers)
        assert summary.status_code == 200 and summary.json()["currency"] == "USD"
        created = api.post("/deposits", json={"amount": "250", "currency": "USD"}, headers=headers)
        assert created.status_code == 201, created.text
        assert created.json()["amount"] == {"amount": "250.00", "currency": "USD"}

        page.reload()  # the secret is gone for good; the list shows the token's last use
        expect(page.get_by_label("Your new token", exact=True)).to_have_count(0)
        item = page.locator(".token-item", has_text="Laptop script")
        expect(item).to_contain_text("last used")
        expect(item).to_contain_text("read and write")
        assert_fits(page)

        item.get_by_role("button", name="Revoke Laptop script").click()
        expect(page.get_by_role("status")).to_contain_text("Token “Laptop script” revoked")
        expect(page.locator(".token-item", has_text="Laptop script")).to_contain_text("revoked")

        refused = api.get("/summary", headers=headers)
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthorized"

    open_page(page, "Deposits")  # the deposit made through the API is there like any other
    expect(page.locator("#flow-list")).to_contain_text("250.00")


def test_the_api_docs_page_reads_well_on_a_phone(page: Page):
    page.goto("/api")
    expect(page.get_by_role("heading", level=1, name="StakeEasy API")).to_be_visible()
    expect(page.get_by_role("heading", name="Getting a token")).to_be_visible()
    page.get_by_role("link", name="GET /summary").click()
    expect(page.locator("#show-summary")).to_be_in_viewport()
    assert_fits(page)
