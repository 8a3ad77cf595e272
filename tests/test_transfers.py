"""Transfers between the player's own holdings over HTTP: both balances in one step, profit moves only
by the fee, validation, double submits, delete with undo, other players' ids; and the dashboard's
split of the profit (poker result, assets and exchange rates, bonuses, transfer fees)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.bankroll import daily, services
from app.models import BalanceEntry, Flow, Holding, Transfer, User
from app.transfers import forms as transfer_forms
from tests.conftest import sign_up

YESTERDAY = datetime.now(UTC) - timedelta(days=1)


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def holding(sessionmaker, user: User, name: str, kind: str, currency: str, balance: str) -> int:
    async with sessionmaker() as session:
        item = Holding(user_id=user.id, kind=kind, name=name, name_key=name.casefold(), currency=currency)
        session.add(item)
        await session.flush()
        at = YESTERDAY - timedelta(days=1)
        session.add(
            BalanceEntry(holding_id=item.id, recorded_at=at, balance=Decimal(balance), currency=currency)
        )
        await daily.refresh(session, user)
        await session.commit()
        return item.id  # type: ignore[return-value]


async def setup(client, sessionmaker, currency: str = "USD") -> tuple[User, dict[str, int]]:
    user = await user_for(sessionmaker, await sign_up(client, currency=currency))
    ids = {
        "stars": await holding(sessionmaker, user, "Stars", "site", "USD", "100"),
        "gg": await holding(sessionmaker, user, "GG", "site", "USD", "20"),
        "skrill": await holding(sessionmaker, user, "Skrill", "asset", "USD", "30"),
        "bank": await holding(sessionmaker, user, "Bank", "asset", "EUR", "500"),
    }
    return user, ids


def data(source: int, target: int, amount: str, **extra: object) -> dict[str, object]:
    return {
        "from_holding_id": source,
        "to_holding_id": target,
        "amount": amount,
        "occurred_at": YESTERDAY.strftime("%Y-%m-%dT%H:%M"),
        "request_key": str(uuid.uuid4()),
        **extra,
    }


async def balances(sessionmaker, *ids: int) -> list[Decimal]:
    """Each holding's latest balance."""
    found = []
    async with sessionmaker() as session:
        for holding_id in ids:
            query = (
                select(BalanceEntry.balance)
                .where(BalanceEntry.holding_id == holding_id)
                .order_by(BalanceEntry.recorded_at.desc(), BalanceEntry.id.desc())
            )
            found.append((await session.execute(query)).scalars().first())
    return found


async def count(sessionmaker, model, **where) -> int:
    async with sessionmaker() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return (await session.execute(query)).scalar_one()


async def transfers(sessionmaker) -> list[Transfer]:
    async with sessionmaker() as session:
        return list((await session.execute(select(Transfer))).scalars())


async def figures(sessionmaker, user: User):  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        summary, parts, _book, _points = await services.overview(session, user)
    return summary, parts


# ---- the page and recording ----------------------------------------------------------------------


async def test_the_transfers_page_needs_a_login_and_offers_the_players_holdings(client, sessionmaker):
    assert (await client.get("/transfers")).status_code == 303
    _user, ids = await setup(client, sessionmaker)
    page = (await client.get("/transfers")).text
    assert '<form id="transfer-form"' in page and "No transfers yet." in page
    assert f'<option value="{ids["skrill"]}">Skrill — asset (USD)</option>' in page
    assert 'name="request_key" value="' in page


async def test_a_transfer_records_both_balances_and_profit_moves_only_by_the_fee(client, post, sessionmaker):
    user, ids = await setup(client, sessionmaker)
    before, parts_before = await figures(sessionmaker, user)
    response = await post.form(
        "/transfers", data(ids["stars"], ids["skrill"], "40", fee="1.50", note="cash out")
    )
    assert response.status_code == 303 and response.headers["location"] == "/transfers"
    assert await balances(sessionmaker, ids["stars"], ids["skrill"]) == [Decimal("60"), Decimal("68.50")]
    [transfer] = await transfers(sessionmaker)
    assert (transfer.amount, transfer.fee, transfer.received) == (
        Decimal(40),
        Decimal("1.5"),
        Decimal("38.5"),
    )
    assert transfer.from_entry_id and transfer.to_entry_id
    after, parts = await figures(sessionmaker, user)
    assert after.profit == before.profit - Decimal("1.50")
    assert (after.deposits, after.withdrawals) == (before.deposits, before.withdrawals)
    assert await count(sessionmaker, Flow, user_id=user.id) == 0  # neither a deposit nor a withdrawal
    assert parts.fees == Decimal("1.5") and parts.poker == parts_before.poker  # the move is no poker loss
    page = (await client.get("/transfers")).text
    assert "Moved $40.00 from Stars to Skrill ($38.50 arrived). Both balances are updated." in page
    assert "Stars → Skrill" in page and "(fee $1.50)" in page and "cash out" in page
    assert '<td class="num" data-label="Lost in USD">$1.50</td>' in page


async def test_an_htmx_transfer_returns_a_fresh_form_and_the_list(client, post, sessionmaker):
    _user, ids = await setup(client, sessionmaker)
    sent = data(ids["gg"], ids["stars"], "20")
    response = await post.htmx("/transfers", sent, target="form#transfer-form")
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<form id="transfer-form"') and "<html" not in html
    assert sent["request_key"] not in html  # a new key for the next one
    assert '<hx-partial hx-target="#transfer-list" hx-swap="outerHTML"><section id="transfer-list"' in html
    assert "GG → Stars" in html and '<hx-partial hx-target="#flash"' in html
    assert await balances(sessionmaker, ids["gg"], ids["stars"]) == [Decimal(0), Decimal(120)]


async def test_a_transfer_between_currencies_uses_the_received_amount_or_that_days_rate(
    client, post, sessionmaker
):
    user, ids = await setup(client, sessionmaker)
    before, _ = await figures(sessionmaker, user)
    await post.form("/transfers", data(ids["bank"], ids["stars"], "100"))  # EUR → USD at 1.1788
    assert await balances(sessionmaker, ids["bank"], ids["stars"]) == [Decimal(400), Decimal("217.88")]
    after, parts = await figures(sessionmaker, user)
    assert after.profit == before.profit and parts.fees == 0  # converted at the rate: nothing lost
    await post.form("/transfers", data(ids["bank"], ids["skrill"], "100", received="110"))
    assert await balances(sessionmaker, ids["skrill"]) == [Decimal(140)]
    final, parts = await figures(sessionmaker, user)
    assert final.profit == after.profit - Decimal("7.88")  # 117.88 worth left, 110 arrived
    assert parts.fees == Decimal("7.88")


async def test_a_bad_transfer_is_a_422_with_the_message_by_the_field_and_nothing_recorded(
    client, post, sessionmaker
):
    _user, ids = await setup(client, sessionmaker)
    future = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    cases = [
        (data(ids["stars"], ids["stars"], "5"), "to_holding_id", "Choose a different site or asset"),
        (data("", ids["stars"], "5"), "from_holding_id", "Choose the site or asset the money left."),
        (data(ids["stars"], "nope", "5"), "to_holding_id", "Choose the site or asset the money went to."),
        (data(ids["stars"], ids["gg"], ""), "amount", "Enter an amount."),
        (data(ids["stars"], ids["gg"], "0"), "amount", "The amount must be more than zero."),
        (data(ids["stars"], ids["gg"], "-5"), "amount", "The amount can&#39;t be negative."),
        (data(ids["stars"], ids["gg"], "1.234"), "amount", "USD amounts have at most 2 decimals."),
        (data(ids["stars"], ids["gg"], "5", fee="5"), "fee", "The fee must be less than the amount sent."),
        (
            data(ids["stars"], ids["gg"], "5", received="6"),
            "received",
            "what arrives is the amount less the fee: $5.00",
        ),
        (data(ids["stars"], ids["gg"], "100.01"), "amount", "Stars had only $100.00 then."),
        (
            data(ids["stars"], ids["gg"], "5", occurred_at=future),
            "occurred_at",
            "more than a day in the future",
        ),
        (
            data(ids["stars"], ids["gg"], "5", note="n" * 501),
            "note",
            "Keep the note to 500 characters or fewer.",
        ),
    ]
    for sent, name, message in cases:
        sent = {**sent, "note": sent.get("note", "typed")}
        plain = await post.form("/transfers", sent)
        assert plain.status_code == 422, sent
        assert "<html" in plain.text
        assert re.search(rf'<p class="error" id="e-{name}">[^<]*{re.escape(message)}', plain.text), (
            name,
            message,
        )
        assert f'value="{sent["amount"]}"' in plain.text
        assert name == "note" or 'value="typed"' in plain.text
        swapped = await post.htmx("/transfers", sent, target="form#transfer-form")
        assert swapped.status_code == 422 and swapped.text.lstrip().startswith('<form id="transfer-form"')
        assert f'id="e-{name}"' in swapped.text
    assert await count(sessionmaker, Transfer) == 0
    assert await balances(sessionmaker, ids["stars"], ids["gg"]) == [Decimal(100), Decimal(20)]


async def test_a_double_submitted_transfer_is_recorded_once(client, post, sessionmaker):
    _user, ids = await setup(client, sessionmaker)
    sent = data(ids["stars"], ids["gg"], "10")
    assert (await post.form("/transfers", sent)).status_code == 303
    again = await post.htmx("/transfers", sent, target="form#transfer-form")
    assert again.status_code == 200 and "That transfer was already recorded." in again.text
    assert await count(sessionmaker, Transfer) == 1
    assert await count(sessionmaker, BalanceEntry, holding_id=ids["gg"]) == 2
    assert await balances(sessionmaker, ids["stars"], ids["gg"]) == [Decimal(90), Decimal(30)]


async def test_another_players_holdings_and_transfers_are_out_of_reach(
    client, post, other_client, other_post, sessionmaker
):
    _user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["gg"], "10"))
    [transfer] = await transfers(sessionmaker)
    _other, theirs = await setup(other_client, sessionmaker)
    refused = await other_post.form("/transfers", data(ids["stars"], theirs["gg"], "10"))
    assert refused.status_code == 422 and "Choose the site or asset the money left." in refused.text
    for path in (f"/transfers/{transfer.id}/delete", f"/transfers/{transfer.id}/restore"):
        assert (await other_post.form(path)).status_code == 404
        htmx = await other_post.htmx(path, target="#transfer-list")
        assert htmx.status_code == 404 and htmx.headers["HX-Retarget"] == "#flash"
    assert await balances(sessionmaker, ids["stars"]) == [Decimal(90)]
    assert await count(sessionmaker, Transfer, deleted_at=None) == 1


async def test_deleting_a_transfer_removes_both_entries_and_undo_brings_them_back(client, post, sessionmaker):
    user, ids = await setup(client, sessionmaker)
    before, _ = await figures(sessionmaker, user)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40", fee="2"))
    [transfer] = await transfers(sessionmaker)
    response = await post.htmx(f"/transfers/{transfer.id}/delete", target="#transfer-list")
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="transfer-list"')
    assert (
        "No transfers yet." in response.text and f'action="/transfers/{transfer.id}/restore"' in response.text
    )
    assert await balances(sessionmaker, ids["stars"], ids["skrill"]) == [Decimal(100), Decimal(30)]
    assert (await figures(sessionmaker, user))[0].profit == before.profit
    assert (await post.form(f"/transfers/{transfer.id}/delete")).status_code == 303  # twice: harmless
    restored = await post.form(f"/transfers/{transfer.id}/restore")
    assert restored.status_code == 303
    assert await balances(sessionmaker, ids["stars"], ids["skrill"]) == [Decimal(60), Decimal(68)]
    assert "The transfer of $40.00 is back." in (await client.get("/transfers")).text


async def test_an_undo_that_no_longer_fits_is_refused_with_a_message(client, post, sessionmaker):
    _user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["gg"], "100"))
    [transfer] = await transfers(sessionmaker)
    await post.form(f"/transfers/{transfer.id}/delete")
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "100"))  # the money went elsewhere
    refused = await post.htmx(f"/transfers/{transfer.id}/restore", target="#transfer-list")
    assert refused.status_code == 409 and "can&#39;t come back: Stars had only $0.00 then." in refused.text
    assert await balances(sessionmaker, ids["gg"]) == [Decimal(20)]


# ---- the dashboard's split of the profit ---------------------------------------------------------


async def test_the_dashboard_keeps_moves_bonuses_and_fees_out_of_the_poker_result(client, post, sessionmaker):
    user, ids = await setup(client, sessionmaker)
    page = (await client.get("/dashboard")).text
    poker = re.search(r'id="poker-profit">([^<]*)<', page).group(1)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "50", fee="1"))
    bonus = {
        "amount": "12",
        "currency": "USD",
        "holding_id": ids["gg"],
        "new_balance": "32",
        "occurred_at": YESTERDAY.strftime("%Y-%m-%dT%H:%M"),
        "request_key": str(uuid.uuid4()),
    }
    assert (await post.form("/bonuses", bonus)).status_code == 303
    page = (await client.get("/dashboard")).text
    assert re.search(r'id="poker-profit">([^<]*)<', page).group(1) == poker
    assert re.search(r'id="bonuses-total">\+\$12\.00<', page)
    assert re.search(r'id="fees-total">-\$1\.00<', page)
    assert re.search(r'id="revaluation-total">([^<]*)<', page)
    summary, parts = await figures(sessionmaker, user)
    assert parts.total == summary.profit


def test_the_forms_now_without_seconds_means_now_so_a_balance_saved_this_minute_counts():
    user = User(email="x@example.com", password_hash="x", timezone="Europe/Berlin")
    source = Holding(id=1, user_id=1, kind="site", name="A", name_key="a", currency="USD")
    target = Holding(id=2, user_id=1, kind="asset", name="B", name_key="b", currency="USD")
    now = datetime(2026, 3, 1, 11, 30, 42, 123456, tzinfo=UTC)
    typed = {"from_holding_id": "1", "to_holding_id": "2", "amount": "5", "occurred_at": "2026-03-01T12:30"}
    _form, values = transfer_forms.parse(typed, user, [source, target], now=now)
    assert values is not None and values.occurred_at == now
    _form, earlier = transfer_forms.parse(
        {**typed, "occurred_at": "2026-03-01T12:29"}, user, [source, target], now=now
    )
    assert earlier is not None and earlier.occurred_at == datetime(2026, 3, 1, 11, 29, tzinfo=UTC)


# ---- editing -------------------------------------------------------------------------------------


def at_local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


async def entries(sessionmaker, holding_id: int) -> list[Decimal]:
    """A holding's balances, oldest first."""
    async with sessionmaker() as session:
        query = (
            select(BalanceEntry.balance)
            .where(BalanceEntry.holding_id == holding_id)
            .order_by(BalanceEntry.recorded_at, BalanceEntry.id)
        )
        return list((await session.execute(query)).scalars())


async def snapshots(sessionmaker, user: User) -> tuple[list[tuple], list[tuple]]:
    """The stored bankroll_days rows, and the rows a full rebuild writes (rolled back)."""
    from app.models import BankrollDay

    query = select(BankrollDay.day, BankrollDay.kind, BankrollDay.currency, BankrollDay.total).order_by(
        BankrollDay.day, BankrollDay.kind, BankrollDay.currency
    )
    async with sessionmaker() as session:
        stored = [tuple(row) for row in (await session.execute(query)).all()]
        await daily.refresh(session, await session.get(User, user.id))
        rebuilt = [tuple(row) for row in (await session.execute(query)).all()]
        await session.rollback()
    return stored, rebuilt


async def test_each_transfer_has_an_edit_link_to_the_form_filled_in_from_it(client, post, sessionmaker):
    _user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40", fee="1.50", note="cash out"))
    [transfer] = await transfers(sessionmaker)
    page = (await client.get("/transfers")).text
    assert f'href="/transfers/{transfer.id}/edit"' in page and 'hx-target="#transfer-form"' in page
    edit = await client.get(f"/transfers/{transfer.id}/edit")
    assert edit.status_code == 200 and "<html" in edit.text and "HX-Request" in edit.headers["Vary"]
    html = edit.text
    assert f'action="/transfers/{transfer.id}/edit"' in html and "Edit the transfer of $40.00" in html
    assert f'<option value="{ids["stars"]}" selected>' in html
    assert f'<option value="{ids["skrill"]}" selected>' in html
    assert 'value="40.00"' in html and 'value="1.50"' in html and 'value="cash out"' in html
    assert 'id="f-received" name="received" type="text" value=""' in html  # one currency: worked out
    assert 'id="transfer-list"' in html  # the list stays beside the form
    fragment = await client.get(
        f"/transfers/{transfer.id}/edit", headers={"HX-Request": "true", "HX-Target": "form#transfer-form"}
    )
    assert fragment.text.lstrip().startswith('<form id="transfer-form"') and "<html" not in fragment.text
    assert f'hx-post="/transfers/{transfer.id}/edit"' in fragment.text
    cancel = await client.get("/transfers", headers={"HX-Request": "true", "HX-Target": "form#transfer-form"})
    assert 'action="/transfers"' in cancel.text and "Record a transfer" in cancel.text


async def test_editing_a_transfer_recomputes_both_entries_and_profit_moves_only_by_the_fee(
    client, post, sessionmaker
):
    user, ids = await setup(client, sessionmaker)
    before, _ = await figures(sessionmaker, user)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40", fee="1.50"))
    [transfer] = await transfers(sessionmaker)
    edited = data(ids["stars"], ids["gg"], "50", fee="2", note="to GG after all")
    response = await post.form(f"/transfers/{transfer.id}/edit", edited)
    assert response.status_code == 303 and response.headers["location"] == "/transfers"
    # Skrill is back where it was; Stars sent 50; GG got 48.
    assert await balances(sessionmaker, ids["stars"], ids["skrill"], ids["gg"]) == [
        Decimal(50),
        Decimal(30),
        Decimal(68),
    ]
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30)]
    assert await entries(sessionmaker, ids["stars"]) == [Decimal(100), Decimal(50)]
    [saved] = await transfers(sessionmaker)
    assert (saved.id, saved.to_holding_id, saved.amount, saved.fee, saved.received, saved.note) == (
        transfer.id,
        ids["gg"],
        Decimal(50),
        Decimal(2),
        Decimal(48),
        "to GG after all",
    )
    assert await count(sessionmaker, Transfer) == 1 and await count(sessionmaker, BalanceEntry) == 6
    after, parts = await figures(sessionmaker, user)
    assert after.profit == before.profit - Decimal(2) and parts.fees == Decimal(2)
    assert (after.deposits, after.withdrawals) == (before.deposits, before.withdrawals)
    assert after.bankroll == before.bankroll - Decimal(2)
    listed = (await client.get("/transfers")).text
    assert "Saved. Moved $50.00 from Stars to GG ($48.00 arrived)." in listed
    assert "Stars → GG" in listed and "Stars → Skrill" not in listed
    page = (await client.get("/dashboard")).text
    assert re.search(r'id="fees-total">-\$2\.00<', page)
    stored, rebuilt = await snapshots(sessionmaker, user)
    assert stored == rebuilt  # bankroll_days kept exact


async def test_an_htmx_edit_returns_a_fresh_form_and_the_list_and_leaves_the_edit_url(
    client, post, sessionmaker
):
    _user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))
    [transfer] = await transfers(sessionmaker)
    response = await post.htmx(
        f"/transfers/{transfer.id}/edit", data(ids["stars"], ids["skrill"], "45"), target="form#transfer-form"
    )
    assert response.status_code == 200 and response.headers["HX-Push-Url"] == "/transfers"
    html = response.text
    assert html.lstrip().startswith('<form id="transfer-form"') and 'action="/transfers"' in html
    assert '<hx-partial hx-target="#transfer-list" hx-swap="outerHTML"><section id="transfer-list"' in html
    assert '<hx-partial hx-target="#flash"' in html and "Saved. Moved $45.00 from Stars to Skrill" in html
    assert await balances(sessionmaker, ids["stars"], ids["skrill"]) == [Decimal(55), Decimal(75)]


async def test_an_edit_between_currencies_works_out_what_arrived_again_unless_typed(
    client, post, sessionmaker
):
    user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["bank"], ids["stars"], "100", received="110"))
    [transfer] = await transfers(sessionmaker)
    form = (await client.get(f"/transfers/{transfer.id}/edit")).text
    assert 'id="f-received" name="received" type="text" value="110.00"' in form  # as stored
    before, _ = await figures(sessionmaker, user)
    await post.form(f"/transfers/{transfer.id}/edit", data(ids["bank"], ids["stars"], "200"))
    assert await balances(sessionmaker, ids["bank"], ids["stars"]) == [Decimal(300), Decimal("335.76")]
    after, parts = await figures(sessionmaker, user)
    assert parts.fees == 0 and after.profit == before.profit + Decimal("7.88")  # no spread any more


async def test_an_edit_moves_later_transfer_balances_with_it_but_never_a_typed_balance(
    client, post, sessionmaker, monkeypatch
):
    from app.transfers import edits

    monkeypatch.setattr(edits, "BATCH", 2)  # the walk reads the history in several batches
    user, ids = await setup(client, sessionmaker)
    later = at_local(YESTERDAY + timedelta(hours=1))
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))  # Skrill 30 → 70
    await post.form("/transfers", data(ids["skrill"], ids["gg"], "50", occurred_at=later))  # 70 → 20
    first = min(await transfers(sessionmaker), key=lambda t: t.occurred_at)
    async with sessionmaker() as session:  # a balance the player typed on Stars afterwards
        typed = YESTERDAY + timedelta(hours=2)
        session.add(
            BalanceEntry(holding_id=ids["stars"], recorded_at=typed, balance=Decimal(77), currency="USD")
        )
        await daily.after_entries(session, await session.get(User, user.id), typed)
        await session.commit()
    before, _ = await figures(sessionmaker, user)
    response = await post.form(f"/transfers/{first.id}/edit", data(ids["stars"], ids["skrill"], "60"))
    assert response.status_code == 303
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(90), Decimal(40)]
    assert await entries(sessionmaker, ids["stars"]) == [Decimal(100), Decimal(40), Decimal(77)]
    assert await entries(sessionmaker, ids["gg"]) == [Decimal(20), Decimal(70)]
    assert (
        "1 later balance worked out by other transfers moved with it."
        in (await client.get("/transfers")).text
    )
    after, _ = await figures(sessionmaker, user)
    # Stars' typed 77 stands, so it won 20 more than thought; Skrill and GG end where they were.
    assert after.profit == before.profit + Decimal(20)
    # Too little left on Skrill for the later transfer of 50: refused, nothing written.
    refused = await post.form(f"/transfers/{first.id}/edit", data(ids["stars"], ids["skrill"], "10"))
    assert refused.status_code == 422
    assert re.search(
        r'<p class="error" id="e-amount">Skrill would then hold too little for the transfer of \$50\.00 on ',
        refused.text,
    )
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(90), Decimal(40)]
    # Moving the first transfer after the second: the second now works from Skrill's 30, and fails.
    moved = data(ids["stars"], ids["skrill"], "60", occurred_at=at_local(YESTERDAY + timedelta(hours=3)))
    assert (await post.form(f"/transfers/{first.id}/edit", moved)).status_code == 422
    # Less to Skrill: the later transfer now leaves it with nothing.
    await post.form(f"/transfers/{first.id}/edit", data(ids["stars"], ids["skrill"], "20"))
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(50), Decimal(0)]
    stored, rebuilt = await snapshots(sessionmaker, user)
    assert stored == rebuilt


async def test_a_bad_edit_is_a_422_with_the_message_by_the_field_and_nothing_changed(
    client, post, other_client, sessionmaker
):
    _user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))
    [transfer] = await transfers(sessionmaker)
    _other, theirs = await setup(other_client, sessionmaker)
    future = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    cases = [
        (data(ids["stars"], ids["stars"], "5"), "to_holding_id", "Choose a different site or asset"),
        (
            data(theirs["gg"], ids["skrill"], "5"),
            "from_holding_id",
            "Choose the site or asset the money left.",
        ),
        (
            data(ids["stars"], theirs["gg"], "5"),
            "to_holding_id",
            "Choose the site or asset the money went to.",
        ),
        (data(ids["stars"], ids["gg"], "-5"), "amount", "The amount can&#39;t be negative."),
        (data(ids["stars"], ids["gg"], "1.234"), "amount", "USD amounts have at most 2 decimals."),
        (data(ids["stars"], ids["gg"], "5", fee="5"), "fee", "The fee must be less than the amount sent."),
        (data(ids["stars"], ids["gg"], "5", received="6"), "received", "the amount less the fee: $5.00"),
        (data(ids["stars"], ids["gg"], "100.01"), "amount", "Stars had only $100.00 then."),
        (
            data(ids["stars"], ids["gg"], "5", occurred_at=future),
            "occurred_at",
            "more than a day in the future",
        ),
        (
            data(ids["stars"], ids["gg"], "5", note="n" * 501),
            "note",
            "Keep the note to 500 characters or fewer.",
        ),
    ]
    path = f"/transfers/{transfer.id}/edit"
    for sent, name, message in cases:
        sent = {**sent, "note": sent.get("note", "typed")}
        plain = await post.form(path, sent)
        assert plain.status_code == 422, sent
        assert "<html" in plain.text and f'action="{path}"' in plain.text
        assert re.search(rf'<p class="error" id="e-{name}">[^<]*{re.escape(message)}', plain.text), name
        assert f'value="{sent["amount"]}"' in plain.text
        assert name == "note" or 'value="typed"' in plain.text
        swapped = await post.htmx(path, sent, target="form#transfer-form")
        assert swapped.status_code == 422 and swapped.text.lstrip().startswith('<form id="transfer-form"')
        assert f'id="e-{name}"' in swapped.text and f'hx-post="{path}"' in swapped.text
    [same] = await transfers(sessionmaker)
    assert (same.to_holding_id, same.amount, same.note) == (ids["skrill"], Decimal(40), None)
    assert await balances(sessionmaker, ids["stars"], ids["skrill"], ids["gg"]) == [
        Decimal(60),
        Decimal(70),
        Decimal(20),
    ]


async def test_another_players_transfer_cannot_be_opened_or_edited(
    client, post, other_client, other_post, sessionmaker
):
    _user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))
    [transfer] = await transfers(sessionmaker)
    _other, theirs = await setup(other_client, sessionmaker)
    path = f"/transfers/{transfer.id}/edit"
    assert (await other_client.get(path)).status_code == 404
    assert (await other_post.form(path, data(theirs["stars"], theirs["gg"], "5"))).status_code == 404
    htmx = await other_post.htmx(path, data(theirs["stars"], theirs["gg"], "5"), target="form#transfer-form")
    assert htmx.status_code == 404
    assert (await client.get("/transfers/999999/edit")).status_code == 404
    await post.form(f"/transfers/{transfer.id}/delete")  # a deleted transfer is restored, not edited
    assert (await client.get(path)).status_code == 404
    assert (await post.form(path, data(ids["stars"], ids["skrill"], "5"))).status_code == 404
    assert await balances(sessionmaker, ids["stars"], theirs["stars"]) == [Decimal(100), Decimal(100)]


async def test_an_edit_without_the_csrf_token_is_refused(client, post, sessionmaker):
    _user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))
    [transfer] = await transfers(sessionmaker)
    sent = data(ids["stars"], ids["skrill"], "5")
    assert (await client.post(f"/transfers/{transfer.id}/edit", data=sent)).status_code == 403
    forged = await client.post(
        f"/transfers/{transfer.id}/edit", data=sent, headers={"HX-Request": "true", "X-CSRF-Token": "x"}
    )
    assert forged.status_code == 403
    assert await balances(sessionmaker, ids["stars"]) == [Decimal(60)]


async def test_an_edit_sent_twice_or_unchanged_keeps_the_transfer_and_its_moment(client, post, sessionmaker):
    _user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))
    [transfer] = await transfers(sessionmaker)
    sent = data(ids["stars"], ids["skrill"], "45")  # the form's minute: the moment keeps its seconds
    assert (await post.form(f"/transfers/{transfer.id}/edit", sent)).status_code == 303
    again = await post.htmx(f"/transfers/{transfer.id}/edit", sent, target="form#transfer-form")
    assert again.status_code == 200 and "Nothing to change" in again.text
    [saved] = await transfers(sessionmaker)
    assert saved.occurred_at == transfer.occurred_at
    assert await entries(sessionmaker, ids["stars"]) == [Decimal(100), Decimal(55)]
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(75)]
    note = await post.form(f"/transfers/{transfer.id}/edit", {**sent, "note": "just a note"})
    assert note.status_code == 303
    [noted] = await transfers(sessionmaker)
    assert noted.note == "just a note" and noted.from_entry_id == saved.from_entry_id  # entries untouched


async def test_a_concurrent_second_submit_of_an_edit_writes_nothing(client, post, sessionmaker):
    from app.flows import queries as flow_queries
    from app.transfers import edits

    user, ids = await setup(client, sessionmaker)
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))
    [transfer] = await transfers(sessionmaker)
    sent = data(ids["stars"], ids["skrill"], "45")
    async with sessionmaker() as session:  # the second request read the transfer before the first saved
        late_user = await session.get(User, user.id)
        stale = await session.get(Transfer, transfer.id)
        holdings = await flow_queries.live_holdings(session, user.id)
    _form, values = transfer_forms.parse({k: str(v) for k, v in sent.items()}, late_user, holdings)
    assert values is not None
    assert (await post.form(f"/transfers/{transfer.id}/edit", sent)).status_code == 303
    async with sessionmaker() as session:  # ...and writes after it (the tests share one connection)
        session.add_all([late_user, stale])
        assert await edits.update_transfer(session, late_user, stale, values, {}) is None
        await session.commit()
    assert await entries(sessionmaker, ids["stars"]) == [Decimal(100), Decimal(55)]
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(75)]


# ---- later transfers follow a delete, an undo and a transfer dated before them ---------------------


async def test_deleting_and_restoring_a_transfer_moves_later_transfer_balances_with_it(
    client, post, sessionmaker
):
    user, ids = await setup(client, sessionmaker)
    later = at_local(YESTERDAY + timedelta(hours=1))
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))  # Skrill 30 → 70
    await post.form("/transfers", data(ids["skrill"], ids["gg"], "20", occurred_at=later))  # 70 → 50
    first = min(await transfers(sessionmaker), key=lambda t: t.occurred_at)
    assert (await post.form(f"/transfers/{first.id}/delete")).status_code == 303
    # Without the first transfer Skrill held 30, so the second one left it with 10, not 50.
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(10)]
    assert await balances(sessionmaker, ids["stars"], ids["gg"]) == [Decimal(100), Decimal(40)]
    assert (await post.form(f"/transfers/{first.id}/restore")).status_code == 303
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(70), Decimal(50)]
    stored, rebuilt = await snapshots(sessionmaker, user)
    assert stored == rebuilt


async def test_a_delete_that_would_leave_a_later_transfer_uncovered_is_refused(client, post, sessionmaker):
    _user, ids = await setup(client, sessionmaker)
    later = at_local(YESTERDAY + timedelta(hours=1))
    await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))  # Skrill 30 → 70
    await post.form("/transfers", data(ids["skrill"], ids["gg"], "50", occurred_at=later))  # 70 → 20
    first = min(await transfers(sessionmaker), key=lambda t: t.occurred_at)
    refused = await post.htmx(f"/transfers/{first.id}/delete", target="#transfer-list")
    assert refused.status_code == 409
    assert (
        "can&#39;t be deleted: Skrill would then hold too little for the transfer of $50.00" in refused.text
    )
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(70), Decimal(20)]
    assert all(t.deleted_at is None for t in await transfers(sessionmaker))
    plain = await post.form(f"/transfers/{first.id}/delete")  # without htmx: back to the list, said there
    assert plain.status_code == 303
    assert "can&#39;t be deleted" in (await client.get("/transfers")).text


async def test_a_transfer_dated_before_later_ones_moves_their_balances(client, post, sessionmaker):
    user, ids = await setup(client, sessionmaker)
    later = at_local(YESTERDAY + timedelta(hours=1))
    await post.form("/transfers", data(ids["skrill"], ids["gg"], "20", occurred_at=later))  # Skrill 30 → 10
    response = await post.form("/transfers", data(ids["stars"], ids["skrill"], "40"))  # an hour before
    assert response.status_code == 303
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(70), Decimal(50)]
    stored, rebuilt = await snapshots(sessionmaker, user)
    assert stored == rebuilt


async def test_a_transfer_dated_before_one_it_would_leave_uncovered_is_refused(client, post, sessionmaker):
    _user, ids = await setup(client, sessionmaker)
    later = at_local(YESTERDAY + timedelta(hours=1))
    await post.form("/transfers", data(ids["skrill"], ids["gg"], "30", occurred_at=later))  # Skrill 30 → 0
    refused = await post.form("/transfers", data(ids["skrill"], ids["stars"], "10"))  # an hour before
    assert refused.status_code == 422
    assert re.search(
        r'id="e-amount">Skrill would then hold too little for the transfer of \$30\.00', refused.text
    )
    assert len(await transfers(sessionmaker)) == 1
    assert await entries(sessionmaker, ids["skrill"]) == [Decimal(30), Decimal(0)]
    assert await entries(sessionmaker, ids["stars"]) == [Decimal(100)]
