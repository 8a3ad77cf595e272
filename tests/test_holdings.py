"""Sites and assets: the lists, adding, balance updates, ordering, the item page and its history."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from app.models import BalanceEntry, Goal, Holding, User
from tests.conftest import sign_up

ROW_RE = re.compile(r'<tr id="holding-(\d+)"')


async def add(post, name="PokerStars", *, kind="site", currency="USD", balance="100", **extra) -> int:
    """Add a site or asset through the form; returns its id."""
    path = "/sites" if kind == "site" else "/assets"
    data = {"name": name, "currency": currency, "balance": balance, **extra}
    if kind == "asset":
        data.setdefault("category", "bank")
    response = await post.form(path, data)
    assert response.status_code == 303, response.text
    page = await post.client.get(path)
    ids = {int(i): None for i in ROW_RE.findall(page.text)}
    async with post.sessionmaker() as session:
        query = select(Holding.id).where(Holding.id.in_(ids), Holding.name == name)
        return (await session.execute(query)).scalar_one()


async def entries(sessionmaker, holding_id) -> list[BalanceEntry]:
    async with sessionmaker() as session:
        query = (
            select(BalanceEntry)
            .where(BalanceEntry.holding_id == holding_id)
            .order_by(BalanceEntry.recorded_at, BalanceEntry.id)
        )
        return list((await session.execute(query)).scalars())


async def holding(sessionmaker, holding_id) -> Holding:
    async with sessionmaker() as session:
        return await session.get(Holding, holding_id)


async def add_entries(sessionmaker, holding_id, count, start, currency="USD"):
    """`count` daily entries from `start` (balances 1, 2, 3 ...)."""
    async with sessionmaker() as session:
        session.add_all(
            BalanceEntry(
                holding_id=holding_id,
                recorded_at=start + timedelta(days=n),
                balance=Decimal(n + 1),
                currency=currency,
            )
            for n in range(count)
        )
        await session.commit()


def row_order(html: str) -> list[int]:
    return [int(i) for i in ROW_RE.findall(html)]


@pytest.fixture
def post(post, sessionmaker):  # type: ignore[no-redef]
    """The conftest poster, with the sessionmaker at hand for the helpers."""
    post.sessionmaker = sessionmaker
    return post


@pytest.fixture
def other_post(other_post, sessionmaker):  # type: ignore[no-redef]
    other_post.sessionmaker = sessionmaker
    return other_post


# ---- lists ----------------------------------------------------------------------------------------


async def test_an_empty_sites_page_invites_adding_the_first_site(client, player):
    page = await client.get("/sites")
    assert page.status_code == 200
    assert "No sites yet." in page.text and "Add your first site" in page.text
    assert '<form id="new-holding"' in page.text
    assert "vendor/sortablejs-1.15.7.min.js" in page.text


async def test_the_sortable_script_loads_only_on_the_list_pages(client, player, post):
    site = await add(post)
    assert "sortablejs" in (await client.get("/assets")).text
    assert "sortablejs" not in (await client.get(f"/holdings/{site}")).text
    assert "sortablejs" not in (await client.get("/settings")).text


async def test_the_list_shows_balance_value_previous_changes_and_a_totals_row(client, player, post):
    stars = await add(post, "PokerStars", balance="100")
    await add(post, "Winamax", currency="EUR", balance="50")
    await post.form(f"/holdings/{stars}/balance", {"balance": "130.50"})
    page = await client.get("/sites")
    row = page.text.split(f'<tr id="holding-{stars}"')[1].split("</tr>")[0]
    assert "$130.50" in row and "$100.00" in row  # balance/value, previous
    assert '<td class="num gain" data-label="Recent change">+$30.50</td>' in row
    assert "+$30.50" in row.split("Since first entry")[1]
    tfoot = page.text.split('<tfoot id="holdings-totals">')[1].split("</tfoot>")[0]
    assert "Total" in tfoot and "+$30.50" in tfoot
    assert "€50.00" in page.text  # the Winamax balance in its own currency


async def test_losses_are_shown_red_with_their_sign(client, player, post):
    stars = await add(post, "PokerStars", balance="100")
    await post.form(f"/holdings/{stars}/balance", {"balance": "60"})
    page = await client.get("/sites")
    assert '<td class="num loss" data-label="Recent change">-$40.00</td>' in page.text


async def test_a_list_region_can_be_fetched_alone_by_htmx(client, player, post):
    await add(post)
    response = await client.get(
        "/sites", headers={"HX-Request": "true", "HX-Target": "section#holdings-table"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="holdings-table"') and "<html" not in response.text
    assert "HX-Request" in response.headers["Vary"]


async def test_the_sites_page_runs_a_fixed_number_of_queries(client, player, post, connection, sessionmaker):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    async def queries_for_page() -> int:
        statements.clear()
        event.listen(connection.sync_engine, "before_cursor_execute", count)
        try:
            assert (await client.get("/sites")).status_code == 200
        finally:
            event.remove(connection.sync_engine, "before_cursor_execute", count)
        return len(statements)

    first = await add(post, "Site 0")
    await add(post, "Site 1")
    await add_entries(sessionmaker, first, 30, datetime(2026, 1, 1, tzinfo=UTC))
    with_two = await queries_for_page()
    for n in range(2, 10):
        site = await add(post, f"Site {n}")
        await add_entries(sessionmaker, site, 5, datetime(2026, 1, 1, tzinfo=UTC))
    with_ten = await queries_for_page()
    assert with_two == with_ten
    assert with_ten <= 8


# ---- adding ---------------------------------------------------------------------------------------


async def test_adding_a_site_records_its_starting_balance_as_the_first_entry(
    client, player, post, sessionmaker
):
    response = await post.form(
        "/sites", {"name": "  Poker   Stars ", "currency": "EUR", "balance": "1.234,50"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/sites"
    page = await client.get("/sites")
    assert "Added Poker Stars." in page.text
    site_id = row_order(page.text)[0]
    site = await holding(sessionmaker, site_id)
    assert (site.name, site.name_key, site.currency, site.kind, site.category) == (
        "Poker Stars",
        "poker stars",
        "EUR",
        "site",
        None,
    )
    [entry] = await entries(sessionmaker, site_id)
    assert entry.balance == Decimal("1234.50") and entry.currency == "EUR"


async def test_a_starting_balance_of_zero_is_fine(client, player, post, sessionmaker):
    site = await add(post, "Empty room", balance="0")
    [entry] = await entries(sessionmaker, site)
    assert entry.balance == 0


async def test_the_currency_defaults_to_the_players_own(client):
    await sign_up(client, currency="EUR")
    page = await client.get("/sites")
    assert '<option value="EUR" selected>' in page.text


async def test_adding_an_asset_over_htmx_returns_a_fresh_form_and_the_new_table(
    client, player, post, sessionmaker
):
    form = await client.get("/assets")
    key = re.search(r'name="request_key" value="([^"]+)"', form.text.split('id="new-holding"')[1]).group(1)
    response = await post.htmx(
        "/assets",
        {"name": "Skrill", "currency": "USD", "category": "ewallet", "balance": "20", "request_key": key},
        target="form#new-holding",
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="new-holding"')
    assert key not in response.text  # a fresh request key for the next one
    assert re.search(
        r'<hx-partial hx-target="#holdings-table" hx-swap="outerHTML">\s*<section id="holdings-table"',
        response.text,
    )
    assert "Skrill" in response.text and "E-wallet" in response.text
    assert '<hx-partial hx-target="#flash"' in response.text and "Added Skrill." in response.text
    asset_id = row_order(response.text)[0]
    assert (await holding(sessionmaker, asset_id)).category == "ewallet"


async def test_new_items_go_to_the_end_of_the_list(client, player, post):
    first = await add(post, "A")
    second = await add(post, "B")
    await post.form("/sites/order", {"order": [second, first]})
    third = await add(post, "C")
    assert row_order((await client.get("/sites")).text) == [second, first, third]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Enter a name."),
        ({"name": "x" * 101}, "name", "Use at most 100 characters"),
        ({"name": "pokerSTARS"}, "name", "You already have a site called pokerSTARS."),
        ({"currency": "XXX"}, "currency", "Choose a currency from the list."),
        ({"balance": ""}, "balance", "Enter an amount."),
        ({"balance": "-5"}, "balance", "can&#39;t be negative"),
        ({"balance": "lots"}, "balance", "Enter a number"),
        ({"balance": "99999999999999"}, "balance", "That amount is too large."),
        ({"balance": "1.234"}, "balance", "USD amounts have at most 2 decimals."),
    ],
)
async def test_adding_refuses_bad_input_next_to_the_field(client, player, post, data, field, message):
    await add(post, "PokerStars")
    values = {"name": "Winamax", "currency": "USD", "balance": "10", **data}
    for response in (
        await post.form("/sites", values),
        await post.htmx("/sites", values, "form#new-holding"),
    ):
        assert response.status_code == 422
        assert message in response.text
        assert f'id="new-{field}-error"' in response.text and 'aria-invalid="true"' in response.text
    assert response.text.lstrip().startswith('<form id="new-holding"')
    if field != "name":
        assert 'value="Winamax"' in response.text  # what was typed is kept


async def test_an_asset_needs_a_known_category(client, player, post):
    response = await post.form(
        "/assets", {"name": "Box", "currency": "USD", "balance": "1", "category": "gold"}
    )
    assert response.status_code == 422 and "Choose a category from the list." in response.text


async def test_a_site_and_an_asset_may_share_a_name(client, player, post):
    await add(post, "Bitcoin")
    await add(post, "Bitcoin", kind="asset", category="crypto", currency="BTC", balance="0.5")


async def test_a_double_submitted_add_form_adds_one_site_with_one_entry(client, player, post, sessionmaker):
    data = {"name": "GGPoker", "currency": "USD", "balance": "10", "request_key": "k" * 32}
    first = await post.form("/sites", data)
    second = await post.form("/sites", data)
    assert first.status_code == second.status_code == 303
    page = await client.get("/sites")
    [site] = row_order(page.text)
    assert len(await entries(sessionmaker, site)) == 1


# ---- balance updates ------------------------------------------------------------------------------


async def test_a_balance_update_records_an_entry_and_returns_to_the_list(client, player, post, sessionmaker):
    site = await add(post)
    response = await post.form(f"/holdings/{site}/balance", {"balance": "250", "note": "Sunday session"})
    assert response.status_code == 303 and response.headers["location"] == "/sites"
    assert "Saved the balance of PokerStars." in (await client.get("/sites")).text
    latest = (await entries(sessionmaker, site))[-1]
    assert latest.balance == Decimal("250") and latest.note == "Sunday session" and latest.currency == "USD"
    assert abs(latest.recorded_at - datetime.now(UTC)) < timedelta(minutes=1)


async def test_an_inline_balance_update_returns_the_row_and_the_totals(client, player, post):
    site = await add(post, balance="100")
    await add(post, "Winamax", balance="50")
    response = await post.htmx(f"/holdings/{site}/balance", {"balance": "175"}, target=f"tr#holding-{site}")
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="holding-{site}"')
    assert "$175.00" in response.text and "+$75.00" in response.text
    partial = response.text.split('<hx-partial hx-target="#holdings-totals" hx-swap="outerHTML">')[1]
    assert partial.lstrip().startswith('<tfoot id="holdings-totals">')
    assert "$225.00" in partial.split("</tfoot>")[0]
    assert "Saved the balance of PokerStars." in response.text


async def test_a_zero_balance_and_tomorrow_are_accepted(client, player, post, sessionmaker):
    site = await add(post)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = await post.form(f"/holdings/{site}/balance", {"balance": "0", "recorded_at": tomorrow})
    assert response.status_code == 303
    assert (await entries(sessionmaker, site))[-1].balance == 0


async def test_the_date_is_read_in_the_players_time_zone(client, player, post, sessionmaker):
    await post.form("/settings", {"display_currency": "USD", "locale": "en_US", "timezone": "Asia/Tokyo"})
    site = await add(post)
    await post.form(f"/holdings/{site}/balance", {"balance": "5", "recorded_at": "2026-03-01T09:00"})
    moments = [e.recorded_at for e in await entries(sessionmaker, site)]
    assert datetime(2026, 3, 1, 0, 0, tzinfo=UTC) in moments


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"balance": ""}, "balance", "Enter an amount."),
        ({"balance": "-1"}, "balance", "can&#39;t be negative"),
        ({"balance": "12abc"}, "balance", "Enter a number"),
        ({"balance": "1e9999"}, "balance", "Enter a number"),
        ({"balance": "20000000000"}, "balance", "That amount is too large."),
        ({"balance": "0.001"}, "balance", "USD amounts have at most 2 decimals."),
        ({"recorded_at": "soon"}, "recorded_at", "Enter a date and time"),
        (
            {"recorded_at": (date.today() + timedelta(days=3)).isoformat() + "T10:00"},
            "recorded_at",
            "can&#39;t be later than tomorrow",
        ),
        ({"note": "n" * 501}, "note", "Use at most 500 characters"),
    ],
)
async def test_an_inline_update_refuses_bad_input_in_the_row(
    client, player, post, sessionmaker, data, field, message
):
    site = await add(post)
    values = {"balance": "10", "note": "kept", **data}
    response = await post.htmx(f"/holdings/{site}/balance", values, target=f"tr#holding-{site}")
    assert response.status_code == 422
    assert (
        response.text.lstrip().startswith(f'<tr id="holding-{site}"')
        and '<details class="update-balance" open>' in response.text
    )
    assert message in response.text and f'id="b{site}-{field}-error"' in response.text
    if field != "note":
        assert 'value="kept"' in response.text
    assert "hx-partial" not in response.text.split("</tr>")[0]
    plain = await post.form(f"/holdings/{site}/balance", values)
    assert plain.status_code == 422 and message in plain.text and "<html" in plain.text
    assert len(await entries(sessionmaker, site)) == 1


async def test_a_double_submitted_balance_update_records_one_entry(client, player, post, sessionmaker):
    site = await add(post)
    data = {"balance": "300", "request_key": "r" * 32}
    await post.form(f"/holdings/{site}/balance", data)
    again = await post.htmx(f"/holdings/{site}/balance", data, target=f"tr#holding-{site}")
    assert again.status_code == 200
    assert [e.balance for e in await entries(sessionmaker, site)] == [Decimal(100), Decimal(300)]


async def test_a_balance_recorded_on_the_item_page_returns_there(client, player, post):
    site = await add(post)
    response = await post.form(f"/holdings/{site}/balance", {"balance": "7", "back": "holding"})
    assert response.status_code == 303 and response.headers["location"] == f"/holdings/{site}"
    bad = await post.form(f"/holdings/{site}/balance", {"balance": "-7", "back": "holding"})
    assert bad.status_code == 422 and 'id="rec-balance-error"' in bad.text


async def test_an_inline_form_on_another_page_gets_that_page_back_or_its_error(client, player, post):
    site = await add(post)
    headers = {
        "HX-Request": "true",
        "HX-Target": "section#dashboard-figures",
        "HX-Current-URL": "http://testserver/dashboard?range=30d",
        "X-CSRF-Token": await post.token(),
    }
    saved = await client.post(f"/holdings/{site}/balance", data={"balance": "9"}, headers=headers)
    assert saved.status_code == 204 and saved.headers["HX-Location"] == "/dashboard?range=30d"
    refused = await client.post(f"/holdings/{site}/balance", data={"balance": "-9"}, headers=headers)
    assert refused.status_code == 422 and refused.headers["HX-Retarget"] == "#flash"
    assert "can&#39;t be negative" in refused.text
    elsewhere = {**headers, "HX-Current-URL": "https://evil.example/phish"}
    saved = await client.post(f"/holdings/{site}/balance", data={"balance": "8"}, headers=elsewhere)
    assert saved.headers["HX-Location"] == "/sites"


# ---- ordering -------------------------------------------------------------------------------------


async def test_a_dragged_order_is_saved_in_one_request_and_kept(client, player, post):
    a, b, c = [await add(post, name) for name in "ABC"]
    response = await post.form("/sites/order", {"order": [c, a, b]})
    assert response.status_code == 303
    assert row_order((await client.get("/sites")).text) == [c, a, b]
    response = await post.htmx("/sites/order", {"order": [b, c, a]}, target="tbody#holdings-body")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<tbody id="holdings-body" data-sortable="holdings-order">')
    assert row_order(response.text) == [b, c, a]
    assert row_order((await client.get("/sites")).text) == [b, c, a]


async def test_an_order_must_name_exactly_the_players_listed_items(
    client, player, post, other_player, other_post
):
    a, b = await add(post, "A"), await add(post, "B")
    foreign = await add(other_post, "Theirs")
    for order in ([a], [a, b, foreign], [a, a, b], [a, "x"]):
        response = await post.htmx("/sites/order", {"order": order}, target="tbody#holdings-body")
        assert response.status_code == 422
        assert "that order wasn&#39;t saved" in response.text
        assert row_order(response.text) == [a, b]
    assert (await post.form("/sites/order", {"order": [b]})).status_code == 422


async def test_move_up_and_down_is_the_keyboard_alternative(client, player, post):
    a, b, c = [await add(post, name) for name in "ABC"]
    response = await post.form(f"/holdings/{c}/move", {"direction": "up"})
    assert response.status_code == 303 and response.headers["location"] == f"/sites#holding-{c}"
    assert row_order((await client.get("/sites")).text) == [a, c, b]
    response = await post.htmx(f"/holdings/{a}/move", {"direction": "down"}, target="tbody#holdings-body")
    assert response.status_code == 200 and response.text.lstrip().startswith('<tbody id="holdings-body"')
    assert row_order(response.text) == [c, a, b]
    assert f'id="move-down-{a}"' in response.text  # focus can return to the same button
    top = await post.htmx(f"/holdings/{c}/move", {"direction": "up"}, target="tbody#holdings-body")
    assert row_order(top.text) == [c, a, b]
    bad = await post.htmx(f"/holdings/{c}/move", {"direction": "sideways"}, target="tbody#holdings-body")
    assert bad.status_code == 422


# ---- archive, delete, undo ------------------------------------------------------------------------


async def test_archived_items_move_to_a_collapsed_section_and_come_back(client, player, post):
    a, b = await add(post, "A", balance="10"), await add(post, "B", balance="20")
    response = await post.form(f"/holdings/{a}/archive", {"back": "holding"})
    assert response.status_code == 303 and response.headers["location"] == f"/holdings/{a}"
    page = await client.get("/sites")
    assert row_order(page.text) == [b]
    archived = page.text.split('<details class="archived">')[1].split("</details>")[0]
    assert "Archived sites (1)" in archived and f'id="archived-{a}"' in archived and "$10.00" in archived
    assert "incl. archived" in page.text and "$30.00" in page.text.split('<tfoot id="holdings-totals">')[1]
    response = await post.htmx(f"/holdings/{a}/unarchive", {"back": "list"}, target="section#holdings-table")
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="holdings-table"')
    assert row_order(response.text) == [b, a]  # back at the end
    response = await post.htmx(f"/holdings/{a}/archive", {"back": "holding"}, target="section#holding-panel")
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="holding-panel"')
    assert "Archived</span>" in response.text and "Unarchive" in response.text
    response = await post.form(f"/holdings/{a}/unarchive", {"back": "list"})
    assert response.status_code == 303 and response.headers["location"] == "/sites"


async def test_deleting_asks_first_and_can_be_undone(client, player, post, sessionmaker):
    site = await add(post)
    await post.form(f"/holdings/{site}/balance", {"balance": "5"})
    confirm = await client.get(f"/holdings/{site}/delete")
    assert confirm.status_code == 200
    assert "Delete PokerStars and its 2 balance entries?" in confirm.text
    response = await post.form(f"/holdings/{site}/delete")
    assert response.status_code == 303 and response.headers["location"] == "/sites"
    page = await client.get("/sites")
    assert row_order(page.text) == [] and "Deleted PokerStars." in page.text
    assert f'action="/holdings/{site}/restore"' in page.text and ">Undo</button>" in page.text
    assert (await holding(sessionmaker, site)).deleted_at is not None
    assert (await client.get(f"/holdings/{site}")).status_code == 404
    response = await post.form(f"/holdings/{site}/restore")
    assert response.status_code == 303
    page = await client.get("/sites")
    assert row_order(page.text) == [site] and "PokerStars is back." in page.text
    assert len(await entries(sessionmaker, site)) == 2


async def test_deleting_a_row_over_htmx_removes_it_and_updates_the_totals(client, player, post):
    a, b = await add(post, "A", balance="10"), await add(post, "B", balance="20")
    response = await post.htmx(f"/holdings/{a}/delete", target=f"tr#holding-{a}")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<hx-partial hx-target="#holdings-totals"')
    assert "$20.00" in response.text.split("</tfoot>")[0]
    assert "Deleted A." in response.text and f'hx-post="/holdings/{a}/restore"' in response.text
    last = await post.htmx(f"/holdings/{b}/delete", target=f"tr#holding-{b}")
    assert '<hx-partial hx-target="#holdings-table"' in last.text and "No sites yet." in last.text
    undo = await post.htmx(f"/holdings/{b}/restore", target="div#flash")
    assert undo.status_code == 204 and undo.headers["HX-Location"] == "/sites"
    assert row_order((await client.get("/sites")).text) == [b]


async def test_deleting_from_the_item_page_over_htmx_goes_to_the_list(client, player, post):
    site = await add(post)
    response = await post.htmx(f"/holdings/{site}/delete", target=f"a#delete-{site}")
    assert response.status_code == 204 and response.headers["HX-Location"] == "/sites"


async def test_undo_is_refused_while_another_item_has_the_name(client, player, post):
    old = await add(post, "PokerStars")
    await post.form(f"/holdings/{old}/delete")
    await add(post, "pokerstars")
    response = await post.htmx(f"/holdings/{old}/restore", target="div#flash")
    assert response.status_code == 409
    assert response.text.lstrip().startswith('<div id="flash"')
    assert "You already have a site called PokerStars." in response.text
    assert f'hx-post="/holdings/{old}/restore"' in response.text  # still undoable after a rename
    plain = await post.form(f"/holdings/{old}/restore")
    assert plain.status_code == 303
    assert len(row_order((await client.get("/sites")).text)) == 1


# ---- the item page --------------------------------------------------------------------------------


async def test_the_item_page_shows_the_balance_and_the_history(client, player, post):
    site = await add(post, balance="100")
    await post.form(f"/holdings/{site}/balance", {"balance": "80", "note": "bad beat"})
    page = await client.get(f"/holdings/{site}")
    assert page.status_code == 200
    assert "<h1>" in page.text and "PokerStars" in page.text
    figures = page.text.split('id="holding-figures"')[1].split("<details")[0]
    assert "$80.00" in figures and "-$20.00" in figures
    history = page.text.split('<section id="history"')[1]
    assert history.index("$80.00") < history.index("$100.00")  # newest first
    assert "bad beat" in history and "2 entries" in history


async def test_renaming_and_changing_the_category(client, player, post, sessionmaker):
    asset = await add(post, "Bank", kind="asset")
    response = await post.form(
        f"/holdings/{asset}/edit", {"name": "Savings", "currency": "USD", "category": "cash"}
    )
    assert response.status_code == 303 and response.headers["location"] == f"/holdings/{asset}"
    saved = await holding(sessionmaker, asset)
    assert (saved.name, saved.name_key, saved.category) == ("Savings", "savings", "cash")
    response = await post.htmx(
        f"/holdings/{asset}/edit",
        {"name": "Vault", "currency": "USD", "category": "cash"},
        target="section#holding-panel",
    )
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="holding-panel"')
    assert "Vault" in response.text and "Saved Vault." in response.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Enter a name."),
        ({"name": "y" * 101}, "name", "Use at most 100 characters"),
        ({"name": "WINAMAX"}, "name", "You already have a site called WINAMAX."),
        ({"currency": "ABC"}, "currency", "Choose a currency from the list."),
    ],
)
async def test_editing_refuses_bad_input_next_to_the_field(
    client, player, post, sessionmaker, data, field, message
):
    site = await add(post)
    await add(post, "Winamax")
    values = {"name": "Renamed", "currency": "USD", **data}
    response = await post.htmx(f"/holdings/{site}/edit", values, target="section#holding-panel")
    assert response.status_code == 422 and response.text.lstrip().startswith('<section id="holding-panel"')
    assert message in response.text and f'id="edit-{field}-error"' in response.text
    plain = await post.form(f"/holdings/{site}/edit", values)
    assert plain.status_code == 422 and message in plain.text and "<html" in plain.text
    assert (await holding(sessionmaker, site)).name == "PokerStars"


async def test_renaming_to_the_same_name_in_another_case_is_fine(client, player, post, sessionmaker):
    site = await add(post)
    response = await post.form(f"/holdings/{site}/edit", {"name": "POKERSTARS", "currency": "USD"})
    assert response.status_code == 303
    assert (await holding(sessionmaker, site)).name == "POKERSTARS"


async def test_a_currency_change_affects_only_future_entries(client, player, post, sessionmaker):
    site = await add(post, balance="100")
    await post.form(f"/holdings/{site}/edit", {"name": "PokerStars", "currency": "EUR"})
    await post.form(f"/holdings/{site}/balance", {"balance": "90"})
    history = await entries(sessionmaker, site)
    assert [(e.balance, e.currency) for e in history] == [(Decimal(100), "USD"), (Decimal(90), "EUR")]
    page = await client.get(f"/holdings/{site}")
    assert "$100.00" in page.text and "€90.00" in page.text


async def test_history_is_paged_fifty_at_a_time(client, player, post, sessionmaker):
    site = await add(post)
    await add_entries(sessionmaker, site, 120, datetime(2025, 1, 1, 12, tzinfo=UTC))
    first = await client.get(f"/holdings/{site}")
    assert first.text.count('<tr id="entry-') == 50
    assert "Page 1 of 3" in first.text and f'href="/holdings/{site}?page=2"' in first.text
    last = await client.get(
        f"/holdings/{site}?page=3", headers={"HX-Request": "true", "HX-Target": "section#history"}
    )
    assert last.text.lstrip().startswith('<section id="history"') and "<html" not in last.text
    assert last.text.count('<tr id="entry-') == 21  # 120 + the starting balance
    assert "Page 3 of 3" in last.text and "?page=2" in last.text
    beyond = await client.get(f"/holdings/{site}?page=99")
    assert "Page 3 of 3" in beyond.text


async def test_history_can_be_limited_to_a_date_range(client, player, post, sessionmaker):
    site = await add(post)
    await add_entries(sessionmaker, site, 10, datetime(2025, 1, 1, 12, tzinfo=UTC))
    page = await client.get(f"/holdings/{site}?from=2025-01-03&to=2025-01-05")
    assert page.text.count('<tr id="entry-') == 3
    assert "3 entries in these dates (of 11)" in page.text
    assert 'value="2025-01-03"' in page.text
    fragment = await client.get(
        f"/holdings/{site}?from=2025-01-09", headers={"HX-Request": "true", "HX-Target": "section#history"}
    )
    assert (
        fragment.text.lstrip().startswith('<section id="history"')
        and fragment.text.count('<tr id="entry-') == 3
    )
    bad = await client.get(f"/holdings/{site}?from=someday&to=2025-01-02")
    assert bad.status_code == 200 and "Enter a date like 2026-03-01." in bad.text
    backwards = await client.get(f"/holdings/{site}?from=2025-01-05&to=2025-01-02")
    assert "The end date must not be before the start date." in backwards.text
    assert backwards.text.count('<tr id="entry-') == 11


async def test_the_item_page_runs_a_fixed_number_of_queries(client, player, post, connection, sessionmaker):
    site = await add(post)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    async def queries_for_page() -> int:
        statements.clear()
        event.listen(connection.sync_engine, "before_cursor_execute", count)
        try:
            assert (await client.get(f"/holdings/{site}")).status_code == 200
        finally:
            event.remove(connection.sync_engine, "before_cursor_execute", count)
        return len(statements)

    few = await queries_for_page()
    await add_entries(sessionmaker, site, 80, datetime(2025, 1, 1, tzinfo=UTC))
    assert await queries_for_page() == few


# ---- entries --------------------------------------------------------------------------------------


async def test_an_entry_can_be_edited_in_place(client, player, post, sessionmaker):
    site = await add(post, balance="100")
    await post.form(f"/holdings/{site}/balance", {"balance": "50"})
    entry = (await entries(sessionmaker, site))[0]
    data = {"balance": "120", "recorded_at": "2025-06-01T08:30", "note": "fixed typo", "page": "1"}
    response = await post.htmx(f"/entries/{entry.id}/edit", data, target="section#history")
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="history"')
    assert "$120.00" in response.text and "fixed typo" in response.text
    assert '<hx-partial hx-target="#holding-figures"' in response.text
    changed = (await entries(sessionmaker, site))[0]
    assert changed.balance == Decimal(120) and changed.recorded_at == datetime(2025, 6, 1, 8, 30, tzinfo=UTC)
    plain = await post.form(f"/entries/{entry.id}/edit", {**data, "balance": "121", "from": "2025-01-01"})
    assert plain.status_code == 303 and plain.headers["location"] == f"/holdings/{site}?from=2025-01-01"


async def test_an_unchanged_time_keeps_the_exact_original_instant(client, player, post, sessionmaker):
    site = await add(post)
    entry = (await entries(sessionmaker, site))[0]
    page = await client.get(f"/holdings/{site}")
    shown = re.search(
        rf'id="e{entry.id}-recorded_at" name="recorded_at" type="datetime-local" value="([^"]+)"', page.text
    ).group(1)
    await post.form(f"/entries/{entry.id}/edit", {"balance": "100", "recorded_at": shown, "note": "n"})
    assert (await entries(sessionmaker, site))[0].recorded_at == entry.recorded_at


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"balance": "-3"}, "balance", "can&#39;t be negative"),
        ({"balance": "abc"}, "balance", "Enter a number"),
        ({"balance": "1.001"}, "balance", "at most 2 decimals"),
        ({"recorded_at": "2999-01-01T00:00"}, "recorded_at", "can&#39;t be later than tomorrow"),
    ],
)
async def test_an_entry_edit_refuses_bad_input_next_to_the_field(
    client, player, post, sessionmaker, data, field, message
):
    site = await add(post)
    entry = (await entries(sessionmaker, site))[0]
    response = await post.htmx(
        f"/entries/{entry.id}/edit", {"balance": "5", **data}, target="section#history"
    )
    assert response.status_code == 422 and response.text.lstrip().startswith('<section id="history"')
    assert message in response.text and f'id="e{entry.id}-{field}-error"' in response.text
    assert '<details class="edit-entry" open>' in response.text
    plain = await post.form(f"/entries/{entry.id}/edit", {"balance": "5", **data})
    assert plain.status_code == 422 and message in plain.text
    assert (await entries(sessionmaker, site))[0].balance == Decimal(100)


async def test_an_entry_is_deleted_after_a_confirmation(client, player, post, sessionmaker):
    site = await add(post, balance="100")
    await post.form(f"/holdings/{site}/balance", {"balance": "50"})
    await post.form(f"/holdings/{site}/balance", {"balance": "70"})
    first, second, third = await entries(sessionmaker, site)
    confirm = await client.get(f"/entries/{first.id}/delete?page=1")
    assert confirm.status_code == 200 and "Delete this balance entry of PokerStars?" in confirm.text
    response = await post.form(f"/entries/{first.id}/delete")
    assert response.status_code == 303 and response.headers["location"] == f"/holdings/{site}"
    response = await post.htmx(f"/entries/{second.id}/delete", target="section#history")
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="history"')
    assert (
        response.text.count('<tr id="entry-') == 1
        and '<hx-partial hx-target="#holding-figures"' in response.text
    )
    assert [e.id for e in await entries(sessionmaker, site)] == [third.id]


async def test_the_last_entry_cannot_be_deleted(client, player, post, sessionmaker):
    site = await add(post)
    [only] = await entries(sessionmaker, site)
    confirm = await client.get(f"/entries/{only.id}/delete")
    assert "delete the site instead" in confirm.text and f'href="/holdings/{site}/delete"' in confirm.text
    page = await client.get(f"/holdings/{site}")
    assert "The only entry" in page.text and f'hx-post="/entries/{only.id}/delete"' not in page.text
    for response in (
        await post.form(f"/entries/{only.id}/delete"),
        await post.htmx(f"/entries/{only.id}/delete", target="section#history"),
    ):
        assert response.status_code == 422
        assert "That is the only entry of PokerStars: delete the site instead." in response.text
    assert len(await entries(sessionmaker, site)) == 1


# ---- another player's ids -------------------------------------------------------------------------


async def test_another_players_sites_and_entries_are_not_found_on_every_route(
    client, player, post, other_client, other_player, other_post, sessionmaker
):
    site = await add(post)
    [entry] = await entries(sessionmaker, site)
    gets = [f"/holdings/{site}", f"/holdings/{site}/delete", f"/entries/{entry.id}/delete"]
    posts = [
        (f"/holdings/{site}/balance", {"balance": "1"}),
        (f"/holdings/{site}/edit", {"name": "Mine", "currency": "USD"}),
        (f"/holdings/{site}/move", {"direction": "up"}),
        (f"/holdings/{site}/archive", {}),
        (f"/holdings/{site}/unarchive", {}),
        (f"/holdings/{site}/delete", {}),
        (f"/holdings/{site}/restore", {}),
        (f"/entries/{entry.id}/edit", {"balance": "1"}),
        (f"/entries/{entry.id}/delete", {}),
    ]
    for path in gets:
        assert (await other_client.get(path)).status_code == 404, path
        htmx = await other_client.get(path, headers={"HX-Request": "true", "HX-Target": "section#history"})
        assert htmx.status_code == 404 and htmx.headers["HX-Retarget"] == "#flash", path
    for path, data in posts:
        assert (await other_post.form(path, data)).status_code == 404, path
        assert (await other_post.htmx(path, data, target=f"tr#holding-{site}")).status_code == 404, path
    assert row_order((await other_client.get("/sites")).text) == []
    after = await entries(sessionmaker, site)
    assert len(after) == 1 and after[0].balance == Decimal(100)
    assert (await holding(sessionmaker, site)).name == "PokerStars"


async def test_a_deleted_sites_pages_are_not_found(client, player, post, sessionmaker):
    site = await add(post)
    [entry] = await entries(sessionmaker, site)
    await post.form(f"/holdings/{site}/delete")
    assert (await client.get(f"/entries/{entry.id}/delete")).status_code == 404
    assert (await post.form(f"/holdings/{site}/balance", {"balance": "1"})).status_code == 404


async def test_the_list_pages_need_a_login(client):
    response = await client.get("/sites")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_the_list_fetches_a_rows_balance_form_only_when_asked(client, player, post, other_client):
    site = await add(post)
    page = await client.get("/sites")
    assert 'name="balance"' not in page.text.split('<tbody id="holdings-body"')[1].split("</tbody>")[0]
    assert f'href="/holdings/{site}#record-title"' in page.text  # without JavaScript: the item's form
    opened = await client.get(
        f"/holdings/{site}/balance", headers={"HX-Request": "true", "HX-Target": f"tr#holding-{site}"}
    )
    assert opened.status_code == 200 and opened.text.lstrip().startswith(f'<tr id="holding-{site}"')
    assert '<details class="update-balance" open>' in opened.text and "autofocus" in opened.text
    assert 'name="request_key" value="' in opened.text and 'name="csrf_token"' in opened.text
    plain = await client.get(f"/holdings/{site}/balance")
    assert plain.status_code == 303 and plain.headers["location"] == f"/holdings/{site}#record-title"
    await sign_up(other_client)
    assert (await other_client.get(f"/holdings/{site}/balance")).status_code == 404


async def test_the_sites_page_shows_the_bankroll_strategy_and_an_update_refreshes_it(client, player, post):
    site = await add(post, balance="1000")
    page = await client.get("/sites")
    panel = page.text.split('<section id="strategy-panel"')[1].split("</section>")[0]
    assert "Bankroll strategy" in panel and "$1,000.00" in panel
    assert 'id="strategy-panel"' not in (await client.get("/assets")).text
    response = await post.htmx(f"/holdings/{site}/balance", {"balance": "5000"}, target=f"tr#holding-{site}")
    assert response.status_code == 200
    assert '<hx-partial hx-target="#strategy-panel"' in response.text and "$5,000.00" in response.text


async def test_an_inline_balance_update_that_reaches_a_goal_celebrates_it_in_place(
    client, player, post, sessionmaker
):
    site = await add(post, balance="100")
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == player))).scalar_one()
        today = datetime.now(UTC).date()
        session.add(
            Goal(
                user_id=user.id,
                name="First grand",
                kind="bankroll",
                target=Decimal(1000),
                currency="USD",
                start_date=today,
                target_date=today + timedelta(days=30),
            )
        )
        await session.commit()
    below = await post.htmx(f"/holdings/{site}/balance", {"balance": "999"}, target=f"tr#holding-{site}")
    assert "Goal reached" not in below.text
    reached = await post.htmx(f"/holdings/{site}/balance", {"balance": "1000"}, target=f"tr#holding-{site}")
    assert reached.status_code == 200 and "Goal reached: First grand!" in reached.text
    again = await post.htmx(f"/holdings/{site}/balance", {"balance": "1200"}, target=f"tr#holding-{site}")
    assert "Goal reached" not in again.text  # celebrated once
