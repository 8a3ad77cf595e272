"""Every statistic of the session results against examples worked out by hand."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from app.play import stats
from app.play.charts import bars_svg
from app.play.services import hands_advice
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


# ---- session length buckets ---------------------------------------------------------------------


def test_sessions_are_grouped_by_length_shortest_first_with_their_hourly_rate():
    played = [cash("30", "0.5"), cash("100", "5"), cash("-20", "1.5"), cash("60", "1"), cash("400", "8")]
    groups = stats.by_length(played)
    assert [(g.label, g.sessions, g.profit, g.hours) for g in groups] == [
        ("Under 1 h", 1, D(30), D("0.5")),
        ("1–2 h", 2, D(40), D("2.5")),
        ("4–6 h", 1, D(100), D(5)),
        ("6 h and more", 1, D(400), D(8)),
    ]
    assert groups[1].hourly == D(16)  # 40 / 2.5


def test_no_sessions_give_no_length_groups():
    assert stats.by_length([]) == []


# ---- stake advice from bb/100 -------------------------------------------------------------------


def hands_session(result, bb, stakes, hands, day):
    return Played(
        ended_at=T0 + timedelta(days=day),
        result=D(result),
        hours=D(10),
        hands=hands,
        big_blind=D(bb),
        stakes=stakes,
    )


# +300 bb over 6,000 hands at 1/2 and −60 bb over 6,000 at 2/5: w = 240/120 = 2 bb/100,
# σ² = ((300 − 120)²/60 + (−60 − 120)²/60) / 1 = 1,080.
BIG_SAMPLE = [hands_session("600", "2", "1/2", 6000, 0), hands_session("-300", "5", "2/5", 6000, 1)]


def test_the_risk_of_ruin_from_bb_per_100_is_given_at_each_stake_played():
    results = stats.summarise(BIG_SAMPLE)
    assert results.bb_per_100 is not None and results.bb_per_100.value == 2
    advice = hands_advice(results, BIG_SAMPLE, D(2000))
    assert advice is not None and advice.enough and advice.hands == 12000
    low, high = advice.stakes
    assert (low.stakes, low.buy_ins, high.stakes, high.buy_ins) == ("1/2", D(1000), "2/5", D(400))
    assert low.risk.quantize(D("0.0001")) == D("0.0246")  # exp(−2 · 2 · 1000 / 1080)
    assert high.risk.quantize(D("0.0001")) == D("0.2273")  # exp(−2 · 2 · 400 / 1080)
    assert low.risk_low == 1  # the interval's low end (about −3.9 bb/100) loses in the long run
    assert low.risk_high is not None and low.risk_high < low.risk


def test_fewer_hands_than_the_minimum_are_called_too_small_and_give_no_risk():
    few = [hands_session("60", "2", "1/2", 600, 0), hands_session("-30", "2", "1/2", 600, 1)]
    advice = hands_advice(stats.summarise(few), few, D(2000))
    assert advice is not None and not advice.enough and advice.stakes == []


def test_no_hands_means_no_bb_per_100_advice_at_all():
    played = [cash("100", "2"), cash("-50", "1")]
    assert hands_advice(stats.summarise(played), played, D(2000)) is None


def test_no_bankroll_gives_no_risk_even_with_enough_hands():
    advice = hands_advice(stats.summarise(BIG_SAMPLE), BIG_SAMPLE, D(0))
    assert advice is not None and advice.enough and advice.stakes == []


# ---- bar charts ---------------------------------------------------------------------------------


def test_a_bar_chart_draws_gains_and_losses_either_side_of_zero_and_says_so_in_words():
    groups = [stats.Group("NLH", 2, D(150), D(4)), stats.Group("PLO", 1, D(-80), D(2))]
    svg = str(bars_svg("t", "Profit by game", groups, lambda g: g.profit, "USD", "en_US"))
    assert svg.count('class="bar-gain"') == 1 and svg.count('class="bar-loss"') == 1
    assert (
        '<title id="t-title">Profit by game, 2 groups: best NLH (+$150.00), worst PLO (-$80.00).</title>'
        in svg
    )
    assert 'role="img" aria-labelledby="t-title"' in svg


def test_a_bar_chart_of_nothing_is_not_drawn():
    only_unknown = [stats.Group("NLH", 1, D(10), D(0))]
    assert bars_svg("t", "Per hour", only_unknown, lambda g: g.hourly, "USD", "en_US") is None


def test_a_long_history_is_drawn_with_no_more_points_than_the_chart_is_wide_but_summed_in_full():
    from app.play.services import WIDTH, chart_svg

    points = [D(i % 97) for i in range(5000)]
    points[1234] = D(10_000)  # the peak: in the summary even when its session is not drawn
    svg = str(chart_svg(points, points, "USD", "en_US"))
    drawn = re.search(r'class="play-chart-line" fill="none" points="([^"]+)"', svg).group(1).split()  # type: ignore[union-attr]
    assert len(drawn) == WIDTH
    assert drawn[0].startswith("8.0,") and drawn[-1].startswith(f"{WIDTH - 8}.0,")  # first and last session
    assert "over 5000 sessions" in svg and "highest $10,000.00" in svg
