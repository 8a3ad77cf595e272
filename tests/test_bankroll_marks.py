"""Bankroll marks (app.bankroll.marks): the history valued once must give, after any change a player
can make, exactly the figures of a walk through every row of the history."""

from __future__ import annotations

import random
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal as D

from sqlalchemy import select

from app import money
from app.bankroll import daily, services
from app.bankroll import queries as bankroll_queries
from app.bankroll.services import Ledger
from app.cache import Cache
from app.models import BalanceEntry, BankrollMarkState, DataReset, Flow, Holding, Transfer, User
from app.rates import queries as rate_queries
from tests.conftest import sign_up

TODAY = datetime.now(UTC).date()
CODES = ("USD", "GBP", "JPY", "CAD")


def rates(first: date, last: date, seed: int = 3) -> list[tuple[str, date, D]]:
    """Daily rates moving every day, for the currencies the player uses."""
    rng = random.Random(seed)
    rows = []
    for code in CODES:
        value = float(money.SNAPSHOT_RATES[code])
        day = first
        while day <= last:
            value *= 1 + rng.uniform(-0.01, 0.01)
            rows.append((code, day, D(f"{value:.6f}")))
            day += timedelta(days=1)
    return rows


def at(days_ago: int, hour: int = 12) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour), UTC)


def local(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).strftime("%Y-%m-%dT12:00")


async def player(client, sessionmaker) -> tuple[int, dict[str, int]]:
    """A player with a EUR and a USD site and a GBP asset, 30 days of balances, flows in three
    currencies, and rates that moved every day up to two days ago."""
    email = await sign_up(client, currency="USD")
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
        await rate_queries.save(session, rates(TODAY - timedelta(days=40), TODAY - timedelta(days=2)), "test")
        ids = {}
        for name, kind, code in (
            ("Winamax", "site", "EUR"),
            ("Stars", "site", "USD"),
            ("Pounds", "asset", "GBP"),
        ):
            holding = Holding(user_id=user.id, kind=kind, name=name, name_key=name.casefold(), currency=code)
            session.add(holding)
            await session.flush()
            ids[name] = holding.id
            for n in range(30, -1, -3):
                balance = D(100 + (n * 7) % 23 + len(name))
                session.add(
                    BalanceEntry(holding_id=holding.id, recorded_at=at(n), balance=balance, currency=code)
                )
        for n, (kind, code, holding_id) in enumerate(
            (("deposit", "EUR", ids["Winamax"]), ("withdrawal", "USD", None), ("bonus", "GBP", ids["Pounds"]))
            * 4
        ):
            session.add(
                Flow(
                    user_id=user.id,
                    kind=kind,
                    occurred_at=at(28 - 2 * n, 9 + n),
                    amount=D(10 + n),
                    currency=code,
                    holding_id=holding_id,
                )
            )
        await daily.refresh(session, user)
        await session.commit()
        return user.id, ids  # type: ignore[return-value]


FIGURES = re.compile(r'id="(bankroll|profit|sites|assets|deposits|withdrawals)-total">([^<]+)<')
CHART = re.compile(r"<svg.*?</svg>", re.S)


async def dashboard_is_fresh(client) -> None:
    """The dashboard the player sees (its history walk from the aggregate cache, when cached) shows
    what it shows when nothing is cached: no write may leave a stale total behind."""
    state = client._transport.app.state
    response = await client.get("/dashboard")
    assert response.status_code == 200, response.text[-3000:]
    seen = response.text
    kept, state["cache"] = state["cache"], Cache()  # an empty cache: everything computed now
    fresh = (await client.get("/dashboard")).text
    state["cache"] = kept
    assert FIGURES.findall(seen) == FIGURES.findall(fresh)
    assert CHART.findall(seen) == CHART.findall(fresh)


async def check(sessionmaker, user_id: int, client=None) -> Ledger:
    """The dashboard's ledger (marks + what came after) against a walk through every row."""
    days = [TODAY - timedelta(days=n) for n in range(35, -1, -1)]
    async with sessionmaker() as session:
        user = await session.get(User, user_id)
        book = await services.ledger(session, user, lambda _first: days)
        await session.commit()
        history = await rate_queries.history(session, money.SNAPSHOT_RATES, date(2000, 1, 1))
        every = Ledger(
            await bankroll_queries.day_totals(session, user_id),
            await bankroll_queries.flow_rows(session, user_id),
            await bankroll_queries.transfer_rows(session, user_id),
            history,
            user.display_currency,
            services.zone(user.timezone),
        )
    fast_points, fast = services.walk(book, days)
    full_points, full = services.walk(every, days)
    assert fast_points == full_points
    assert services._sums(fast) == services._sums(full)
    assert fast.history_value == full.history_value
    async with sessionmaker() as session:  # the lists' summary reads the marks too
        listed = await services.summary(session, user)
    assert (listed.deposits, listed.withdrawals, listed.bonuses) == (
        full.deposits,
        full.withdrawals,
        full.bonuses,
    )
    if client is not None:
        await dashboard_is_fresh(client)
    return book


async def marked(sessionmaker, user_id: int, client=None) -> Ledger:
    """Check twice: the first view may store marks; the second must use them and agree."""
    await check(sessionmaker, user_id, client)
    book = await check(sessionmaker, user_id, client)
    assert book.through == TODAY - timedelta(days=2)  # the newest final rates
    assert all(day > book.through for day, *_rest in book.days)
    return book


async def test_marks_are_stored_once_and_then_spare_the_history(client, sessionmaker):
    user_id, _ids = await player(client, sessionmaker)
    first = await check(sessionmaker, user_id)
    assert first.stored and first.through is None  # nothing marked yet: everything walked, then stored
    again = await check(sessionmaker, user_id)
    assert not again.stored and again.through == TODAY - timedelta(days=2)
    assert len(again.days) < 10 and len(again.flows) <= 1  # only what came after the final rates


async def test_every_change_a_player_can_make_keeps_the_figures_exact(client, post, sessionmaker):
    user_id, ids = await player(client, sessionmaker)
    await marked(sessionmaker, user_id, client)
    assert len(FIGURES.findall((await client.get("/dashboard")).text)) == 6

    # A deposit dated 20 days ago, then edited, deleted and restored.
    form = {"occurred_at": local(20), "amount": "75", "currency": "EUR", "holding_id": ids["Winamax"]}
    assert (await post.form("/deposits", {**form, "request_key": uuid.uuid4().hex})).status_code == 303
    book = await check(sessionmaker, user_id, client)
    assert book.through is not None and book.through < TODAY - timedelta(days=20)  # kept what it could
    assert not any(day <= book.through for day, *_rest in book.days)
    await marked(sessionmaker, user_id, client)
    async with sessionmaker() as session:
        flow_id = (await session.execute(select(Flow.id).where(Flow.amount == D(75)))).scalar_one()
    edited = {**form, "occurred_at": local(25), "amount": "80", "currency": "JPY"}
    assert (await post.form(f"/flows/{flow_id}/edit", edited)).status_code == 303
    await marked(sessionmaker, user_id, client)
    assert (await post.form(f"/flows/{flow_id}/delete")).status_code == 303
    await marked(sessionmaker, user_id, client)
    assert (await post.form(f"/flows/{flow_id}/restore")).status_code == 303
    await marked(sessionmaker, user_id, client)

    # A balance recorded in the past, and a transfer between currencies, edited and deleted again.
    update = {"balance": "321.5", "recorded_at": local(15), "request_key": uuid.uuid4().hex}
    assert (await post.form(f"/holdings/{ids['Stars']}/balance", update)).status_code in (200, 303)
    await marked(sessionmaker, user_id, client)
    transfer = {
        "from_holding_id": ids["Pounds"],
        "to_holding_id": ids["Winamax"],
        "amount": "20",
        "occurred_at": local(10),
        "request_key": uuid.uuid4().hex,
    }
    assert (await post.form("/transfers", transfer)).status_code == 303
    await marked(sessionmaker, user_id, client)
    async with sessionmaker() as session:
        transfer_id = (await session.execute(select(Transfer.id))).scalar_one()
    # Edited: earlier, to another holding and currency, then later with what arrived typed.
    edited = {**transfer, "to_holding_id": ids["Stars"], "amount": "25", "occurred_at": local(18)}
    assert (await post.form(f"/transfers/{transfer_id}/edit", edited)).status_code == 303
    await marked(sessionmaker, user_id, client)
    edited = {**edited, "occurred_at": local(5), "received": "30"}
    assert (await post.form(f"/transfers/{transfer_id}/edit", edited)).status_code == 303
    await marked(sessionmaker, user_id, client)
    assert (await post.form(f"/transfers/{transfer_id}/delete")).status_code == 303
    await marked(sessionmaker, user_id, client)

    # A rate arriving late for a day the marks valued: they are valued again.
    async with sessionmaker() as session:
        backfill = [
            ("CAD", TODAY - timedelta(days=45), D("1.7")),
            ("JPY", TODAY - timedelta(days=41), D("170")),
        ]
        assert await rate_queries.save(session, backfill, "test") == 2
        await session.commit()
    book = await check(sessionmaker, user_id, client)
    assert book.through is None  # the fingerprint of the rates changed
    await marked(sessionmaker, user_id, client)

    # Another display currency and time zone.
    settings = {"display_currency": "GBP", "locale": "en_GB", "timezone": "Pacific/Auckland"}
    assert (await post.form("/settings", settings)).status_code in (200, 303)
    book = await check(sessionmaker, user_id, client)
    assert book.through is None
    await check(sessionmaker, user_id, client)

    # Deleting a site (and its transfers leave the walk), then undoing it.
    assert (await post.form(f"/holdings/{ids['Pounds']}/delete")).status_code == 303
    await check(sessionmaker, user_id, client)
    await check(sessionmaker, user_id, client)
    assert (await post.form(f"/holdings/{ids['Pounds']}/restore")).status_code == 303
    await check(sessionmaker, user_id, client)
    await check(sessionmaker, user_id, client)

    # Resetting everything, and undoing the reset.
    reset = {"confirm": "RESET", "request_key": uuid.uuid4().hex}
    assert (await post.form("/data/reset", reset)).status_code == 303
    await check(sessionmaker, user_id, client)
    async with sessionmaker() as session:
        reset_id = (await session.execute(select(DataReset.id))).scalar_one()
    assert (await post.form(f"/data/resets/{reset_id}/undo")).status_code == 303
    await check(sessionmaker, user_id, client)
    await check(sessionmaker, user_id, client)


async def test_a_change_while_marks_are_computed_keeps_them_from_being_stored(client, sessionmaker):
    """A view that read the history before a change must not store marks over it."""
    user_id, _ids = await player(client, sessionmaker)
    async with sessionmaker() as session:
        user = await session.get(User, user_id)
        from app.bankroll import marks

        found = await marks.plan(session, user_id, "USD", "UTC")
        await marks.changed(session, user_id, at(20))  # a writer, before the view stores its marks
        stored = await marks.save(
            session,
            user_id,
            found,
            [(TODAY - timedelta(days=3), marks.NOTHING)],
            currency="USD",
            timezone="UTC",
            codes={"USD"},
            through=TODAY - timedelta(days=2),
        )
        assert not stored
        state = (
            await session.execute(select(BankrollMarkState).where(BankrollMarkState.user_id == user.id))
        ).scalar_one()
        assert state.valid_through < TODAY - timedelta(days=20)
