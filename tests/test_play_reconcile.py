"""Sessions against site balances: the pure reconciliation on hand-made examples, then over HTTP with the
real queries (the dashboard line and the explanation page)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import event

from app.models import BalanceEntry, Flow, PokerSession, Transfer
from app.play.reconcile import Boundary, Window, reconcile, windows
from app.play.services import reconciliation
from tests.test_flows import make_holding, user_of

START = datetime(2026, 3, 1, 12, tzinfo=UTC)
D = Decimal


def same(amount: Decimal, _from: str, _to: str) -> Decimal:
    return amount


def site(opening: str, closing: str, name: str = "Stars", since: datetime = START) -> Window:
    return Window(name, since, D(opening), "USD", D(closing), "USD")


def unexplained(window: Window, *sums: tuple[str, str]) -> Decimal:
    rows = [(1, source, "USD", D(amount)) for source, amount in sums]
    return reconcile("all", START, {1: window}, rows, same, "USD").total


# ---- pure: reconcile ----------------------------------------------------------------------------


def test_a_session_that_explains_the_balance_change_leaves_nothing_unexplained():
    assert unexplained(site("1000", "1100"), ("played", "100")) == 0


def test_a_balance_change_without_a_session_is_all_unexplained():
    assert unexplained(site("1000", "1250")) == D(250)


def test_a_session_without_a_balance_change_is_unexplained_the_other_way():
    assert unexplained(site("1000", "1000"), ("played", "80")) == D(-80)


def test_deposits_and_withdrawals_explain_their_part_of_the_change():
    # +500 deposit, −200 withdrawal (stored signed), −50 from sessions: 1000 → 1250
    assert unexplained(site("1000", "1250"), ("moved", "500"), ("moved", "-200"), ("played", "-50")) == 0


def test_a_losing_session_and_an_unrecorded_bonus_leave_the_bonus_unexplained():
    assert unexplained(site("500", "430"), ("played", "-100")) == D(30)


def test_amounts_in_another_currency_are_converted_to_the_sites_and_the_total_to_the_players():
    def convert(amount: Decimal, from_code: str, to_code: str) -> Decimal:
        rates = {"USD": D(1), "EUR": D("0.5")}  # units per USD
        return amount / rates[from_code] * rates[to_code]

    window = Window("Unibet", START, D(100), "USD", D(100), "EUR")  # the site's currency changed to EUR
    result = reconcile("all", START, {7: window}, [(7, "played", "EUR", D(40))], convert, "USD")
    [line] = result.lines
    assert (line.currency, line.change, line.played, line.unexplained) == ("EUR", D(50), D(40), D(10))
    assert result.total == D(20)


def test_sums_of_a_site_without_any_balance_are_left_out():
    result = reconcile("all", START, {}, [(3, "played", "USD", D(70))], same, "USD")
    assert result.lines == [] and result.total == 0


def test_the_total_adds_the_sites_and_the_largest_difference_comes_first():
    sites = {1: site("0", "10", "Small"), 2: site("0", "-300", "Big")}
    result = reconcile("all", START, sites, [], same, "USD")
    assert [line.name for line in result.lines] == ["Big", "Small"]
    assert result.total == D(-290)


# ---- pure: windows ------------------------------------------------------------------------------


def boundary(at: datetime, balance: str, *, before: bool, holding: int = 1) -> Boundary:
    return Boundary(holding, "Stars", at, D(balance), "USD", before)


def test_the_window_opens_at_the_last_balance_before_the_start_and_closes_at_the_latest():
    rows = [
        boundary(START - timedelta(days=9), "700", before=True),
        boundary(START - timedelta(days=1), "800", before=True),
        boundary(START + timedelta(days=1), "850", before=False),
        boundary(START + timedelta(days=5), "900", before=False),
    ]
    window = windows(rows, START)[1]
    assert (window.opening, window.closing, window.since) == (D(800), D(900), START)


def test_a_site_first_seen_after_the_start_opens_at_its_first_balance_which_is_no_change():
    first = START + timedelta(days=2)
    rows = [boundary(first, "300", before=False), boundary(START + timedelta(days=4), "340", before=False)]
    window = windows(rows, START)[1]
    assert (window.opening, window.closing, window.since) == (D(300), D(340), first)


def test_a_site_with_no_balance_in_the_period_has_no_change():
    window = windows([boundary(START - timedelta(days=3), "600", before=True)], START)[1]
    assert window.opening == window.closing == D(600)


# ---- HTTP, with the real queries ----------------------------------------------------------------

NOW = datetime.now(UTC).replace(microsecond=0)


async def add_rows(sessionmaker, *rows) -> None:
    async with sessionmaker() as session:
        session.add_all(rows)
        await session.commit()


def online_play(user_id: int, holding_id: int, buy_in: str, cash_out: str, hours_ago: int) -> PokerSession:
    end = NOW - timedelta(hours=hours_ago)
    return PokerSession(
        user_id=user_id,
        game="NLH",
        format="cash",
        holding_id=holding_id,
        currency="USD",
        small_blind=D("0.5"),
        big_blind=D(1),
        buy_in=D(buy_in),
        cash_out=D(cash_out),
        started_at=end - timedelta(hours=2),
        ended_at=end,
    )


def entry(holding_id: int, balance: str, hours_ago: int) -> BalanceEntry:
    return BalanceEntry(
        holding_id=holding_id,
        recorded_at=NOW - timedelta(hours=hours_ago),
        balance=D(balance),
        currency="USD",
    )


def unexplained_text(page: str) -> str:
    match = re.search(r'id="play-unexplained".*?<strong[^>]*>([^<]+)</strong>', page, re.S)
    assert match, "no unexplained line"
    return match.group(1)


async def test_the_dashboard_shows_no_line_before_any_session_at_a_site(client, player):
    page = await client.get("/dashboard")
    assert page.status_code == 200 and 'id="play-unexplained"' not in page.text


async def test_the_dashboard_shows_what_sessions_and_moves_leave_unexplained(client, player, sessionmaker):
    user = await user_of(sessionmaker, player)
    stars = await make_holding(sessionmaker, player, "Stars", "site", "USD")
    bank = await make_holding(sessionmaker, player, "Bank", "asset", "USD")
    await add_rows(
        sessionmaker,
        entry(stars, "1000", 100),  # before the first session: the opening balance
        online_play(user.id, stars, "200", "350", 50),  # +150
        Flow(
            user_id=user.id,
            kind="deposit",
            occurred_at=NOW - timedelta(hours=40),
            amount=D(500),
            currency="USD",
            holding_id=stars,
        ),
        Flow(
            user_id=user.id,
            kind="withdrawal",
            occurred_at=NOW - timedelta(hours=30),
            amount=D(100),
            currency="USD",
            holding_id=stars,
        ),
        Transfer(
            user_id=user.id,
            occurred_at=NOW - timedelta(hours=20),
            from_holding_id=bank,
            to_holding_id=stars,
            amount=D(52),
            from_currency="USD",
            fee=D(2),
            received=D(50),
            to_currency="USD",
        ),
        entry(stars, "1625", 10),  # 1000 + 150 + 500 − 100 + 50 = 1600: 25 unexplained
    )
    page = await client.get("/dashboard")
    assert unexplained_text(page.text) == "+$25.00"
    assert 'href="/play/reconcile"' in page.text

    explained = await client.get("/play/reconcile")
    assert explained.status_code == 200
    row = re.search(r"<th scope=\"row\"[^>]*>Stars</th>(.*?)</tr>", explained.text, re.S)
    assert row is not None
    assert re.findall(r"[+−-]\$[0-9.,]+", row.group(1)) == ["+$625.00", "+$450.00", "+$150.00", "+$25.00"]


async def test_sessions_at_sites_explaining_every_change_leave_zero(client, player, sessionmaker):
    user = await user_of(sessionmaker, player)
    stars = await make_holding(sessionmaker, player, "Stars", "site", "USD")
    await add_rows(
        sessionmaker,
        entry(stars, "300", 100),
        online_play(user.id, stars, "100", "0", 50),  # −100
        entry(stars, "200", 50),  # the session's own balance update, at its end
        PokerSession(  # a tournament: 300 − (10 + 1) × 2 − 5 = 273
            user_id=user.id,
            game="NLH",
            format="MTT",
            holding_id=stars,
            currency="USD",
            buy_in=D(10),
            fee=D(1),
            re_entries=1,
            add_ons=D(5),
            cash_out=D(300),
            started_at=NOW - timedelta(hours=9),
            ended_at=NOW - timedelta(hours=5),
        ),
        entry(stars, "473", 4),
    )
    page = await client.get("/dashboard")
    assert unexplained_text(page.text) == "$0.00"


async def test_this_month_starts_from_the_balance_at_the_start_of_the_month(client, player, sessionmaker):
    user = await user_of(sessionmaker, player)
    stars = await make_holding(sessionmaker, player, "Stars", "site", "USD")
    long_ago = (NOW - timedelta(days=80)).replace(day=1)
    await add_rows(
        sessionmaker,
        BalanceEntry(holding_id=stars, recorded_at=long_ago, balance=D(100), currency="USD"),
        PokerSession(
            user_id=user.id,
            game="NLH",
            format="cash",
            holding_id=stars,
            currency="USD",
            small_blind=D(1),
            big_blind=D(2),
            buy_in=D(100),
            cash_out=D(400),
            started_at=long_ago + timedelta(hours=1),
            ended_at=long_ago + timedelta(hours=3),
        ),
        BalanceEntry(
            holding_id=stars, recorded_at=long_ago + timedelta(days=2), balance=D(900), currency="USD"
        ),
    )
    whole = await client.get("/play/reconcile")
    assert re.search(
        r"Unexplained since your first session at a site:\s*<strong[^>]*>\+\$500\.00", whole.text
    )
    month = await client.get("/play/reconcile?period=month")
    assert re.search(r"Unexplained this month:\s*<strong[^>]*>\$0\.00", month.text)
    assert 'aria-current="true">This month' in month.text


async def test_another_players_sites_and_sessions_never_count(client, player, other_player, sessionmaker):
    other = await user_of(sessionmaker, other_player)
    theirs = await make_holding(sessionmaker, other_player, "Stars", "site", "USD")
    await add_rows(
        sessionmaker,
        entry(theirs, "10", 100),
        online_play(other.id, theirs, "1", "9", 50),
        entry(theirs, "999", 1),
    )
    page = await client.get("/play/reconcile")
    assert "Nothing to compare yet" in page.text


async def test_the_reconciliation_runs_the_same_few_queries_whatever_the_history(
    player, other_player, sessionmaker, connection
):
    small, big = await user_of(sessionmaker, player), await user_of(sessionmaker, other_player)
    one = await make_holding(sessionmaker, player, "Stars", "site", "USD")
    await add_rows(sessionmaker, entry(one, "100", 300), online_play(small.id, one, "10", "20", 200))
    for n in range(6):
        site_id = await make_holding(sessionmaker, other_player, f"Site {n}", "site", "USD")
        rows = [entry(site_id, str(100 + hour), hour) for hour in range(1, 200, 7)]
        rows += [online_play(big.id, site_id, "10", str(hour), hour) for hour in range(3, 150, 11)]
        rows += [
            Flow(
                user_id=big.id,
                kind="deposit",
                occurred_at=NOW - timedelta(hours=h),
                amount=D(5),
                currency="USD",
                holding_id=site_id,
            )
            for h in range(2, 100, 13)
        ]
        await add_rows(sessionmaker, *rows)
    counts = []
    for user in (small, big):
        count = 0

        def count_query(*_args) -> None:
            nonlocal count
            count += 1

        event.listen(connection.sync_engine, "before_cursor_execute", count_query)
        try:
            async with sessionmaker() as session:
                assert await reconciliation(session, user) is not None
        finally:
            event.remove(connection.sync_engine, "before_cursor_execute", count_query)
        counts.append(count)
    # first session, balance edges (two: which entries, then those), sums, rates + the savepoint pair
    assert counts[0] == counts[1] <= 7
