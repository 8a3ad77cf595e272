"""JSON import of our own export: the whole file checked first, a preview, then all or nothing;
replace or merge (merging the same file twice adds nothing); ids remapped; every bad-file case gets a
clear report and changes nothing. The round trip export → reset → import gives the same data back."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.bankroll import daily
from app.data import export, imports, reset
from app.models import (
    Achievement,
    BalanceEntry,
    DataImport,
    Flow,
    Goal,
    Holding,
    PokerSession,
    ToolUse,
    Transfer,
    User,
)
from tests.conftest import csrf_token, sign_up

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def build_account(sessionmaker, user: User) -> None:
    """Two sites, an asset, their histories, every kind of flow, a transfer and a tool counter."""
    async with sessionmaker() as session:
        stars = Holding(
            user_id=user.id, kind="site", name="Stars", name_key="stars", currency="USD", position=0
        )
        gg = Holding(user_id=user.id, kind="site", name="GG", name_key="gg", currency="EUR", position=3)
        btc = Holding(
            user_id=user.id,
            kind="asset",
            name="Cold",
            name_key="cold",
            currency="BTC",
            category="crypto",
            archived_at=T0,
        )
        session.add_all([stars, gg, btc])
        await session.flush()
        entries = [
            BalanceEntry(
                holding_id=stars.id, recorded_at=T0, balance=Decimal("100"), currency="USD", note="start"
            ),
            BalanceEntry(
                holding_id=stars.id, recorded_at=T0 + timedelta(days=2), balance=Decimal("80"), currency="USD"
            ),
            BalanceEntry(holding_id=gg.id, recorded_at=T0, balance=Decimal("50"), currency="EUR"),
            BalanceEntry(
                holding_id=gg.id, recorded_at=T0 + timedelta(days=2), balance=Decimal("67"), currency="EUR"
            ),
            BalanceEntry(holding_id=btc.id, recorded_at=T0, balance=Decimal("0.01234567"), currency="BTC"),
        ]
        session.add_all(entries)
        await session.flush()
        session.add_all(
            [
                Flow(
                    user_id=user.id,
                    kind="deposit",
                    occurred_at=T0,
                    amount=Decimal(100),
                    currency="USD",
                    holding_id=stars.id,
                ),
                Flow(
                    user_id=user.id,
                    kind="withdrawal",
                    occurred_at=T0 + timedelta(days=1),
                    amount=Decimal(5),
                    currency="EUR",
                ),
                Flow(
                    user_id=user.id,
                    kind="bonus",
                    occurred_at=T0 + timedelta(days=1),
                    amount=Decimal("2.5"),
                    currency="USD",
                    note="rakeback",
                ),
                Transfer(
                    user_id=user.id,
                    occurred_at=T0 + timedelta(days=2),
                    from_holding_id=stars.id,
                    to_holding_id=gg.id,
                    amount=Decimal(20),
                    from_currency="USD",
                    fee=Decimal(1),
                    received=Decimal(17),
                    to_currency="EUR",
                    from_entry_id=entries[1].id,
                    to_entry_id=entries[3].id,
                ),
                ToolUse(user_id=user.id, tool="risk", uses=4, first_used_at=T0, last_used_at=T0),
                Goal(
                    user_id=user.id,
                    name="Reach 5k",
                    kind="bankroll",
                    target=Decimal(5000),
                    currency="USD",
                    start_date=T0.date(),
                    target_date=T0.date() + timedelta(days=90),
                ),
                Achievement(user_id=user.id, key="first-balance", unlocked_at=T0, notified=True),
                PokerSession(
                    user_id=user.id,
                    game="NLH",
                    format="cash",
                    holding_id=stars.id,
                    currency="USD",
                    small_blind=Decimal("0.5"),
                    big_blind=Decimal(1),
                    buy_in=Decimal(100),
                    cash_out=Decimal("142.5"),
                    started_at=T0,
                    ended_at=T0 + timedelta(hours=3),
                    hands=250,
                ),
            ]
        )
        await daily.refresh(session, user)
        await session.commit()


def normal(doc: dict) -> dict:
    """An export without its ids and time of export: what must survive a round trip."""
    names = {h["id"]: (h["kind"], h["name"]) for h in doc["holdings"]}
    entries = {
        e["id"]: (names[e["holding_id"]], e["recorded_at"], e["balance"]) for e in doc["balance_entries"]
    }

    def strip(record: dict, *drop: str) -> dict:
        return {k: v for k, v in record.items() if k not in drop}

    return {
        "account": doc["account"],
        "holdings": sorted(json.dumps(strip(h, "id"), sort_keys=True) for h in doc["holdings"]),
        "balance_entries": sorted(
            json.dumps({**strip(e, "id", "holding_id"), "holding": names[e["holding_id"]]}, sort_keys=True)
            for e in doc["balance_entries"]
        ),
        "flows": sorted(
            json.dumps(
                {**strip(f, "id", "holding_id"), "holding": names.get(f["holding_id"])}, sort_keys=True
            )
            for f in doc["flows"]
        ),
        "transfers": sorted(
            json.dumps(
                {
                    **strip(t, "id", "from_holding_id", "to_holding_id", "from_entry_id", "to_entry_id"),
                    "from": names[t["from_holding_id"]],
                    "to": names[t["to_holding_id"]],
                    "entries": [entries.get(t["from_entry_id"]), entries.get(t["to_entry_id"])],
                },
                sort_keys=True,
            )
            for t in doc["transfers"]
        ),
        "tool_uses": doc["tool_uses"],
        **{
            table: sorted(
                json.dumps({**r, "holding_id": names.get(r.get("holding_id"))}, sort_keys=True)
                for r in doc[table]
            )
            for table in export.EXTRA_MODELS
        },
    }


async def document(sessionmaker, user: User) -> dict:
    async with sessionmaker() as session:
        return await export.document(session, await session.get(User, user.id))


async def upload(
    client,
    content: bytes | str,
    name: str = "export.json",
    htmx: bool = False,
    content_type: str = "application/json",
):
    token = await csrf_token(client, "/data")
    body = content.encode() if isinstance(content, str) else content
    headers = {"HX-Request": "true", "HX-Target": "form#import-form"} if htmx else {}
    return await client.post(
        "/data/import",
        data={"csrf_token": token},
        files={"file": (name, body, content_type)},
        headers=headers,
    )


async def confirm(client, location: str, mode: str = "merge", **extra: str):
    token = await csrf_token(client, "/data")
    return await client.post(location, data={"csrf_token": token, "mode": mode, **extra})


async def rows(sessionmaker, model, **where) -> int:
    async with sessionmaker() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return (await session.execute(query)).scalar_one()


# ---- the happy paths -----------------------------------------------------------------------------


async def test_an_upload_is_checked_and_previewed_without_changing_anything(client, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    await build_account(sessionmaker, user)
    text = (await client.get("/data/export.json")).text
    response = await upload(client, text)
    assert response.status_code == 303 and re.fullmatch(r"/data/imports/\d+", response.headers["location"])
    preview = await client.get(response.headers["location"])
    assert preview.status_code == 200
    page = preview.text
    assert (
        'id="count-holdings">3<' in page and 'id="count-entries">5<' in page and 'id="count-flows">3<' in page
    )
    assert 'id="count-transfers">1<' in page
    # The export itself unlocked "Safe keeping" (first_export), so the file holds two achievements.
    assert '<p id="count-extras">Also: goals (1), achievements (2), poker sessions (1).</p>' in page
    assert "From 2026-03-01 to 2026-03-03" in page and "currencies: EUR, USD, BTC" in page
    assert "adds 0 sites and assets, 0 balances" in page and "17 already there are skipped" in page
    assert "sets aside your 3 sites and assets, 5 balances" in page
    assert await rows(sessionmaker, Holding, user_id=user.id) == 3


async def test_merging_your_own_export_adds_nothing_and_says_so(client, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    await build_account(sessionmaker, user)
    before = await document(sessionmaker, user)
    location = (await upload(client, json.dumps(before))).headers["location"]
    response = await confirm(client, location)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    page = (await client.get("/dashboard")).text
    assert "Imported 0 sites and assets, 0 balances" in page and "16 records were already there" in page
    assert normal(await document(sessionmaker, user)) == normal(before)


async def test_an_export_imported_into_another_account_gives_the_same_data_with_new_ids(
    client, other_client, sessionmaker
):
    source = await user_for(sessionmaker, await sign_up(client))
    await build_account(sessionmaker, source)
    text = (await client.get("/data/export.json")).text
    target = await user_for(sessionmaker, await sign_up(other_client, currency="GBP"))
    location = (await upload(other_client, text)).headers["location"]
    assert (await confirm(other_client, location)).status_code == 303
    mine, theirs = normal(await document(sessionmaker, source)), normal(await document(sessionmaker, target))
    assert {k: v for k, v in theirs.items() if k != "account"} == {
        k: v for k, v in mine.items() if k != "account"
    }
    assert theirs["account"]["display_currency"] == "GBP"  # merge keeps the settings
    old_ids = {h["id"] for h in json.loads(text)["holdings"]}
    new_ids = {h["id"] for h in (await document(sessionmaker, target))["holdings"]}
    assert not old_ids & new_ids  # never reused
    again = (await upload(other_client, text)).headers["location"]
    await confirm(other_client, again)
    assert normal(await document(sessionmaker, target)) == theirs  # merge is idempotent


async def test_replace_needs_the_word_then_sets_everything_aside_undoably_and_takes_the_settings(
    client, other_client, sessionmaker
):
    source = await user_for(sessionmaker, await sign_up(client, currency="EUR", locale="de_DE"))
    await build_account(sessionmaker, source)
    text = (await client.get("/data/export.json")).text
    target = await user_for(sessionmaker, await sign_up(other_client))
    async with sessionmaker() as session:
        session.add(Holding(user_id=target.id, kind="site", name="Old", name_key="old", currency="USD"))
        await session.commit()
    location = (await upload(other_client, text)).headers["location"]
    refused = await confirm(other_client, location, "replace", confirm="nope")
    assert (
        refused.status_code == 422
        and '<p class="error" id="e-confirm">Type RESET to replace everything.' in refused.text
    )
    assert 'value="nope"' in refused.text
    assert (await confirm(other_client, location, "replace", confirm="reset")).status_code == 303
    after = await document(sessionmaker, target)
    assert [h["name"] for h in after["holdings"]] == ["Stars", "GG", "Cold"]
    assert after["account"]["display_currency"] == "EUR" and after["account"]["locale"] == "de_DE"
    page = (await other_client.get("/data")).text
    assert "Undo the reset" in page


async def test_a_double_submitted_import_is_applied_once(client, other_client, sessionmaker):
    source = await user_for(sessionmaker, await sign_up(client))
    await build_account(sessionmaker, source)
    text = (await client.get("/data/export.json")).text
    await sign_up(other_client)
    location = (await upload(other_client, text)).headers["location"]
    assert (await confirm(other_client, location, "replace", confirm="RESET")).status_code == 303
    second = await confirm(other_client, location, "replace", confirm="RESET")
    assert second.status_code == 303 and second.headers["location"] == "/data"
    assert "That file was already imported." in (await other_client.get("/data")).text
    assert await rows(sessionmaker, DataImport) == 1
    assert (await other_client.get(location)).status_code == 303  # the preview is gone once applied


async def test_htmx_uploads_answer_with_a_location_or_the_form(client, sessionmaker):
    await sign_up(client)
    ok = await upload(client, json.dumps({"format": "stakeeasy-export", "version": 1}), htmx=True)
    assert ok.status_code == 204 and ok.headers["HX-Location"].startswith("/data/imports/")
    bad = await upload(client, "{nope", htmx=True)
    assert bad.status_code == 422 and bad.text.lstrip().startswith('<form id="import-form"')
    assert 'id="e-file">The file is not valid JSON' in bad.text and "<html" not in bad.text


async def test_another_players_import_is_not_found(client, other_client, sessionmaker):
    await sign_up(client)
    location = (await upload(client, json.dumps({"format": "stakeeasy-export", "version": 1}))).headers[
        "location"
    ]
    await sign_up(other_client)
    assert (await other_client.get(location)).status_code == 404
    token = await csrf_token(other_client, "/data")
    assert (await other_client.post(location, data={"csrf_token": token, "mode": "merge"})).status_code == 404
    mapped = await other_client.post(location + "/mapping", data={"csrf_token": token})
    assert mapped.status_code == 404
    assert (await other_client.get("/data/imports/999999")).status_code == 404


async def test_uploading_needs_a_login_and_a_csrf_token(client):
    response = await client.post("/data/import", files={"file": ("a.json", b"{}", "application/json")})
    assert response.status_code == 403
    token = await csrf_token(client, "/login")
    response = await client.post(
        "/data/import", data={"csrf_token": token}, files={"file": ("a.json", b"{}")}
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


# ---- bad files -----------------------------------------------------------------------------------


def valid_doc() -> dict:
    return {
        "format": "stakeeasy-export",
        "version": 1,
        "holdings": [{"id": 1, "kind": "site", "name": "Stars", "currency": "USD", "position": 0}],
        "balance_entries": [
            {
                "id": 1,
                "holding_id": 1,
                "recorded_at": "2026-03-01T12:00:00+00:00",
                "balance": "10.00",
                "currency": "USD",
            }
        ],
        "flows": [
            {"kind": "deposit", "occurred_at": "2026-03-01T12:00:00+00:00", "amount": "10", "currency": "USD"}
        ],
    }


async def test_every_kind_of_bad_file_gets_a_clear_message_and_changes_nothing(client, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    cases = [
        (b"\x89PNG\r\n\x1a\n....", "photo.png", 415, "That is an image."),
        (
            b"PK\x03\x04rest-of-a-zip",
            "book.xlsx",
            415,
            "That is a zip file (an Excel workbook, or the CSV export).",
        ),
        (b"MZ\x90\x00\x03\x00\x00\x00", "tool.exe", 415, "That is not a text file."),
        (b"hello", "notes.docx", 415, "A .docx file can&#39;t be imported."),
        (b"", "empty.json", 422, "That file is empty."),
        (b'{"format": ', "broken.json", 422, "The file is not valid JSON"),
        (b"[1, 2, 3]", "list.json", 422, "The file is JSON, but not a StakeEasy export."),
        (b'{"format": "stakeeasy-export", "version": 2}', "new.json", 422, "made by a newer StakeEasy"),
        (
            '{"format": "stakeeasy-export", "version": 1, "n": "é"}'.encode("latin-1"),
            "latin.json",
            422,
            "is not UTF-8 text",
        ),
        ("{}".encode("utf-16"), "wide.json", 422, "The file is UTF-16 text."),
    ]
    for content, name, status, message in cases:
        response = await upload(client, content, name)
        assert response.status_code == status, name
        assert '<p class="error" id="e-file">' in response.text and message in response.text, (
            name,
            response.text[-2000:],
        )
    none = await client.post("/data/import", data={"csrf_token": await csrf_token(client, "/data")})
    assert none.status_code == 422 and "Choose a file to import." in none.text
    assert (
        await rows(sessionmaker, DataImport) == 0 and await rows(sessionmaker, Holding, user_id=user.id) == 0
    )


async def test_bad_records_are_all_reported_with_where_they_are(client, sessionmaker):
    user = await user_for(sessionmaker, await sign_up(client))
    doc = valid_doc()
    doc["holdings"].append({"id": 2, "kind": "site", "name": "=cmd|/C calc!A0", "currency": "XXX"})
    doc["balance_entries"].append(
        {
            "id": 2,
            "holding_id": 1,
            "recorded_at": (datetime.now(UTC) + timedelta(days=5)).isoformat(),
            "balance": "-5",
            "currency": "USD",
        }
    )
    doc["balance_entries"].append(
        {"id": 3, "holding_id": 9, "recorded_at": "yesterday", "balance": "abc", "currency": "USD"}
    )
    doc["flows"].append(
        {
            "kind": "gift",
            "occurred_at": "2026-03-01T12:00:00",
            "amount": "0",
            "currency": "USD",
            "note": "@SUM(A1)",
        }
    )
    response = await upload(client, json.dumps(doc))
    assert response.status_code == 422
    text = response.text
    for problem in (
        "holdings[1].name: &#39;=cmd|/C calc!A0&#39; looks like a spreadsheet formula",
        "holdings[1].currency: unknown currency &#39;XXX&#39;",
        "balance_entries[1].recorded_at: in the future",
        "balance_entries[1].balance: can&#39;t be negative",
        "balance_entries[2].holding_id: no holding 9 in the file",
        "balance_entries[2].recorded_at: expected a time like",
        "balance_entries[2].balance: expected an amount like 123.45",
        "flows[1].kind: expected one of deposit, withdrawal, bonus",
        "flows[1].occurred_at: expected a time like",
        "flows[1].amount: must be more than zero",
        "flows[1].note: &#39;@SUM(A1)&#39; looks like a spreadsheet formula",
    ):
        assert problem in text, (problem, re.findall(r"<li>[^<]*</li>", text))
    assert "nothing was imported" in text
    assert (
        await rows(sessionmaker, DataImport) == 0 and await rows(sessionmaker, Holding, user_id=user.id) == 0
    )


async def test_a_file_over_the_import_limit_is_refused_with_413(client, monkeypatch):
    await sign_up(client)
    monkeypatch.setenv("IMPORT_MAX_BYTES", "2048")
    response = await upload(client, json.dumps({**valid_doc(), "pad": "x" * 4000}))
    assert response.status_code == 413 and "larger than 2 KB" in response.text
    monkeypatch.delenv("IMPORT_MAX_BYTES")
    huge = await upload(client, b"{" + b" " * (21 * 1024 * 1024) + b"}")
    assert huge.status_code == 413  # the body limit refuses it before it is read


async def test_an_export_larger_than_the_general_body_limit_can_still_be_imported(client):
    await sign_up(client)
    big = json.dumps({**valid_doc(), "pad": "x" * (1024 * 1024 + 10)})  # over MAX_BODY_BYTES (1 MiB)
    response = await upload(client, big)
    assert response.status_code == 303, response.text  # previewed, not refused
    token = await csrf_token(client, "/deposits")
    other = await client.post("/deposits", data={"csrf_token": token, "note": "x" * (1024 * 1024 + 10)})
    assert other.status_code == 413  # every other form keeps the general limit


# ---- the round trip ------------------------------------------------------------------------------

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12).map(str.strip).filter(bool)
CODES = st.sampled_from(["USD", "EUR", "JPY", "BTC"])


@st.composite
def accounts(draw):  # type: ignore[no-untyped-def]
    names = draw(
        st.lists(
            st.tuples(st.sampled_from(["site", "asset"]), NAMES),
            max_size=4,
            unique_by=lambda x: (x[0], x[1].casefold()),
        )
    )
    holdings = []
    for kind, name in names:
        code = draw(CODES)
        places = {"JPY": 0, "BTC": 8}.get(code, 2)
        balances = draw(
            st.lists(st.decimals(min_value=0, max_value=100000, places=places), min_size=1, max_size=4)
        )
        days = draw(st.lists(st.integers(0, 300), min_size=len(balances), max_size=len(balances)))
        holdings.append((kind, name, code, list(zip(days, balances, strict=True)), draw(st.booleans())))
    flows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["deposit", "withdrawal", "bonus"]),
                st.integers(0, 300),
                st.decimals(min_value="0.01", max_value=5000, places=2),
                st.one_of(st.none(), st.integers(0, 3)),
                st.one_of(st.none(), NAMES),
            ),
            max_size=5,
        )
    )
    return holdings, flows, draw(st.integers(0, 30))


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(account=accounts())
async def test_export_then_reset_then_import_gives_the_same_data_back(sessionmaker, account):
    holdings, flows, uses = account
    async with sessionmaker() as session:
        user = User(email=f"rt-{uuid.uuid4().hex}@example.com", password_hash="x")
        session.add(user)
        await session.flush()
        made = []
        for position, (kind, name, code, history, archived) in enumerate(holdings):
            holding = Holding(
                user_id=user.id,
                kind=kind,
                name=name,
                name_key=name.casefold(),
                currency=code,
                position=position,
                archived_at=T0 if archived else None,
            )
            session.add(holding)
            await session.flush()
            made.append(holding)
            for day, balance in history:
                session.add(
                    BalanceEntry(
                        holding_id=holding.id,
                        recorded_at=T0 - timedelta(days=day),
                        balance=balance,
                        currency=code,
                    )
                )
        for kind, day, amount, index, note in flows:
            holding_id = made[index].id if index is not None and index < len(made) else None
            session.add(
                Flow(
                    user_id=user.id,
                    kind=kind,
                    occurred_at=T0 - timedelta(days=day),
                    amount=amount,
                    currency="USD",
                    holding_id=holding_id,
                    note=note,
                )
            )
        if uses:
            session.add(ToolUse(user_id=user.id, tool="spr", uses=uses, first_used_at=T0, last_used_at=T0))
        await daily.refresh(session, user)
        await session.commit()
        before = await export.document(session, user)
        await reset.reset(session, user)
        await session.commit()
        assert (await export.document(session, user))["holdings"] == []
        bundle = imports.parse_json(json.dumps(before))
        assert bundle.ok, bundle.problems
        await imports.apply(session, user, bundle, "merge")
        await session.commit()
        after = await export.document(session, user)
    assert normal(after) == normal(before)
