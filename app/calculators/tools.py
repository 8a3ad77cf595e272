"""What every calculator page shares: the outcome of reading a form, and the factor choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.advice.choices import Environment, Game, Risk, Skill, TournamentFormat
from app.advice.ladder import Buffer
from app.auth.forms import Form
from app.calculators.forms import Reader


@dataclass
class Outcome:
    """A calculator's form (values and errors) and the page context; `computed`: a result was shown."""

    form: Form
    context: dict[str, Any] = field(default_factory=dict)
    computed: bool = False


GAMES = [(g.value, g.label) for g in Game]
SKILLS = [("soft", "Soft games"), ("tough", "Tough games"), ("not_sure", "Not sure")]
RISKS = [("conservative", "Conservative"), ("aggressive", "Aggressive"), ("not_sure", "Not sure")]
ENVIRONMENTS = [("online", "Online"), ("live", "Live"), ("not_sure", "Not sure")]
FORMATS = [(f.value, f.label[:1].upper() + f.label[1:]) for f in TournamentFormat]
BUFFER_UNITS = [("buy_ins", "buy-ins"), ("percent", "% of the requirement")]


@dataclass(frozen=True)
class Factors:
    """The player's answers to the four questions of the weighted rule."""

    game: Game
    skill: Skill
    risk: Risk
    environment: Environment

    def as_kwargs(self) -> dict[str, Any]:
        return {"game": self.game, "skill": self.skill, "risk": self.risk, "environment": self.environment}


def read_factors(reader: Reader) -> Factors:
    """Game, skill of the games, risk tolerance and environment (defaults NLHE/tough/conservative/online)."""
    return Factors(
        Game(reader.choice("game", [v for v, _ in GAMES], Game.NLHE.value)),
        Skill(reader.choice("skill", [v for v, _ in SKILLS], Skill.TOUGH.value)),
        Risk(reader.choice("risk", [v for v, _ in RISKS], Risk.CONSERVATIVE.value)),
        Environment(reader.choice("environment", [v for v, _ in ENVIRONMENTS], Environment.ONLINE.value)),
    )


def read_buffer(reader: Reader, default_unit: str, default_amount: str) -> Buffer | None:
    """The move-down buffer: a number of buy-ins or a percentage (checked again against M later)."""
    unit = reader.choice("buffer_unit", [v for v, _ in BUFFER_UNITS], default_unit)
    high = Decimal(99) if unit == "percent" else Decimal(1000)
    label = "buffer"
    amount = reader.number("buffer", label, default_amount, low=0, high=high)
    if amount is None:
        return None
    return Buffer.percent(amount) if unit == "percent" else Buffer.buy_ins(amount)
