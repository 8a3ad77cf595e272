"""The aggregate cache (app/cache.py: Redis with REDIS_URL, memory otherwise) never shows a stale
dashboard: for every write a player (or a script, or the rates job) can make, the dashboard is viewed
(the cache warmed, and shown to serve), the write made, and the dashboard viewed again through the
cache — its totals, profit parts and chart must equal the same page computed from scratch (no cache,
no stored marks)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select, update

from app.bankroll import marks
from app.cache import Cache
from app.models import BalanceEntry, BankrollMarkState, DataReset, Flow, Transfer
from app.rates import queries as rate_queries
from tests.conftest import Poster, csrf_token, sign_up
from tests.test_bankroll_marks import TODAY, local, player

FIGURE_IDS = (
    "bankroll-total",
    "profit-total",
    "poker-profit",
    "revaluation-total",
    "bonuses-total",
    "fees-total",
    "sites-total",
    "assets-total",
    "deposits-total",
    "withdrawals-total",
)
FIGURE = re.compile(r'id="(' + "|".join(FIGURE_IDS) + r')">([^<]*)<')
CHART = re.compile(r'<section id="(?:dashboard-chart|chart-panel)".*?</section>', re.S)
# Two walks (30 days of figures, every day of profit); the charts page shares the second one's key.
VIEWS = ("/dashboard", "/dashboard?range=all&show=profit", "/charts?chart=profit&range=all")


class CountingCache(Cache):
    """The real cache, counting what it serves and stores."""

    hits = sets = 0

    async def get(self, key: str) -> bytes | None:
        found = await super().get(key)
        self.hits += found is not None
        return found

    async def set(self, key: str, value: bytes) -> None:
        self.sets += 1
        await super().set(key, value)


@dataclass
class Player:
    client: object
    post: Poster
    sessionmaker: object
    user_id: int
    ids: dict[str, int]
    other: object  # a second browser, for a second player (imports)
    cache: CountingCache


def state(client) -> dict:  # type: ignore[no-untyped-def]
    return client._transport.app.state  # the StateInjector's per-request state (tests/conftest.py)


async def dashboard(client) -> dict[str, tuple[list[tuple[str, str]], list[str]]]:  # type: ignore[no-untyped-def]
    """What each view of the dashboard shows: its figures and its chart."""
    shown = {}
    for url in VIEWS:
        response = await client.get(url)
        assert response.status_code == 200, response.text[-2000:]
        shown[url] = (FIGURE.findall(response.text), CHART.findall(response.text))
    return shown


async def from_scratch(p: Player) -> dict[str, tuple[list[tuple[str, str]], list[str]]]:
    """The same views with no cache and no stored marks: everything computed from the rows now."""
    async with p.sessionmaker() as session:  # type: ignore[operator]
        await marks.forget(session, p.user_id)
        await session.commit()
    kept, state(p.client)["cache"] = state(p.client)["cache"], None
    try:
        return await dashboard(p.client)
    finally:
        state(p.client)["cache"] = kept


@pytest.fixture
async def p(client, other_client, post, sessionmaker, settings) -> Player:  # type: ignore[no-untyped-def]
    user_id, ids = await player(client, sessionmaker)
    cache = CountingCache(settings.redis_url, prefix=f"test-{uuid.uuid4().hex}")
    state(client)["cache"] = cache
    return Player(client, post, sessionmaker, user_id, ids, other_client, cache)


async def first_id(p: Player, query) -> int:  # type: ignore[no-untyped-def]
    async with p.sessionmaker() as session:  # type: ignore[operator]
        return (await session.execute(query)).scalars().first()  # type: ignore[no-any-return]


def ok(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code in (200, 201, 204, 303), (response.status_code, response.text[-2000:])


def key() -> str:
    return uuid.uuid4().hex


# The fixture's player has balances recorded at noon today: a balance "now" would come before them.
LATER_TODAY = TODAY.strftime("%Y-%m-%dT13:00")


# ---- the writes ---------------------------------------------------------------------------------


async def balance_inline(p: Player) -> None:
    target = f"tr#holding-{p.ids['Stars']}"
    ok(
        await p.post.htmx(
            f"/holdings/{p.ids['Stars']}/balance",
            {"balance": "321.5", "recorded_at": LATER_TODAY, "request_key": key()},
            target,
        )
    )


async def balance_in_the_past(p: Player) -> None:
    data = {"balance": "77", "recorded_at": local(15), "request_key": key()}
    ok(await p.post.form(f"/holdings/{p.ids['Winamax']}/balance", data))


async def balance_quick(p: Player) -> None:
    data = {"holding_id": p.ids["Pounds"], "balance": "999", "recorded_at": LATER_TODAY, "request_key": key()}
    ok(await p.post.form("/dashboard/balance", data))


async def entry_edit(p: Player) -> None:
    entry = await first_id(p, select(BalanceEntry.id).where(BalanceEntry.holding_id == p.ids["Stars"]))
    ok(await p.post.form(f"/entries/{entry}/edit", {"balance": "5", "recorded_at": local(20), "note": ""}))


async def entry_delete(p: Player) -> None:
    query = (
        select(BalanceEntry.id).where(BalanceEntry.holding_id == p.ids["Winamax"]).order_by(BalanceEntry.id)
    )
    ok(await p.post.form(f"/entries/{await first_id(p, query.offset(3))}/delete"))


async def holding_create(p: Player) -> None:
    ok(await p.post.form("/sites", {"name": "GG", "currency": "CAD", "balance": "250"}))


async def asset_create(p: Player) -> None:
    ok(
        await p.post.form(
            "/assets", {"name": "Cash", "currency": "JPY", "balance": "5000", "category": "cash"}
        )
    )


async def holding_rename(p: Player) -> None:
    ok(await p.post.form(f"/holdings/{p.ids['Stars']}/edit", {"name": "PokerStars", "currency": "USD"}))


async def holding_currency(p: Player) -> None:
    ok(await p.post.form(f"/holdings/{p.ids['Stars']}/edit", {"name": "Stars", "currency": "GBP"}))
    data = {"balance": "40", "recorded_at": LATER_TODAY, "request_key": key()}
    ok(await p.post.form(f"/holdings/{p.ids['Stars']}/balance", data))


async def asset_category(p: Player) -> None:
    data = {"name": "Pounds", "currency": "GBP", "category": "crypto"}
    ok(await p.post.form(f"/holdings/{p.ids['Pounds']}/edit", data))


async def holding_archive(p: Player) -> None:
    ok(await p.post.form(f"/holdings/{p.ids['Winamax']}/archive"))


async def holding_unarchive(p: Player) -> None:
    ok(await p.post.form(f"/holdings/{p.ids['Winamax']}/archive"))
    await dashboard(p.client)
    ok(await p.post.form(f"/holdings/{p.ids['Winamax']}/unarchive"))


async def holding_delete(p: Player) -> None:
    ok(await p.post.form(f"/holdings/{p.ids['Pounds']}/delete"))


async def holding_delete_undo(p: Player) -> None:
    ok(await p.post.form(f"/holdings/{p.ids['Pounds']}/delete"))
    await dashboard(p.client)  # the deletion cached: the undo must not find it
    ok(await p.post.form(f"/holdings/{p.ids['Pounds']}/restore"))


def flow(p: Player, days_ago: int = 20, **extra: object) -> dict[str, object]:
    data = {"occurred_at": local(days_ago), "amount": "75", "currency": "EUR", "holding_id": p.ids["Winamax"]}
    return {**data, "request_key": key(), **extra}


async def deposit_create(p: Player) -> None:
    ok(await p.post.form("/deposits", flow(p)))


async def withdrawal_create(p: Player) -> None:
    ok(
        await p.post.form(
            "/withdrawals", flow(p, 1, amount="33.33", currency="USD", holding_id=p.ids["Stars"])
        )
    )


async def deposit_quick(p: Player) -> None:
    ok(await p.post.form("/dashboard/deposit", flow(p, 0, amount="12", currency="USD", holding_id="")))


async def withdrawal_quick(p: Player) -> None:
    ok(await p.post.form("/dashboard/withdrawal", flow(p, 0, amount="8", currency="GBP", holding_id="")))


async def an_existing_flow(p: Player, kind: str) -> int:
    return await first_id(p, select(Flow.id).where(Flow.user_id == p.user_id, Flow.kind == kind))


async def flow_edit(p: Player) -> None:
    flow_id = await an_existing_flow(p, "deposit")
    ok(await p.post.form(f"/flows/{flow_id}/edit", flow(p, 25, amount="80", currency="JPY")))


async def withdrawal_edit(p: Player) -> None:
    flow_id = await an_existing_flow(p, "withdrawal")
    edited = flow(p, 5, amount="1", currency="USD", holding_id=p.ids["Stars"])
    ok(await p.post.form(f"/flows/{flow_id}/edit", edited))


async def flow_delete(p: Player) -> None:
    ok(await p.post.form(f"/flows/{await an_existing_flow(p, 'deposit')}/delete"))


async def flow_delete_undo(p: Player) -> None:
    flow_id = await an_existing_flow(p, "withdrawal")
    ok(await p.post.form(f"/flows/{flow_id}/delete"))
    await dashboard(p.client)
    ok(await p.post.form(f"/flows/{flow_id}/restore"))


async def bonus_create(p: Player) -> None:
    ok(await p.post.form("/bonuses", flow(p, 3, amount="12.50", currency="EUR", new_balance="150")))


def transfer(p: Player, **extra: object) -> dict[str, object]:
    data = {"from_holding_id": p.ids["Pounds"], "to_holding_id": p.ids["Winamax"], "amount": "20"}
    return {**data, "occurred_at": local(10), "request_key": key(), **extra}


async def the_transfer(p: Player) -> int:
    return await first_id(p, select(Transfer.id).where(Transfer.user_id == p.user_id))


async def transfer_create(p: Player) -> None:
    ok(await p.post.form("/transfers", transfer(p, fee="1.5")))


async def transfer_edit(p: Player) -> None:
    ok(await p.post.form("/transfers", transfer(p)))
    await dashboard(p.client)
    edited = transfer(p, to_holding_id=p.ids["Stars"], amount="25", fee="2", occurred_at=local(12))
    ok(await p.post.form(f"/transfers/{await the_transfer(p)}/edit", edited))


async def transfer_delete(p: Player) -> None:
    ok(await p.post.form("/transfers", transfer(p)))
    await dashboard(p.client)
    ok(await p.post.form(f"/transfers/{await the_transfer(p)}/delete"))


async def transfer_delete_undo(p: Player) -> None:
    ok(await p.post.form("/transfers", transfer(p)))
    ok(await p.post.form(f"/transfers/{await the_transfer(p)}/delete"))
    await dashboard(p.client)
    ok(await p.post.form(f"/transfers/{await the_transfer(p)}/restore"))


async def another_players_export(p: Player) -> bytes:
    """An export of a second account: a site, a balance and a deposit the player does not have."""
    other = Poster(p.other)  # type: ignore[arg-type]
    await sign_up(p.other, currency="EUR")  # type: ignore[arg-type]
    ok(await other.form("/sites", {"name": "Party", "currency": "EUR", "balance": "400"}))
    ok(
        await other.form(
            "/deposits", {"occurred_at": local(6), "amount": "300", "currency": "EUR", "request_key": key()}
        )
    )
    response = await p.other.get("/data/export.json")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert json.loads(response.content)["flows"]
    return response.content  # type: ignore[no-any-return]


async def import_file(p: Player, body: bytes, mode: str, **extra: str) -> None:
    token = await csrf_token(p.client, "/data")  # type: ignore[arg-type]
    files = {"file": ("export.json", body, "application/json")}
    uploaded = await p.client.post("/data/import", data={"csrf_token": token}, files=files)  # type: ignore[attr-defined]
    assert uploaded.status_code == 303, uploaded.text[-2000:]
    token = await csrf_token(p.client, "/data")  # type: ignore[arg-type]
    data = {"csrf_token": token, "mode": mode, **extra}
    ok(await p.client.post(uploaded.headers["location"], data=data))  # type: ignore[attr-defined]


async def import_merge(p: Player) -> None:
    await import_file(p, await another_players_export(p), "merge")


async def import_replace(p: Player) -> None:
    await import_file(p, await another_players_export(p), "replace", confirm="RESET")


async def reset(p: Player) -> None:
    ok(await p.post.form("/data/reset", {"confirm": "RESET", "request_key": key()}))


async def reset_undo(p: Player) -> None:
    await reset(p)
    await dashboard(p.client)  # the empty account cached: the undo must not find it
    async with p.sessionmaker() as session:  # type: ignore[operator]
        marker = (await session.execute(select(DataReset).where(DataReset.user_id == p.user_id))).scalar_one()
    ok(await p.post.form(f"/data/resets/{marker.id}/undo"))


async def display_currency(p: Player) -> None:
    ok(await p.post.form("/settings", {"display_currency": "EUR", "locale": "en_US", "timezone": "UTC"}))


async def time_zone(p: Player) -> None:
    data = {"display_currency": "USD", "locale": "en_US", "timezone": "Pacific/Auckland"}
    ok(await p.post.form("/settings", data))


async def new_rate(p: Player) -> None:
    """What the rates job does: a day's rates stored (here a late one for yesterday, and today's)."""
    async with p.sessionmaker() as session:  # type: ignore[operator]
        rows = [("GBP", TODAY - timedelta(days=1), D("0.70")), ("EUR", TODAY, D(1)), ("JPY", TODAY, D("200"))]
        assert await rate_queries.save(session, rows, "test") >= 1
        await session.commit()


async def api_token(p: Player) -> dict[str, str]:
    response = await p.post.form("/settings/tokens", {"name": f"Script {key()[:4]}", "scope": "write"})
    assert response.status_code == 201, response.text[-2000:]
    match = re.search(r'id="new-token" type="text" readonly value="(se_[A-Za-z0-9_-]+)"', response.text)
    assert match
    return {"Authorization": f"Bearer {match.group(1)}"}


async def api_balance(p: Player) -> None:
    headers = await api_token(p)
    url = f"/api/v1/holdings/{p.ids['Stars']}/entries"
    ok(
        await p.client.post(
            url, json={"balance": "1250.50", "recorded_at": f"{TODAY.isoformat()}T13:00:00Z"}, headers=headers
        )
    )  # type: ignore[attr-defined]


async def api_deposit(p: Player) -> None:
    headers = await api_token(p)
    body = {
        "amount": "50",
        "currency": "USD",
        "occurred_at": (TODAY - timedelta(days=4)).isoformat() + "T10:00:00Z",
    }
    ok(await p.client.post("/api/v1/deposits", json=body, headers=headers))  # type: ignore[attr-defined]


async def api_withdrawal(p: Player) -> None:
    headers = await api_token(p)
    ok(await p.client.post("/api/v1/withdrawals", json={"amount": "20", "currency": "EUR"}, headers=headers))  # type: ignore[attr-defined]


Write = Callable[[Player], Awaitable[None]]
# (the write, whether it changes a figure or the chart: those that don't must still leave no stale page)
WRITES: list[tuple[Write, bool]] = [
    (balance_inline, True),
    (balance_in_the_past, True),
    (balance_quick, True),
    (entry_edit, True),
    (entry_delete, True),
    (holding_create, True),
    (asset_create, True),
    (holding_rename, False),
    (holding_currency, True),
    (asset_category, False),
    (holding_archive, False),
    (holding_unarchive, False),
    (holding_delete, True),
    (holding_delete_undo, False),
    (deposit_create, True),
    (withdrawal_create, True),
    (deposit_quick, True),
    (withdrawal_quick, True),
    (flow_edit, True),
    (withdrawal_edit, True),
    (flow_delete, True),
    (flow_delete_undo, False),
    (bonus_create, True),
    (transfer_create, True),
    (transfer_edit, True),
    (transfer_delete, False),
    (transfer_delete_undo, True),  # the transfer itself stays
    (import_merge, True),
    (import_replace, True),
    (reset, True),
    (reset_undo, False),
    (display_currency, True),
    (time_zone, True),  # flows fall on other days, valued at those days' rates
    (new_rate, True),
    (api_balance, True),
    (api_deposit, True),
    (api_withdrawal, True),
]


@pytest.mark.parametrize(("write", "changes"), WRITES, ids=[write.__name__ for write, _ in WRITES])
async def test_after_each_write_the_cached_dashboard_equals_one_computed_from_scratch(p, write, changes):
    await dashboard(p.client)  # the first views value the history: marks stored, a new data version
    before = await dashboard(p.client)
    assert p.cache.sets >= 2  # warmed: one walk stored per range
    hits = p.cache.hits
    assert await dashboard(p.client) == before and p.cache.hits == hits + len(VIEWS)  # and served from it
    await write(p)
    shown = await dashboard(p.client)
    assert shown == await from_scratch(p)
    if changes:
        assert shown != before, "the write changed nothing the dashboard shows: a weak test"
    else:
        assert shown == before


async def test_the_harness_catches_a_write_that_forgets_to_bump_the_data_version(p):
    """A deposit stored behind the app's back (no version bump): the cache keeps showing the old
    figures, and the comparison with a page computed from scratch says so."""
    await dashboard(p.client)
    before = await dashboard(p.client)
    async with p.sessionmaker() as session:
        session.add(
            Flow(user_id=p.user_id, kind="deposit", occurred_at=TODAY_NOON(), amount=D(500), currency="USD")
        )
        await session.commit()
    stale = await dashboard(p.client)
    assert stale == before
    assert stale != await from_scratch(p)


def TODAY_NOON():  # type: ignore[no-untyped-def]
    from tests.test_bankroll_marks import at

    return at(0)


async def test_a_euro_only_player_sees_the_dashboard_on_every_view(client, post, sessionmaker):
    """With euros only every day's rates are final: marks stop at today (they once went to date.max,
    and the next view failed with an OverflowError), and a state left at date.max is rebuilt."""
    await sign_up(client, currency="EUR")
    ok(await post.form("/sites", {"name": "Winamax", "currency": "EUR", "balance": "100"}))
    ok(
        await post.form(
            "/deposits", {"occurred_at": local(3), "amount": "40", "currency": "EUR", "request_key": key()}
        )
    )
    for _ in range(3):
        response = await client.get("/dashboard")
        assert response.status_code == 200 and 'id="profit-total">+€60.00<' in response.text
    async with sessionmaker() as session:
        await session.execute(update(BankrollMarkState).values(valid_through=date.max))
        await session.commit()
    state(client)["cache"] = None
    response = await client.get("/dashboard")
    assert response.status_code == 200 and 'id="profit-total">+€60.00<' in response.text
