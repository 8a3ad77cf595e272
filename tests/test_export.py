"""Export: the "Your data" page, the streamed JSON document (complete, versioned) and the CSV zip
(one file per table, formula injection escaped)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.data import export
from app.models import BalanceEntry, Flow, Holding, ToolUse, User
from tests.conftest import sign_up

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def holding(
    sessionmaker, user: User, name: str, kind="site", currency="USD", balances=("100",), **extra
) -> int:
    async with sessionmaker() as session:
        item = Holding(
            user_id=user.id, kind=kind, name=name, name_key=name.casefold(), currency=currency, **extra
        )
        session.add(item)
        await session.flush()
        for n, balance in enumerate(balances):
            session.add(
                BalanceEntry(
                    holding_id=item.id,
                    recorded_at=T0 + timedelta(days=n),
                    balance=Decimal(balance),
                    currency=currency,
                )
            )
        await session.commit()
        return item.id  # type: ignore[return-value]


async def flow(sessionmaker, user: User, kind: str, amount: str, currency="USD", **extra) -> int:
    async with sessionmaker() as session:
        item = Flow(
            user_id=user.id, kind=kind, occurred_at=T0, amount=Decimal(amount), currency=currency, **extra
        )
        session.add(item)
        await session.commit()
        return item.id  # type: ignore[return-value]


async def account_with_data(client, sessionmaker) -> tuple[User, dict[str, int]]:
    email = await sign_up(client, currency="EUR", locale="de_DE")
    user = await user_for(sessionmaker, email)
    ids = {
        "stars": await holding(sessionmaker, user, "Stars", balances=("100", "250.5")),
        "btc": await holding(
            sessionmaker, user, "Cold wallet", "asset", "BTC", ("0.01234567",), category="crypto"
        ),
        "gone": await holding(sessionmaker, user, "Gone", deleted_at=T0),
    }
    ids["deposit"] = await flow(sessionmaker, user, "deposit", "50", holding_id=ids["stars"], note="first")
    ids["bonus"] = await flow(sessionmaker, user, "bonus", "7.5", "EUR")
    await flow(sessionmaker, user, "withdrawal", "20", deleted_at=T0)
    async with sessionmaker() as session:
        session.add(ToolUse(user_id=user.id, tool="risk", uses=3, first_used_at=T0, last_used_at=T0))
        await session.commit()
    return user, ids


async def test_the_data_page_and_the_downloads_need_a_login(client):
    for path in ("/data", "/data/export.json", "/data/export.zip"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"] == f"/login?next={path}"


async def test_the_data_page_says_what_an_export_holds_and_links_both_formats(client, sessionmaker):
    await account_with_data(client, sessionmaker)
    page = await client.get("/data")
    assert page.status_code == 200 and "<html" in page.text
    assert "2 sites and assets, 3 balance" in page.text and "2 deposits, withdrawals and bonuses" in page.text
    assert 'href="/data/export.json" download>Download JSON</a>' in page.text
    assert 'href="/data/export.zip" download>Download CSV (zip)</a>' in page.text


async def test_the_json_export_is_complete_versioned_and_exact(client, other_client, sessionmaker):
    user, ids = await account_with_data(client, sessionmaker)
    other = await user_for(sessionmaker, await sign_up(other_client))
    await holding(sessionmaker, other, "Not mine")
    response = await client.get("/data/export.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith('attachment; filename="stakeeasy-export-')
    assert response.headers["cache-control"] == "no-store"
    data = json.loads(response.text)
    assert data["format"] == "stakeeasy-export" and data["version"] == 1
    assert datetime.fromisoformat(data["exported_at"]).tzinfo is not None
    assert data["account"] == {
        "email": user.email,
        "display_currency": "EUR",
        "locale": "de_DE",
        "timezone": "UTC",
    }
    assert [h["name"] for h in data["holdings"]] == [
        "Stars",
        "Cold wallet",
    ]  # not the deleted one, not theirs
    assert data["holdings"][1] == {
        "id": ids["btc"],
        "kind": "asset",
        "name": "Cold wallet",
        "currency": "BTC",
        "category": "crypto",
        "position": 0,
        "archived_at": None,
        "created_at": data["holdings"][1]["created_at"],
    }
    entries = data["balance_entries"]
    assert [(e["holding_id"], e["balance"], e["currency"]) for e in entries] == [
        (ids["stars"], "100.00", "USD"),
        (ids["stars"], "250.50", "USD"),
        (ids["btc"], "0.01234567", "BTC"),
    ]
    assert entries[0]["recorded_at"] == "2026-03-01T12:00:00+00:00"
    assert [(f["kind"], f["amount"], f["holding_id"], f["note"]) for f in data["flows"]] == [
        ("deposit", "50.00", ids["stars"], "first"),
        ("bonus", "7.50", None, None),
    ]
    assert data["transfers"] == []
    assert data["tool_uses"] == [
        {"tool": "risk", "uses": 3, "first_used_at": T0.isoformat(), "last_used_at": T0.isoformat()}
    ]


async def test_the_json_export_streams_in_batches(client, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    await holding(sessionmaker, user, "Busy", balances=[str(n) for n in range(1, 1201)])
    chunks = [chunk async for chunk in export.json_chunks(sessionmaker, user)]
    assert len(chunks) > 8  # a head, then each table's batches of 500 records, never all at once
    assert max(len(chunk) for chunk in chunks) < 100_000
    data = json.loads(b"".join(chunks))
    assert len(data["balance_entries"]) == 1200 and data["balance_entries"][-1]["balance"] == "1200.00"


def read_zip(content: bytes) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    tables = {}
    for name in archive.namelist():
        if name.endswith(".csv"):
            text = archive.read(name).decode("utf-8")
            assert text.startswith("\ufeff")  # so spreadsheets read it as UTF-8
            tables[name] = list(csv.reader(io.StringIO(text[1:])))
    return tables


async def test_the_csv_zip_has_one_file_per_table_and_a_readme(client, sessionmaker):
    user, ids = await account_with_data(client, sessionmaker)
    response = await client.get("/data/export.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].endswith('.zip"')
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == [
        "README.txt",
        "account.csv",
        "holdings.csv",
        "balance_entries.csv",
        "flows.csv",
        "transfers.csv",
        "tool_uses.csv",
        "goals.csv",
        "achievements.csv",
        "poker_sessions.csv",
    ]
    tables = read_zip(response.content)
    assert tables["holdings.csv"][0] == [name for name, _ in export.TABLES["holdings"]]
    assert [row[2] for row in tables["holdings.csv"][1:]] == ["Stars", "Cold wallet"]
    assert tables["balance_entries.csv"][2][1:5] == [
        str(ids["stars"]),
        "2026-03-02T12:00:00+00:00",
        "250.50",
        "USD",
    ]
    assert tables["account.csv"] == [
        ["setting", "value"],
        ["email", user.email],
        ["display_currency", "EUR"],
        ["locale", "de_DE"],
        ["timezone", "UTC"],
    ]
    assert tables["transfers.csv"] == [[name for name, _ in export.TABLES["transfers"]]]


async def test_spreadsheet_formulas_are_escaped_in_the_csv_but_kept_as_typed_in_the_json(
    client, sessionmaker
):
    user = await user_for(sessionmaker, await sign_up(client))
    evil = '=HYPERLINK("http://evil","x")'
    site = await holding(sessionmaker, user, evil)
    for note in ("+1 buy-in", "-cmd", "@SUM(A1)", "\tTab", "plain = fine"):
        await flow(sessionmaker, user, "deposit", "1", holding_id=site, note=note)
    tables = read_zip((await client.get("/data/export.zip")).content)
    assert tables["holdings.csv"][1][2] == "'" + evil
    assert [row[-1] for row in tables["flows.csv"][1:]] == [
        "'+1 buy-in",
        "'-cmd",
        "'@SUM(A1)",
        "'\tTab",
        "plain = fine",
    ]
    data = json.loads((await client.get("/data/export.json")).text)
    assert data["holdings"][0]["name"] == evil


def test_amounts_are_written_with_the_currency_decimals_when_exact():
    assert export.amount_text(Decimal("100"), "USD") == "100.00"
    assert export.amount_text(Decimal("1000"), "JPY") == "1000"
    assert export.amount_text(Decimal("0.1"), "BTC") == "0.10000000"
    assert export.amount_text(Decimal("1.005"), "USD") == "1.005"  # never rounded
    assert export.amount_text(Decimal("0E-8"), "XXX") == "0"
