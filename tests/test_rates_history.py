"""Rate history: each past value converted at the rate of its own day (the nearest earlier known
rate, the bundled snapshot before any), current totals at the latest rate; exact Decimals throughout
(the summary, the profit's parts, the chart and the deposits list)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import money
from app.bankroll import daily, services
from app.bankroll.queries import FlowRow, TransferRow
from app.bankroll.services import Group, Ledger, Summary
from app.models import BalanceEntry, ExchangeRate, Flow, Holding, User
from app.rates import queries
from app.rates.history import RateHistory, snapshot_only
from tests.conftest import sign_up

D = Decimal
SNAP = money.SNAPSHOT_DATE


# ---- the pure history ----------------------------------------------------------------------------


def test_a_machine_that_never_fetched_uses_the_snapshot_on_every_day():
    history = snapshot_only()
    for day in (date(2001, 1, 1), SNAP, date(2030, 1, 1)):
        assert history.on(day) == money.SNAPSHOT_RATES
    assert history.latest() == money.SNAPSHOT_RATES and history.latest_day() == SNAP


def test_each_day_takes_the_nearest_earlier_known_rate_and_the_snapshot_before_any():
    history = RateHistory.from_rows(
        [
            ("USD", date(2026, 3, 2), D("1.20")),
            ("USD", date(2026, 3, 5), D("1.10")),
            ("GBP", date(2026, 3, 3), D("0.80")),
            ("XXX", date(2026, 3, 3), D("9")),  # unknown currencies are ignored
        ]
    )
    assert history.rate("USD", date(2026, 3, 1)) == money.SNAPSHOT_RATES["USD"]  # the snapshot is older
    assert history.rate("USD", date(2026, 3, 2)) == D("1.20")
    assert history.rate("USD", date(2026, 3, 4)) == D("1.20")  # a weekend: the Friday rate
    assert history.rate("USD", date(2026, 3, 5)) == D("1.10")
    assert history.rate("USD", date(2031, 1, 1)) == D("1.10")
    assert history.rate("USD", date(2020, 1, 1)) == money.SNAPSHOT_RATES["USD"]  # before any known rate
    assert history.rate("JPY", date(2026, 3, 5)) == money.SNAPSHOT_RATES["JPY"]  # never fetched
    assert history.latest()["USD"] == D("1.10") and history.latest()["GBP"] == D("0.80")
    assert history.latest_day() == date(2026, 3, 5)
    assert "XXX" not in history.latest()


def test_a_fetched_rate_older_than_the_snapshot_serves_its_days_but_not_today():
    old = SNAP - timedelta(days=30)
    history = RateHistory.from_rows([("USD", old, D("1.05"))])
    assert history.rate("USD", old + timedelta(days=1)) == D("1.05")
    assert history.rate("USD", SNAP) == money.SNAPSHOT_RATES["USD"]
    assert history.latest()["USD"] == money.SNAPSHOT_RATES["USD"] and history.latest_day() == SNAP


def test_conversions_with_the_rates_of_a_day_are_exact():
    history = RateHistory.from_rows(
        [("USD", date(2026, 3, 2), D("1.25")), ("GBP", date(2026, 3, 2), D("0.8"))]
    )
    day = date(2026, 3, 2)
    assert history.convert(D("125"), "USD", "EUR", day) == D("100")
    assert history.convert(D("100"), "USD", "GBP", day) == D("64")
    assert history.convert(D("1"), "USD", "EUR", day) == D("0.8")
    assert history.convert(D("1"), "USD", "EUR", date(2026, 3, 1)) == D(
        "0.8483203257550050899219545300305395"
    )
    assert history.convert(D("7.77"), "JPY", "JPY", day) == D("7.77")


# ---- the profit's parts add up, whatever the history ----------------------------------------------

CODES = ["EUR", "USD", "GBP", "BTC"]
START = date(2026, 1, 1)


@st.composite
def ledgers(draw):  # type: ignore[no-untyped-def]
    rate = st.decimals(min_value=D("0.5"), max_value=D("2"), places=4)
    rates = [
        (
            code,
            START + timedelta(days=draw(st.integers(0, 40))),
            draw(rate) * (D("0.00002") if code == "BTC" else 1),
        )
        for code in CODES[1:]
        for _ in range(draw(st.integers(0, 3)))
    ]
    amount = st.decimals(min_value=D(0), max_value=D(5000), places=2)
    days = sorted(set(draw(st.lists(st.integers(0, 40), max_size=6))))
    snapshots = [
        (START + timedelta(days=d), kind, code, draw(amount))
        for d in days
        for kind in ("site", "asset")
        for code in draw(st.sets(st.sampled_from(CODES), max_size=2))
    ]
    moment = st.integers(0, 40 * 24).map(lambda h: datetime.combine(START, time(0), UTC) + timedelta(hours=h))
    flows = sorted(
        (
            FlowRow(
                draw(moment),
                draw(st.sampled_from(["deposit", "withdrawal", "bonus"])),
                draw(st.sampled_from(CODES)),
                draw(amount),
                draw(st.sampled_from([None, "site", "asset"])),
            )
            for _ in range(draw(st.integers(0, 5)))
        ),
        key=lambda f: f.occurred_at,
    )
    transfers = [
        TransferRow(
            draw(moment),
            draw(st.sampled_from(["site", "asset"])),
            draw(st.sampled_from(CODES)),
            draw(amount),
            draw(st.sampled_from(["site", "asset"])),
            draw(st.sampled_from(CODES)),
            draw(amount),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    history = RateHistory.from_rows(rates)
    return Ledger(
        snapshots,
        flows,
        sorted(transfers, key=lambda t: t.occurred_at),
        history,
        draw(st.sampled_from(CODES)),
        ZoneInfo("UTC"),
    )


@settings(max_examples=60, deadline=None)
@given(ledgers())
def test_poker_assets_exchange_bonuses_and_fees_add_up_to_the_profit_exactly(book):
    _points, state = services.walk(book, [START + timedelta(days=40)])
    latest = book.history.latest()
    held = state.held
    sites = money.total(
        [(v, code) for (kind, code), v in held.items() if kind == "site"], book.currency, latest
    )
    assets = money.total(
        [(v, code) for (kind, code), v in held.items() if kind == "asset"], book.currency, latest
    )
    summary = Summary(
        book.currency, latest, "", Group(total=sites), Group(total=assets), state.deposits, state.withdrawals
    )
    parts = services.breakdown(summary, state)
    assert parts.total == summary.profit
    if not book.transfers:
        assert parts.fees == 0


# ---- through the database and the pages ----------------------------------------------------------


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def euro_player(client, sessionmaker) -> tuple[User, date, date]:
    """A USD player whose EUR site went 100 → 200 (day A: USD 1.25; day B: USD 1.10), with a deposit
    of 100 EUR on each of those days."""
    email = await sign_up(client, currency="USD")
    user = await user_for(sessionmaker, email)
    today = datetime.now(UTC).date()
    day_a, day_b = today - timedelta(days=10), today - timedelta(days=5)
    async with sessionmaker() as session:
        session.add_all(
            [
                ExchangeRate(currency="USD", day=day_a, units_per_eur=D("1.25"), source="ecb"),
                ExchangeRate(currency="USD", day=day_b, units_per_eur=D("1.10"), source="ecb"),
            ]
        )
        site = Holding(user_id=user.id, kind="site", name="Winamax", name_key="winamax", currency="EUR")
        session.add(site)
        await session.flush()
        for day, balance in ((day_a, "100"), (day_b, "200")):
            at = datetime.combine(day, time(12), UTC)
            session.add(BalanceEntry(holding_id=site.id, recorded_at=at, balance=D(balance), currency="EUR"))
            session.add(Flow(user_id=user.id, kind="deposit", occurred_at=at, amount=D(100), currency="EUR"))
        await daily.refresh(session, user)
        await session.commit()
    return user, day_a, day_b


async def test_stored_rates_come_back_as_a_history_from_one_query(client, sessionmaker):
    _user, day_a, day_b = await euro_player(client, sessionmaker)
    async with sessionmaker() as session:
        history = await queries.history(session, {"USD"}, day_a + timedelta(days=2))
        newest_only = await queries.history(session)
    assert history.rate("USD", day_a + timedelta(days=2)) == D("1.25")  # the rate still in force
    assert history.rate("USD", day_b) == D("1.10")
    assert newest_only.latest()["USD"] == D("1.10") and newest_only.latest_day() == day_b


async def test_deposits_are_valued_on_their_days_and_balances_at_the_latest_rates(client, sessionmaker):
    user, _a, _b = await euro_player(client, sessionmaker)
    async with sessionmaker() as session:
        summary = await services.summary(session, user)
        figures, parts, _book, _points = await services.overview(session, user)
    assert summary.deposits == D("235")  # 100 EUR at 1.25 + 100 EUR at 1.10
    assert summary.sites.total == D("220")  # 200 EUR at today's 1.10
    assert summary.profit == D("-15")
    assert figures.profit == D("-15")
    assert (parts.poker, parts.assets, parts.exchange, parts.bonuses, parts.fees) == (
        D(0),
        D(0),
        D(-15),
        D(0),
        D(0),
    )


async def test_the_chart_values_each_day_at_that_days_rates(client, sessionmaker):
    user, day_a, day_b = await euro_player(client, sessionmaker)
    days = [day_a, day_a + timedelta(days=2), day_b, datetime.now(UTC).date()]
    async with sessionmaker() as session:
        book = await services.ledger(session, user, lambda _first: days)
    points, _state = services.walk(book, days)
    assert [p.bankroll for p in points] == [D("125"), D("125"), D("220"), D("220")]
    assert [p.profit for p in points] == [D("0"), D("0"), D("-15"), D("-15")]
    assert [p.poker_profit for p in points] == [D(0), D(0), D(0), D(0)]


async def test_the_dashboard_shows_the_parts_and_the_date_of_the_rates(client, sessionmaker):
    _user, _a, day_b = await euro_player(client, sessionmaker)
    page = (await client.get("/dashboard")).text
    assert re.search(r'id="profit-total">-\$15\.00<', page)
    assert re.search(r'id="poker-profit">\$0\.00<', page)
    assert re.search(r'id="revaluation-total">-\$15\.00<', page)
    assert f"Rates of {day_b.isoformat()}" in page
    chart = (await client.get("/dashboard?range=30d&show=profit")).text
    assert re.search(
        r'id="chart-summary">Profit on [^:]*: \$0\.00; on [^:]*: -\$15\.00; change -\$15\.00', chart
    )
    assert "valued at that day’s exchange rates" in chart


async def test_the_deposits_list_converts_each_row_at_the_rate_of_its_day(client, sessionmaker):
    _user, _day_a, day_b = await euro_player(client, sessionmaker)
    page = (await client.get("/deposits")).text
    assert '<td class="num" data-label="In USD">$125.00</td>' in page
    assert '<td class="num" data-label="In USD">$110.00</td>' in page
    assert '<p class="figure">$235.00</p>' in page
    assert f"newest rates: {day_b.isoformat()}" in page
