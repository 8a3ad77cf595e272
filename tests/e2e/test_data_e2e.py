"""The player's data in a real browser: download the JSON and CSV exports, reset (a wrong word first,
then the undo from the message), reset again and import the downloaded file back through its preview;
on a desktop and at 360 px."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_accounts_e2e import sign_up
from tests.e2e.test_bankroll_journey_e2e import add_holding, assert_fits


def open_data_page(page: Page) -> None:
    page.goto("/dashboard")
    assert_fits(page)
    page.get_by_role("link", name="Export, import or reset your data").click()
    expect(page.get_by_role("heading", level=1, name="Your data")).to_be_visible()
    assert_fits(page)


def test_export_reset_undo_and_import_with_preview(page: Page, tmp_path: Path):
    sign_up(page)
    page.goto("/sites")
    add_holding(page, "site", "Stars", "USD", "250")
    add_holding(page, "site", "GG Poker", "EUR", "100")
    page.goto("/assets")
    add_holding(page, "asset", "Skrill", "USD", "40")
    open_data_page(page)
    expect(page.get_by_text("3 sites and assets, 3 balance entries")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download JSON").click()
    export_file = tmp_path / "export.json"
    download_info.value.save_as(export_file)
    data = json.loads(export_file.read_text())
    assert data["format"] == "stakeeasy-export" and data["version"] == 1
    assert sorted(h["name"] for h in data["holdings"]) == ["GG Poker", "Skrill", "Stars"]

    with page.expect_download() as zip_info:
        page.get_by_role("link", name="Download CSV (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(zip_info.value.path()).read_bytes()))
    assert "holdings.csv" in archive.namelist() and "balance_entries.csv" in archive.namelist()

    confirm = page.get_by_label("Type RESET to confirm")
    confirm.fill("delete")
    page.get_by_role("button", name="Reset my bankroll data").click()
    expect(page.get_by_text("Type RESET to confirm.")).to_be_visible()
    expect(page.get_by_label("Type RESET to confirm")).to_have_value("delete")
    page.get_by_label("Type RESET to confirm").fill("RESET")
    page.get_by_role("button", name="Reset my bankroll data").click()
    expect(page.get_by_role("status")).to_contain_text("Your bankroll data was reset.")
    expect(page.get_by_text("0 sites and assets, 0 balance entries")).to_be_visible()
    page.get_by_role("status").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Your bankroll data is back.")
    expect(page.get_by_text("3 sites and assets, 3 balance entries")).to_be_visible()

    page.get_by_label("Type RESET to confirm").fill("RESET")
    page.get_by_role("button", name="Reset my bankroll data").click()
    expect(page.get_by_text("0 sites and assets, 0 balance entries")).to_be_visible()

    page.get_by_label("File to import (.json or .csv)").set_input_files(str(export_file))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1, name="Import preview")).to_be_visible()
    expect(page.locator("#count-holdings")).to_have_text("3")
    expect(page.locator("#count-entries")).to_have_text("3")
    expect(page.get_by_text("Nothing has changed yet.")).to_be_visible()
    assert_fits(page)
    expect(page.get_by_role("radio", name="Merge", exact=False)).to_be_checked()
    page.get_by_role("button", name="Import now").click()
    expect(page).to_have_url("/dashboard")
    expect(page.get_by_role("status")).to_contain_text("Imported 3 sites and assets, 3 balances")
    expect(page.locator("#sites-total")).not_to_have_text("$0.00")


def test_a_bad_file_is_reported_in_place(page: Page, tmp_path: Path):
    sign_up(page)
    open_data_page(page)
    bad = tmp_path / "bankroll.csv"
    bad.write_bytes("date,kind,name,amount,currency\n2026-03-01,balance,Café,1,EUR\n".encode("cp1252"))
    page.get_by_label("File to import (.json or .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("The file is not UTF-8 text")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Your data")).to_be_visible()


def test_a_transfer_moves_money_between_two_holdings_and_the_dashboard_splits_the_profit(page: Page):
    sign_up(page)
    page.goto("/sites")
    add_holding(page, "site", "Stars", "USD", "250")
    page.goto("/assets")
    add_holding(page, "asset", "Skrill", "USD", "40")
    page.goto("/dashboard")
    page.get_by_role("link", name="Record a transfer").click()
    expect(page.get_by_role("heading", level=1, name="Transfers")).to_be_visible()
    assert_fits(page)
    form = page.locator("#transfer-form")
    form.get_by_label("From").select_option(label="Stars — site (USD)")
    form.get_by_label("To").select_option(label="Skrill — asset (USD)")
    form.get_by_label("Amount sent").fill("100")
    form.get_by_label("Fee (optional)").fill("abc")
    form.get_by_role("button", name="Record transfer").click()
    expect(page.get_by_text("Enter a number, like 1234.56.")).to_be_visible()
    expect(page.locator("#transfer-form").get_by_label("Amount sent")).to_have_value("100")
    page.locator("#transfer-form").get_by_label("Fee (optional)").fill("2")
    page.locator("#transfer-form").get_by_role("button", name="Record transfer").click()
    expect(page.get_by_role("status")).to_contain_text("Moved $100.00 from Stars to Skrill ($98.00 arrived).")
    expect(page.locator("#transfer-list").get_by_role("row", name="Stars → Skrill")).to_be_visible()
    page.goto("/dashboard")
    expect(page.locator("#fees-total")).to_have_text("-$2.00")
    expect(page.locator("#sites-total")).to_have_text("$150.00")
    expect(page.locator("#assets-total")).to_have_text("$138.00")
    assert_fits(page)
    page.get_by_role("link", name="exchange rates").click()
    expect(page.get_by_role("heading", level=1, name="Exchange rates")).to_be_visible()
    assert_fits(page)


def record_a_transfer(page: Page) -> None:
    """Sign up, add Stars ($250) and Skrill ($40), and move $100 (fee $2) from Stars to Skrill."""
    sign_up(page)
    page.goto("/sites")
    add_holding(page, "site", "Stars", "USD", "250")
    page.goto("/assets")
    add_holding(page, "asset", "Skrill", "USD", "40")
    page.goto("/transfers")
    form = page.locator("#transfer-form")
    form.get_by_label("From").select_option(label="Stars — site (USD)")
    form.get_by_label("To").select_option(label="Skrill — asset (USD)")
    form.get_by_label("Amount sent").fill("100")
    form.get_by_label("Fee (optional)").fill("2")
    form.get_by_role("button", name="Record transfer").click()
    expect(page.get_by_role("status")).to_contain_text("Moved $100.00 from Stars to Skrill")


def test_a_transfer_is_edited_in_place_and_the_figures_follow(page: Page):
    record_a_transfer(page)
    page.locator("#transfer-list").get_by_role("link", name="Edit the transfer of $100.00").click()
    expect(page).to_have_url(re.compile(r"/transfers/\d+/edit$"))
    form = page.locator("#transfer-form")
    expect(form.get_by_role("heading", name="Edit the transfer of $100.00")).to_be_in_viewport()
    expect(form.get_by_label("From")).to_be_focused()
    expect(form.get_by_label("Amount sent")).to_have_value("100.00")
    expect(form.get_by_label("To")).to_have_value(re.compile(r"\d+"))
    assert_fits(page)
    form.get_by_label("Amount sent").fill("300")
    form.get_by_role("button", name="Save transfer").click()
    expect(page.get_by_text("Stars had only $250.00 then.")).to_be_visible()
    form = page.locator("#transfer-form")
    expect(form.get_by_label("Amount sent")).to_have_value("300")
    form.get_by_label("Amount sent").fill("120")
    form.get_by_label("Fee (optional)").fill("1")
    form.get_by_role("button", name="Save transfer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Saved. Moved $120.00 from Stars to Skrill ($119.00 arrived)."
    )
    expect(page).to_have_url(re.compile(r"/transfers$"))
    expect(page.locator("#transfer-form").get_by_role("heading", name="Record a transfer")).to_be_visible()
    row = page.locator("#transfer-list").get_by_role("row", name="Stars → Skrill")
    expect(row).to_contain_text("$120.00")
    expect(row).to_contain_text("(fee $1.00)")
    assert_fits(page)
    page.goto("/dashboard")
    expect(page.locator("#fees-total")).to_have_text("-$1.00")
    expect(page.locator("#sites-total")).to_have_text("$130.00")
    expect(page.locator("#assets-total")).to_have_text("$159.00")


def test_a_transfer_is_edited_with_javascript_off(nojs_page: Page):
    page = nojs_page
    record_a_transfer(page)
    page.get_by_role("link", name="Edit the transfer of $100.00").click()
    expect(page).to_have_url(re.compile(r"/transfers/\d+/edit$"))
    page.locator("#transfer-form").get_by_label("Amount sent").fill("50")
    page.locator("#transfer-form").get_by_role("button", name="Save transfer").click()
    expect(page).to_have_url(re.compile(r"/transfers$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Saved. Moved $50.00 from Stars to Skrill ($48.00 arrived)."
    )
    page.goto("/dashboard")
    expect(page.locator("#sites-total")).to_have_text("$200.00")
    expect(page.locator("#assets-total")).to_have_text("$88.00")
