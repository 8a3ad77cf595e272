"""Deposits and withdrawals over HTTP: plain and htmx paths, validation, undo, filter, paging, totals."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal, localcontext
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select, update

from app import money
from app.bankroll import queries as bankroll_queries
from app.flows import forms, routes
from app.models import BalanceEntry, Flow, Holding, User
from tests.conftest import sign_up

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
ROW_RE = re.compile(r'<tr id="flow-(\d+)"')


def flow_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "occurred_at": "2026-03-01T14:30",
        "amount": "50",
        "currency": "USD",
        "note": "",
    }
    data.update(overrides)
    return data


async def user_of(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def make_holding(
    sessionmaker,
    email: str,
    name: str = "Stars",
    kind: str = "site",
    currency: str = "USD",
    balance: str | None = None,
) -> int:
    user = await user_of(sessionmaker, email)
    async with sessionmaker() as session:
        holding = Holding(user_id=user.id, kind=kind, name=name, name_key=name.casefold(), currency=currency)
        session.add(holding)
        await session.flush()
        if balance is not None:
            session.add(
                BalanceEntry(
                    holding_id=holding.id,
                    recorded_at=T0 - timedelta(days=1),
                    balance=Decimal(balance),
                    currency=currency,
                )
            )
        await session.commit()
        return holding.id  # type: ignore[return-value]


async def add_flows(
    sessionmaker,
    email: str,
    count: int,
    kind: str = "deposit",
    amount: str = "10",
    currency: str = "USD",
    start: datetime = T0,
) -> list[int]:
    user = await user_of(sessionmaker, email)
    async with sessionmaker() as session:
        flows = [
            Flow(
                user_id=user.id,
                kind=kind,
                amount=Decimal(amount),
                currency=currency,
                occurred_at=start + timedelta(hours=i),
            )
            for i in range(count)
        ]
        session.add_all(flows)
        await session.commit()
        return [f.id for f in flows]  # type: ignore[misc]


async def stored_flows(sessionmaker, email: str, live_only: bool = True) -> list[Flow]:
    user = await user_of(sessionmaker, email)
    async with sessionmaker() as session:
        query = select(Flow).where(Flow.user_id == user.id).order_by(Flow.id)
        if live_only:
            query = query.where(Flow.deleted_at.is_(None))
        return list((await session.execute(query)).scalars())


# The page


async def test_the_deposits_page_offers_an_add_form_with_sensible_defaults(client, player):
    response = await client.get("/deposits")
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    html = response.text
    assert '<form id="flow-form"' in html and 'action="/deposits"' in html
    assert 'type="datetime-local"' in html and 'inputmode="decimal"' in html
    assert '<option value="USD" selected>' in html
    assert 'name="request_key" value="' in html
    assert 'id="flow-totals"' in html and 'id="flow-list"' in html and "No deposits yet" in html
    assert "new balance" not in html


async def test_the_date_defaults_to_now_in_the_players_time_zone(client, player, sessionmaker, connection):
    await connection.execute(update(User).where(User.email == player).values(timezone="Asia/Tokyo"))
    html = (await client.get("/deposits")).text
    shown = re.search(r'name="occurred_at" type="datetime-local" required\s+value="([^"]+)"', html)
    assert shown
    now_tokyo = datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert abs(datetime.fromisoformat(shown.group(1)) - now_tokyo) < timedelta(minutes=2)


async def test_the_withdrawals_page_offers_to_record_the_sites_new_balance(client, player, sessionmaker):
    await make_holding(sessionmaker, player, "Stars", "site", "EUR")
    await make_holding(sessionmaker, player, "Bank", "asset", "USD")
    html = (await client.get("/withdrawals")).text
    assert "Add a withdrawal" in html
    assert "Also record the new balance of this site" in html and 'name="new_balance"' in html
    assert (
        html.index('<optgroup label="Sites">')
        < html.index("Stars (EUR)")
        < html.index('<optgroup label="Assets">')
        < html.index("Bank (USD)")
    )


async def test_the_lists_need_a_login(client):
    response = await client.get("/withdrawals")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_choosing_a_site_refills_the_form_in_that_sites_currency(client, player, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars", "site", "EUR")
    response = await client.get(
        "/deposits",
        params={"holding_id": str(site), "amount": "12,50", "note": "hi", "request_key": "abc"},
        headers={"HX-Request": "true", "HX-Target": "form#flow-form"},
    )
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<form id="flow-form"') and "<html" not in html
    assert '<option value="EUR" selected>' in html and f'<option value="{site}" selected>' in html
    assert 'value="12,50"' in html and 'value="hi"' in html and 'value="abc"' in html


# Adding


async def test_a_plain_deposit_is_recorded_and_the_list_shows_it(client, player, post, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars")
    response = await post.form(
        "/deposits", flow_data(amount="1,234.5", holding_id=str(site), note="Reload bonus")
    )
    assert response.status_code == 303 and response.headers["location"] == "/deposits"
    [flow] = await stored_flows(sessionmaker, player)
    assert flow.kind == "deposit" and flow.amount == Decimal("1234.50") and flow.currency == "USD"
    assert flow.holding_id == site and flow.note == "Reload bonus"
    assert flow.occurred_at == datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
    html = (await client.get("/deposits")).text
    assert "Deposit of $1,234.50 added." in html
    assert f'<tr id="flow-{flow.id}">' in html and "Stars" in html and "Reload bonus" in html


async def test_an_htmx_deposit_resets_the_form_and_updates_list_and_totals(
    client, player, post, sessionmaker
):
    response = await post.htmx(
        "/deposits", flow_data(amount="75", request_key="key-1"), target="form#flow-form"
    )
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<form id="flow-form"') and "<html" not in html
    assert 'name="request_key" value="key-1"' not in html and 'name="amount" type="text"' in html
    assert re.search(r'name="amount"[^>]*\s+value=""', html)
    assert '<hx-partial hx-target="#flow-totals" hx-swap="outerHTML">' in html
    assert '<hx-partial hx-target="#flow-list" hx-swap="outerHTML">' in html
    assert '<hx-partial hx-target="#flash" hx-swap="outerHTML">' in html
    assert "Deposit of $75.00 added." in html and html.count("$75.00") >= 3
    assert len(await stored_flows(sessionmaker, player)) == 1


async def test_submitting_the_same_form_twice_records_one_deposit(client, player, post, sessionmaker):
    data = flow_data(request_key="same-key-123")
    first = await post.form("/deposits", data)
    second = await post.form("/deposits", data)
    third = await post.htmx("/deposits", data, target="form#flow-form")
    assert first.status_code == second.status_code == 303 and third.status_code == 200
    assert len(await stored_flows(sessionmaker, player)) == 1


async def test_a_withdrawal_can_record_the_sites_new_balance_in_the_same_step(
    client, player, post, sessionmaker
):
    site = await make_holding(sessionmaker, player, "Stars", "site", "EUR", balance="500")
    data = flow_data(
        amount="200", currency="EUR", holding_id=str(site), new_balance="300,50", request_key="wd-1"
    )
    response = await post.form("/withdrawals", data)
    assert response.status_code == 303 and response.headers["location"] == "/withdrawals"
    again = await post.form("/withdrawals", data)
    assert again.status_code == 303
    [flow] = await stored_flows(sessionmaker, player)
    assert flow.kind == "withdrawal" and flow.amount == Decimal("200") and flow.currency == "EUR"
    async with sessionmaker() as session:
        entries = (
            (
                await session.execute(
                    select(BalanceEntry)
                    .where(BalanceEntry.holding_id == site)
                    .order_by(BalanceEntry.recorded_at)
                )
            )
            .scalars()
            .all()
        )
        rows = await bankroll_queries.holdings_with_entries(session, (await user_of(sessionmaker, player)).id)
    assert [e.balance for e in entries] == [Decimal("500"), Decimal("300.50")]
    assert entries[-1].request_key == "wd-1-balance" and entries[-1].recorded_at == flow.occurred_at
    assert rows[0].latest.balance == Decimal("300.50")
    html = (await client.get("/withdrawals")).text
    assert "Withdrawal of €200.00 added. Stars balance is now €300.50." in html


async def test_an_htmx_withdrawal_with_a_new_balance_updates_in_place(client, player, post, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars", "site", "USD", balance="80")
    data = flow_data(amount="30", holding_id=str(site), new_balance="50")
    response = await post.htmx("/withdrawals", data, target="form#flow-form")
    assert response.status_code == 200
    assert "Stars balance is now $50.00." in response.text
    assert '<hx-partial hx-target="#flow-list"' in response.text
    async with sessionmaker() as session:
        balances = (
            await session.execute(select(BalanceEntry.balance).where(BalanceEntry.holding_id == site))
        ).all()
    assert sorted(b for (b,) in balances) == [Decimal("50"), Decimal("80")]


async def test_an_empty_new_balance_is_ignored(client, player, post, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars", "site", "USD", balance="80")
    response = await post.form("/withdrawals", flow_data(holding_id=str(site), new_balance="  "))
    assert response.status_code == 303
    async with sessionmaker() as session:
        count = (
            await session.execute(select(func.count()).where(BalanceEntry.holding_id == site))
        ).scalar_one()
    assert count == 1


# Validation


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "", "Enter an amount."),
        ("amount", "0", "The amount must be more than zero."),
        ("amount", "-5", "The amount can&#39;t be negative."),
        ("amount", "lots", "Enter a number, like 1234.56."),
        ("amount", "99999999999", "That amount is too large."),
        ("amount", "1.234", "USD amounts have at most 2 decimals."),
        ("currency", "XYZ", "Choose a currency from the list."),
        ("occurred_at", "", "Enter the date."),
        ("occurred_at", "yesterday", "Enter a date and time like 2026-03-01 14:30."),
        ("occurred_at", "2026-02-30T10:00", "Enter a date and time like 2026-03-01 14:30."),
        ("occurred_at", "1900-01-01T10:00", "Enter a date after 1970."),
        ("note", "x" * 501, "Keep the note to 500 characters or fewer."),
        ("holding_id", "999999", "Choose one of your sites"),
        ("holding_id", "stars", "Choose one of your sites"),
    ],
)
async def test_a_bad_field_is_refused_with_a_message_and_the_typed_values_kept(
    client, player, post, sessionmaker, field, value, message
):
    data = flow_data(**{"amount": "12.34", "note": "typed note", field: value})
    response = await post.form("/deposits", data)
    assert response.status_code == 422
    html = response.text
    assert "<html" in html and message in html
    assert re.search(rf'id="new-{field}-error">{re.escape(message)}', html), html
    if field != "amount":
        assert 'value="12.34"' in html
    if field != "note":
        assert 'value="typed note"' in html
    assert await stored_flows(sessionmaker, player) == []


async def test_a_date_more_than_a_day_ahead_in_the_players_time_zone_is_refused(
    client, player, post, connection
):
    await connection.execute(update(User).where(User.email == player).values(timezone="Pacific/Kiritimati"))
    today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    late_tomorrow = f"{today + timedelta(days=1)}T23:59"
    day_after = f"{today + timedelta(days=2)}T00:00"
    assert (await post.form("/deposits", flow_data(occurred_at=late_tomorrow))).status_code == 303
    refused = await post.form("/deposits", flow_data(occurred_at=day_after))
    assert refused.status_code == 422
    assert "The date can&#39;t be more than a day in the future." in refused.text


async def test_a_new_balance_without_a_site_is_refused(client, player, post, sessionmaker):
    response = await post.htmx("/withdrawals", flow_data(new_balance="100"), target="form#flow-form")
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<form id="flow-form"')
    assert 'id="new-new_balance-error">Choose the site whose new balance this is.' in response.text
    assert 'value="100"' in response.text
    assert await stored_flows(sessionmaker, player) == []


async def test_a_bad_new_balance_is_refused(client, player, post, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars", "site", "JPY")
    response = await post.form("/withdrawals", flow_data(holding_id=str(site), new_balance="10.5"))
    assert response.status_code == 422
    assert "JPY amounts can&#39;t have decimals." in response.text


async def test_another_players_site_is_not_a_choice(
    client, player, post, other_client, other_player, sessionmaker
):
    theirs = await make_holding(sessionmaker, other_player, "Their site")
    response = await post.htmx("/deposits", flow_data(holding_id=str(theirs)), target="form#flow-form")
    assert response.status_code == 422
    assert "Choose one of your sites" in response.text
    assert await stored_flows(sessionmaker, player) == []


async def test_a_deleted_site_is_not_a_choice(client, player, post, sessionmaker, connection):
    site = await make_holding(sessionmaker, player, "Old site")
    await connection.execute(update(Holding).where(Holding.id == site).values(deleted_at=T0))
    response = await post.form("/deposits", flow_data(holding_id=str(site)))
    assert response.status_code == 422 and "Choose one of your sites" in response.text


# Editing


async def test_the_edit_page_is_prefilled_and_saves_changes(client, player, post, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars", "site", "EUR")
    [flow_id] = await add_flows(sessionmaker, player, 1, amount="10.5")
    page = await client.get(f"/flows/{flow_id}/edit")
    assert page.status_code == 200 and "<html" in page.text and "Edit deposit" in page.text
    assert 'value="10.50"' in page.text and 'value="2026-03-01T12:00"' in page.text
    response = await post.form(
        f"/flows/{flow_id}/edit",
        flow_data(
            occurred_at="2026-02-20T09:15", amount="20", currency="EUR", holding_id=str(site), note="fixed"
        ),
    )
    assert response.status_code == 303 and response.headers["location"] == "/deposits"
    [flow] = await stored_flows(sessionmaker, player)
    assert (flow.amount, flow.currency, flow.holding_id, flow.note) == (Decimal("20"), "EUR", site, "fixed")
    assert flow.occurred_at == datetime(2026, 2, 20, 9, 15, tzinfo=UTC) and flow.kind == "deposit"
    assert "Deposit of €20.00 saved." in (await client.get("/deposits")).text


async def test_a_bad_edit_is_refused_with_the_message_on_the_edit_page(client, player, post, sessionmaker):
    [flow_id] = await add_flows(sessionmaker, player, 1)
    response = await post.form(f"/flows/{flow_id}/edit", flow_data(amount="abc"))
    assert response.status_code == 422 and "<html" in response.text
    assert (
        'id="edit-amount-error">Enter a number, like 1234.56.' in response.text
        and 'value="abc"' in response.text
    )
    htmx_form = await post.htmx(
        f"/flows/{flow_id}/edit", flow_data(amount="abc"), target="form#flow-edit-form"
    )
    assert htmx_form.status_code == 422 and htmx_form.text.lstrip().startswith('<form id="flow-edit-form"')
    assert (await stored_flows(sessionmaker, player))[0].amount == Decimal("10")


async def test_htmx_edits_a_row_in_place(client, player, post, sessionmaker):
    [flow_id] = await add_flows(sessionmaker, player, 1, kind="withdrawal")
    row = await client.get(
        f"/flows/{flow_id}/edit",
        headers={
            "HX-Request": "true",
            "HX-Target": f"tr#flow-{flow_id}",
            "HX-Current-URL": "http://testserver/withdrawals?from=2026-03-01",
        },
    )
    assert row.status_code == 200
    assert (
        row.text.lstrip().startswith(f'<tr id="flow-{flow_id}" class="edit-row">') and "<html" not in row.text
    )
    assert f'id="edit-{flow_id}-amount"' in row.text and 'href="/withdrawals?from=2026-03-01"' in row.text
    bad = await post.htmx(f"/flows/{flow_id}/edit", flow_data(amount="0"), target=f"tr#flow-{flow_id}")
    assert bad.status_code == 422 and bad.text.lstrip().startswith(
        f'<tr id="flow-{flow_id}" class="edit-row">'
    )
    assert "The amount must be more than zero." in bad.text
    post.client.headers["HX-Current-URL"] = "http://testserver/withdrawals"
    good = await post.htmx(f"/flows/{flow_id}/edit", flow_data(amount="99"), target=f"tr#flow-{flow_id}")
    assert good.status_code == 200
    assert good.headers["HX-Retarget"] == "#flow-list"
    assert (
        good.text.lstrip().startswith('<section id="flow-list"') and f'<tr id="flow-{flow_id}">' in good.text
    )
    assert "$99.00" in good.text and '<hx-partial hx-target="#flow-totals"' in good.text
    assert "Withdrawal of $99.00 saved." in good.text


async def test_an_htmx_save_from_the_edit_page_goes_back_to_the_list(client, player, post, sessionmaker):
    [flow_id] = await add_flows(sessionmaker, player, 1, kind="withdrawal")
    response = await post.htmx(f"/flows/{flow_id}/edit", flow_data(amount="5"), target="form#flow-edit-form")
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/withdrawals"


# Deleting and undo


async def test_a_plain_delete_can_be_undone(client, player, post, sessionmaker):
    [flow_id] = await add_flows(sessionmaker, player, 1, amount="50")
    response = await post.form(f"/flows/{flow_id}/delete")
    assert response.status_code == 303 and response.headers["location"] == "/deposits"
    assert await stored_flows(sessionmaker, player) == []
    html = (await client.get("/deposits")).text
    assert "Deleted deposit of $50.00" in html and f'action="/flows/{flow_id}/restore"' in html
    assert f'<tr id="flow-{flow_id}"' not in html
    restored = await post.form(f"/flows/{flow_id}/restore")
    assert restored.status_code == 303 and restored.headers["location"] == "/deposits"
    assert [f.id for f in await stored_flows(sessionmaker, player)] == [flow_id]
    html = (await client.get("/deposits")).text
    assert "Restored deposit of $50.00" in html and f'<tr id="flow-{flow_id}">' in html


async def test_an_htmx_delete_removes_the_row_and_updates_totals_and_undo_brings_it_back(
    client, player, post, sessionmaker
):
    ids = await add_flows(sessionmaker, player, 2, amount="50")
    post.client.headers["HX-Current-URL"] = "http://testserver/deposits"
    response = await post.htmx(f"/flows/{ids[0]}/delete", target="section#flow-list")
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<section id="flow-list"')
    assert f'id="flow-{ids[0]}"' not in html and f'id="flow-{ids[1]}"' in html
    assert '<hx-partial hx-target="#flow-totals"' in html and "$50.00</p>" in html
    assert "Deleted deposit of $50.00" in html and f'hx-post="/flows/{ids[0]}/restore"' in html
    undo = await post.htmx(f"/flows/{ids[0]}/restore", target="div#flash")
    assert undo.status_code == 200 and undo.headers["HX-Retarget"] == "#flow-list"
    assert f'<tr id="flow-{ids[0]}">' in undo.text and "$100.00</p>" in undo.text
    assert "Restored deposit of $50.00" in undo.text


async def test_undo_from_another_page_just_confirms_in_the_flash_region(client, player, post, sessionmaker):
    [flow_id] = await add_flows(sessionmaker, player, 1)
    await post.form(f"/flows/{flow_id}/delete")
    post.client.headers["HX-Current-URL"] = "http://testserver/dashboard"
    undo = await post.htmx(f"/flows/{flow_id}/restore", target="div#flash")
    assert undo.status_code == 200 and undo.headers["HX-Retarget"] == "#flash"
    assert undo.text.lstrip().startswith('<div id="flash"') and "Restored deposit of $10.00" in undo.text
    assert len(await stored_flows(sessionmaker, player)) == 1


async def test_deleting_twice_is_harmless(client, player, post, sessionmaker):
    [flow_id] = await add_flows(sessionmaker, player, 1)
    assert (await post.form(f"/flows/{flow_id}/delete")).status_code == 303
    assert (await post.form(f"/flows/{flow_id}/delete")).status_code == 303
    assert (await client.get(f"/flows/{flow_id}/edit")).status_code == 404


async def test_another_players_flow_is_not_found_on_every_route(
    client, player, post, other_client, other_player, other_post, sessionmaker
):
    [flow_id] = await add_flows(sessionmaker, player, 1)
    assert (await other_client.get(f"/flows/{flow_id}/edit")).status_code == 404
    htmx_get = await other_client.get(f"/flows/{flow_id}/edit", headers={"HX-Request": "true"})
    assert htmx_get.status_code == 404 and htmx_get.headers["HX-Retarget"] == "#flash"
    for action in ("edit", "delete", "restore"):
        plain = await other_post.form(f"/flows/{flow_id}/{action}", flow_data(amount="1"))
        htmx = await other_post.htmx(
            f"/flows/{flow_id}/{action}", flow_data(amount="1"), target=f"tr#flow-{flow_id}"
        )
        assert plain.status_code == 404, action
        assert htmx.status_code == 404, action
    [flow] = await stored_flows(sessionmaker, player)
    assert flow.amount == Decimal("10") and flow.deleted_at is None
    assert (await client.get("/flows/999999/edit")).status_code == 404


# The list: kinds, filter, pages, totals


async def test_each_list_shows_only_its_own_kind_and_only_live_flows(
    client, player, sessionmaker, connection
):
    [deposit] = await add_flows(sessionmaker, player, 1, kind="deposit")
    [withdrawal, gone] = await add_flows(sessionmaker, player, 2, kind="withdrawal")
    await connection.execute(update(Flow).where(Flow.id == gone).values(deleted_at=T0))
    deposits = (await client.get("/deposits")).text
    withdrawals = (await client.get("/withdrawals")).text
    assert ROW_RE.findall(deposits) == [str(deposit)]
    assert ROW_RE.findall(withdrawals) == [str(withdrawal)]


async def test_the_date_filter_limits_the_list_and_the_totals(client, player, sessionmaker):
    await add_flows(sessionmaker, player, 1, amount="1", start=datetime(2026, 1, 15, 12, tzinfo=UTC))
    [feb] = await add_flows(
        sessionmaker, player, 1, amount="20", start=datetime(2026, 2, 10, 23, 30, tzinfo=UTC)
    )
    await add_flows(sessionmaker, player, 1, amount="300", start=datetime(2026, 3, 5, 12, tzinfo=UTC))
    page = await client.get("/deposits", params={"from": "2026-02-01", "to": "2026-02-28"})
    assert page.status_code == 200
    assert ROW_RE.findall(page.text) == [str(feb)]
    assert '<p class="figure">$20.00</p>' in page.text and "Deposits in this period" in page.text
    assert 'value="2026-02-01"' in page.text and "Show all" in page.text
    region = await client.get(
        "/deposits",
        params={"to": "2026-02-10"},
        headers={"HX-Request": "true", "HX-Target": "section#flow-list"},
    )
    assert region.text.lstrip().startswith('<section id="flow-list"') and "<html" not in region.text
    assert len(ROW_RE.findall(region.text)) == 2
    assert '<hx-partial hx-target="#flow-totals"' in region.text and "$21.00" in region.text
    assert '<hx-partial hx-target="#flow-filter"' in region.text


async def test_the_date_filter_uses_the_players_time_zone(client, player, sessionmaker, connection):
    await connection.execute(update(User).where(User.email == player).values(timezone="America/New_York"))
    # 02:00 UTC on 11 February is still 10 February in New York.
    [late] = await add_flows(sessionmaker, player, 1, start=datetime(2026, 2, 11, 2, tzinfo=UTC))
    page = await client.get("/deposits", params={"from": "2026-02-10", "to": "2026-02-10"})
    assert ROW_RE.findall(page.text) == [str(late)]


async def test_a_bad_filter_date_is_reported_and_ignored(client, player, sessionmaker):
    await add_flows(sessionmaker, player, 2)
    page = await client.get("/deposits", params={"from": "someday", "to": "2026-01-01"})
    assert page.status_code == 200
    assert "Enter a date like 2026-03-01." in page.text and "No deposits in this period." in page.text
    backwards = await client.get("/deposits", params={"from": "2026-03-02", "to": "2026-03-01"})
    assert "The end date is before the start date." in backwards.text
    assert len(ROW_RE.findall(backwards.text)) == 0


async def test_sixty_deposits_make_two_pages_and_the_total_covers_all_of_them(client, player, sessionmaker):
    ids = await add_flows(sessionmaker, player, 60, amount="10")
    first = await client.get("/deposits")
    assert ROW_RE.findall(first.text) == [str(i) for i in reversed(ids[10:])]
    assert "Page 1 of 2" in first.text and 'href="/deposits?page=2"' in first.text
    assert '<p class="figure">60</p>' in first.text and '<p class="figure">$600.00</p>' in first.text
    second = await client.get("/deposits", params={"page": "2"})
    assert ROW_RE.findall(second.text) == [str(i) for i in reversed(ids[:10])]
    assert "Page 2 of 2" in second.text and '<p class="figure">$600.00</p>' in second.text
    beyond = await client.get("/deposits", params={"page": "9"})
    assert "Page 2 of 2" in beyond.text
    region = await client.get(
        "/deposits?page=2", headers={"HX-Request": "true", "HX-Target": "section#flow-list"}
    )
    assert (
        region.text.lstrip().startswith('<section id="flow-list"') and len(ROW_RE.findall(region.text)) == 10
    )


async def test_the_pager_keeps_the_date_filter(client, player, sessionmaker):
    await add_flows(sessionmaker, player, 55, start=datetime(2026, 2, 1, tzinfo=UTC))
    page = await client.get("/deposits", params={"from": "2026-02-01"})
    assert 'href="/deposits?from=2026-02-01&amp;page=2"' in page.text


async def test_totals_convert_every_currency_into_the_players_own(client, post, sessionmaker):
    email = await sign_up(client, currency="EUR", locale="en_GB")
    await add_flows(sessionmaker, email, 1, amount="100", currency="USD")
    await add_flows(sessionmaker, email, 2, amount="33.33", currency="GBP")
    user = await user_of(sessionmaker, email)
    async with sessionmaker() as session:
        listing = await routes._listing(session, user, "deposit", forms.parse_filter({}, user))
    rates = money.SNAPSHOT_RATES  # a machine that never fetched: every day has the snapshot's rates
    with localcontext(prec=34):  # a conversion is the amount times the rate ratio, to 34 digits
        per_pound = rates["EUR"] / rates["GBP"]
        per_dollar = rates["EUR"] / rates["USD"]
    with localcontext(prec=100):  # and the products and sums are exact
        expected = Decimal("100") * per_dollar + Decimal("66.66") * per_pound
        first_row = Decimal("33.33") * per_pound
    assert listing["total"] == expected and listing["count"] == 3
    assert [(s.currency, s.amount, s.count) for s in listing["subtotals"]] == [
        ("GBP", Decimal("66.66"), 2),
        ("USD", Decimal("100"), 1),
    ]
    assert listing["rows"][0].value == first_row
    html = (await client.get("/deposits")).text
    assert f'<p class="figure">{money.format_money(expected, "EUR", "en_GB")}</p>' in html
    assert "£66.66" in html and "US$100.00" in html and "Each converted at the rate of its own day" in html


async def test_one_currency_shows_no_subtotals(client, player, sessionmaker):
    await add_flows(sessionmaker, player, 2, amount="5")
    html = (await client.get("/deposits")).text
    assert 'class="subtotals"' not in html and '<p class="figure">$10.00</p>' in html


async def test_the_list_runs_the_same_number_of_queries_for_3_or_60_flows(
    client, player, sessionmaker, connection
):
    site = await make_holding(sessionmaker, player, "Stars")
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    async def queries_for_list() -> int:
        statements.clear()
        event.listen(connection.sync_engine, "before_cursor_execute", count)
        try:
            response = await client.get("/deposits")
        finally:
            event.remove(connection.sync_engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(
            [s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
        )

    ids = await add_flows(sessionmaker, player, 3, currency="EUR")
    async with sessionmaker() as session:
        await session.execute(update(Flow).where(Flow.id.in_(ids)).values(holding_id=site))
        await session.commit()
    few = await queries_for_list()
    await add_flows(sessionmaker, player, 57, currency="GBP")
    many = await queries_for_list()
    assert few == many, (few, many)
    assert few <= 5, statements  # user, holdings, rates, subtotals, page


# Bonuses and rakeback: the same list, their own kind


async def test_a_bonus_is_its_own_kind_with_its_own_list(client, player, post, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars", balance="100")
    page = await client.get("/bonuses")
    assert page.status_code == 200 and "<h1>Bonuses</h1>" in page.text
    assert "apart from your poker result" in page.text and 'name="new_balance"' in page.text
    data = flow_data(amount="12.50", holding_id=site, new_balance="112.50", note="rakeback", request_key="b1")
    response = await post.form("/bonuses", data)
    assert response.status_code == 303 and response.headers["location"] == "/bonuses"
    [bonus] = await stored_flows(sessionmaker, player)
    assert (bonus.kind, bonus.amount, bonus.holding_id) == ("bonus", Decimal("12.50"), site)
    listing = (await client.get("/bonuses")).text
    assert "Bonus of $12.50 added. Stars balance is now $112.50." in listing
    assert len(ROW_RE.findall(listing)) == 1
    assert len(ROW_RE.findall((await client.get("/deposits")).text)) == 0
    again = await post.form("/bonuses", data)
    assert again.status_code == 303 and len(await stored_flows(sessionmaker, player)) == 1


async def test_a_bad_bonus_is_refused_next_to_the_field(client, player, post):
    response = await post.form("/bonuses", flow_data(amount="-1", note="typed"))
    assert response.status_code == 422
    assert '<p class="error" id="new-amount-error">The amount can&#39;t be negative.' in response.text
    assert 'value="typed"' in response.text
