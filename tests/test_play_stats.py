"""Every statistic of the session results against examples worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from app.play import stats
from app.play.stats import Played

T0 = datetime(2026, 3, 1, 20, tzinfo=UTC)


def cash(result, hours, hands=None, bb="2", day=0, expenses="0"):
    return Played(
        ended_at=T0 + timedelta(days=day),
        result=D(result),
        hours=D(hours),
        hands=hands,
        big_blind=D(bb) if bb else None,
        expenses=D(expenses),
    )


def mtt(cost, prize, hours="4", day=0):
    return Played(
        ended_at=T0 + timedelta(days=day),
        result=D(prize) - D(cost),
        hours=D(hours),
        cost=D(cost),
        prize=D(prize),
        tournament=True,
    )


# Three cash sessions: +100 in 2 h (300 hands), −50 in 1 h (100 hands), +40 in 1 h (100 hands), 1/2 blinds.
THREE = [cash("100", "2", 300, day=0), cash("-50", "1", 100, day=1), cash("40", "1", 100, day=2)]


def test_profit_hours_and_hourly_rate_are_sums_and_their_ratio():
    r = stats.summarise(THREE)
    assert (r.sessions, r.profit, r.hours) == (3, D(90), D(4))
    assert r.hourly is not None and r.hourly.value == D("22.5")


def test_standard_deviation_per_hour_weights_each_session_by_its_length():
    # w = 22.5; (55²/2 + 72.5²/1 + 17.5²/1) / (3 − 1) = (1512.5 + 5256.25 + 306.25) / 2 = 3537.5
    r = stats.summarise(THREE)
    assert r.hourly is not None and r.hourly.std_dev is not None
    assert round(r.hourly.std_dev**2, 6) == D("3537.5")


def test_the_95_percent_interval_is_the_rate_plus_minus_196_sigma_over_root_hours():
    r = stats.summarise(THREE)
    assert r.hourly is not None and r.hourly.std_dev is not None and r.hourly.margin is not None
    assert round(r.hourly.margin, 10) == round(D("1.96") * r.hourly.std_dev / 2, 10)
    assert r.hourly.low is not None and r.hourly.low < D("22.5") < r.hourly.high  # type: ignore[operator]
    assert round(r.hourly.margin, 2) == D("58.29")  # 0.98 × √3537.5 = 58.288…


def test_bb_per_100_and_its_deviation_use_only_sessions_with_hands():
    # In bb: +50, −25, +20 over 3, 1, 1 hundred hands → 45 / 5 = 9 bb/100.
    # (23²/3 + 34²/1 + 11²/1) / 2 = (176.33… + 1156 + 121) / 2 = 726.66…
    r = stats.summarise([*THREE, cash("10", "1", None)])
    assert r.bb_per_100 is not None and r.bb_per_100.value == D(9)
    assert r.hands == 500
    assert r.bb_per_100.std_dev is not None
    assert round(r.bb_per_100.std_dev**2, 4) == D("726.6667")


def test_bb_per_hour_counts_every_session_with_blinds():
    # 45 bb in 4 hours, plus a 10-dollar (5 bb) hour without hands: 50 bb / 5 h.
    r = stats.summarise([*THREE, cash("10", "1", None)])
    assert r.bb_per_hour == D(10)


def test_zero_hands_leaves_the_per_hand_figures_empty():
    r = stats.summarise([cash("30", "2", None), cash("-10", "1", 0)])
    assert r.hands == 0
    assert r.bb_per_100 is None
    assert r.bb_per_hour is not None and round(r.bb_per_hour, 6) == round(D(10) / 3, 6)


def test_a_single_session_has_a_rate_but_no_deviation_or_interval():
    r = stats.summarise([cash("60", "3", 200)])
    assert r.hourly is not None and r.hourly.value == D(20)
    assert r.hourly.std_dev is None and r.hourly.low is None and r.hourly.margin is None
    assert r.bb_per_100 is not None and r.bb_per_100.value == D(15) and r.bb_per_100.std_dev is None
    assert (r.biggest_win, r.biggest_loss) == (D(60), None)


def test_only_losses_give_a_negative_rate_and_no_biggest_win():
    r = stats.summarise([cash("-20", "1", day=0), cash("-80", "2", day=1)])
    assert r.profit == D(-100)
    assert r.hourly is not None and round(r.hourly.value, 6) == round(D(-100) / 3, 6)
    assert r.biggest_win is None and r.biggest_loss == D(-80)


def test_roi_and_itm_for_tournaments():
    # Paid 110 + 55 = 165, won 200 − 55 − 110 = 35 → ROI 21.21 %, one cash in two → ITM 50 %.
    r = stats.summarise([mtt("110", "0"), mtt("55", "200", day=1)])
    assert r.tournaments == 2
    assert r.roi is not None and round(r.roi, 2) == D("21.21")
    assert r.itm == D(50)
    assert r.bb_per_100 is None and r.bb_per_hour is None


def test_cash_sessions_alone_have_no_roi_or_itm():
    r = stats.summarise(THREE)
    assert r.roi is None and r.itm is None and r.tournaments == 0


def test_expenses_are_kept_apart_from_the_result():
    r = stats.summarise([cash("100", "2", expenses="15"), cash("-40", "1", expenses="5", day=1)])
    assert (r.profit, r.expenses, r.net) == (D(60), D(20), D(40))


def test_no_sessions_give_zeros_and_no_rates():
    r = stats.summarise([])
    assert (r.sessions, r.profit, r.hours, r.hands) == (0, D(0), D(0), 0)
    assert r.hourly is None and r.bb_per_100 is None and r.roi is None and r.itm is None


def test_a_session_without_time_is_left_out_of_the_hourly_rate():
    r = stats.summarise([cash("50", "0"), cash("30", "2", day=1)])
    assert r.hourly is not None and r.hourly.value == D(15) and r.hourly.sessions == 1


def test_cumulative_profit_runs_in_time_order_with_or_without_expenses():
    played = [cash("-40", "1", day=2, expenses="5"), cash("100", "2", day=0, expenses="10")]
    assert stats.cumulative(played) == [D(100), D(60)]
    assert stats.cumulative(played, with_expenses=True) == [D(90), D(45)]


@pytest.mark.parametrize(
    ("sessions", "enough"),
    [
        ([cash("10", "1", 5000, day=0), cash("-5", "1", 5000, day=1)], True),
        ([cash("10", "1", 4000, day=0), cash("-5", "1", 4000, day=1)], False),
        ([cash("10", "60", day=0), cash("-5", "40", day=1)], True),
        ([cash("10", "150")], False),
    ],
)
def test_the_sample_is_enough_only_past_10000_hands_or_100_hours_of_two_sessions(sessions, enough):
    assert stats.enough_sample(stats.summarise(sessions)) is enough


def test_the_chart_is_an_svg_with_a_text_summary_and_no_inline_styles():
    from app.play.services import chart_svg

    svg = str(chart_svg([D(100), D(60), D(90)], [D(90), D(45), D(75)], "USD", "en_US"))
    assert svg.startswith('<svg class="play-chart"') and 'role="img"' in svg and "style" not in svg
    assert "over 3 sessions: ends at $90.00, highest $100.00, lowest $60.00" in svg
    assert svg.count("<polyline") == 2  # with and without expenses
    assert chart_svg([D(5)], [D(5)], "USD", "en_US") is None  # one point is not a line


def test_stake_advice_waits_for_enough_data_then_uses_the_measured_rate():
    from app.play.services import advice

    small = advice(stats.summarise([cash("10", "1"), cash("-5", "1", day=1)]), D(1000))
    assert not small.enough and small.risk is None
    # 60 sessions of 2 h: alternately +100 and −40 → w = 15/h.
    many = [cash("100" if i % 2 else "-40", "2", day=i) for i in range(60)]
    results = stats.summarise(many)
    got = advice(results, D(2000))
    assert got.enough and got.risk is not None and got.risk_low is not None
    assert results.hourly is not None and results.hourly.std_dev is not None
    from app.advice.risk import risk_of_ruin

    assert got.risk == risk_of_ruin(results.hourly.value, results.hourly.std_dev, D(2000))
    assert got.risk < got.risk_low <= 1  # the low end of the interval is riskier


def test_breakdowns_sum_profit_and_hours_per_group():
    played = [
        Played(ended_at=T0, result=D(100), hours=D(2), game="NLH", stakes="1/2", place="Stars", weekday=4),
        Played(ended_at=T0, result=D(-30), hours=D(1), game="PLO", stakes="1/2", place="Casino", weekday=0),
        Played(ended_at=T0, result=D(20), hours=D(2), game="NLH", stakes="2/5", place="Stars", weekday=4),
    ]
    games = stats.by(played, "game")
    assert [(g.label, g.sessions, g.profit, g.hours, g.hourly) for g in games] == [
        ("NLH", 2, D(120), D(4), D(30)),
        ("PLO", 1, D(-30), D(1), D(-30)),
    ]
    assert [g.label for g in stats.by(played, "weekday")] == ["Monday", "Friday"]
    assert [g.label for g in stats.by(played, "stakes")] == ["1/2", "2/5"]
    assert stats.by([], "place") == []
