"""The charts page: the chooser and ranges (plain and htmx, in the URL), each chart with its text
summary, another player's data never shown, and a long history drawn quickly."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.bankroll import daily
from app.models import BalanceEntry, Flow, Holding, User

PANEL = {"HX-Request": "true", "HX-Target": "#chart-panel"}


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def add_history(
    sessionmaker, email: str, name: str, balances: list[str], kind="site", currency="USD"
) -> None:
    """One balance per day, ending today."""
    user = await user_for(sessionmaker, email)
    start = datetime.now(UTC) - timedelta(days=len(balances) - 1)
    async with sessionmaker() as session:
        holding = Holding(
            user_id=user.id,
            kind=kind,
            name=name,
            name_key=name.casefold(),
            currency=currency,
            created_at=start,
        )
        session.add(holding)
        await session.flush()
        session.add_all(
            BalanceEntry(
                holding_id=holding.id,
                recorded_at=start + timedelta(days=n),
                balance=Decimal(b),
                currency=currency,
            )
            for n, b in enumerate(balances)
        )
        await daily.refresh(session, user)
        await session.commit()


async def add_flow(sessionmaker, email: str, kind: str, amount: str, days_ago: int) -> None:
    user = await user_for(sessionmaker, email)
    async with sessionmaker() as session:
        at = datetime.now(UTC) - timedelta(days=days_ago)
        session.add(Flow(user_id=user.id, kind=kind, occurred_at=at, amount=Decimal(amount), currency="USD"))
        await session.commit()


async def test_the_bankroll_chart_is_the_default_with_a_text_summary(client, player, sessionmaker):
    await add_history(sessionmaker, player, "Stars", ["100", "150", "120"])
    page = await client.get("/charts")
    assert page.status_code == 200
    assert '<h2 id="chart-page-title">Bankroll over time</h2>' in page.text
    assert '<svg class="chart"' in page.text and 'role="img"' in page.text
    summary = page.text[page.text.index("chart-summary") :][:300]
    assert "$120.00" in summary and "change +$20.00" in summary, summary
    assert 'href="/charts?chart=bankroll&amp;range=90d" hx-get' in page.text


async def test_switching_chart_or_range_with_htmx_returns_only_the_panel(client, player, sessionmaker):
    await add_history(sessionmaker, player, "Stars", ["100", "150"])
    response = await client.get("/charts", params={"chart": "profit", "range": "30d"}, headers=PANEL)
    assert response.text.lstrip().startswith('<section id="chart-panel"')
    assert "Profit over time" in response.text and "HX-Request" in response.headers["Vary"]
    url = "/charts?chart=profit&amp;range=30d"
    attributes = f'hx-get="{url}" hx-target="#chart-panel" hx-swap="outerHTML" hx-push-url="true"'
    assert f'href="{url}" {attributes} aria-current="page">30 d</a>' in response.text


async def test_deposits_and_withdrawals_per_month(client, player, sessionmaker):
    await add_flow(sessionmaker, player, "deposit", "50", 1)
    await add_flow(sessionmaker, player, "deposit", "25", 1)
    await add_flow(sessionmaker, player, "withdrawal", "40", 1)
    await add_flow(sessionmaker, player, "deposit", "999", 400)  # outside 90 days
    page = await client.get("/charts", params={"chart": "flows"})
    assert "1 month with deposits or withdrawals." in page.text
    assert "$75.00" in page.text and "$40.00" in page.text and "$999.00" not in page.text
    everything = await client.get("/charts", params={"chart": "flows", "range": "all"})
    assert "$999.00" in everything.text


async def test_the_split_by_site_and_asset(client, player, sessionmaker):
    await add_history(sessionmaker, player, "Stars", ["300"])
    await add_history(sessionmaker, player, "Bank", ["100"], kind="asset")
    page = await client.get("/charts", params={"chart": "split"})
    assert "Stars: 75.0 %; Bank: 25.0 %" in page.text
    assert 'class="bar-site"' in page.text and 'class="bar-asset"' in page.text


async def test_empty_charts_say_so_and_odd_parameters_fall_back(client, player):
    for params in ({}, {"chart": "flows"}, {"chart": "split"}, {"chart": "<x>", "range": "zz"}):
        page = await client.get("/charts", params=params)
        assert page.status_code == 200 and 'class="empty chart-empty"' in page.text


async def test_another_players_figures_never_show(client, player, other_client, other_player, sessionmaker):
    await add_history(sessionmaker, other_player, "Secret site", ["777"])
    page = await client.get("/charts", params={"chart": "split"})
    assert "Secret site" not in page.text


async def test_the_charts_page_needs_a_login(client):
    response = await client.get("/charts")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_five_years_of_daily_balances_chart_quickly(client, player, sessionmaker):
    await add_history(sessionmaker, player, "Stars", [str(1000 + n % 97) for n in range(5 * 365)])
    await add_history(sessionmaker, player, "Bank", [str(500 + n % 13) for n in range(5 * 365)], kind="asset")
    await client.get("/charts", params={"range": "all"})  # warm-up
    started = time.perf_counter()
    response = await client.get("/charts", params={"range": "all"}, headers=PANEL)
    elapsed = time.perf_counter() - started
    assert (
        response.status_code == 200 and response.text.count(" L") <= 3 * 121
    )  # 3 paths of at most 120 points
    print(f"charts, 5 years daily: {elapsed * 1000:.0f} ms")
    assert elapsed < 0.5, f"{elapsed:.3f}s"  # the budget is 100 ms server time; CI machines vary


# ---- each site's and asset's value over time (stacked) ---------------------------------------------


async def test_the_sites_chart_stacks_each_site_valued_at_the_rate_of_each_day(client, player, sessionmaker):
    from app.models import ExchangeRate

    today = datetime.now(UTC).date()
    async with sessionmaker() as session:
        session.add_all(
            [
                ExchangeRate(currency="USD", day=today - timedelta(days=2), units_per_eur=Decimal("1.10")),
                ExchangeRate(currency="USD", day=today, units_per_eur=Decimal("1.20")),
            ]
        )
        await session.commit()
    await add_history(sessionmaker, player, "Unibet", ["100", "100", "100"], currency="EUR")
    await add_history(sessionmaker, player, "Stars", ["50", "60", "70"])
    await add_history(sessionmaker, player, "Vault", ["9999"], kind="asset")
    page = await client.get("/charts", params={"chart": "sites", "range": "30d"})
    assert '<h2 id="chart-page-title">Sites over time</h2>' in page.text
    assert page.text.count('class="stack series-') == 2 and "Vault" not in page.text
    figures = page.text[page.text.index("<summary>The figures") :]
    # Unibet's 100 EUR: 110 USD two days ago, 120 USD today; Stars in USD as recorded.
    assert '<td>Unibet</td><td class="num">$110.00</td><td class="num">$120.00</td>' in figures
    assert '<td>Stars</td><td class="num">$50.00</td><td class="num">$70.00</td>' in figures
    summary = page.text[page.text.index('id="chart-summary"') :][:300]
    assert "Unibet $120.00, Stars $70.00; total $190.00" in summary and "total $160.00" in summary


async def test_the_largest_sites_get_a_band_each_and_the_rest_is_other(client, player, sessionmaker):
    for n in range(9):
        await add_history(sessionmaker, player, f"Site {n}", [str(100 * (n + 1))])
    page = await client.get("/charts", params={"chart": "sites"})
    assert page.text.count('class="stack series-') == 7
    legend = page.text[page.text.index("stack-legend") :]
    assert legend.index("Site 8") < legend.index("Site 3") and "Other (3)" in legend
    assert "Site 2" not in legend and "Site 0" not in legend
    assert "3 others $600.00" in page.text  # 100 + 200 + 300


async def test_the_assets_chart_with_htmx_is_the_panel_alone(client, player, sessionmaker):
    await add_history(sessionmaker, player, "Vault", ["500", "510"], kind="asset")
    await add_history(sessionmaker, player, "Stars", ["300"])
    response = await client.get("/charts", params={"chart": "assets", "range": "1y"}, headers=PANEL)
    assert response.text.lstrip().startswith('<section id="chart-panel"')
    assert "Assets over time" in response.text and "Vault $510.00" in response.text
    assert "Stars" not in response.text


async def test_a_long_history_is_sent_as_monthly_points(client, player, sessionmaker):
    for name in ("Stars", "GG"):
        await add_history(sessionmaker, player, name, [str(1000 + n % 97) for n in range(5 * 365)])
    page = await client.get("/charts", params={"chart": "sites", "range": "all"}, headers=PANEL)
    paths = [part for part in page.text.split('class="stack series-')[1:]]
    assert len(paths) == 2
    for path in paths:
        points = path[: path.index('"/>')].count(",")
        assert 2 * 58 <= points <= 2 * 63, points  # up and back along ~61 month ends
    assert "one value a month" in page.text
    year = await client.get("/charts", params={"chart": "sites", "range": "1y"}, headers=PANEL)
    assert "one value a week" in year.text


async def test_the_stacked_charts_never_show_another_players_sites(
    client, player, other_player, sessionmaker
):
    await add_history(sessionmaker, other_player, "Secret site", ["777"])
    await add_history(sessionmaker, player, "Mine", ["1"])
    page = await client.get("/charts", params={"chart": "sites"})
    assert "Secret site" not in page.text and "Mine" in page.text


async def test_stacked_charts_without_balances_say_so(client, player):
    for chart_kind in ("sites", "assets"):
        page = await client.get("/charts", params={"chart": chart_kind})
        assert page.status_code == 200 and 'class="empty chart-empty"' in page.text


def test_sample_days_are_daily_then_weekly_then_monthly_and_end_today():
    from datetime import date

    from app.charts.stacked import sample_days

    today = date(2026, 12, 3)
    days, step = sample_days("90d", today, date(2020, 1, 1))
    assert step == "day" and len(days) == 90 and days[-1] == today
    days, step = sample_days("1y", today, date(2020, 1, 1))
    assert step == "week" and days[0] == today - timedelta(days=364) and days[-1] == today
    assert all((b - a).days <= 7 for a, b in itertools.pairwise(days)) and len(days) <= 54
    days, step = sample_days("all", today, date(2021, 12, 10))
    assert step == "month" and days[0] == date(2021, 12, 10) and days[1] == date(2021, 12, 31)
    assert days[-2] == date(2026, 11, 30) and days[-1] == today and len(days) == 62
    assert sample_days("all", today, None) == ([], "day")
    assert sample_days("30d", today, today) == ([today], "day")
