"""Numbers as the player reads them: plain numbers, percentages and money in the player's locale."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from app import money

NBSP = "\u00a0"


@dataclass(frozen=True)
class Numbers:
    """Formatting helpers handed to the templates as `fmt` (locale en_US when logged out)."""

    locale: str = "en_US"

    def num(self, value: Decimal | int, places: int = 2, *, fixed: bool = False) -> str:
        """A number with thousands separators and at most (`fixed`: exactly) `places` decimals."""
        decimals = ("0" if fixed else "#") * places
        pattern = "#,##0" + (f".{decimals}" if places else "")
        step = Decimal(1).scaleb(-places)
        shown = format_decimal(Decimal(value).quantize(step), format=pattern, locale=self.locale)
        return shown.replace("-", "\u2212")

    def pct(self, fraction: Decimal, places: int = 2) -> str:
        """A fraction from 0 to 1 as a percentage; tiny non-zero values say '< 0.01 %', not '0 %'."""
        value = fraction * 100
        smallest = Decimal(1).scaleb(-places)
        if 0 < value < smallest:
            return f"< {self.num(smallest, places)}{NBSP}%"
        if 100 - smallest < value < 100:
            return f"> {self.num(100 - smallest, places)}{NBSP}%"
        return f"{self.num(value, places)}{NBSP}%"

    def money(self, amount: Decimal | None, currency: str, *, signed: bool = False) -> str:
        """An amount in `currency` (the app's money format)."""
        return money.format_money(amount, currency, self.locale, signed=signed)
