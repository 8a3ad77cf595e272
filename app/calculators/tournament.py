"""The tournament and sit-and-go calculator: one multiple M for the format, buy-in ladders by site."""

from __future__ import annotations

from collections.abc import Mapping

from app.advice.data import SITES
from app.advice.errors import FieldError
from app.advice.explain import explain
from app.advice.tournaments import tournament_advice, tournament_ladder
from app.calculators.forms import Reader
from app.calculators.player import Player, read_bankroll
from app.calculators.tools import (
    BUFFER_UNITS,
    ENVIRONMENTS,
    FORMATS,
    GAMES,
    RISKS,
    SKILLS,
    Outcome,
    read_buffer,
    read_factors,
)

SITE_OPTIONS = [("all", "All sites"), *SITES.items()]


def read(params: Mapping[str, str], player: Player) -> Outcome:
    """Parse the form and, when it is valid, advise on the buy-ins."""
    reader = Reader(params)
    tournament_format = reader.choice("format", [v for v, _ in FORMATS], "not_sure")
    factors = read_factors(reader)
    site = reader.choice("site", [v for v, _ in SITE_OPTIONS], "all")
    bankroll = read_bankroll(reader, player)
    buffer = read_buffer(reader, "percent", "20")
    context = {
        "formats": FORMATS,
        "games": GAMES,
        "skills": SKILLS,
        "risks": RISKS,
        "environments": ENVIRONMENTS,
        "sites": SITE_OPTIONS,
        "buffer_units": BUFFER_UNITS,
        "bankroll": bankroll,
        "player": player,
        "fmt": player.fmt,
        "advice": None,
    }
    if not reader.ok or buffer is None:
        return Outcome(reader.form, context)
    try:
        ladder = tournament_ladder(
            None if site == "all" else site, bankroll.currency, convert=player.from_usd(bankroll.currency)
        )
        advice = tournament_advice(
            bankroll.amount if bankroll.amount is not None else 0,
            **factors.as_kwargs(),
            tournament_format=tournament_format,
            ladder=ladder,
            buffer=buffer,
        )
    except FieldError as error:
        reader.field_error(error, {"rate": "currency"})
        return Outcome(reader.form, context)
    fmt = player.fmt
    context.update(
        advice=advice,
        floor_buy_ins=advice.buffer.floor_multiple(advice.multiple),
        explanation=explain(advice, lambda value: fmt.money(value, bankroll.currency))
        if bankroll.known
        else None,
    )
    return Outcome(reader.form, context, computed=bankroll.known)
