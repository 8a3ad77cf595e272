"""Who is calculating: the player's currency, locale, rates and poker bankroll, or a visitor's defaults.

The bankroll fields work the same on every calculator that needs a bankroll: logged in, the poker
bankroll (the sites total) is used unless the player types another amount, and a switch adds the
assets; logged out, the visitor types a bankroll and picks its currency.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app import money
from app.bankroll import queries as bankroll_queries
from app.bankroll import services
from app.calculators.forms import Reader
from app.calculators.numbers import Numbers
from app.models import User

ZERO = Decimal(0)
CURRENCY_OPTIONS = [(code, code) for code in money.CURRENCIES]


@dataclass(frozen=True)
class Player:
    """The calculating player (user None: a visitor) with what the calculators need to know."""

    user: User | None
    currency: str  # the display currency (USD for a visitor)
    rates: Mapping[str, Decimal]
    rates_date: str
    sites: Decimal = ZERO  # the poker bankroll, in `currency`
    assets: Decimal = ZERO

    @property
    def locale(self) -> str:
        return self.user.locale if self.user is not None else "en_US"

    @property
    def fmt(self) -> Numbers:
        return Numbers(self.locale)

    def from_usd(self, currency: str) -> Callable[[Decimal], Decimal]:
        """Converts US-dollar ladders into `currency` at the rates in use."""
        return lambda amount: money.convert(amount, "USD", currency, self.rates)


async def load(session: AsyncSession, user: User | None, *, bankroll: bool = True) -> Player:
    """The player's figures (four queries logged in), or the visitor's rates (one query)."""
    if user is not None and bankroll:
        summary = await services.summary(session, user)
        return Player(
            user,
            summary.currency,
            summary.rates,
            summary.rates_date,
            summary.sites.total,
            summary.assets.total,
        )
    rates, rates_date = await bankroll_queries.latest_rates(session)
    currency = user.display_currency if user is not None else "USD"
    return Player(user, currency, rates, rates_date)


@dataclass(frozen=True)
class Bankroll:
    """The bankroll a calculator works with; `source` says where it came from."""

    amount: Decimal | None  # None: a visitor who has not typed one yet (or typed a bad one)
    currency: str
    source: str  # "typed", "sites", "sites_and_assets" or "missing"

    @property
    def known(self) -> bool:
        return self.amount is not None


def read_bankroll(reader: Reader, player: Player, *, allow_zero: bool = True) -> Bankroll:
    """The bankroll fields: an amount typed (either way), else the player's poker bankroll (+ assets)."""
    visitor = player.user is None
    currency = reader.choice("currency", money.CURRENCIES, "USD") if visitor else player.currency
    with_assets = False if visitor else reader.flag("assets")
    typed = reader.params.get("bankroll", "").strip()
    if typed or visitor:
        if not typed:
            reader.form.values["bankroll"] = ""
            return Bankroll(None, currency, "missing")
        amount = reader.amount("bankroll", currency, label="bankroll", allow_zero=allow_zero)
        return Bankroll(amount, currency, "typed")
    reader.form.values["bankroll"] = ""
    if with_assets:
        return Bankroll(money.add([player.sites, player.assets]), currency, "sites_and_assets")
    return Bankroll(player.sites, currency, "sites")
