"""The five bankroll profiles applied to one bankroll."""

from decimal import Decimal

from app.advice.profiles import profile_advice
from app.advice.stakes import cash_ladder

D = Decimal


def test_there_are_five_profiles_from_30_to_200_max_buy_ins():
    results = profile_advice(D(5000))
    assert [(r.profile.name, r.profile.buy_ins) for r in results] == [
        ("Aggressive", 30),
        ("Solid regular", 50),
        ("Serious grinder", 75),
        ("Cautious", 100),
        ("Nit", 200),
    ]


def test_each_profile_shows_its_stake_what_moving_up_takes_and_its_move_down_floor():
    table = {
        r.profile.key: (r.stake and r.stake.name, r.next and r.next.name, r.still_needed, r.move_down_below)
        for r in profile_advice(D(5000))
    }
    assert table == {
        "aggressive": ("0.50/1", "1/2", D(1000), D(2000)),
        "solid": ("0.50/1", "1/2", D(5000), D(4000)),
        "grinder": ("0.25/0.50", "0.50/1", D(2500), D(3250)),
        "cautious": ("0.25/0.50", "0.50/1", D(5000), D(4500)),
        "nit": ("0.10/0.25", "0.25/0.50", D(5000), D(4750)),
    }


def test_more_cautious_profiles_never_support_a_higher_stake():
    ladder = cash_ladder("USD")
    for bankroll in (D(0), D(100), D(5000), D(123456)):
        indexes = [ladder.index(r.stake) if r.stake else -1 for r in profile_advice(bankroll)]
        assert indexes == sorted(indexes, reverse=True)


def test_a_small_bankroll_shows_what_each_profile_needs_for_the_smallest_stake():
    nit = profile_advice(D(100))[-1]
    assert nit.stake is None and nit.still_needed == D(300) and nit.move_down_below is None


def test_profiles_use_the_players_ladder():
    results = profile_advice(D(5000), ladder=cash_ladder("EUR"))
    assert results[0].advice.currency == "EUR"
