"""Cash-game stakes: ladders, recommended stake, move up, move down with hysteresis, shots, explanation."""

from decimal import Decimal

import pytest

from app.advice.choices import Risk
from app.advice.errors import AdviceError, FieldError
from app.advice.explain import explain
from app.advice.ladder import Buffer, Status
from app.advice.stakes import cash_advice, cash_ladder, shot_plan

D = Decimal
USD = cash_ladder("USD")


def stake(name, ladder=USD):
    return next(s for s in ladder if s.name == name)


def test_the_usd_ladder_has_the_fourteen_stakes_from_micro_to_200_400():
    assert [s.name for s in USD] == [
        "0.01/0.02", "0.02/0.05", "0.05/0.10", "0.10/0.25", "0.25/0.50", "0.50/1", "1/2",
        "2/5", "5/10", "10/20", "25/50", "50/100", "100/200", "200/400",
    ]  # fmt: skip
    assert all(s.currency == "USD" == s.nominal_currency for s in USD)


def test_a_max_buy_in_is_100_big_blinds_and_a_min_buy_in_40():
    assert stake("0.50/1").max_buy_in == D(100) and stake("0.50/1").min_buy_in == D(40)
    assert stake("0.01/0.02").max_buy_in == D(2)
    assert stake("200/400").max_buy_in == D(40000)


def test_euro_and_pound_players_get_native_ladders():
    eur, gbp = cash_ladder("EUR"), cash_ladder("gbp")
    assert {s.currency for s in eur} == {"EUR"} == {s.nominal_currency for s in eur}
    assert "2/4" in [s.name for s in eur]
    assert {s.currency for s in gbp} == {"GBP"}
    assert stake("0.50/1", gbp).max_buy_in == D(100)


def test_other_currencies_convert_the_usd_ladder_with_a_rate():
    chf = cash_ladder("CHF", convert=D("0.88"))
    assert stake("0.50/1", chf).big_blind == D("0.88")
    assert stake("0.50/1", chf).max_buy_in == D("88.00")
    assert stake("0.50/1", chf).nominal_currency == "USD" and stake("0.50/1", chf).currency == "CHF"


def test_a_conversion_callable_may_be_passed_instead_of_a_rate():
    jpy = cash_ladder("JPY", convert=lambda usd: usd * 150)
    assert stake("1/2", jpy).max_buy_in == D(30000)


def test_euro_players_may_ask_for_the_converted_usd_ladder():
    eur = cash_ladder("EUR", convert=D("0.9"), native=False)
    assert len(eur) == len(USD) and stake("1/2", eur).big_blind == D("1.8")


def test_a_currency_without_a_rate_is_a_field_error():
    with pytest.raises(FieldError) as error:
        cash_ladder("CHF")
    assert error.value.field == "currency"
    with pytest.raises(FieldError) as error:
        cash_ladder("CHF", convert=D(0))
    assert error.value.field == "rate"


def test_the_recommended_stake_is_the_highest_with_bankroll_at_least_m_max_buy_ins():
    advice = cash_advice(D(5000))
    assert advice.multiple == D("65.5")
    assert advice.recommended == stake("0.25/0.50")  # needs 3,275; 0.50/1 needs 6,550
    assert advice.status == Status.PLAY
    assert advice.row(stake("0.25/0.50")).required == D(3275)


def test_a_bankroll_exactly_at_the_requirement_is_enough():
    assert cash_advice(D(6550)).recommended == stake("0.50/1")
    assert cash_advice(D("6549.99")).recommended == stake("0.25/0.50")


def test_moving_up_shows_the_amount_still_needed_for_the_next_stake():
    advice = cash_advice(D(5000))
    assert advice.next == stake("0.50/1")
    assert advice.still_needed == D(1550)


def test_the_move_down_floor_is_m_minus_10_buy_ins_by_default():
    advice = cash_advice(D(5000))
    assert advice.move_down_below == D("55.5") * 50 == D(2775)
    assert advice.move_down_to == stake("0.10/0.25")


def test_a_percent_buffer_sets_the_floor_at_that_share_below_the_requirement():
    advice = cash_advice(D(5000), buffer=Buffer.percent(20))
    assert advice.move_down_below == D("65.5") * D("0.8") * 50 == D(2620)
    assert Buffer.percent().label == "20 %" and Buffer.buy_ins().label == "10 buy-ins"


def test_a_player_below_the_requirement_but_above_the_floor_holds_the_stake():
    # 0.50/1: requirement 6,550, floor 5,550.
    advice = cash_advice(D(6000), current=stake("0.50/1"))
    assert advice.status == Status.HOLD
    assert advice.recommended == stake("0.50/1") and advice.rolled_for == stake("0.25/0.50")
    assert advice.move_down_below == D(5550)


def test_a_bankroll_exactly_on_the_floor_still_holds_and_one_cent_less_moves_down():
    assert cash_advice(D(5550), current="0.50/1").status == Status.HOLD
    advice = cash_advice(D("5549.99"), current="0.50/1")
    assert advice.status == Status.MOVE_DOWN
    assert advice.recommended == stake("0.25/0.50")


def test_one_losing_session_does_not_flip_the_advice():
    just_moved_up = cash_advice(D(6550), current="0.25/0.50")
    assert just_moved_up.status == Status.MOVE_UP and just_moved_up.recommended == stake("0.50/1")
    after_losing_two_buy_ins = cash_advice(D(6350), current="0.50/1")
    assert after_losing_two_buy_ins.status == Status.HOLD
    assert after_losing_two_buy_ins.recommended == stake("0.50/1")


def test_a_player_at_the_recommended_stake_stays():
    assert cash_advice(D(5000), current="0.25/0.50").status == Status.STAY


def test_a_player_far_above_the_floor_moves_down_to_the_stake_the_bankroll_supports():
    advice = cash_advice(D(1000), current="1/2")
    assert advice.status == Status.MOVE_DOWN and advice.recommended == stake("0.05/0.10")


def test_below_the_smallest_stake_the_advice_says_what_is_needed():
    advice = cash_advice(D(50))
    assert advice.status == Status.BELOW_SMALLEST and advice.recommended is None
    assert advice.next == stake("0.01/0.02")
    assert advice.still_needed == D(81)  # 65.5 × 2 = 131
    assert advice.move_down_below is None and advice.move_down_to is None


def test_a_zero_bankroll_is_below_the_smallest_stake():
    assert cash_advice(0).status == Status.BELOW_SMALLEST


def test_at_the_top_stake_there_is_no_next_stake():
    advice = cash_advice(D(10_000_000))
    assert advice.recommended == stake("200/400") and advice.next is None and advice.still_needed is None


def test_the_table_lists_every_stake_with_required_and_still_needed_negative_for_a_cushion():
    advice = cash_advice(D(5000))
    assert len(advice.rows) == 14
    row = advice.row(stake("0.10/0.25"))
    assert (row.required, row.still_needed) == (D("1637.5"), D("-3362.5"))
    row = advice.row(stake("0.50/1"))
    assert (row.required, row.still_needed, row.move_down_below) == (D(6550), D(1550), D(5550))


def test_the_table_flags_the_recommended_next_and_move_down_rows_once_each():
    advice = cash_advice(D(5000), current="0.05/0.10")
    flags = {r.rung.name: (r.is_recommended, r.is_next, r.is_move_down, r.is_current) for r in advice.rows}
    assert flags["0.25/0.50"] == (True, False, False, False)
    assert flags["0.50/1"] == (False, True, False, False)
    assert flags["0.10/0.25"] == (False, False, True, False)
    assert flags["0.05/0.10"] == (False, False, False, True)
    assert sum(r.is_recommended for r in advice.rows) == 1


def test_a_shot_uses_5_buy_ins_of_the_next_stake_and_ends_when_they_are_lost():
    shot = shot_plan(cash_advice(D(5000)))
    assert shot is not None
    assert (shot.stake.name, shot.buy_ins, shot.amount, shot.come_back_at) == ("0.50/1", 5, D(500), D(4500))
    assert shot.ready  # 4,500 still covers the 3,275 that 0.25/0.50 needs


def test_a_shot_is_too_early_when_losing_it_leaves_less_than_the_current_stake_needs():
    shot = shot_plan(cash_advice(D(3300)))
    assert shot is not None and not shot.ready


def test_the_shot_size_is_configurable_and_validated():
    shot = shot_plan(cash_advice(D(5000)), buy_ins=3)
    assert shot is not None and shot.amount == D(300)
    with pytest.raises(FieldError) as error:
        shot_plan(cash_advice(D(5000)), buy_ins=0)
    assert error.value.field == "shot_buy_ins"


def test_there_is_no_shot_at_the_top_or_below_the_smallest_stake():
    assert shot_plan(cash_advice(D(10_000_000))) is None
    assert shot_plan(cash_advice(D(10))) is None


def test_aggressive_players_are_recommended_a_higher_stake_for_the_same_bankroll():
    assert cash_advice(D(5000), risk=Risk.AGGRESSIVE).recommended == stake("0.50/1")


def test_advice_works_in_the_players_currency_with_a_converted_ladder():
    chf = cash_ladder("CHF", convert=D("0.88"))
    advice = cash_advice(D(3000), ladder=chf)
    assert advice.currency == "CHF"
    assert advice.recommended == stake("0.25/0.50", chf)  # 65.5 × 44 = 2,882


@pytest.mark.parametrize("bankroll", [D(-1), -5, 1.5, True, "100", D("NaN"), D("Infinity"), D("1e11")])
def test_a_bad_bankroll_is_a_field_error_on_the_bankroll(bankroll):
    with pytest.raises(FieldError) as error:
        cash_advice(bankroll)
    assert error.value.field == "bankroll"
    assert isinstance(error.value, AdviceError) and isinstance(error.value, ValueError)


def test_a_buffer_as_large_as_m_is_rejected():
    with pytest.raises(FieldError) as error:
        cash_advice(D(5000), buffer=Buffer.buy_ins(66))
    assert error.value.field == "buffer"
    with pytest.raises(FieldError):
        Buffer.percent(100)
    with pytest.raises(FieldError):
        Buffer.buy_ins(-1)


def test_a_zero_buffer_means_moving_down_as_soon_as_the_requirement_is_missed():
    advice = cash_advice(D("6549"), current="0.50/1", buffer=Buffer.buy_ins(0))
    assert advice.status == Status.MOVE_DOWN


def test_an_unknown_current_stake_is_a_field_error():
    with pytest.raises(FieldError) as error:
        cash_advice(D(5000), current="3/6")
    assert error.value.field == "current"


def test_the_explanation_gives_the_numbers_behind_the_advice():
    advice = cash_advice(D(5000))
    text = explain(advice, shot=shot_plan(advice))
    parts = ["$5,000.00", "65.5 max buy-ins", "45–86", "0.25/0.50", "$3,275.00", "0.50/1", "$6,550.00"]
    parts += ["$1,550.00 more", "$2,775.00", "55.5 buy-ins", "10 buy-ins", "5 buy-ins ($500.00)", "$4,500.00"]
    for part in parts:
        assert part in text
    assert "\n" not in text


def test_the_explanation_covers_holding_moving_down_and_below_the_smallest_stake():
    assert "keep playing it" in explain(cash_advice(D(6000), current="0.50/1"))
    assert "step down to 0.25/0.50" in explain(cash_advice(D(5000), current="0.50/1"))
    assert "You can move up from 0.05/0.10" in explain(cash_advice(D(5000), current="0.05/0.10"))
    assert "$81.00 more" in explain(cash_advice(D(50)))
    assert "highest level" in explain(cash_advice(D(10_000_000)))


def test_the_explanation_uses_a_custom_formatter_and_names_converted_stakes():
    advice = cash_advice(D(3000), ladder=cash_ladder("CHF", convert=D("0.88")))
    text = explain(advice, fmt=lambda amount: f"{amount:.2f} Fr.")
    assert "3000.00 Fr." in text and "0.25/0.50 (USD)" in text


def test_with_a_huge_buffer_moving_down_can_skip_a_stake():
    # 90 % buffer: the floor of 0.50/1 is 6,550 × 0.1 = 655; just below it the bankroll covers
    # 0.02/0.05 (327.50) but not 0.05/0.10 (655).
    advice = cash_advice(D(7000), buffer=Buffer.percent(90))
    assert advice.move_down_below == D(655)
    assert advice.move_down_to == stake("0.02/0.05")
    assert advice.row(stake("0.02/0.05")).is_move_down
