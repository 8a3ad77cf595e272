"""The money rules of the bankroll core, on the real database, with exact Decimal results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app import money
from app.bankroll import queries, services
from app.models import BalanceEntry, ExchangeRate, Flow, Holding, User

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def make_user(session, currency="USD") -> User:
    user = User(
        email=f"core-{currency}-{id(session)}@example.com", password_hash="x", display_currency=currency
    )
    session.add(user)
    await session.flush()
    return user


async def make_holding(session, user, name, kind, currency, balances, start=T0) -> Holding:
    holding = Holding(user_id=user.id, kind=kind, name=name, name_key=name.lower(), currency=currency)
    session.add(holding)
    await session.flush()
    for day, amount in enumerate(balances):
        session.add(
            BalanceEntry(
                holding_id=holding.id,
                recorded_at=start + timedelta(days=day),
                balance=Decimal(amount),
                currency=currency,
            )
        )
    await session.flush()
    return holding


async def add_flow(session, user, kind, amount, currency, when=T0):
    session.add(Flow(user_id=user.id, kind=kind, amount=Decimal(amount), currency=currency, occurred_at=when))
    await session.flush()


async def test_the_issue_example_bankroll_300_profit_350(sessionmaker):
    async with sessionmaker() as session:
        user = await make_user(session)
        await make_holding(session, user, "Stars", "site", "USD", ["0", "200"])
        await make_holding(session, user, "GG", "site", "USD", ["50"])
        await make_holding(session, user, "Bank", "asset", "USD", ["50"])
        await add_flow(session, user, "deposit", "50", "USD")
        await add_flow(session, user, "withdrawal", "100", "USD")
        summary = await services.summary(session, user)
    assert summary.bankroll == Decimal("300")
    assert summary.profit == Decimal("350")
    assert summary.sites.total == Decimal("250")
    assert summary.poker_profit == Decimal("300")
    assert summary.deposits == Decimal("50") and summary.withdrawals == Decimal("100")


async def test_totals_convert_every_currency_into_the_players_own(sessionmaker):
    rates = money.SNAPSHOT_RATES
    async with sessionmaker() as session:
        user = await make_user(session, "EUR")
        await make_holding(session, user, "Stars", "site", "USD", ["117.88"])
        await make_holding(session, user, "Wallet", "asset", "BTC", ["0.5"])
        await add_flow(session, user, "deposit", "100", "GBP")
        summary = await services.summary(session, user)
    expected_sites = money.convert(Decimal("117.88"), "USD", "EUR", rates)
    expected_assets = money.convert(Decimal("0.5"), "BTC", "EUR", rates)
    assert summary.sites.total == expected_sites
    assert summary.assets.total == expected_assets
    assert summary.deposits == money.convert(Decimal("100"), "GBP", "EUR", rates)
    assert summary.profit == money.add([expected_sites, expected_assets, summary.deposits.copy_negate()])


async def test_list_rows_show_latest_previous_and_first_values(sessionmaker):
    async with sessionmaker() as session:
        user = await make_user(session)
        await make_holding(session, user, "Stars", "site", "USD", ["100", "80", "130.50"])
        rows = await queries.holdings_with_entries(session, user.id, "site")
        summary = await services.summary(session, user)
    assert [r.latest.balance for r in rows] == [Decimal("130.50")]
    assert rows[0].previous.balance == Decimal("80") and rows[0].first.balance == Decimal("100")
    item = summary.sites.items[0]
    assert item.change == Decimal("50.50") and item.change_since_first == Decimal("30.50")
    assert summary.sites.change == Decimal("50.50")


async def test_deleted_holdings_and_flows_do_not_count(sessionmaker):
    async with sessionmaker() as session:
        user = await make_user(session)
        gone = await make_holding(session, user, "Gone", "site", "USD", ["1000"])
        gone.deleted_at = T0
        await add_flow(session, user, "deposit", "10", "USD")
        session.add(
            Flow(
                user_id=user.id,
                kind="deposit",
                amount=Decimal(5),
                currency="USD",
                occurred_at=T0,
                deleted_at=T0,
            )
        )
        await session.flush()
        summary = await services.summary(session, user)
    assert summary.bankroll == 0 and summary.deposits == Decimal("10")


async def test_another_players_money_never_appears(sessionmaker):
    async with sessionmaker() as session:
        mine, theirs = await make_user(session), await make_user(session, "EUR")
        await make_holding(session, theirs, "Stars", "site", "USD", ["999"])
        await add_flow(session, theirs, "deposit", "10", "USD")
        summary = await services.summary(session, mine)
    assert summary.bankroll == 0 and summary.deposits == 0 and not summary.has_holdings


async def test_fetched_rates_newer_than_the_snapshot_are_used(sessionmaker):
    async with sessionmaker() as session:
        session.add(
            ExchangeRate(
                currency="USD",
                day=money.SNAPSHOT_DATE + timedelta(days=30),
                units_per_eur=Decimal("1.25"),
                source="ecb",
            )
        )
        await session.flush()
        rates, day = await queries.latest_rates(session)
    assert rates["USD"] == Decimal("1.25") and rates["GBP"] == money.SNAPSHOT_RATES["GBP"]
    assert day == (money.SNAPSHOT_DATE + timedelta(days=30)).isoformat()


async def test_large_crypto_balances_keep_all_eight_decimals(sessionmaker):
    async with sessionmaker() as session:
        user = await make_user(session)
        holding = await make_holding(session, user, "Cold", "asset", "BTC", ["9999999999.12345678"])
        rows = await queries.holdings_with_entries(session, user.id)
    assert rows[0].latest.balance == Decimal("9999999999.12345678")
    assert rows[0].holding.id == holding.id
