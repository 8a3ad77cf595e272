"""CSV import: the template, column mapping, a preview with per-row errors, all or nothing, merge
idempotence, and the bad-file cases (encoding, malformed, unknown currency, negative, future dates,
formula cells)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.data import csv_import
from app.models import BalanceEntry, DataImport, Flow, Holding, User
from tests.conftest import csrf_token, sign_up
from tests.test_import import confirm, upload, user_for

HEADER = "date,kind,name,amount,currency,note,type\n"


async def csv_upload(client, text: str | bytes, name: str = "bankroll.csv", htmx: bool = False):
    return await upload(client, text, name, htmx=htmx, content_type="text/csv")


async def holdings_of(sessionmaker, user: User) -> list[tuple[str, str, str]]:
    async with sessionmaker() as session:
        query = select(Holding.kind, Holding.name, Holding.currency).where(
            Holding.user_id == user.id, Holding.deleted_at.is_(None)
        )
        return sorted(tuple(row) for row in (await session.execute(query)).all())


async def count(sessionmaker, model, user: User) -> int:
    async with sessionmaker() as session:
        if model is BalanceEntry:
            query = (
                select(func.count()).select_from(BalanceEntry).join(Holding).where(Holding.user_id == user.id)
            )
        else:
            query = select(func.count()).select_from(model).where(model.user_id == user.id)
        return (await session.execute(query)).scalar_one()


async def test_the_template_downloads_and_imports_as_it_is(client, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    template = await client.get("/data/import-template.csv")
    assert template.status_code == 200 and template.headers["content-type"].startswith("text/csv")
    assert template.headers["content-disposition"] == 'attachment; filename="stakeeasy-import-template.csv"'
    assert template.text.startswith("\ufeffdate,kind,name,amount,currency,note,type")
    response = await csv_upload(client, template.content, "stakeeasy-import-template.csv")
    assert response.status_code == 303
    preview = (await client.get(response.headers["location"])).text
    assert (
        'id="count-holdings">2<' in preview
        and 'id="count-entries">3<' in preview
        and 'id="count-flows">3<' in preview
    )
    assert "The first 6 of 6 rows" in preview and "row has problems" not in preview
    assert (await confirm(client, response.headers["location"])).status_code == 303
    assert await holdings_of(sessionmaker, user) == [
        ("asset", "Skrill", "EUR"),
        ("site", "PokerStars", "USD"),
    ]
    async with sessionmaker() as session:
        kinds = sorted(
            (await session.execute(select(Flow.kind, Flow.amount).where(Flow.user_id == user.id))).all()
        )
    assert kinds == [("bonus", Decimal("12.5")), ("deposit", Decimal(100)), ("withdrawal", Decimal(50))]
    dashboard = (await client.get("/dashboard")).text
    assert re.search(r'id="sites-total">\$312\.50<', dashboard)
    again = (await csv_upload(client, template.content)).headers["location"]
    preview = (await client.get(again)).text
    assert "adds 0 sites and assets, 0 balances" in preview  # merging the same file adds nothing
    await confirm(client, again)
    assert await count(sessionmaker, BalanceEntry, user) == 3 and await count(sessionmaker, Flow, user) == 3


async def test_columns_with_other_names_are_mapped_by_the_player(client, post, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    text = (
        "Wann;Was;Konto;Betrag;Währung\n"
        "2026-03-01;balance;Stars;1.234,50;EUR\n"
        "2026-03-02;deposit;Stars;100;EUR\n"
    )
    location = (await csv_upload(client, text.encode("utf-8"), "konto.csv")).headers["location"]
    page = (await client.get(location)).text
    assert '<p class="error" id="map-date-error">Choose the column that holds the date.</p>' in page
    assert "Nothing can be imported while there are problems" in page and 'id="import-confirm"' not in page
    mapping = {"map_date": "0", "map_kind": "1", "map_name": "2", "map_amount": "3", "map_currency": "4"}
    swapped = await post.htmx(f"{location}/mapping", mapping, target="section#import-preview")
    assert swapped.status_code == 200 and swapped.text.lstrip().startswith('<section id="import-preview"')
    assert (
        'id="import-confirm"' in swapped.text and '<option value="3" selected>Betrag</option>' in swapped.text
    )
    clash = await post.form(f"{location}/mapping", {**mapping, "map_note": "3"})
    assert clash.status_code == 422 and "That column is already the amount." in clash.text
    await post.form(f"{location}/mapping", mapping)
    assert (await confirm(client, location)).status_code == 303
    assert await holdings_of(sessionmaker, user) == [("site", "Stars", "EUR")]
    async with sessionmaker() as session:
        balance = (
            await session.execute(
                select(BalanceEntry.balance).join(Holding).where(Holding.user_id == user.id)
            )
        ).scalar_one()
    assert balance == Decimal("1234.50")


async def test_every_bad_row_is_reported_with_its_number_and_nothing_is_imported(client, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    future = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    text = HEADER + "\n".join(
        [
            "2026-03-01,balance,Stars,100,USD,,site",
            "2026-03-01,balance,Bank,50,XYZ,,asset",
            "2026-03-01,balance,Stars,-5,USD,,",
            f"{future},deposit,Stars,10,USD,,",
            "2026-03-01,deposit,=cmd|' /C calc'!A0,10,USD,,",
            "2026-03-01,gift,Stars,10,USD,,",
            "yesterday,deposit,,10,USD,,",
            "2026-03-01,withdrawal,Nowhere,10,USD,,",
            "2026-03-01,balance,,10,USD,,",
            "2026-03-01,deposit,Stars,10,USD,@SUM(A1),",
            "2026-03-01,balance,Stars,5,EUR,,",
            "2026-03-01,deposit,Stars,abc,USD,,",
        ]
    )
    location = (await csv_upload(client, text)).headers["location"]
    page = (await client.get(location)).text
    for row, message in (
        (3, "Currency: &#39;XYZ&#39; is not a currency StakeEasy knows."),
        (4, "Amount: The amount can&#39;t be negative."),
        (5, "Date: The date can&#39;t be more than a day in the future."),
        (6, "Site or asset: &#34;=cmd|&#39; /C calc&#39;!A0&#34; looks like a spreadsheet formula."),
        (7, "Kind: &#39;gift&#39; is not balance, deposit, withdrawal or bonus."),
        (8, "Date: Enter a date and time like 2026-03-01 14:30."),
        (9, "Site or asset: no site or asset called &#39;Nowhere&#39; (add a balance row for it)."),
        (10, "Site or asset: a balance needs the site or asset it belongs to."),
        (11, "Note: &#39;@SUM(A1)&#39; looks like a spreadsheet formula."),
        (12, "Currency: Stars keeps its balances in USD."),
        (13, "Amount: Enter a number, like 1234.56."),
    ):
        assert f"<li>Row {row}: {message}" in page, (row, message)
    assert "11 rows have problems" in page and 'id="import-confirm"' not in page
    forced = await confirm(client, location)
    assert forced.status_code == 422
    assert await count(sessionmaker, Flow, user) == 0 and await holdings_of(sessionmaker, user) == []
    async with sessionmaker() as session:
        pending = (await session.execute(select(DataImport))).scalar_one()
    assert pending.applied_at is None


async def test_existing_sites_are_found_by_name_with_their_currency(client, post, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    async with sessionmaker() as session:
        session.add(
            Holding(user_id=user.id, kind="site", name="PokerStars", name_key="pokerstars", currency="EUR")
        )
        await session.commit()
    text = HEADER + "2026-03-01,balance,pokerstars,80,,,\n2026-03-02,deposit,POKERSTARS,20,EUR,,\n"
    location = (await csv_upload(client, text)).headers["location"]
    assert (await confirm(client, location)).status_code == 303
    assert await holdings_of(sessionmaker, user) == [("site", "PokerStars", "EUR")]
    async with sessionmaker() as session:
        entry = (
            await session.execute(select(BalanceEntry).join(Holding).where(Holding.user_id == user.id))
        ).scalar_one()
    assert (entry.balance, entry.currency) == (Decimal(80), "EUR")


async def test_bad_csv_files_get_a_clear_message(client, sessionmaker):
    await sign_up(client)
    cases = [
        ((HEADER + "2026-03-01,balance,Café,1,EUR,,\n").encode("cp1252"), "is not UTF-8 text"),
        ((HEADER + "2026-03-01,balance,Stars,1,EUR,,\n").encode("utf-16"), "The file is UTF-16 text."),
        (HEADER.encode(), "The CSV file needs a header line and at least one row."),
        (b"just one line", "The CSV file needs a header line and at least one row."),
    ]
    for content, message in cases:
        response = await csv_upload(client, content)
        assert response.status_code == 422 and message in response.text, message
    async with sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(DataImport))).scalar_one() == 0


def test_usual_column_names_are_recognised():
    mapping = csv_import.guess_mapping(
        ["Date", "Type of entry", "Site", "Amount", "CCY", "Comment", "Holding type"]
    )
    assert mapping == {"date": 0, "kind": None, "name": 2, "amount": 3, "currency": 4, "note": 5, "type": 6}
    assert csv_import.clean_mapping({"date": "0", "kind": "9", "name": "x"}, 3) == {
        "date": 0,
        "kind": None,
        "name": None,
        "amount": None,
        "currency": None,
        "note": None,
        "type": None,
    }


async def test_the_mapping_needs_a_csrf_token(client):
    await sign_up(client)
    location = (await csv_upload(client, HEADER + "2026-03-01,balance,Stars,1,EUR,,\n")).headers["location"]
    assert (await client.post(f"{location}/mapping", data={"map_date": "0"})).status_code == 403
    token = await csrf_token(client, "/data")
    incomplete = await client.post(f"{location}/mapping", data={"csrf_token": token, "map_date": "0"})
    assert incomplete.status_code == 422 and "Choose the column that holds the amount." in incomplete.text
    full = {f"map_{name}": str(n) for n, name in enumerate(csv_import.FIELDS)}
    assert (await client.post(f"{location}/mapping", data={"csrf_token": token, **full})).status_code == 303
