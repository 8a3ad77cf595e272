"""Input checks shared by the calculators: exact numbers only, in sensible ranges."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import TypeVar

from app.advice.errors import FieldError

MAX_AMOUNT = Decimal("10000000000")  # ten billion in any unit; anything larger is a typo
Number = Decimal | int

E = TypeVar("E", bound=Enum)


def number(value: object, field: str, *, label: str | None = None) -> Decimal:
    """`value` as a finite Decimal (int or Decimal only: floats are never exact money)."""
    name = label or field.replace("_", " ")
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise FieldError(field, f"Enter the {name} as a number.")
    result = Decimal(value)
    if not result.is_finite():
        raise FieldError(field, f"Enter the {name} as a number.")
    if abs(result) > MAX_AMOUNT:
        raise FieldError(field, f"The {name} is too large.")
    return result


def non_negative(value: object, field: str, *, label: str | None = None) -> Decimal:
    """A number that is zero or more."""
    result = number(value, field, label=label)
    if result < 0:
        raise FieldError(field, f"The {label or field.replace('_', ' ')} can't be negative.")
    return result


def positive(value: object, field: str, *, label: str | None = None) -> Decimal:
    """A number above zero."""
    result = number(value, field, label=label)
    if result <= 0:
        raise FieldError(field, f"The {label or field.replace('_', ' ')} must be more than zero.")
    return result


def whole(value: object, field: str, low: int, high: int, *, label: str | None = None) -> int:
    """A whole number from `low` to `high` inclusive."""
    name = label or field.replace("_", " ")
    result = number(value, field, label=label)
    if result != result.to_integral_value():
        raise FieldError(field, f"The {name} must be a whole number.")
    if not low <= result <= high:
        raise FieldError(field, f"The {name} must be from {low:,} to {high:,}.")
    return int(result)


def choice(enum: type[E], value: object, field: str) -> E:
    """`value` (an enum member or its form value) as a member of `enum`."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        raise FieldError(field, "Choose one of the options.") from None
