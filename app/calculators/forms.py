"""Reading the calculators' GET forms: each value kept as typed, parsed, and checked with a message.

A `Reader` collects `form.values` (what the page shows back in the inputs) and `form.errors` (one
message per field, shown next to it) while it parses; the calculators in app/advice do the rest of
the checking and their FieldError lands on the same field, as their field names are the input names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from app import money
from app.advice.errors import FieldError
from app.auth.forms import Form

MAX_TEXT = 40  # longer than any number a player types; longer input is cut, then rejected
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009_']")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def parse_number(text: str) -> Decimal:
    """'1,234.5', '1 234,5', '-3', '.5' as a Decimal; ValueError for anything else (no 'nan', no '1e9')."""
    value = _SPACES.sub("", text).replace("\u2212", "-")
    if _GROUPED.fullmatch(value):
        value = value.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(value):
        value = value.replace(",", ".")
    if not _PLAIN.fullmatch(value):
        raise ValueError(text)
    try:
        return Decimal(value)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError(text) from error


class Reader:
    """Parses query parameters into values, remembering what was typed and what was wrong."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self.params = params
        self.form = Form(values={})

    @property
    def ok(self) -> bool:
        return self.form.ok

    def error(self, field: str, message: str) -> None:
        """Record a message for a field (the first one wins: it is the most basic problem)."""
        self.form.errors.setdefault(field, message)

    def field_error(self, error: FieldError, fields: Mapping[str, str] | None = None) -> None:
        """A calculator's FieldError, on its field (or the input it maps to in `fields`)."""
        self.error((fields or {}).get(error.field, error.field), error.message)

    def text(self, name: str, default: str = "") -> str:
        """The stripped text of a parameter, `default` when it is missing."""
        raw = self.params.get(name)
        value = default if raw is None else raw.strip()[:MAX_TEXT]
        self.form.values[name] = value
        return value

    def choice(self, name: str, options: Iterable[str], default: str) -> str:
        """One of `options`; anything else is an error and gives the default."""
        value = self.text(name, default)
        if value not in set(options):
            self.error(name, "Choose one of the options.")
            return default
        return value

    def mode(self, name: str, options: Iterable[str], default: str) -> str:
        """A page mode set by links (tabs): an unknown value falls back to the default quietly."""
        value = self.text(name, default)
        if value not in set(options):
            value = default
        self.form.values[name] = value
        return value

    def flag(self, name: str) -> bool:
        """A checkbox: on when sent with any value."""
        on = bool(self.params.get(name))
        self.form.values[name] = "on" if on else ""
        return on

    def number(
        self,
        name: str,
        label: str,
        default: str = "",
        *,
        low: Decimal | int | None = None,
        high: Decimal | int | None = None,
        above: Decimal | int | None = None,
        below: Decimal | int | None = None,
        whole: bool = False,
        required: bool = True,
    ) -> Decimal | None:
        """A number within bounds (`low`/`high` inclusive, `above`/`below` strict), or None with a message."""
        text = self.text(name, default)
        if not text:
            if required:
                self.error(name, f"Enter the {label}.")
            return None
        try:
            value = parse_number(text)
        except ValueError:
            self.error(name, f"Enter the {label} as a number, like 1234.5.")
            return None
        problem = None
        if whole and value != value.to_integral_value():
            problem = f"The {label} must be a whole number."
        elif above is not None and value <= above:
            problem = (
                f"The {label} must be more than {_plain(above)}."
                if above
                else f"The {label} must be more than zero."
            )
        elif low is not None and value < low:
            problem = (
                f"The {label} can't be negative."
                if low == 0
                else f"The {label} must be at least {_plain(low)}."
            )
        elif below is not None and value >= below:
            problem = f"The {label} must be less than {_plain(below)}."
        elif high is not None and value > high:
            problem = f"The {label} must be at most {_plain(high)}."
        if problem:
            self.error(name, problem)
            return None
        return value

    def amount(
        self, name: str, currency: str, default: str = "", *, label: str = "amount", allow_zero: bool = True
    ) -> Decimal | None:
        """An amount of money in `currency` (app.money's parser: '1.234,56 €' works), or None."""
        text = self.text(name, default)
        if not money.is_currency(currency):
            return None  # the currency field has the message
        if not text:
            self.error(name, f"Enter the {label}.")
            return None
        try:
            return money.parse_amount(text, currency, allow_zero=allow_zero)
        except money.MoneyError as error:
            message = str(error).replace("The amount", f"The {label}").replace("That amount", f"The {label}")
            self.error(name, message)
            return None


def _plain(value: Decimal | int) -> str:
    """A bound in a message: '1,000,000', '0.5'."""
    number = Decimal(value).normalize()
    return f"{number:,f}" if number == number.to_integral_value() else f"{number:f}"
