"""The calculators' small pure helpers: number parsing, display of numbers and percentages, durations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.calculators.forms import Reader, parse_number
from app.calculators.goals import duration
from app.calculators.numbers import Numbers
from app.calculators.spr import zone_ranges

D = Decimal


NUMBERS = [
    ("5", D(5)),
    ("-2.5", D("-2.5")),
    ("\u22123", D(-3)),
    ("1,234.5", D("1234.5")),
    ("1 234,5", D("1234.5")),
    (".5", D("0.5")),
    ("2,5", D("2.5")),
    ("1'000", D(1000)),
    ("+7", D(7)),
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_numbers_are_read_as_players_type_them(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["", "abc", "nan", "inf", "-Infinity", "1e5", "1,2,3", "1.2.3", "0x10", "5%"]
)
def test_anything_else_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_a_reader_keeps_what_was_typed_and_one_message_per_field():
    reader = Reader({"a": " 12x ", "b": "-1", "c": "3.5"})
    assert reader.number("a", "stack") is None
    assert reader.number("b", "pot", low=0) is None
    assert reader.number("c", "outs", whole=True) is None
    assert reader.number("d", "bet", "4", above=0) == D(4)
    assert reader.form.values == {"a": "12x", "b": "-1", "c": "3.5", "d": "4"}
    assert reader.form.errors == {
        "a": "Enter the stack as a number, like 1234.5.",
        "b": "The pot can't be negative.",
        "c": "The outs must be a whole number.",
    }
    reader.error("a", "a second message")
    assert reader.form.errors["a"].startswith("Enter the stack")


def test_percentages_never_round_a_real_risk_to_0_or_100():
    fmt = Numbers()
    assert fmt.pct(D("0.135335")) == "13.53\u00a0%"
    assert fmt.pct(D("1E-40")) == "< 0.01\u00a0%"
    assert fmt.pct(D("0.9999999")) == "> 99.99\u00a0%"
    assert fmt.pct(D(1)) == "100\u00a0%" and fmt.pct(D(0)) == "0\u00a0%"


def test_numbers_follow_the_locale_and_use_a_real_minus_sign():
    assert Numbers("de_DE").num(D("2995.73"), 1) == "2.995,7"
    assert Numbers().num(D("-3.77"), 2) == "\u22123.77"
    assert Numbers().num(D("4.5"), 2, fixed=True) == "4.50"


def test_durations_read_in_years_and_months():
    assert [duration(n) for n in (0, 1, 7, 12, 13, 26)] == [
        "0 months", "1 month", "7 months", "1 year", "1 year 1 month", "2 years 2 months",
    ]  # fmt: skip


def test_the_spr_zone_ranges_come_from_the_one_list_of_bounds():
    assert [text for _, text in zone_ranges()] == ["≤ 1", "1–4", "4–13", "> 13"]
