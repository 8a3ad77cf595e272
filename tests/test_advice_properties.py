"""Property tests: monotonic advice, risk of ruin and the other calculators over many inputs."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.advice.choices import Environment, Game, Risk, Skill, TournamentFormat
from app.advice.ladder import Buffer, Status
from app.advice.multiples import cash_buy_ins, tournament_buy_ins
from app.advice.potodds import pot_odds, rule_of_2, rule_of_4
from app.advice.risk import bankroll_for_risk, risk_of_ruin
from app.advice.spr import ZONES, zone
from app.advice.stakes import cash_advice, cash_ladder
from app.advice.tournaments import tournament_advice, tournament_ladder

LADDER = cash_ladder("USD")
LEVELS = tournament_ladder()

amounts = st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value="0.01", max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
choices = st.fixed_dictionaries(
    {
        "game": st.sampled_from(Game),
        "skill": st.sampled_from(Skill),
        "environment": st.sampled_from(Environment),
    }
)
buffers = st.one_of(st.integers(0, 20).map(Buffer.buy_ins), st.integers(0, 99).map(Buffer.percent), st.none())
currents = st.one_of(st.none(), st.sampled_from(LADDER))


def index(advice, ladder):
    return -1 if advice.recommended is None else ladder.index(advice.recommended)


@given(amounts, amounts, choices, st.sampled_from(Risk), buffers, currents)
def test_more_bankroll_never_recommends_a_lower_stake(a, b, kwargs, risk, buffer, current):
    low, high = sorted((a, b))
    first = cash_advice(low, risk=risk, buffer=buffer, current=current, **kwargs)
    second = cash_advice(high, risk=risk, buffer=buffer, current=current, **kwargs)
    assert index(first, LADDER) <= index(second, LADDER)


@given(amounts, amounts, choices, st.sampled_from(Risk), st.sampled_from(TournamentFormat))
def test_more_bankroll_never_recommends_a_lower_tournament_buy_in(a, b, kwargs, risk, fmt):
    low, high = sorted((a, b))
    first = tournament_advice(low, risk=risk, tournament_format=fmt, **kwargs)
    second = tournament_advice(high, risk=risk, tournament_format=fmt, **kwargs)
    assert index(first, LEVELS) <= index(second, LEVELS)


@given(choices, st.sampled_from(TournamentFormat))
def test_aggressive_never_needs_more_buy_ins_than_conservative(kwargs, fmt):
    aggressive = cash_buy_ins(risk=Risk.AGGRESSIVE, **kwargs)
    conservative = cash_buy_ins(risk=Risk.CONSERVATIVE, **kwargs)
    assert aggressive.multiple <= conservative.multiple
    assert aggressive.low <= conservative.low and aggressive.high <= conservative.high
    t_aggressive = tournament_buy_ins(risk=Risk.AGGRESSIVE, tournament_format=fmt, **kwargs)
    t_conservative = tournament_buy_ins(risk=Risk.CONSERVATIVE, tournament_format=fmt, **kwargs)
    assert t_aggressive.multiple <= t_conservative.multiple


@given(amounts, choices)
def test_aggressive_players_are_never_recommended_a_lower_stake_than_conservative_ones(bankroll, kwargs):
    aggressive = cash_advice(bankroll, risk=Risk.AGGRESSIVE, **kwargs)
    conservative = cash_advice(bankroll, risk=Risk.CONSERVATIVE, **kwargs)
    assert index(aggressive, LADDER) >= index(conservative, LADDER)


@given(amounts, choices, st.sampled_from(Risk), buffers, currents)
def test_the_numbers_of_an_advice_agree_with_each_other(bankroll, kwargs, risk, buffer, current):
    advice = cash_advice(bankroll, risk=risk, buffer=buffer, current=current, **kwargs)
    for row in advice.rows:
        assert row.required == advice.multiple * row.rung.max_buy_in
        assert row.still_needed == row.required - bankroll
        assert 0 < row.move_down_below <= row.required
    if advice.next is not None:
        assert advice.still_needed == advice.row(advice.next).required - bankroll > 0
    if advice.status in (Status.PLAY, Status.STAY, Status.MOVE_UP, Status.MOVE_DOWN):
        assert advice.recommended is not None and advice.row(advice.recommended).still_needed <= 0
    if advice.status == Status.HOLD:
        assert advice.move_down_below is not None and advice.move_down_below <= bankroll
    assert sum(r.is_recommended for r in advice.rows) == (advice.recommended is not None)


mus = st.decimals(min_value="0.01", max_value=1000, places=2)
sigmas = st.decimals(min_value="1", max_value=1000, places=2)


@given(mus, sigmas, amounts, amounts)
def test_risk_of_ruin_never_rises_with_the_bankroll_and_stays_between_0_and_1(mu, sigma, a, b):
    low, high = sorted((a, b))
    first, second = risk_of_ruin(mu, sigma, low), risk_of_ruin(mu, sigma, high)
    assert 1 >= first >= second >= 0
    assert first.is_finite() and second.is_finite()


@given(st.decimals(min_value=-1000, max_value=0, places=2), sigmas, amounts)
def test_risk_of_ruin_is_100_percent_whenever_the_win_rate_is_not_positive(mu, sigma, bankroll):
    assert risk_of_ruin(mu, sigma, bankroll) == 1


@settings(max_examples=50)
@given(mus, sigmas, st.integers(1, 98), st.integers(1, 98))
def test_a_lower_target_risk_needs_a_larger_bankroll(mu, sigma, a, b):
    low, high = sorted((Decimal(a) / 100, Decimal(b) / 100))
    assert bankroll_for_risk(mu, sigma, low) >= bankroll_for_risk(mu, sigma, high)


@given(st.decimals(min_value=0, max_value=1000, places=3), st.decimals(min_value=0, max_value=1000, places=3))
def test_the_spr_zone_never_goes_back_down_as_the_ratio_grows(a, b):
    low, high = sorted((a, b))
    assert ZONES.index(zone(low)) <= ZONES.index(zone(high))


@given(positive, positive, positive)
def test_a_bigger_bet_into_the_same_pot_needs_more_equity_and_never_half(a, b, pot):
    small, big = sorted((a, b))
    first, second = pot_odds(small, pot).required_equity, pot_odds(big, pot).required_equity
    assert 0 < first <= second < Decimal("0.5")


@given(st.integers(0, 47))
def test_the_rule_of_4_is_never_below_the_rule_of_2(outs):
    assert 0 <= rule_of_2(outs) <= rule_of_4(outs) <= 1
