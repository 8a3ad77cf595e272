"""Money: currencies, bundled exchange rates, parsing, conversion and display.

Amounts are always `Decimal` with a currency code beside them. Nothing here rounds
except `quantize` and `format_money`, which are for display (and for storing parsed input).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal, localcontext
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern


@dataclass(frozen=True)
class Currency:
    """A currency the app knows about."""

    code: str
    name: str
    decimals: int
    kind: str  # "fiat" or "crypto"


def _fiat(code: str, name: str, decimals: int = 2) -> tuple[str, Currency]:
    """One CURRENCIES entry for a fiat currency (ISO 4217 minor units)."""
    return code, Currency(code, name, decimals, "fiat")


def _crypto(code: str, name: str, decimals: int) -> tuple[str, Currency]:
    """One CURRENCIES entry for a crypto currency."""
    return code, Currency(code, name, decimals, "crypto")


# Most common for poker first, then the other ECB reference currencies alphabetically, then crypto.
CURRENCIES: dict[str, Currency] = dict(
    [
        _fiat("EUR", "Euro"),
        _fiat("USD", "US dollar"),
        _fiat("GBP", "Pound sterling"),
        _fiat("CAD", "Canadian dollar"),
        _fiat("AUD", "Australian dollar"),
        _fiat("BGN", "Bulgarian lev"),
        _fiat("BRL", "Brazilian real"),
        _fiat("CHF", "Swiss franc"),
        _fiat("CNY", "Chinese yuan renminbi"),
        _fiat("CZK", "Czech koruna"),
        _fiat("DKK", "Danish krone"),
        _fiat("HKD", "Hong Kong dollar"),
        _fiat("HUF", "Hungarian forint"),
        _fiat("IDR", "Indonesian rupiah"),
        _fiat("ILS", "Israeli shekel"),
        _fiat("INR", "Indian rupee"),
        _fiat("ISK", "Icelandic krona", 0),
        _fiat("JPY", "Japanese yen", 0),
        _fiat("KRW", "South Korean won", 0),
        _fiat("MXN", "Mexican peso"),
        _fiat("MYR", "Malaysian ringgit"),
        _fiat("NOK", "Norwegian krone"),
        _fiat("NZD", "New Zealand dollar"),
        _fiat("PHP", "Philippine peso"),
        _fiat("PLN", "Polish zloty"),
        _fiat("RON", "Romanian leu"),
        _fiat("SEK", "Swedish krona"),
        _fiat("SGD", "Singapore dollar"),
        _fiat("THB", "Thai baht"),
        _fiat("TRY", "Turkish lira"),
        _fiat("ZAR", "South African rand"),
        _crypto("BTC", "Bitcoin", 8),
        _crypto("ETH", "Ether", 8),
        _crypto("USDT", "Tether (USDT)", 2),
    ]
)

# Approximate bundled snapshot of ECB-style reference rates (units per 1 EUR) for offline use;
# replaced by fetched rates later. BGN is fixed by law; crypto values are rough market prices.
SNAPSHOT_DATE: date = date(2025, 7, 1)
# fmt: off
SNAPSHOT_RATES: dict[str, Decimal] = {
    code: Decimal(rate)
    for code, rate in [
        ("EUR", "1"), ("USD", "1.1788"), ("GBP", "0.85835"), ("CAD", "1.6043"), ("AUD", "1.7933"),
        ("BGN", "1.95583"), ("BRL", "6.4197"), ("CHF", "0.9344"), ("CNY", "8.4399"), ("CZK", "24.648"),
        ("DKK", "7.4608"), ("HKD", "9.2529"), ("HUF", "399.53"), ("IDR", "19111.92"), ("ILS", "3.9621"),
        ("INR", "100.9015"), ("ISK", "142.80"), ("JPY", "169.62"), ("KRW", "1590.54"), ("MXN", "22.1263"),
        ("MYR", "4.9603"), ("NOK", "11.8600"), ("NZD", "1.9368"), ("PHP", "66.418"), ("PLN", "4.2420"),
        ("RON", "5.0766"), ("SEK", "11.1680"), ("SGD", "1.5003"), ("THB", "38.259"), ("TRY", "46.9267"),
        ("ZAR", "20.8688"), ("BTC", "0.000011012870"), ("ETH", "0.00048122304"), ("USDT", "1.1790118"),
    ]
}
# fmt: on

LOCALES: dict[str, str] = {
    "en_US": "English (US)",
    "en_GB": "English (UK)",
    "en_CA": "English (Canada)",
    "en_AU": "English (Australia)",
    "de_DE": "Deutsch",
    "fr_FR": "Français",
    "es_ES": "Español",
    "pt_BR": "Português (Brasil)",
    "it_IT": "Italiano",
    "nl_NL": "Nederlands",
    "sv_SE": "Svenska",
    "pl_PL": "Polski",
    "ru_RU": "Русский",
    "ja_JP": "日本語",
    "ko_KR": "한국어",
}


class MoneyError(ValueError):
    """A money problem with a user-facing message (str(e))."""


MAX_AMOUNT = Decimal("10000000000")  # ten billion in any currency; anything larger is absurd

CONVERT_PRECISION = _CONVERT_PRECISION = 34  # significant digits of a conversion (and of a rate ratio)
_BAD_NUMBER = "Enter a number, like 1234.56."
# Optional sign, an optional leading currency symbol ("$", "US$", "€", ...), then the number itself.
_AMOUNT_RE = re.compile(r"(?P<sign>[+\-\u2212]?)\s*(?:[A-Z]{0,3}\$|[€£¥₩₹₺₱₪₿฿])?\s*(?P<body>[0-9., ]+)")
_BODY_RE = re.compile(r"[0-9]+(?:[ ,.][0-9]+)*")
_SPACES_RE = re.compile(r"[\u00a0\u202f\u2009]")  # no-break, narrow no-break and thin spaces


def is_currency(code: str | None) -> bool:
    """Whether code is one of CURRENCIES."""
    return code is not None and code in CURRENCIES


def _currency(code: str) -> Currency:
    """The Currency for code, or MoneyError."""
    if not is_currency(code):
        raise MoneyError("Unknown currency.")
    return CURRENCIES[code]


def _is_grouped(integer: str, separator: str) -> bool:
    """Whether integer is digits split by separator into thousands groups, like 1,234,567."""
    groups = integer.split(separator)
    first_ok = 1 <= len(groups[0]) <= 3 and not (groups[0].startswith("0") and len(groups) > 1)
    return first_ok and all(len(group) == 3 for group in groups[1:])


def _plain_number(body: str) -> str:
    """Turn '1.234,56', '1 234.56', '1,234' ... into a plain '1234.56', or raise MoneyError."""
    if body[:1] in (",", "."):
        body = "0" + body  # ".5" means 0.5
    if not _BODY_RE.fullmatch(body):
        raise MoneyError(_BAD_NUMBER)
    separators = [char for char in body if char in " ,."]
    if not separators:
        return body
    if len(separators) == 1 and separators[0] in ",.":
        integer, fraction = body.split(separators[0])
        if separators[0] == "," and len(fraction) == 3 and _is_grouped(body, ","):
            return integer + fraction  # "1,234" is thousands
        return integer + "." + fraction  # a single point, or a decimal comma
    last = separators[-1]
    if len(set(separators)) > 1 and last != " ":
        integer, fraction = body.rsplit(last, 1)  # with two kinds, the last one is the decimal separator
    else:
        integer, fraction = body, ""  # one kind used several times (or spaces): all thousands
    group_separators = set(separators[:-1] if fraction else separators)
    if fraction and last in integer:
        raise MoneyError(_BAD_NUMBER)  # the decimal separator may appear only once
    if len(group_separators) != 1 or not _is_grouped(integer, group_separators.pop()):
        raise MoneyError(_BAD_NUMBER)
    digits = re.sub(r"[ ,.]", "", integer)
    return f"{digits}.{fraction}" if fraction else digits


def parse_amount(
    text: str | None, currency: str, *, allow_negative: bool = False, allow_zero: bool = True
) -> Decimal:
    """Parse user input into a Decimal quantized to the currency's decimals, or raise MoneyError."""
    info = _currency(currency)
    text = _SPACES_RE.sub(" ", text or "").strip()
    if not text:
        raise MoneyError("Enter an amount.")
    match = _AMOUNT_RE.fullmatch(text)
    if match is None:
        raise MoneyError(_BAD_NUMBER)
    value = Decimal(_plain_number(match["body"]))
    if match["sign"] in ("-", "\u2212"):
        value = value.copy_negate()  # copy_* never rounds, unlike unary minus and abs()
    if value == 0:
        value = value.copy_abs()  # no "-0"
    if value < 0 and not allow_negative:
        raise MoneyError("The amount can't be negative.")
    if value == 0 and not allow_zero:
        raise MoneyError("The amount must be more than zero.")
    if value.copy_abs() > MAX_AMOUNT:
        raise MoneyError("That amount is too large.")
    step = Decimal(1).scaleb(-info.decimals)
    with localcontext(prec=_CONVERT_PRECISION):
        if value.quantize(step) != value:
            if info.decimals == 0:
                raise MoneyError(f"{info.code} amounts can't have decimals.")
            raise MoneyError(f"{info.code} amounts have at most {info.decimals} decimals.")
        return value.quantize(step)


def _rate(code: str, rates: Mapping[str, Decimal]) -> Decimal:
    """The positive rate for code, or MoneyError."""
    rate = rates.get(code)
    if rate is None or not rate > 0:
        raise MoneyError(f"No exchange rate for {code}.")
    return rate


def convert(amount: Decimal, from_code: str, to_code: str, rates: Mapping[str, Decimal]) -> Decimal:
    """Convert amount using rates (units per 1 EUR), with 34 significant digits and no rounding."""
    if from_code == to_code:
        return amount
    from_rate, to_rate = _rate(from_code, rates), _rate(to_code, rates)
    with localcontext(prec=_CONVERT_PRECISION):
        return amount / from_rate * to_rate


def add(values: Iterable[Decimal]) -> Decimal:
    """Exact sum of Decimals (the default 28-digit context would round long converted values)."""
    with localcontext(Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)):
        return sum(values, Decimal(0))


def total(amounts: Iterable[tuple[Decimal, str]], to_code: str, rates: Mapping[str, Decimal]) -> Decimal:
    """Exact sum of (amount, code) pairs converted to to_code; unrounded and order-independent."""
    return add(convert(amount, code, to_code, rates) for amount, code in amounts)


def quantize(amount: Decimal, code: str) -> Decimal:
    """Round half-even to the currency's decimals (for display)."""
    step = Decimal(1).scaleb(-_currency(code).decimals)
    with localcontext(prec=64):
        return amount.quantize(step, rounding=ROUND_HALF_EVEN)


@lru_cache(maxsize=256)
def _pattern(locale: str, min_decimals: int, max_decimals: int) -> NumberPattern:
    """The locale's currency pattern with the given fraction digits."""
    pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (min_decimals, max_decimals)
    return pattern


@lru_cache(maxsize=64)
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def format_money(amount: Decimal | None, code: str, locale: str = "en_US", *, signed: bool = False) -> str:
    """Format an amount for display in a locale, e.g. '$1,234.50' or '1.234,50 €'; None gives '—'."""
    if amount is None:
        return "—"
    return _format_money(amount, code, locale, signed)


@lru_cache(maxsize=8192)
def _format_money(amount: Decimal, code: str, locale: str, signed: bool) -> str:
    """The formatting itself, memoised: a pure function of its arguments, and Babel takes ~30 µs."""
    info = _currency(code)
    value = quantize(amount, code)
    if value == 0:
        value = value.copy_abs()  # never show "-0.00"
    min_decimals = min(2, info.decimals) if info.kind == "crypto" else info.decimals
    pattern = _pattern(locale, min_decimals, info.decimals)
    text = pattern.apply(value, _locale(locale), currency=code, currency_digits=False)
    # A letter symbol like "BTC" or "CHF" gets a no-break space next to digits (CLDR currency spacing).
    text = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", "\u00a0", text)
    if signed and value > 0:
        text = "+" + text
    return text
