"""How many buy-ins a bankroll needs: the weighted rule over the player's choices.

For every factor that is set ("not sure" leaves it out), take its range (low, high) in buy-ins and its
weight; low = round(Σ low·w / Σ w), high = round(Σ high·w / Σ w), and the multiple M = (low + high) / 2.
Rounding is half up on the exact fraction (integer arithmetic, no float), what players expect. The
cash table and the four tournament factors never land exactly on .5; with a tournament format some
combinations do: NLHE/soft/live/heads-up SNG gives 42.5–67.5 → 43–68, M 55.5 (Python's round() would
give 42, half to even).
The cash defaults NLHE/tough/conservative/online give 45–86 → M 65.5; the tournament defaults 90–172
→ M 131. For tournaments the format is a fifth factor of weight 2; "not sure" (the default) leaves it
out, so the four-factor defaults above stand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.advice import validate
from app.advice.choices import Environment, Game, Risk, Skill, TournamentFormat
from app.advice.data import CASH_RANGES, TOURNAMENT_RANGES, WEIGHTS, Range


@dataclass(frozen=True)
class FactorPart:
    """One factor that counted: its name, the player's choice, weight and range in buy-ins."""

    factor: str
    choice: str
    weight: int
    low: int
    high: int


@dataclass(frozen=True)
class BuyInRule:
    """The result of the weighted rule: a range of buy-ins and the multiple M in its middle."""

    low: int
    high: int
    parts: tuple[FactorPart, ...]

    @property
    def multiple(self) -> Decimal:
        """M = (low + high) / 2, exact (e.g. 65.5)."""
        return Decimal(self.low + self.high) / 2


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to a whole number, halves up (both non-negative, exact)."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("round_half_up takes a non-negative numerator and a positive denominator")
    return (2 * numerator + denominator) // (2 * denominator)


def weighted_rule(parts: tuple[FactorPart, ...]) -> BuyInRule:
    """Apply the weighted rule to the factors that are set."""
    if not parts:
        raise ValueError("the weighted rule needs at least one factor")
    total = sum(part.weight for part in parts)
    low = round_half_up(sum(part.low * part.weight for part in parts), total)
    high = round_half_up(sum(part.high * part.weight for part in parts), total)
    return BuyInRule(low, high, parts)


def _parts(
    choices: Mapping[str, object], ranges: Mapping[str, Mapping[str, Range]]
) -> tuple[FactorPart, ...]:
    """The factors that are set, with their weights and ranges."""
    parts = []
    for factor, value in choices.items():
        found = ranges[factor].get(str(value))
        if found is not None:
            label = getattr(value, "label", str(value))
            parts.append(FactorPart(factor, label, WEIGHTS[factor], found[0], found[1]))
    return tuple(parts)


def cash_buy_ins(
    game: Game | str = Game.NLHE,
    skill: Skill | str = Skill.TOUGH,
    risk: Risk | str = Risk.CONSERVATIVE,
    environment: Environment | str = Environment.ONLINE,
) -> BuyInRule:
    """Max buy-ins a cash-game bankroll needs for these choices (defaults: 45–86, M 65.5)."""
    choices = {
        "game": validate.choice(Game, game, "game"),
        "skill": validate.choice(Skill, skill, "skill"),
        "risk": validate.choice(Risk, risk, "risk"),
        "environment": validate.choice(Environment, environment, "environment"),
    }
    return weighted_rule(_parts(choices, CASH_RANGES))


def tournament_buy_ins(
    game: Game | str = Game.NLHE,
    skill: Skill | str = Skill.TOUGH,
    risk: Risk | str = Risk.CONSERVATIVE,
    environment: Environment | str = Environment.ONLINE,
    tournament_format: TournamentFormat | str = TournamentFormat.NOT_SURE,
) -> BuyInRule:
    """Average buy-ins a tournament bankroll needs (defaults: 90–172, M 131); format is a 5th factor."""
    choices = {
        "game": validate.choice(Game, game, "game"),
        "skill": validate.choice(Skill, skill, "skill"),
        "risk": validate.choice(Risk, risk, "risk"),
        "environment": validate.choice(Environment, environment, "environment"),
        "format": validate.choice(TournamentFormat, tournament_format, "format"),
    }
    return weighted_rule(_parts(choices, TOURNAMENT_RANGES))
