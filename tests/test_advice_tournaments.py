"""Tournament and sit-and-go buy-ins: site ladders and advice with one multiple everywhere."""

from decimal import Decimal

import pytest

from app.advice.choices import TournamentFormat
from app.advice.errors import FieldError
from app.advice.explain import explain
from app.advice.ladder import Buffer, Status
from app.advice.tournaments import tournament_advice, tournament_ladder

D = Decimal


def level(amount, ladder):
    return next(x for x in ladder if x.buy_in == D(amount))


def test_each_site_has_its_common_buy_in_levels_with_a_one_line_example():
    for site in ("pokerstars", "ggpoker", "partypoker"):
        ladder = tournament_ladder(site)
        assert len(ladder) >= 10
        assert [x.buy_in for x in ladder] == sorted(x.buy_in for x in ladder)
        for x in ladder:
            assert len(x.examples) == 1 and x.examples[0].site == site
            assert x.examples[0].example and "\n" not in x.examples[0].example


def test_the_ladder_is_filterable_by_site_and_merges_levels_shared_by_sites():
    stars = tournament_ladder("pokerstars")
    assert D("0.55") in [x.buy_in for x in stars] and D("150") not in [x.buy_in for x in stars]
    both = tournament_ladder(["pokerstars", "partypoker"])
    assert {e.site_name for e in level(109, both).examples} == {"PokerStars", "partypoker"}
    everything = tournament_ladder()
    assert len({x.buy_in for x in everything}) == len(everything)
    assert level(150, everything).examples[0].site_name == "GGPoker"


def test_an_unknown_site_is_a_field_error():
    with pytest.raises(FieldError) as error:
        tournament_ladder("bingo-hall")
    assert error.value.field == "site"
    with pytest.raises(FieldError):
        tournament_ladder([])


def test_the_recommended_buy_in_is_the_largest_at_most_bankroll_over_m():
    advice = tournament_advice(D(2000), ladder=tournament_ladder("pokerstars"))
    assert advice.multiple == D(131)
    assert advice.recommended is not None and advice.recommended.buy_in == D(11)  # 2000 / 131 = 15.27
    assert advice.status == Status.PLAY


def test_next_and_move_down_use_the_same_tournament_multiple():
    advice = tournament_advice(D(2000), ladder=tournament_ladder("pokerstars"))
    assert advice.next is not None and advice.next.buy_in == D(22)
    assert advice.row(advice.next).required == D(131) * 22 == D(2882)
    assert advice.still_needed == D(882)
    # default buffer 20 %: 131 × 0.8 = 104.8 buy-ins of $11.
    assert advice.move_down_below == D("1152.8")
    assert advice.move_down_to is not None and advice.move_down_to.buy_in == D("5.50")


def test_a_bankroll_exactly_at_m_buy_ins_is_enough():
    stars = tournament_ladder("pokerstars")
    assert tournament_advice(D(2882), ladder=stars).recommended == level(22, stars)
    assert tournament_advice(D("2881.99"), ladder=stars).recommended == level(11, stars)


def test_a_tournament_player_holds_within_the_buffer_and_moves_down_below_it():
    stars = tournament_ladder("pokerstars")
    assert tournament_advice(D(2400), ladder=stars, current=D(22)).status == Status.HOLD
    advice = tournament_advice(D(2300), ladder=stars, current=level(22, stars))  # floor 2,305.60
    assert advice.status == Status.MOVE_DOWN and advice.recommended == level(11, stars)


def test_the_format_changes_the_multiple():
    mtt = tournament_advice(D(2000), tournament_format=TournamentFormat.MTT_LARGE_FIELD)
    hu = tournament_advice(D(2000), tournament_format="heads_up_sng")
    assert hu.multiple < D(131) < mtt.multiple


def test_below_the_smallest_buy_in_the_advice_says_what_is_needed():
    advice = tournament_advice(D(50), ladder=tournament_ladder("pokerstars"))
    assert advice.status == Status.BELOW_SMALLEST
    assert advice.still_needed == D(131) * D("0.55") - 50


def test_tournament_buy_ins_convert_to_the_players_currency():
    ladder = tournament_ladder("pokerstars", "EUR", convert=D("0.9"))
    assert level("9.9", ladder).usd_buy_in == D(11) and level("9.9", ladder).currency == "EUR"
    with pytest.raises(FieldError):
        tournament_ladder("pokerstars", "EUR")


def test_a_buy_in_buffer_works_for_tournaments_too():
    advice = tournament_advice(D(2000), ladder=tournament_ladder("pokerstars"), buffer=Buffer.buy_ins(31))
    assert advice.move_down_below == D(100) * 11


def test_an_unknown_current_buy_in_is_a_field_error():
    with pytest.raises(FieldError) as error:
        tournament_advice(D(2000), current=D(7))
    assert error.value.field == "current"


def test_the_tournament_explanation_names_buy_ins_and_the_multiple():
    text = explain(tournament_advice(D(2000), ladder=tournament_ladder("pokerstars")))
    assert "131 average buy-ins" in text and "90–172" in text and "$11.00 tournaments" in text
    assert "$882.00 more" in text and "$1,152.80" in text and "20 %" in text
