"""The variance simulator: seeded bankroll paths, their fan chart, the share that went broke, drawdowns.

Inputs are capped so one request stays well under a second: at most 1,000 paths, 1,000,000 hands,
and paths × hands at most 100,000,000 (1,000 paths of 100,000 hands take about 0.1 s).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.advice import risk, simulate
from app.advice.errors import FieldError
from app.calculators import charts
from app.calculators.forms import Reader
from app.calculators.player import Player
from app.calculators.tools import Outcome

MAX_PATHS = 1000
MAX_HANDS = 1_000_000
MAX_PATH_HANDS = 100_000_000
TABLE_ROWS = 5


def read(params: Mapping[str, str], player: Player) -> Outcome:
    """Parse the form and, when it is valid, run the simulation."""
    reader = Reader(params)
    mu = reader.number("win_rate", "win rate", "5", low=-1000, high=1000)
    sigma = reader.number("std_dev", "standard deviation", "100", low=0, high=10_000)
    bankroll = reader.number("bankroll", "bankroll", "2000", above=0, high=10_000_000)
    hands = reader.number("hands", "number of hands", "50000", low=100, high=MAX_HANDS, whole=True)
    paths = reader.number("paths", "number of paths", "500", low=1, high=MAX_PATHS, whole=True)
    seed = reader.number("seed", "seed", "1", low=0, high=999_999_999, whole=True)
    fmt = player.fmt
    context: dict[str, Any] = {"fmt": fmt, "result": None, "limits": {"paths": MAX_PATHS, "hands": MAX_HANDS}}
    if hands is not None and paths is not None and hands * paths > MAX_PATH_HANDS:
        reader.error(
            "hands", f"Choose fewer hands or fewer paths: paths × hands can be at most {MAX_PATH_HANDS:,}."
        )
    if mu is None or sigma is None or bankroll is None or hands is None or paths is None or seed is None:
        return Outcome(reader.form, context)
    if not reader.ok:
        return Outcome(reader.form, context)
    try:
        run = simulate.simulate(mu, sigma, bankroll, int(hands), paths=int(paths), seed=int(seed))
    except FieldError as error:
        reader.field_error(error)
        return Outcome(reader.form, context)

    def amount(value: Decimal) -> str:
        return f"{fmt.num(value, 0)} bb"

    def count(value: int) -> str:
        return fmt.num(value, 0)

    last = len(run.hands) - 1
    rows = sorted({round(k * last / (TABLE_ROWS - 1)) for k in range(TABLE_ROWS)})
    context["result"] = {
        "run": run,
        "bankroll": bankroll,
        "expected": bankroll + mu * hands / 100,
        "ruin": risk.risk_of_ruin(mu, sigma, bankroll)
        if sigma > 0
        else (Decimal(0) if mu >= 0 else Decimal(1)),
        "chart": charts.fan_chart(run.hands, run.percentiles, bankroll, amount=amount, count=count),
        "table": [(run.hands[i], [run.percentiles[p][i] for p in simulate.PERCENTILES]) for i in rows],
        "percentiles": simulate.PERCENTILES,
    }
    return Outcome(reader.form, context, computed=True)
