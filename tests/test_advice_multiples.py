"""The weighted rule for the number of buy-ins (cash and tournaments)."""

from decimal import Decimal
from fractions import Fraction
from itertools import product

import pytest

from app.advice.choices import Environment, Game, Risk, Skill, TournamentFormat
from app.advice.data import CASH_RANGES, TOURNAMENT_RANGES, WEIGHTS
from app.advice.errors import FieldError
from app.advice.multiples import cash_buy_ins, round_half_up, tournament_buy_ins

ALL_CHOICES = list(product(Game, Skill, Risk, Environment))


def test_the_default_cash_choices_need_45_to_86_buy_ins_so_m_is_65_5():
    rule = cash_buy_ins(Game.NLHE, Skill.TOUGH, Risk.CONSERVATIVE, Environment.ONLINE)
    assert (rule.low, rule.high, rule.multiple) == (45, 86, Decimal("65.5"))
    assert cash_buy_ins() == rule


def test_the_default_tournament_choices_need_90_to_172_buy_ins_so_m_is_131():
    rule = tournament_buy_ins(Game.NLHE, Skill.TOUGH, Risk.CONSERVATIVE, Environment.ONLINE)
    assert (rule.low, rule.high, rule.multiple) == (90, 172, Decimal(131))
    assert tournament_buy_ins() == rule


def test_all_four_cash_factors_count_including_the_game():
    assert [p.factor for p in cash_buy_ins().parts] == ["game", "skill", "risk", "environment"]
    assert cash_buy_ins(game=Game.PLO).multiple > cash_buy_ins(game=Game.NLHE).multiple
    assert cash_buy_ins(game=Game.LIMIT).multiple < cash_buy_ins(game=Game.NLHE).multiple


def test_not_sure_leaves_a_factor_out_of_the_weighted_average():
    rule = cash_buy_ins(Game.NLHE, Skill.NOT_SURE, Risk.NOT_SURE, Environment.NOT_SURE)
    assert (rule.low, rule.high, rule.multiple) == (30, 50, Decimal(40))
    # game 30–50 (w 2) and online 40–60 (w 1): 100/3 = 33.3 → 33, 160/3 = 53.3 → 53.
    rule = cash_buy_ins(Game.NLHE, Skill.NOT_SURE, Risk.NOT_SURE, Environment.ONLINE)
    assert (rule.low, rule.high) == (33, 53)


def test_rounding_is_half_up_on_the_exact_fraction():
    assert [round_half_up(n, 2) for n in (1, 3, 5, 89, 171)] == [1, 2, 3, 45, 86]
    assert round_half_up(449, 10) == 45 and round_half_up(445, 10) == 45 and round_half_up(444, 10) == 44
    assert round_half_up(0, 7) == 0


def test_rounding_rejects_a_negative_numerator_or_a_zero_denominator():
    with pytest.raises(ValueError):
        round_half_up(-1, 2)
    with pytest.raises(ValueError):
        round_half_up(1, 0)


def _exact_bounds(ranges, names):
    """Every combination of choices (game always set) with its exact low and high fractions."""
    options = [ranges[n].items() if n == "game" else [*ranges[n].items(), (None, None)] for n in names]
    for combo in product(*options):
        parts = [(WEIGHTS[n], r) for n, (_, r) in zip(names, combo, strict=True) if r is not None]
        total = sum(w for w, _ in parts)
        choices = dict(zip(names, (c for c, _ in combo), strict=True))
        yield choices, [Fraction(sum(w * r[side] for w, r in parts), total) for side in (0, 1)]


def test_no_cash_or_four_factor_tournament_combination_lands_exactly_on_a_half():
    four = ["game", "skill", "risk", "environment"]
    for ranges in (CASH_RANGES, TOURNAMENT_RANGES):
        for _, bounds in _exact_bounds(ranges, four):
            assert all(b.denominator != 2 for b in bounds)


def test_every_tournament_combination_rounds_half_up_on_the_exact_fraction():
    halves = 0
    for choices, (low, high) in _exact_bounds(TOURNAMENT_RANGES, list(TOURNAMENT_RANGES)):
        args = {k: v if v is not None else "not_sure" for k, v in choices.items()}
        args["tournament_format"] = args.pop("format")
        rule = tournament_buy_ins(**args)
        assert (rule.low, rule.high) == (int(low + Fraction(1, 2)), int(high + Fraction(1, 2)))
        halves += (low.denominator == 2) + (high.denominator == 2)
    assert halves > 0


def test_a_tournament_tie_at_42_5_rounds_up_to_43_where_pythons_round_would_give_42():
    rule = tournament_buy_ins(
        Game.NLHE, Skill.SOFT, Risk.NOT_SURE, Environment.LIVE, TournamentFormat.HEADS_UP_SNG
    )
    # weights 2+3+1+2 = 8: low (120+120+40+60)/8 = 42.5, high (200+180+60+100)/8 = 67.5.
    assert (rule.low, rule.high, rule.multiple) == (43, 68, Decimal("55.5"))
    assert round(Fraction(85, 2)) == 42


def test_every_cash_combination_rounds_half_up_on_the_exact_fraction():
    four = ["game", "skill", "risk", "environment"]
    for choices, (low, high) in _exact_bounds(CASH_RANGES, four):
        rule = cash_buy_ins(**{k: v if v is not None else "not_sure" for k, v in choices.items()})
        assert (rule.low, rule.high) == (int(low + Fraction(1, 2)), int(high + Fraction(1, 2)))


def test_the_tournament_format_is_a_fifth_factor_of_weight_2():
    rule = tournament_buy_ins(tournament_format=TournamentFormat.MTT_REGULAR)
    # (900 + 100·2) / 12 = 91.67 → 92; (1720 + 200·2) / 12 = 176.67 → 177.
    assert (rule.low, rule.high, rule.multiple) == (92, 177, Decimal("134.5"))
    assert rule.parts[-1].factor == "format" and rule.parts[-1].weight == 2


def test_a_heads_up_sng_needs_fewer_buy_ins_than_a_large_field_mtt():
    heads_up = tournament_buy_ins(tournament_format=TournamentFormat.HEADS_UP_SNG).multiple
    large = tournament_buy_ins(tournament_format=TournamentFormat.MTT_LARGE_FIELD).multiple
    assert heads_up < tournament_buy_ins().multiple < large


def test_choices_may_be_given_as_form_values():
    assert cash_buy_ins("plo", "soft", "aggressive", "live") == cash_buy_ins(
        Game.PLO, Skill.SOFT, Risk.AGGRESSIVE, Environment.LIVE
    )


@pytest.mark.parametrize("field", ["game", "skill", "risk", "environment"])
def test_an_unknown_choice_is_a_field_error_for_that_field(field):
    with pytest.raises(FieldError) as error:
        cash_buy_ins(**{field: "poker"})
    assert error.value.field == field
    assert error.value.as_dict() == {field: "Choose one of the options."}


def test_an_unknown_tournament_format_is_a_field_error():
    with pytest.raises(FieldError) as error:
        tournament_buy_ins(tournament_format="bingo")
    assert error.value.field == "format"


def test_aggressive_never_needs_more_buy_ins_than_not_sure_or_conservative():
    for game, skill, _, environment in ALL_CHOICES:
        m = {r: cash_buy_ins(game, skill, r, environment).multiple for r in Risk}
        assert m[Risk.AGGRESSIVE] <= m[Risk.NOT_SURE] <= m[Risk.CONSERVATIVE]
        t = {r: tournament_buy_ins(game, skill, r, environment).multiple for r in Risk}
        assert t[Risk.AGGRESSIVE] <= t[Risk.NOT_SURE] <= t[Risk.CONSERVATIVE]
