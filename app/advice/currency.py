"""Conversion of US-dollar ladders into the player's currency, with a rate or a callable passed in."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from app.advice import validate
from app.advice.errors import FieldError

# A callable from a USD amount to the player's currency, or the rate as a Decimal (units per 1 USD).
Converter = Callable[[Decimal], Decimal] | Decimal


def from_usd(currency: str, convert: Converter | None) -> Callable[[Decimal], Decimal]:
    """A function converting USD amounts into `currency` (identity for USD)."""
    if currency == "USD":
        return lambda amount: amount
    if convert is None:
        raise FieldError("currency", f"There is no exchange rate from US dollars to {currency}.")
    if callable(convert):
        return convert
    rate = validate.positive(convert, "rate", label="exchange rate")
    return lambda amount: amount * rate
