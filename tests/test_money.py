"""Unit and property tests for app.money."""

import re
from decimal import Decimal

import pytest
from babel import Locale
from hypothesis import given
from hypothesis import strategies as st

from app.money import (
    CURRENCIES,
    LOCALES,
    MAX_AMOUNT,
    SNAPSHOT_DATE,
    SNAPSHOT_RATES,
    Currency,
    MoneyError,
    convert,
    format_money,
    is_currency,
    parse_amount,
    quantize,
    total,
)

D = Decimal
NBSP = "\u00a0"
NNBSP = "\u202f"
# Simple rates (units per 1 EUR) so that the expected results are easy to check by hand.
RATES = {
    "EUR": D("1"),
    "USD": D("1.25"),
    "GBP": D("0.8"),
    "JPY": D("160"),
    "BTC": D("0.00001"),
    "ETH": D("0.0004"),
}


# --- currencies and bundled rates ---


def test_the_common_poker_currencies_come_first_and_crypto_last():
    codes = list(CURRENCIES)
    assert codes[:5] == ["EUR", "USD", "GBP", "CAD", "AUD"]
    assert codes[-3:] == ["BTC", "ETH", "USDT"]
    assert codes[5:-3] == sorted(codes[5:-3])


def test_all_ecb_reference_currencies_and_bgn_are_known():
    ecb = "USD JPY CZK DKK GBP HUF PLN RON SEK CHF ISK NOK TRY AUD BRL CAD CNY HKD IDR ILS INR KRW MXN MYR"
    ecb += " NZD PHP SGD THB ZAR BGN EUR BTC ETH USDT"
    assert set(CURRENCIES) == set(ecb.split())


def test_each_currency_is_keyed_by_its_own_code_and_has_a_kind():
    for code, currency in CURRENCIES.items():
        assert isinstance(currency, Currency)
        assert currency.code == code
        assert currency.name
        assert currency.kind in ("fiat", "crypto")


def test_decimals_follow_iso_minor_units_and_crypto_uses_eight():
    decimals = {code: currency.decimals for code, currency in CURRENCIES.items()}
    assert decimals["JPY"] == decimals["KRW"] == decimals["ISK"] == 0
    assert decimals["HUF"] == decimals["IDR"] == decimals["USD"] == decimals["EUR"] == 2
    assert decimals["BTC"] == decimals["ETH"] == 8
    assert decimals["USDT"] == 2
    assert CURRENCIES["BTC"].kind == CURRENCIES["USDT"].kind == "crypto"


def test_the_snapshot_has_a_positive_decimal_rate_for_every_currency():
    assert set(SNAPSHOT_RATES) == set(CURRENCIES)
    assert SNAPSHOT_RATES["EUR"] == D("1")
    assert SNAPSHOT_RATES["BGN"] == D("1.95583")
    assert all(isinstance(rate, Decimal) and rate > 0 for rate in SNAPSHOT_RATES.values())
    assert SNAPSHOT_DATE.year >= 2024


def test_is_currency_accepts_known_codes_only():
    assert is_currency("USD")
    assert is_currency("BTC")
    assert not is_currency("usd")
    assert not is_currency("XYZ")
    assert not is_currency("")
    assert not is_currency(None)


def test_every_display_locale_is_known_to_babel():
    assert len(LOCALES) >= 12
    for locale in LOCALES:
        assert Locale.parse(locale)
        assert format_money(D("1234.5"), "EUR", locale)


# --- parse_amount ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.56", "1234.56"),
        ("  1234.56  ", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1 234.56", "1234.56"),
        ("1,234,567.89", "1234567.89"),
        ("1,234", "1234.00"),
        ("+5", "5.00"),
        ("$5", "5.00"),
        ("€ 12.5", "12.50"),
        ("US$1,000", "1000.00"),
        (".5", "0.50"),
        ("0", "0.00"),
        ("1.500", "1.50"),
    ],
)
def test_a_usual_amount_is_understood(text, expected):
    result = parse_amount(text, "USD")
    assert result == D(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234,56", "1234.56"),
        ("1234,5", "1234.50"),
        ("1,5", "1.50"),
        ("1.234,56", "1234.56"),
        ("1.234.567,89", "1234567.89"),
        ("1 234,56", "1234.56"),
        (f"1{NNBSP}234,56", "1234.56"),
        (f"1{NBSP}234,56", "1234.56"),
        (",5", "0.50"),
    ],
)
def test_a_decimal_comma_is_understood(text, expected):
    assert parse_amount(text, "EUR") == D(expected)


def test_a_comma_before_more_than_three_digits_or_after_a_zero_is_a_decimal_comma():
    assert parse_amount("0,1234", "BTC") == D("0.12340000")
    assert parse_amount("0,123", "BTC") == D("0.12300000")
    assert parse_amount("1234,567", "BTC") == D("1234.56700000")


def test_a_comma_before_exactly_three_digits_is_a_thousands_separator():
    assert parse_amount("1,234", "BTC") == D("1234")
    assert parse_amount("1.234.567", "JPY") == D("1234567")


def test_a_single_point_is_always_a_decimal_point():
    assert parse_amount("1.234", "BTC") == D("1.234")


def test_the_result_has_exactly_the_currency_decimals():
    assert str(parse_amount("5", "USD")) == "5.00"
    assert str(parse_amount("5", "JPY")) == "5"
    assert str(parse_amount("5.00", "JPY")) == "5"
    assert str(parse_amount("0.0125", "BTC")) == "0.01250000"
    assert str(parse_amount("-0", "USD", allow_negative=True)) == "0.00"


def test_negative_amounts_are_accepted_when_allowed():
    assert parse_amount("-12.5", "USD", allow_negative=True) == D("-12.50")
    assert parse_amount("-$12.5", "USD", allow_negative=True) == D("-12.50")
    assert parse_amount("\u221212,50", "EUR", allow_negative=True) == D("-12.50")


def test_the_largest_amount_is_accepted():
    assert parse_amount("10,000,000,000", "USD") == MAX_AMOUNT
    assert parse_amount("-10000000000", "BTC", allow_negative=True) == -MAX_AMOUNT


@pytest.mark.parametrize(
    ("text", "currency", "options", "message"),
    [
        ("", "USD", {}, "Enter an amount."),
        ("   ", "USD", {}, "Enter an amount."),
        (None, "USD", {}, "Enter an amount."),
        ("abc", "USD", {}, "Enter a number, like 1234.56."),
        ("12abc", "USD", {}, "Enter a number, like 1234.56."),
        ("1e5", "USD", {}, "Enter a number, like 1234.56."),
        ("1E5", "USD", {}, "Enter a number, like 1234.56."),
        ("NaN", "USD", {}, "Enter a number, like 1234.56."),
        ("Infinity", "USD", {}, "Enter a number, like 1234.56."),
        ("-inf", "USD", {"allow_negative": True}, "Enter a number, like 1234.56."),
        ("--5", "USD", {"allow_negative": True}, "Enter a number, like 1234.56."),
        ("5-", "USD", {}, "Enter a number, like 1234.56."),
        ("5.", "USD", {}, "Enter a number, like 1234.56."),
        ("1.2.3", "USD", {}, "Enter a number, like 1234.56."),
        ("1,234,56", "USD", {}, "Enter a number, like 1234.56."),
        ("12 34", "USD", {}, "Enter a number, like 1234.56."),
        ("1.234,567.8", "USD", {}, "Enter a number, like 1234.56."),
        ("1,23.45", "USD", {}, "Enter a number, like 1234.56."),
        ("12 USD", "USD", {}, "Enter a number, like 1234.56."),
        ("-5", "USD", {}, "The amount can't be negative."),
        ("-0.01", "USD", {}, "The amount can't be negative."),
        ("0", "USD", {"allow_zero": False}, "The amount must be more than zero."),
        ("0.00", "USD", {"allow_zero": False}, "The amount must be more than zero."),
        ("10000000000.01", "USD", {}, "That amount is too large."),
        ("-99999999999", "USD", {"allow_negative": True}, "That amount is too large."),
        ("1" * 40, "USD", {}, "That amount is too large."),
        ("1.234", "USD", {}, "USD amounts have at most 2 decimals."),
        ("1.0000000000000000000000000000000000001", "USD", {}, "USD amounts have at most 2 decimals."),
        ("0.000000001", "BTC", {}, "BTC amounts have at most 8 decimals."),
        ("100.5", "JPY", {}, "JPY amounts can't have decimals."),
        ("5", "XYZ", {}, "Unknown currency."),
    ],
)
def test_every_bad_amount_gets_a_clear_message(text, currency, options, message):
    with pytest.raises(MoneyError) as error:
        parse_amount(text, currency, **options)
    assert str(error.value) == message


def test_money_error_is_a_value_error():
    assert issubclass(MoneyError, ValueError)


# --- convert, total, quantize ---


@pytest.mark.parametrize(
    ("amount", "from_code", "to_code", "expected"),
    [
        ("100", "USD", "EUR", "80"),
        ("100", "USD", "GBP", "64"),
        ("100", "USD", "JPY", "12800"),
        ("1", "BTC", "EUR", "100000"),
        ("0.0125", "BTC", "USD", "1562.5"),
        ("1", "ETH", "BTC", "0.025"),
        ("1", "JPY", "USD", "0.0078125"),
        ("-40", "GBP", "EUR", "-50"),
    ],
)
def test_conversions_are_exact(amount, from_code, to_code, expected):
    assert convert(D(amount), from_code, to_code, RATES) == D(expected)


def test_conversion_is_not_rounded_to_the_target_currency():
    assert convert(D("1"), "USD", "EUR", SNAPSHOT_RATES) == D("0.8483203257550050899219545300305395")
    assert convert(D("100"), "EUR", "USD", SNAPSHOT_RATES) == D("117.88")


def test_converting_to_the_same_currency_returns_the_amount_unchanged():
    amount = D("12.345")
    assert convert(amount, "USD", "USD", {}) is amount


def test_a_missing_exchange_rate_is_reported():
    with pytest.raises(MoneyError, match=r"^No exchange rate for CAD\.$"):
        convert(D("1"), "CAD", "EUR", RATES)
    with pytest.raises(MoneyError, match=r"^No exchange rate for CAD\.$"):
        convert(D("1"), "EUR", "CAD", RATES)
    with pytest.raises(MoneyError, match=r"^No exchange rate for USD\.$"):
        convert(D("1"), "USD", "EUR", {"EUR": D("1"), "USD": D("0")})


def test_the_bankroll_example_adds_up():
    rates = {"EUR": D("1"), "USD": D("1.25")}
    balances = [(D("200"), "USD"), (D("40"), "EUR")]  # two sites; 40 EUR is 50 USD
    assets = [(D("50"), "USD")]
    deposits = [(D("50"), "USD")]
    withdrawals = [(D("60"), "USD"), (D("32"), "EUR")]  # 100 USD in all
    bankroll = total(balances + assets, "USD", rates)
    profit = bankroll + total(withdrawals, "USD", rates) - total(deposits, "USD", rates)
    assert bankroll == D("300")
    assert profit == D("350")


def test_the_total_of_nothing_is_zero():
    assert total([], "USD", RATES) == 0


def test_the_total_is_not_rounded():
    amounts = [(D("1"), "USD"), (D("1"), "JPY")]
    assert total(amounts, "EUR", RATES) == D("0.80625")


@pytest.mark.parametrize(
    ("amount", "code", "expected"),
    [
        ("0.125", "USD", "0.12"),
        ("0.135", "USD", "0.14"),
        ("-0.125", "USD", "-0.12"),
        ("2.5", "JPY", "2"),
        ("3.5", "JPY", "4"),
        ("0.123456785", "BTC", "0.12345678"),
        ("7", "USD", "7.00"),
    ],
)
def test_quantize_rounds_half_to_even(amount, code, expected):
    assert str(quantize(D(amount), code)) == expected


def test_quantize_rejects_an_unknown_currency():
    with pytest.raises(MoneyError, match=r"^Unknown currency\.$"):
        quantize(D("1"), "XYZ")


# --- format_money ---


@pytest.mark.parametrize(
    ("amount", "code", "locale", "expected"),
    [
        ("1234.5", "USD", "en_US", "$1,234.50"),
        ("1234.5", "EUR", "en_US", "€1,234.50"),
        ("-1234.5", "USD", "en_US", "-$1,234.50"),
        ("1234.5", "EUR", "de_DE", f"1.234,50{NBSP}€"),
        ("-1234.5", "EUR", "de_DE", f"-1.234,50{NBSP}€"),
        ("1234.5", "EUR", "fr_FR", f"1{NNBSP}234,50{NBSP}€"),
        ("1234.5", "JPY", "ja_JP", "￥1,234"),
        ("1234.5", "USD", "ja_JP", "$1,234.50"),
        ("1234567", "KRW", "en_US", "₩1,234,567"),
        ("5", "CHF", "en_US", f"CHF{NBSP}5.00"),
        ("0.0125", "BTC", "en_US", f"BTC{NBSP}0.0125"),
        ("0.0125", "BTC", "de_DE", f"0,0125{NBSP}BTC"),
        ("1", "BTC", "en_US", f"BTC{NBSP}1.00"),
        ("0.123456789", "BTC", "en_US", f"BTC{NBSP}0.12345679"),
        ("1234.5", "ETH", "fr_FR", f"1{NNBSP}234,50{NBSP}ETH"),
        ("5", "USDT", "en_US", f"USDT{NBSP}5.00"),
        ("-0.001", "USD", "en_US", "$0.00"),
    ],
)
def test_amounts_are_formatted_for_the_locale(amount, code, locale, expected):
    assert format_money(D(amount), code, locale) == expected


def test_signed_formatting_marks_gains_only():
    assert format_money(D("12.5"), "USD", signed=True) == "+$12.50"
    assert format_money(D("-12.5"), "USD", signed=True) == "-$12.50"
    assert format_money(D("0"), "USD", signed=True) == "$0.00"
    assert format_money(D("12.5"), "EUR", "de_DE", signed=True) == f"+12,50{NBSP}€"


def test_a_missing_amount_is_shown_as_a_dash():
    assert format_money(None, "USD") == "—"


def test_the_default_locale_is_us_english():
    assert format_money(D("1234.5"), "USD") == "$1,234.50"


# --- properties ---

CODES = st.sampled_from(list(CURRENCIES))


@st.composite
def amounts(draw, code=None):
    """An (amount, code) pair with the currency's decimals, within MAX_AMOUNT."""
    code = code or draw(CODES)
    places = CURRENCIES[code].decimals
    amount = draw(st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=places))
    return amount, code


@given(amounts(), CODES)
def test_converting_there_and_back_gives_the_amount_back(pair, other):
    amount, code = pair
    there = convert(amount, code, other, SNAPSHOT_RATES)
    back = convert(there, other, code, SNAPSHOT_RATES)
    assert quantize(back, code) == amount


@given(amounts())
def test_a_quantized_amount_parses_back_to_itself(pair):
    amount, code = pair
    amount = quantize(amount, code)
    assert parse_amount(f"{amount:f}", code, allow_negative=True) == amount
    assert parse_amount(f"{amount:,f}", code, allow_negative=True) == amount


@given(st.lists(amounts(), max_size=12), CODES, st.randoms())
def test_the_total_does_not_depend_on_order(pairs, to_code, random):
    shuffled = list(pairs)
    random.shuffle(shuffled)
    assert total(pairs, to_code, SNAPSHOT_RATES) == total(shuffled, to_code, SNAPSHOT_RATES)
    assert total(pairs, to_code, SNAPSHOT_RATES) == total(reversed(pairs), to_code, SNAPSHOT_RATES)


@given(amounts())
def test_formatting_shows_the_quantized_amount_with_every_digit(pair):
    amount, code = pair
    text = format_money(amount, code, "de_DE", signed=True)
    number = re.sub(r"[^0-9,+-]", "", text).replace(",", ".")
    assert D(number) == quantize(amount, code)
