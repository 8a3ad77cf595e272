"""The "bankroll strategy" panel: what the poker bankroll supports under five bankroll profiles.

`strategy_context(bankroll, currency, rates)` is pure and builds the context of the partial
templates/calculators/_strategy_panel.html, so any page can show the panel:

    context.update(strategy_context(summary.sites.total, summary.currency, summary.rates))
    {% include "calculators/_strategy_panel.html" %}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import money
from app.advice.ladder import Buffer
from app.advice.profiles import ProfileAdvice, profile_advice
from app.advice.stakes import Stake, cash_ladder
from app.calculators.forms import Reader
from app.calculators.player import Player, read_bankroll
from app.calculators.tools import Outcome

BUFFER = Buffer.buy_ins(10)


@dataclass(frozen=True)
class StrategyPanel:
    """The five profiles applied to one poker bankroll, in the player's currency."""

    bankroll: Decimal
    currency: str
    rows: tuple[ProfileAdvice, ...]
    smallest: Stake
    converted: bool  # US-dollar stakes converted to the player's currency
    buffer: Buffer


def strategy_panel(
    bankroll: Decimal, currency: str, rates: Mapping[str, Decimal] | None = None
) -> StrategyPanel:
    """The panel for `bankroll` (a negative one counts as zero) in `currency` (default: bundled rates)."""
    used = rates if rates is not None else money.SNAPSHOT_RATES
    ladder = cash_ladder(currency, convert=lambda usd: money.convert(usd, "USD", currency, used))
    amount = max(bankroll, Decimal(0))
    rows = profile_advice(amount, ladder, BUFFER)
    return StrategyPanel(amount, currency, rows, ladder[0], ladder[0].nominal_currency != currency, BUFFER)


def strategy_context(
    bankroll: Decimal, currency: str, rates: Mapping[str, Decimal] | None = None
) -> dict[str, Any]:
    """The context of calculators/_strategy_panel.html: {"strategy": StrategyPanel}."""
    return {"strategy": strategy_panel(bankroll, currency, rates)}


def read(params: Mapping[str, str], player: Player) -> Outcome:
    """The /tools/strategy page: the panel for the player's poker bankroll or a typed one."""
    reader = Reader(params)
    bankroll = read_bankroll(reader, player)
    context: dict[str, Any] = {"bankroll": bankroll, "player": player, "fmt": player.fmt, "strategy": None}
    if not reader.ok or bankroll.amount is None:
        return Outcome(reader.form, context)
    context.update(strategy_context(bankroll.amount, bankroll.currency, player.rates))
    return Outcome(reader.form, context, computed=True)
