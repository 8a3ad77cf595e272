"""Risk of ruin: the chance to go broke, the bankroll for a target risk, unit conversion, win-rate interval.

Two units, switched by tabs: big blinds per 100 hands (bankroll in big blinds) or money per hour
(live players; bankroll in money). Each unit has its own defaults: the issue's reference figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal
from urllib.parse import urlencode

from app import money
from app.advice import risk
from app.advice.data import SIGMA_PRESETS
from app.advice.errors import FieldError
from app.calculators.forms import Reader
from app.calculators.player import Player
from app.calculators.tools import Outcome

UNITS = {"bb100": "Per 100 hands", "hour": "Per hour"}
DEFAULTS = {
    "bb100": {"win_rate": "5", "std_dev": "100", "bankroll": "2000", "hands_per_hour": "75"},
    "hour": {"win_rate": "10", "std_dev": "150", "bankroll": "4000", "hands_per_hour": "30"},
}
SCALES = (Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3))
HIGH = {"bb100": Decimal(10_000), "hour": Decimal(10_000_000)}


def read(params: Mapping[str, str], player: Player) -> Outcome:
    """Parse the form and, when it is valid, work out the risk figures."""
    reader = Reader(params)
    unit = reader.mode("unit", UNITS, "bb100")
    defaults = dict(DEFAULTS[unit])
    if unit == "hour" and player.user is not None and player.sites > 0:
        defaults["bankroll"] = f"{player.sites.quantize(Decimal(1)):f}"
    currency = player.currency
    if unit == "hour" and player.user is None:
        currency = reader.choice("currency", money.CURRENCIES, "USD")
    high = HIGH[unit]
    mu = reader.number("win_rate", "win rate", defaults["win_rate"], low=-high, high=high)
    sigma = reader.number("std_dev", "standard deviation", defaults["std_dev"], above=0, high=high)
    bankroll = reader.number("bankroll", "bankroll", defaults["bankroll"], low=0, high=1_000_000_000)
    target = reader.number("target_risk", "target risk", "5", above=0, below=100)
    per_hour_hands = reader.number(
        "hands_per_hour", "hands per hour", defaults["hands_per_hour"], above=0, high=5000
    )
    hands = reader.number("hands", "number of hands", "50000", low=100, high=1_000_000_000, whole=True)
    context = {
        "unit": unit,
        "units": UNITS,
        "currency": currency,
        "presets": _preset_links(reader.form.values) if unit == "bb100" else [],
        "player": player,
        "fmt": player.fmt,
        "result": None,
    }
    if mu is None or sigma is None or bankroll is None or target is None:
        return Outcome(reader.form, context)
    if per_hour_hands is None or hands is None or not reader.ok:
        return Outcome(reader.form, context)
    try:
        context["result"] = _figures(unit, mu, sigma, bankroll, target, per_hour_hands, hands)
    except FieldError as error:
        reader.field_error(error)
        return Outcome(reader.form, context)
    return Outcome(reader.form, context, computed=True)


def _figures(
    unit: str,
    mu: Decimal,
    sigma: Decimal,
    bankroll: Decimal,
    target: Decimal,
    per_hour_hands: Decimal,
    hands: Decimal,
) -> dict[str, object]:
    """Every figure the result shows, in the unit of the inputs (the interval per 100 hands)."""
    if unit == "bb100":
        other = risk.per_hour(mu, sigma, per_hour_hands)
        per_100 = risk.Rates(mu, sigma)
    else:
        other = risk.per_100(mu, sigma, per_hour_hands)
        per_100 = other
    interval = risk.win_rate_interval(per_100.win_rate, per_100.std_dev, int(hands))
    needed = risk.bankroll_for_risk(mu, sigma, target / 100)
    return {
        "mu": mu,
        "sigma": sigma,
        "bankroll": bankroll,
        "target": target,
        "hands": int(hands),
        "hands_per_hour": per_hour_hands,
        "ruin": risk.risk_of_ruin(mu, sigma, bankroll),
        "needed": needed,
        "needed_up": None if needed is None else needed.to_integral_value(ROUND_CEILING),
        "other": other,
        "interval": interval,
        "scaled": [(bankroll * k, risk.risk_of_ruin(mu, sigma, bankroll * k)) for k in SCALES if bankroll],
    }


def _preset_links(here_values: Mapping[str, str]) -> list[tuple[str, str]]:
    """Links that fill in a typical σ (per 100 hands), keeping every other input."""
    links = []
    for preset in SIGMA_PRESETS:
        values = {**here_values, "unit": "bb100", "std_dev": f"{preset.bb_per_100:f}"}
        links.append((f"{preset.name} ≈ {preset.bb_per_100:f}", "?" + urlencode(values)))
    return links
