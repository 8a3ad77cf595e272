"""The dashboard chart's pure functions: sample instants, the carry-forward series, and the SVG."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

from app import money
from app.bankroll import services
from app.bankroll.queries import FlowRow
from app.bankroll.services import Ledger
from app.dashboard import chart
from app.dashboard.chart import Point, Sample
from app.rates.history import RateHistory

RATES = {"EUR": Decimal(1), "USD": Decimal("1.25"), "GBP": Decimal("0.8"), "BTC": Decimal("0.00002")}
TODAY = date(2026, 6, 15)
UTC_ZONE = ZoneInfo("UTC")


def samples(*days: date, tz: ZoneInfo = UTC_ZONE) -> list[Sample]:
    return [Sample(day, chart.end_of_day(day, tz)) for day in days]


# --- sample instants ------------------------------------------------------------------------------


def test_thirty_and_ninety_day_ranges_are_daily_and_end_today():
    for key, count in (("30d", 30), ("90d", 90)):
        days = chart.sample_days(key, TODAY, date(2020, 1, 1))
        assert len(days) == count
        assert days[-1] == TODAY and days[0] == TODAY - timedelta(days=count - 1)
        assert all((b - a).days == 1 for a, b in pairwise(days))


def test_long_ranges_are_downsampled_to_at_most_120_points_with_exact_ends():
    for key, first in (("1y", date(2020, 1, 1)), ("all", date(2019, 3, 7)), ("all", date(2001, 1, 1))):
        days = chart.sample_days(key, TODAY, first)
        assert len(days) <= chart.MAX_POINTS
        assert days[-1] == TODAY
        steps = {(b - a).days for a, b in pairwise(days[:-1])}
        assert len(steps) == 1 and steps.pop() > 1  # evenly spaced between the exact ends
    assert chart.sample_days("all", TODAY, date(2019, 3, 7))[0] == date(2019, 3, 7)
    assert chart.sample_days("1y", TODAY, date(2020, 1, 1))[0] == TODAY - timedelta(days=364)


def test_a_short_history_starts_at_the_first_balance_not_at_the_range_start():
    assert chart.sample_days("90d", TODAY, TODAY - timedelta(days=4)) == [
        TODAY - timedelta(days=k) for k in range(4, -1, -1)
    ]
    assert chart.sample_days("all", TODAY, TODAY) == [TODAY]


def test_no_balances_means_no_samples():
    assert chart.sample_days("90d", TODAY, None) == []
    assert chart.sample_instants("all", TODAY, None, UTC_ZONE) == []


def test_an_unknown_range_falls_back_to_ninety_days():
    assert chart.sample_days("5y", TODAY, date(2000, 1, 1)) == chart.sample_days(
        "90d", TODAY, date(2000, 1, 1)
    )


def test_each_instant_is_the_last_moment_of_the_day_in_the_players_time_zone():
    tokyo = ZoneInfo("Asia/Tokyo")
    [sample] = chart.sample_instants("30d", TODAY, TODAY, tokyo)
    assert sample.day == TODAY
    assert sample.at == datetime(2026, 6, 15, 14, 59, 59, 999999, tzinfo=UTC)  # midnight JST − 1 µs
    assert sample.at.astimezone(tokyo).date() == TODAY
    assert (sample.at + timedelta(microseconds=1)).astimezone(tokyo).date() == TODAY + timedelta(days=1)


def test_days_with_a_clock_change_still_end_at_local_midnight():
    berlin = ZoneInfo("Europe/Berlin")
    spring, autumn = date(2026, 3, 29), date(2026, 10, 25)  # 23-hour and 25-hour days
    for day, hour in ((spring, 21), (autumn, 22)):
        at = chart.end_of_day(day, berlin)
        assert (at.hour, at.minute, at.microsecond) == (hour, 59, 999999)
        assert at.astimezone(berlin).date() == day
    los_angeles = ZoneInfo("America/Los_Angeles")
    assert chart.end_of_day(date(2026, 11, 1), los_angeles) == datetime(
        2026, 11, 2, 7, 59, 59, 999999, tzinfo=UTC
    )


# --- the series -----------------------------------------------------------------------------------


def book(snapshots, flows=(), rates=RATES, currency="EUR") -> Ledger:
    """A player's history with fixed rates (known since long before the chart)."""
    history = RateHistory.from_rows((code, date(2026, 1, 1), rate) for code, rate in rates.items())
    return Ledger(list(snapshots), list(flows), [], history, currency, UTC_ZONE)


def flow(at: datetime, kind: str, code: str, amount: str, holding_kind: str | None = None) -> FlowRow:
    return FlowRow(at, kind, code, Decimal(amount), holding_kind)


def test_the_series_sums_each_holdings_carried_forward_balance_exactly_across_currencies():
    day1, day2 = date(2026, 6, 1), date(2026, 6, 2)
    snapshots = [
        (day1, "asset", "BTC", Decimal("0.01")),
        (day1, "site", "USD", Decimal("100.10")),
        (day2, "asset", "BTC", Decimal("0.01")),
        (day2, "site", "GBP", Decimal("33.33")),
        (day2, "site", "USD", Decimal("100.10")),
    ]
    points, _state = services.walk(book(snapshots), [day1, day2])
    usd = Decimal("100.10") / Decimal("1.25")
    btc = Decimal("0.01") / Decimal("0.00002")
    gbp = Decimal("33.33") / Decimal("0.8")
    assert points[0] == Point(day1, money.add([usd, btc]), usd, money.add([usd, btc]), usd)
    assert points[1].sites == money.total(
        [(Decimal("100.10"), "USD"), (Decimal("33.33"), "GBP")], "EUR", RATES
    )
    assert points[1].bankroll == money.add([usd, gbp, btc]) == Decimal("621.7425")
    assert points[1].profit == points[1].bankroll  # no deposits or withdrawals


def test_a_day_before_any_balance_counts_as_zero_and_a_later_day_carries_the_last_snapshot():
    days = [date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 9)]
    points, _state = services.walk(book([(days[1], "site", "EUR", Decimal("5"))]), days)
    assert [p.bankroll for p in points] == [Decimal(0), Decimal(5), Decimal(5)]


def test_profit_subtracts_deposits_and_adds_withdrawals_up_to_each_day():
    days = [date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)]
    snapshots = [(day, "site", "USD", Decimal(b)) for day, b in zip(days, ["0", "200", "250"], strict=True)]
    snapshots += [(day, "asset", "USD", Decimal(50)) for day in days]
    flows = [
        flow(datetime(2026, 6, 1, 9, tzinfo=UTC), "deposit", "USD", "50"),
        flow(datetime(2026, 6, 2, 23, 59, tzinfo=UTC), "deposit", "EUR", "0"),  # late on the day counts
        flow(datetime(2026, 6, 3, 9, tzinfo=UTC), "withdrawal", "USD", "100"),
    ]
    points, _state = services.walk(book(sorted(snapshots), flows, currency="USD"), days)
    assert [p.bankroll for p in points] == [Decimal(50), Decimal(250), Decimal(300)]
    assert [p.profit for p in points] == [Decimal(0), Decimal(200), Decimal(350)]
    assert [p.poker_profit for p in points] == [Decimal(-50), Decimal(150), Decimal(300)]


def test_flows_in_other_currencies_are_converted_at_the_rates_of_their_day():
    flows = [flow(datetime(2026, 5, 1, tzinfo=UTC), "deposit", "GBP", "8")]
    [point], _state = services.walk(book([], flows), [date(2026, 6, 1)])
    assert point.profit == Decimal(-10) and point.poker_profit == Decimal(-10)


def test_a_deposit_into_an_asset_is_no_poker_loss_and_a_bonus_no_poker_win():
    day = date(2026, 6, 1)
    snapshots = [(day, "asset", "EUR", Decimal(100)), (day, "site", "EUR", Decimal(30))]
    flows = [
        flow(datetime(2026, 6, 1, 8, tzinfo=UTC), "deposit", "EUR", "100", "asset"),
        flow(datetime(2026, 6, 1, 9, tzinfo=UTC), "bonus", "EUR", "30", "site"),
    ]
    [point], state = services.walk(book(snapshots, flows), [day])
    assert point.profit == Decimal(30) and point.poker_profit == Decimal(0)
    assert state.bonuses == Decimal(30)


# --- ticks and the SVG ----------------------------------------------------------------------------


def test_gridlines_are_round_numbers_covering_the_values():
    ticks = chart.nice_ticks(Decimal("-350"), Decimal("1234.5"))
    assert ticks[0] <= Decimal(-350) and ticks[-1] >= Decimal("1234.5")
    assert Decimal(0) in ticks and 3 <= len(ticks) <= 9
    assert len({b - a for a, b in pairwise(ticks)}) == 1
    flat = chart.nice_ticks(Decimal(100), Decimal(100))
    assert flat[0] < 100 < flat[-1]
    assert chart.nice_ticks(Decimal(0), Decimal(0))[0] < 0


def bankroll_points(count: int = 10) -> list[Point]:
    start = date(2026, 1, 1)
    return [
        Point(
            start + timedelta(days=i),
            Decimal(1000 + 10 * i),
            Decimal(600 + 5 * i),
            Decimal(-40 + 10 * i),
            Decimal(-50 + 5 * i),
        )
        for i in range(count)
    ]


def test_the_svg_is_an_accessible_image_with_title_description_and_a_text_summary():
    svg = str(chart.render_svg(bankroll_points(), show="bankroll", currency="USD", locale="en_US"))
    assert svg.startswith('<svg class="chart" viewBox="0 0 640 320" role="img"')
    assert 'aria-labelledby="chart-title"' in svg and 'aria-describedby="chart-desc"' in svg
    assert '<title id="chart-title">Bankroll over time</title>' in svg
    assert '<desc id="chart-desc">Line chart, daily values, from Jan 1, 2026 to Jan 10, 2026.' in svg
    summary = re.search(r'<p class="visually-hidden" id="chart-summary">(.*?)</p>', svg).group(1)
    assert summary == (
        "Bankroll on Jan 1, 2026: $1,000.00; on Jan 10, 2026: $1,090.00; change +$90.00. "
        "Lowest $1,000.00 on Jan 1, 2026; highest $1,090.00 on Jan 10, 2026."
    )
    assert 'class="line-total"' in svg and 'class="line-sites"' in svg and 'class="area"' in svg
    assert 'class="line-profit"' not in svg and 'class="zero"' not in svg
    assert "style=" not in svg and "<script" not in svg


def test_gridline_labels_use_the_players_locale_and_dates_are_short():
    svg = str(chart.render_svg(bankroll_points(), show="bankroll", currency="EUR", locale="de_DE"))
    assert re.search(r'<text class="y-label"[^>]*>1\.0\d0,00\xa0€</text>', svg)
    assert ">1. Jan.</text>" in svg and ">10. Jan.</text>" in svg


def test_profit_view_draws_the_profit_lines_and_a_zero_line_when_it_crosses_zero():
    svg = str(chart.render_svg(bankroll_points(), show="profit", currency="USD", locale="en_US"))
    assert '<title id="chart-title">Profit over time</title>' in svg
    assert 'class="line-profit"' in svg and 'class="line-poker"' in svg and 'class="zero"' in svg
    assert 'class="area"' not in svg
    assert "Profit on Jan 1, 2026: -$40.00; on Jan 10, 2026: +$50.00" not in svg  # only changes are signed
    assert "Profit on Jan 1, 2026: -$40.00; on Jan 10, 2026: $50.00; change +$90.00." in svg
    positive = [
        Point(p.day, p.bankroll, p.sites, p.profit + 100, p.poker_profit + 100) for p in bankroll_points()
    ]
    assert 'class="zero"' not in str(
        chart.render_svg(positive, show="profit", currency="USD", locale="en_US")
    )


def test_every_text_in_the_svg_is_escaped():
    svg = str(
        chart.render_svg(bankroll_points(3), show="bankroll", currency="USD", locale="en_US", title="<b>&")
    )
    assert '<title id="chart-title">&lt;b&gt;&amp;</title>' in svg and "<b>" not in svg


def test_long_ranges_label_the_axis_with_months_and_describe_the_step():
    start = date(2024, 1, 1)
    points = [Point(start + timedelta(days=7 * i), Decimal(i), Decimal(i)) for i in range(60)]
    svg = str(chart.render_svg(points, show="bankroll", currency="USD", locale="en_US"))
    assert "one value every 7 days" in svg and ">Jan 2024</text>" in svg
    assert 'class="line-sites"' not in svg  # no assets: the sites line would sit on the total


def test_one_point_draws_a_dot_and_no_points_draws_a_friendly_message():
    svg = str(chart.render_svg(bankroll_points(1), show="bankroll", currency="USD", locale="en_US"))
    assert "<circle" in svg and "<path" not in svg and 'text-anchor="middle"' in svg
    assert "Bankroll on Jan 1, 2026: $1,000.00; on Jan 1, 2026: $1,000.00; change $0.00." in svg
    empty = str(chart.render_svg([], show="bankroll", currency="USD", locale="en_US"))
    assert "<svg" not in empty and "first balance update" in empty


def test_the_view_reads_its_parameters_and_ignores_nonsense():
    assert chart.View.parse({}) == chart.View("90d", "bankroll")
    assert chart.View.parse({"range": "1y", "show": "profit"}) == chart.View("1y", "profit")
    assert chart.View.parse({"range": "<x>", "show": "pie"}) == chart.View()
    assert chart.View("30d", "profit").query(range="all") == "?range=all&show=profit"
