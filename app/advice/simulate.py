"""Variance simulator: bankroll paths with normal steps per 100 hands, for a fan chart.

Floats inside (NumPy), Decimals out. A path that reaches zero is broke and stays at zero. Seeded, so
the same inputs give the same result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from app.advice import validate
from app.advice.errors import FieldError

PERCENTILES = (5, 25, 50, 75, 95)
MAX_PATHS = 10_000
MAX_HANDS = 10_000_000
MAX_STEPS_TOTAL = 50_000_000  # paths × 100-hand steps: keeps one run well under a few seconds
CHUNK_CELLS = 2_000_000  # paths are simulated in chunks of about this many steps, to bound memory
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Simulation:
    """The fan chart's data and the ruin figures of a simulation run."""

    hands: tuple[int, ...]  # the sample points (≤ 100), from 0 to the number of hands
    percentiles: dict[int, tuple[Decimal, ...]]  # {5: …, 25: …, 50: …, 75: …, 95: …} per sample point
    broke_share: Decimal  # the share of paths that went broke (0 to 1)
    worst_drawdown: Decimal  # the largest peak-to-trough fall of any path
    median_drawdown: Decimal  # the median of each path's largest fall
    paths: int
    seed: int


def _amount(value: float) -> Decimal:
    """A float result as a Decimal to the cent."""
    return Decimal(repr(float(value))).quantize(CENT)


def sample_steps(steps: int, points: int) -> np.ndarray:
    """At most `points` step indices from 0 to `steps`, evenly spread, both ends included."""
    count = min(steps + 1, points)
    return np.unique(np.rint(np.linspace(0, steps, count)).astype(np.int64))


def simulate(
    win_rate: Decimal | int,
    std_dev: Decimal | int,
    bankroll: Decimal | int,
    hands: Decimal | int,
    *,
    paths: int = 1000,
    seed: int = 0,
    points: int = 100,
) -> Simulation:
    """Simulate `paths` bankrolls over `hands` hands (μ and σ per 100 hands, in the bankroll's unit)."""
    mu = float(validate.number(win_rate, "win_rate"))
    sigma = float(validate.non_negative(std_dev, "std_dev", label="standard deviation"))
    start = float(validate.positive(bankroll, "bankroll"))
    total_hands = validate.whole(hands, "hands", 100, MAX_HANDS)
    count = validate.whole(paths, "paths", 1, MAX_PATHS, label="number of paths")
    n_points = validate.whole(points, "points", 2, 1000, label="number of points")
    seed_value = validate.whole(seed, "seed", 0, 2**63 - 1)
    steps = math.ceil(total_hands / 100)
    if count * steps > MAX_STEPS_TOTAL:
        raise FieldError("hands", "That is too many hands for this many paths; choose fewer.")

    # Step sizes in blocks of 100 hands; a final partial block scales μ by its share and σ by √share.
    blocks = np.ones(steps)
    blocks[-1] = (total_hands - 100 * (steps - 1)) / 100
    means, scales = mu * blocks, sigma * np.sqrt(blocks)
    sample = sample_steps(steps, n_points)
    rng = np.random.default_rng(seed_value)

    samples = np.empty((count, sample.size))
    broke = 0
    drawdowns = np.empty(count)
    chunk = max(1, CHUNK_CELLS // steps)
    for first in range(0, count, chunk):
        rows = min(chunk, count - first)
        walk = np.empty((rows, steps + 1))
        walk[:, 0] = start
        walk[:, 1:] = rng.standard_normal((rows, steps)) * scales + means
        np.cumsum(walk, axis=1, out=walk)
        ruined = np.minimum.accumulate(walk, axis=1) <= 0
        walk[ruined] = 0.0
        broke += int(ruined[:, -1].sum())
        drawdowns[first : first + rows] = (np.maximum.accumulate(walk, axis=1) - walk).max(axis=1)
        samples[first : first + rows] = walk[:, sample]

    table = np.percentile(samples, PERCENTILES, axis=0)
    return Simulation(
        hands=tuple(min(int(i) * 100, total_hands) for i in sample),
        percentiles={p: tuple(_amount(v) for v in table[k]) for k, p in enumerate(PERCENTILES)},
        broke_share=Decimal(broke) / Decimal(count),
        worst_drawdown=_amount(drawdowns.max()),
        median_drawdown=_amount(np.median(drawdowns)),
        paths=count,
        seed=seed_value,
    )
