"""Tournament and sit-and-go buy-ins: site ladders and advice with one multiple M everywhere.

Recommended = the largest buy-in ≤ bankroll / M (the same as bankroll ≥ M × buy-in); next and the
move-down floor use the same M. The default buffer is 20 % (10 buy-ins is little against M ≈ 131).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.advice import validate
from app.advice.choices import Environment, Game, Risk, Skill, TournamentFormat
from app.advice.currency import Converter, from_usd
from app.advice.data import SITE_BUY_INS, SITES
from app.advice.errors import FieldError
from app.advice.ladder import Buffer, LadderAdvice, advise
from app.advice.multiples import tournament_buy_ins


@dataclass(frozen=True)
class SiteExample:
    """A site that offers a buy-in level, with a one-line example."""

    site: str
    site_name: str
    example: str


@dataclass(frozen=True)
class TournamentLevel:
    """A buy-in level (fee included) in `currency`, from `usd_buy_in` on the sites in `examples`."""

    buy_in: Decimal
    usd_buy_in: Decimal
    currency: str
    examples: tuple[SiteExample, ...]


TournamentAdvice = LadderAdvice[TournamentLevel]


def _sites(sites: str | Iterable[str] | None) -> set[str]:
    """The site keys asked for (all when None)."""
    if sites is None:
        return set(SITES)
    chosen = {sites} if isinstance(sites, str) else set(sites)
    unknown = chosen - set(SITES)
    if unknown or not chosen:
        raise FieldError("site", "Choose one of the sites.")
    return chosen


def tournament_ladder(
    sites: str | Iterable[str] | None = None, currency: str = "USD", *, convert: Converter | None = None
) -> tuple[TournamentLevel, ...]:
    """The buy-in levels of the chosen sites (all by default), ascending, one level per amount."""
    chosen = _sites(sites)
    code = currency.upper()
    to_currency = from_usd(code, convert)
    levels: dict[Decimal, list[SiteExample]] = {}
    for site, amount, example in SITE_BUY_INS:
        if site in chosen:
            levels.setdefault(Decimal(amount), []).append(SiteExample(site, SITES[site], example))
    return tuple(
        TournamentLevel(to_currency(usd), usd, code, tuple(examples))
        for usd, examples in sorted(levels.items())
    )


def _current_index(
    ladder: tuple[TournamentLevel, ...], current: TournamentLevel | Decimal | None
) -> int | None:
    """The index of the level the player plays now (a level or its amount in the ladder's currency)."""
    if current is None:
        return None
    for i, level in enumerate(ladder):
        if level == current or level.buy_in == current:
            return i
    raise FieldError("current", "Choose one of the buy-ins.")


def tournament_advice(
    bankroll: Decimal | int,
    *,
    game: Game | str = Game.NLHE,
    skill: Skill | str = Skill.TOUGH,
    risk: Risk | str = Risk.CONSERVATIVE,
    environment: Environment | str = Environment.ONLINE,
    tournament_format: TournamentFormat | str = TournamentFormat.NOT_SURE,
    ladder: tuple[TournamentLevel, ...] | None = None,
    buffer: Buffer | None = None,
    current: TournamentLevel | Decimal | None = None,
) -> TournamentAdvice:
    """Buy-in advice for a tournament bankroll (in the ladder's currency; default all sites in USD)."""
    amount = validate.non_negative(bankroll, "bankroll")
    levels = ladder if ladder is not None else tournament_ladder()
    if not levels:
        raise FieldError("site", "There are no buy-ins for this choice.")
    rule = tournament_buy_ins(game, skill, risk, environment, tournament_format)
    index = _current_index(levels, current)
    return advise(
        amount,
        levels[0].currency,
        levels,
        lambda level: level.buy_in,
        rule,
        buffer or Buffer.percent(20),
        index,
    )
