"""Where rates come from: the ECB's daily reference rates (XML) and CoinGecko's prices for crypto.

Parsing is pure (bytes in, rows out); fetching uses httpx with a timeout and a few retries with
back-off for network errors, timeouts, 429 and 5xx answers. Rows are (currency, day, units per euro).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation, localcontext

import httpx

from app import money

log = logging.getLogger("stakeeasy.rates")

Row = tuple[str, date, Decimal]

ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
ECB_HISTORY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"
CRYPTO_URL = "https://api.coingecko.com/api/v3/simple/price"
CRYPTO_HISTORY_URL = "https://api.coingecko.com/api/v3/coins/{coin}/market_chart"
COINS = {"BTC": "bitcoin", "ETH": "ethereum", "USDT": "tether"}
MAX_BYTES = 4 * 1024 * 1024
RATE_PLACES = Decimal("1e-18")  # what NUMERIC(38, 18) keeps: the same digits on SQLite and PostgreSQL


class SourceError(Exception):
    """A source could not be fetched or did not say what we expected (str(e) says why)."""


@dataclass(frozen=True)
class Sources:
    """Where and how to fetch (every value can be set from the environment, see from_env)."""

    ecb_daily_url: str = ECB_DAILY_URL
    ecb_history_url: str = ECB_HISTORY_URL
    crypto_url: str = CRYPTO_URL
    crypto_history_url: str = CRYPTO_HISTORY_URL
    timeout: float = 10.0
    attempts: int = 3
    backoff: float = 1.0  # seconds before the second attempt; doubled each time

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Sources:
        env = os.environ if env is None else env
        return cls(
            ecb_daily_url=env.get("RATES_ECB_DAILY_URL") or ECB_DAILY_URL,
            ecb_history_url=env.get("RATES_ECB_HISTORY_URL") or ECB_HISTORY_URL,
            crypto_url=env.get("RATES_CRYPTO_URL") or CRYPTO_URL,
            crypto_history_url=env.get("RATES_CRYPTO_HISTORY_URL") or CRYPTO_HISTORY_URL,
            timeout=float(env.get("RATES_TIMEOUT_SECONDS") or 10),
            attempts=max(1, int(env.get("RATES_ATTEMPTS") or 3)),
        )


# ---- parsing -------------------------------------------------------------------------------------


def _decimal(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def parse_ecb(body: bytes) -> list[Row]:
    """The rows of an ECB eurofxref XML file (one day or many); only currencies the app knows.

    Raises SourceError for anything that is not such a file (a DTD, HTML, no rates at all).
    """
    if len(body) > MAX_BYTES:
        raise SourceError("the ECB file is unexpectedly large")
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise SourceError("the ECB file declares a DTD")
    try:
        root = ET.fromstring(body)  # noqa: S314  (no DTD, so no entity expansion)
    except ET.ParseError as error:
        raise SourceError(f"the ECB file is not valid XML ({error})") from error
    rows: list[Row] = []
    for cube in root.iter():
        if not cube.tag.endswith("Cube") or "time" not in cube.attrib:
            continue
        try:
            day = date.fromisoformat(cube.attrib["time"])
        except ValueError as error:
            raise SourceError(f"the ECB file has a bad date {cube.attrib['time']!r}") from error
        for child in cube:
            code = child.attrib.get("currency", "")
            rate = _decimal(child.attrib.get("rate"))
            if code in money.CURRENCIES and money.CURRENCIES[code].kind == "fiat" and rate is not None:
                rows.append((code, day, rate))
    if not rows:
        raise SourceError("the ECB file has no rates")
    return rows


def per_euro(price_in_eur: Decimal) -> Decimal:
    """Units per euro from a price in euros, to the 18 decimals the database keeps."""
    with localcontext(prec=60):
        return (Decimal(1) / price_in_eur).quantize(RATE_PLACES)


def parse_crypto(body: bytes, day: date) -> list[Row]:
    """CoinGecko's simple price answer, {"bitcoin": {"eur": 91234.5}, ...}, as rows dated `day`."""
    try:
        data = json.loads(body, parse_float=Decimal, parse_int=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise SourceError("the crypto prices are not valid JSON") from error
    rows = []
    for code, coin in COINS.items():
        entry = data.get(coin) if isinstance(data, dict) else None
        price = entry.get("eur") if isinstance(entry, dict) else None
        if isinstance(price, Decimal) and price.is_finite() and price > 0:
            rows.append((code, day, per_euro(price)))
    if not rows:
        raise SourceError("the crypto prices have none of BTC, ETH, USDT")
    return rows


def parse_crypto_history(body: bytes, code: str) -> list[Row]:
    """CoinGecko's market chart, {"prices": [[ms, price], ...]}: the first price of each UTC day."""
    try:
        data = json.loads(body, parse_float=Decimal, parse_int=Decimal)
        points = data["prices"]
        by_day: dict[date, Decimal] = {}
        for stamp, price in points:
            day = datetime.fromtimestamp(int(stamp) / 1000, UTC).date()
            if price > 0 and day not in by_day:
                by_day[day] = per_euro(price)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, ArithmeticError) as error:
        raise SourceError(f"the {code} price history is not what was expected") from error
    return [(code, day, rate) for day, rate in sorted(by_day.items())]


# ---- fetching ------------------------------------------------------------------------------------


def client(sources: Sources) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(sources.timeout),
        headers={"User-Agent": "StakeEasy exchange rates (+https://stakeeasy.app)"},
        follow_redirects=True,
    )


async def fetch(
    http: httpx.AsyncClient, url: str, sources: Sources, params: Mapping[str, str] | None = None
) -> bytes:
    """The body of a GET, after up to `sources.attempts` tries; SourceError when every try failed."""
    problem = "no attempt"
    for attempt in range(sources.attempts):
        if attempt:
            await asyncio.sleep(sources.backoff * 2 ** (attempt - 1))
        try:
            response = await http.get(url, params=params)
        except httpx.HTTPError as error:  # connection refused, timeouts, protocol errors
            problem = f"{type(error).__name__}: {error}"
            log.warning("rates: %s failed (attempt %d): %s", url, attempt + 1, problem)
            continue
        if response.status_code == 429 or response.status_code >= 500:
            problem = f"HTTP {response.status_code}"
            log.warning("rates: %s answered %s (attempt %d)", url, problem, attempt + 1)
            continue
        if response.status_code != 200:
            raise SourceError(f"{url} answered HTTP {response.status_code}")
        return response.content
    raise SourceError(f"{url} failed {sources.attempts} times; last: {problem}")


async def ecb(http: httpx.AsyncClient, sources: Sources, *, history: bool = False) -> list[Row]:
    """Today's ECB reference rates, or the last 90 days' (history=True)."""
    url = sources.ecb_history_url if history else sources.ecb_daily_url
    return parse_ecb(await fetch(http, url, sources))


async def crypto(http: httpx.AsyncClient, sources: Sources, today: date) -> list[Row]:
    """BTC, ETH and USDT in euros now, dated today (UTC)."""
    params = {"ids": ",".join(COINS.values()), "vs_currencies": "eur"}
    return parse_crypto(await fetch(http, sources.crypto_url, sources, params), today)


async def crypto_history(http: httpx.AsyncClient, sources: Sources, days: int = 90) -> list[Row]:
    """About `days` days of daily BTC, ETH and USDT prices."""
    rows: list[Row] = []
    for code, coin in COINS.items():
        url = sources.crypto_history_url.format(coin=coin)
        params = {"vs_currency": "eur", "days": str(days), "interval": "daily"}
        rows.extend(parse_crypto_history(await fetch(http, url, sources, params), code))
    return rows
