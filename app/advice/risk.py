"""Risk of ruin, the bankroll for a target risk, σ presets and per-hour conversion, win-rate intervals.

Everything is exact-ish Decimal arithmetic (28 significant digits, Decimal exp/ln/sqrt): no float,
so no NaN or infinity. Win rate μ, standard deviation σ and bankroll B must share one unit: bb and
bb/100 hands, or money and money per hour. Probabilities are fractions from 0 to 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from app.advice import validate
from app.advice.data import SIGMA_PRESETS, SigmaPreset
from app.advice.errors import FieldError

ONE = Decimal(1)
Z_95 = Decimal("1.96")


def risk_of_ruin(win_rate: Decimal | int, std_dev: Decimal | int, bankroll: Decimal | int) -> Decimal:
    """exp(−2·μ·B/σ²): the chance of ever losing the whole bankroll (1 when μ ≤ 0)."""
    mu = validate.number(win_rate, "win_rate")
    sigma = validate.positive(std_dev, "std_dev", label="standard deviation")
    amount = validate.non_negative(bankroll, "bankroll")
    if mu <= 0:
        return ONE
    with localcontext() as ctx:
        ctx.prec = 28
        exponent = -2 * mu * amount / (sigma * sigma)
        # exp underflows quietly to 0 for very safe bankrolls; clamp keeps it in [0, 1].
        return min(ONE, max(Decimal(0), exponent.exp()))


def bankroll_for_risk(
    win_rate: Decimal | int, std_dev: Decimal | int, target_risk: Decimal | int
) -> Decimal | None:
    """B = −σ²·ln(r) / (2μ): the bankroll for risk r (0 < r < 1); None when μ ≤ 0 (no bankroll is enough).

    The result is exact to 28 digits; round it up for display (5 % at μ 5, σ 100 → 2,995.73 → 2,996 bb).
    """
    mu = validate.number(win_rate, "win_rate")
    sigma = validate.positive(std_dev, "std_dev", label="standard deviation")
    risk = validate.number(target_risk, "target_risk", label="risk")
    if not 0 < risk < 1:
        raise FieldError("target_risk", "The risk must be more than 0 % and less than 100 %.")
    if mu <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return -(sigma * sigma) * risk.ln() / (2 * mu)


@dataclass(frozen=True)
class Rates:
    """A win rate and standard deviation in one unit of time or hands."""

    win_rate: Decimal
    std_dev: Decimal


def _hands_per_hour(hands_per_hour: Decimal | int) -> Decimal:
    """Hands per hour, from 1 to 5,000 (many tables online)."""
    value = validate.positive(hands_per_hour, "hands_per_hour", label="hands per hour")
    if value > 5000:
        raise FieldError("hands_per_hour", "The hands per hour must be 5,000 or fewer.")
    return value


def per_hour(win_rate_100: Decimal | int, std_dev_100: Decimal | int, hands_per_hour: Decimal | int) -> Rates:
    """Per-100-hands figures to per hour: μ scales with hands, σ with √hands."""
    mu = validate.number(win_rate_100, "win_rate")
    sigma = validate.non_negative(std_dev_100, "std_dev", label="standard deviation")
    blocks = _hands_per_hour(hands_per_hour) / 100
    with localcontext() as ctx:
        ctx.prec = 28
        return Rates(mu * blocks, sigma * blocks.sqrt())


def per_100(
    win_rate_hour: Decimal | int, std_dev_hour: Decimal | int, hands_per_hour: Decimal | int
) -> Rates:
    """Per-hour figures to per 100 hands (the inverse of per_hour)."""
    mu = validate.number(win_rate_hour, "win_rate")
    sigma = validate.non_negative(std_dev_hour, "std_dev", label="standard deviation")
    blocks = _hands_per_hour(hands_per_hour) / 100
    with localcontext() as ctx:
        ctx.prec = 28
        return Rates(mu / blocks, sigma / blocks.sqrt())


@dataclass(frozen=True)
class Interval:
    """A confidence interval of a win rate, per 100 hands."""

    low: Decimal
    high: Decimal
    margin: Decimal


def win_rate_interval(
    win_rate_100: Decimal | int, std_dev_100: Decimal | int, hands: Decimal | int
) -> Interval:
    """The 95 % interval μ ± 1.96·σ/√(N/100) of a win rate measured over N hands."""
    mu = validate.number(win_rate_100, "win_rate")
    sigma = validate.non_negative(std_dev_100, "std_dev", label="standard deviation")
    count = validate.whole(hands, "hands", 1, 1_000_000_000)
    with localcontext() as ctx:
        ctx.prec = 28
        margin = Z_95 * sigma / (Decimal(count) / 100).sqrt()
    return Interval(mu - margin, mu + margin, margin)


def sigma_preset(key: str) -> SigmaPreset:
    """A typical σ in bb/100 by key: nlh_6max ≈ 100, nlh_full_ring ≈ 70, plo_6max ≈ 140."""
    for preset in SIGMA_PRESETS:
        if preset.key == key:
            return preset
    raise FieldError("game_type", "Choose one of the game types.")
