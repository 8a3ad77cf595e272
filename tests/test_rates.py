"""Exchange rates: parsing the ECB and CoinGecko answers, fetching them from a local HTTP server
(retries, timeouts, failures keep the stored rates), storing days without overwriting them, the
scheduled loop and its Redis lock, the command and the rates page. No network."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app import money
from app.models import ExchangeRate
from app.rates import jobs, queries, sources
from app.rates.sources import SourceError, Sources

ECB_DAILY = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
\t\t<Cube time='2026-11-20'>
\t\t\t<Cube currency='USD' rate='1.0512'/>
\t\t\t<Cube currency='JPY' rate='162.74'/>
\t\t\t<Cube currency='GBP' rate='0.83215'/>
\t\t\t<Cube currency='XDR' rate='0.8'/>
\t\t\t<Cube currency='ISK' rate='145.30'/>
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>
"""

ECB_HISTORY = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
\t<Cube>
\t\t<Cube time="2026-11-20"><Cube currency="USD" rate="1.0512"/><Cube currency="GBP" rate="0.83215"/></Cube>
\t\t<Cube time="2026-11-19"><Cube currency="USD" rate="1.0490"/><Cube currency="GBP" rate="0.83100"/></Cube>
\t\t<Cube time="2026-11-18"><Cube currency="USD" rate="1.0601"/><Cube currency="GBP" rate="0.83560"/></Cube>
\t</Cube>
</gesmes:Envelope>
"""

CRYPTO = json.dumps({"bitcoin": {"eur": 80000}, "ethereum": {"eur": 2500.5}, "tether": {"eur": 0.8}}).encode()
DAY_MS = 86_400_000
CRYPTO_CHART = json.dumps({"prices": [[1763424000000, 75000], [1763424000000 + DAY_MS, 76000.25]]}).encode()
TODAY = date(2026, 11, 21)


# ---- a local HTTP server that answers like the real sources ----------------------------------------


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0


@dataclass
class FakeSources:
    """Answers per path; each request takes the next answer, the last one repeats."""

    base: str = ""
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def set(self, path: str, *answers: Answer) -> None:
        self.answers[path] = list(answers)

    def config(self, **changes: object) -> Sources:
        values: dict[str, object] = {
            "ecb_daily_url": f"{self.base}/ecb/daily.xml",
            "ecb_history_url": f"{self.base}/ecb/hist-90d.xml",
            "crypto_url": f"{self.base}/crypto/simple/price",
            "crypto_history_url": f"{self.base}/crypto/coins/{{coin}}/market_chart",
            "timeout": 2.0,
            "attempts": 3,
            "backoff": 0.0,
        }
        values.update(changes)
        return Sources(**values)  # type: ignore[arg-type]

    def recorded(self) -> None:
        """The normal day: every source answers with its recorded format."""
        self.set("/ecb/daily.xml", Answer(body=ECB_DAILY))
        self.set("/ecb/hist-90d.xml", Answer(body=ECB_HISTORY))
        self.set("/crypto/simple/price", Answer(body=CRYPTO))
        for coin in ("bitcoin", "ethereum", "tether"):
            self.set(f"/crypto/coins/{coin}/market_chart", Answer(body=CRYPTO_CHART))


@pytest.fixture
def fake() -> Iterator[FakeSources]:
    state = FakeSources()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            with lock:
                state.hits.append(self.path)
                queue = state.answers.get(path) or [Answer(404, b"not found")]
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


async def stored(sessionmaker) -> dict[tuple[str, date], tuple[Decimal, str]]:
    async with sessionmaker() as session:
        rows = (await session.execute(select(ExchangeRate))).scalars().all()
    return {(row.currency, row.day): (row.units_per_eur, row.source) for row in rows}


# ---- parsing -------------------------------------------------------------------------------------


def test_the_ecb_daily_file_gives_exact_rates_of_its_day_for_known_currencies_only():
    rows = sources.parse_ecb(ECB_DAILY)
    assert rows == [
        ("USD", date(2026, 11, 20), Decimal("1.0512")),
        ("JPY", date(2026, 11, 20), Decimal("162.74")),
        ("GBP", date(2026, 11, 20), Decimal("0.83215")),
        ("ISK", date(2026, 11, 20), Decimal("145.30")),
    ]  # XDR is not a currency StakeEasy knows


def test_the_ecb_history_file_gives_every_day():
    rows = sources.parse_ecb(ECB_HISTORY)
    assert {day for _code, day, _rate in rows} == {date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)}
    assert ("USD", date(2026, 11, 19), Decimal("1.0490")) in rows and len(rows) == 6


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<html><body>Maintenance</body></html>", "no rates"),
        (b"<?xml version='1.0'?><Cube><Cube time='2026-11-20'>", "not valid XML"),
        (b"not xml at all", "not valid XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><Cube time="2026-01-01"/>',
            "DTD",
        ),
        (b"<Cube><Cube time='yesterday'><Cube currency='USD' rate='1.1'/></Cube></Cube>", "bad date"),
        (b"<Cube><Cube time='2026-11-20'><Cube currency='USD' rate='-1'/></Cube></Cube>", "no rates"),
    ],
)
def test_anything_but_an_ecb_rates_file_is_refused(body, problem):
    with pytest.raises(SourceError, match=problem):
        sources.parse_ecb(body)


def test_crypto_prices_become_exact_units_per_euro_dated_the_given_day():
    rows = sources.parse_crypto(CRYPTO, TODAY)
    assert rows == [
        ("BTC", TODAY, Decimal("0.000012500000000000")),
        ("ETH", TODAY, Decimal("0.000399920015996801")),  # 1 / 2500.5, to 18 decimals
        ("USDT", TODAY, Decimal("1.250000000000000000")),
    ]
    assert money.convert(Decimal("0.5"), "BTC", "EUR", {"BTC": rows[0][2], "EUR": Decimal(1)}) == Decimal(
        40000
    )


@pytest.mark.parametrize(
    "body", [b"{}", b"[]", b"not json", b'{"bitcoin": {"usd": 1}}', b'{"bitcoin": {"eur": 0}}']
)
def test_crypto_answers_without_a_price_are_refused(body):
    with pytest.raises(SourceError):
        sources.parse_crypto(body, TODAY)


def test_the_crypto_history_keeps_the_first_price_of_each_day():
    rows = sources.parse_crypto_history(CRYPTO_CHART, "BTC")
    assert [(code, day) for code, day, _rate in rows] == [
        ("BTC", date(2025, 11, 18)),
        ("BTC", date(2025, 11, 19)),
    ]
    assert rows[0][2] == Decimal("0.000013333333333333")  # 1 / 75000, to the 18 decimals stored


def test_the_sources_are_read_from_the_environment_with_public_defaults():
    default = Sources.from_env({})
    assert default.ecb_daily_url == "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
    assert default.crypto_url.startswith("https://api.coingecko.com/")
    custom = Sources.from_env(
        {"RATES_ECB_DAILY_URL": "http://x/d.xml", "RATES_TIMEOUT_SECONDS": "3", "RATES_ATTEMPTS": "5"}
    )
    assert (custom.ecb_daily_url, custom.timeout, custom.attempts) == ("http://x/d.xml", 3.0, 5)


# ---- fetching and storing ------------------------------------------------------------------------


async def test_the_first_run_backfills_ninety_days_and_later_runs_fetch_only_the_day(fake, sessionmaker):
    fake.recorded()
    report = await jobs.update_rates(sessionmaker, fake.config(), today=TODAY)
    assert report.ok, report.lines()
    rates = await stored(sessionmaker)
    assert rates[("USD", date(2026, 11, 18))] == (Decimal("1.0601"), "ecb")
    assert rates[("BTC", TODAY)] == (Decimal("0.0000125"), "coingecko")
    assert rates[("BTC", date(2025, 11, 18))][1] == "coingecko"
    assert any("/ecb/hist-90d.xml" in hit for hit in fake.hits)
    fake.hits.clear()
    daily = await jobs.update_rates(sessionmaker, fake.config(), today=TODAY)
    assert daily.ok and [o.stored for o in daily.outcomes] == [2, 0]  # JPY and ISK: not in the history
    fake.hits.clear()
    again = await jobs.update_rates(sessionmaker, fake.config(), today=TODAY)
    assert again.ok and [o.stored for o in again.outcomes] == [0, 0]
    assert [hit.split("?")[0] for hit in fake.hits] == ["/ecb/daily.xml", "/crypto/simple/price"]
    assert "ecb: 0 new rates, newest 2026-11-20" in again.lines()


async def test_a_stored_day_is_never_overwritten(fake, sessionmaker):
    fake.recorded()
    await jobs.update_rates(sessionmaker, fake.config(), today=TODAY)
    fake.set("/ecb/daily.xml", Answer(body=ECB_DAILY.replace(b"1.0512", b"9.9999")))
    fake.set("/crypto/simple/price", Answer(body=CRYPTO.replace(b"80000", b"1")))
    report = await jobs.update_rates(sessionmaker, fake.config(), today=TODAY)
    assert report.ok
    rates = await stored(sessionmaker)
    assert rates[("USD", date(2026, 11, 20))][0] == Decimal("1.0512")
    assert rates[("BTC", TODAY)][0] == Decimal("0.0000125")


async def test_server_errors_are_retried_and_then_succeed(fake, sessionmaker):
    fake.recorded()
    fake.set("/ecb/daily.xml", Answer(503), Answer(502), Answer(body=ECB_DAILY))
    fake.set("/crypto/simple/price", Answer(429), Answer(body=CRYPTO))
    report = await jobs.update_rates(sessionmaker, fake.config(), backfill=False, today=TODAY)
    assert report.ok, report.lines()
    assert sum(hit == "/ecb/daily.xml" for hit in fake.hits) == 3
    assert ("JPY", date(2026, 11, 20)) in await stored(sessionmaker)


async def test_a_failed_fetch_keeps_the_last_good_rates_and_is_logged(fake, sessionmaker, caplog):
    fake.recorded()
    await jobs.update_rates(sessionmaker, fake.config(), today=TODAY)
    before = await stored(sessionmaker)
    fake.set("/ecb/daily.xml", Answer(500, b"oops"))
    fake.set("/crypto/simple/price", Answer(body=b"<html>rate limited</html>"))
    report = await jobs.update_rates(sessionmaker, fake.config(), today=date(2026, 11, 22))
    assert not report.ok
    assert report.outcomes[0].error == f"{fake.base}/ecb/daily.xml failed 3 times; last: HTTP 500"
    assert "not valid JSON" in report.outcomes[1].error
    assert await stored(sessionmaker) == before
    assert "ecb failed, keeping the stored rates" in caplog.text
    async with sessionmaker() as session:
        history = await queries.history(session)
    assert history.latest()["USD"] == Decimal("1.0512") and history.latest_day() == TODAY


async def test_a_source_that_does_not_answer_in_time_fails_without_hanging(fake, sessionmaker):
    fake.recorded()
    fake.set("/ecb/daily.xml", Answer(body=ECB_DAILY, delay=1.5))
    started = time.monotonic()
    report = await jobs.update_rates(
        sessionmaker, fake.config(timeout=0.3, attempts=2), backfill=False, today=TODAY
    )
    assert time.monotonic() - started < 5
    assert "ReadTimeout" in report.outcomes[0].error
    assert report.outcomes[1].error is None  # the other source still worked


async def test_an_unreachable_source_and_a_404_are_reported(fake, sessionmaker):
    config = fake.config(ecb_daily_url="http://127.0.0.1:9/nothing.xml", attempts=1)
    fake.set("/crypto/simple/price", Answer(404, b"gone"))
    report = await jobs.update_rates(sessionmaker, config, backfill=False, today=TODAY)
    assert "ConnectError" in report.outcomes[0].error
    assert report.outcomes[1].error == f"{fake.base}/crypto/simple/price answered HTTP 404"
    assert sum("/crypto/simple/price" in hit for hit in fake.hits) == 1  # a 404 is not retried
    assert await stored(sessionmaker) == {}


# ---- the schedule --------------------------------------------------------------------------------


class MemoryStore:
    """The SET NX EX part of Redis, in memory (the same class of tests runs against Redis below)."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, float]] = {}

    async def set(self, name: str, value: str, *, nx: bool = False, ex: int | None = None) -> bool | None:
        now = time.monotonic()
        current = self.keys.get(name)
        if nx and current is not None and current[1] > now:
            return None
        self.keys[name] = (value, now + (ex or 10**9))
        return True


async def test_only_one_instance_gets_the_lock_for_an_interval():
    store = MemoryStore()
    assert await jobs.acquire(store, 60, "k") is True
    assert await jobs.acquire(store, 60, "k") is False
    assert await jobs.acquire(None, 60, "k") is True  # no Redis: a single instance runs it


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_the_lock_works_on_redis():
    from redis.asyncio import Redis

    redis = Redis.from_url(os.environ["REDIS_URL"])
    key = f"test:jobs:{os.getpid()}:{time.time_ns()}"
    try:
        assert await jobs.acquire(redis, 5, key) is True
        assert await jobs.acquire(redis, 5, key) is False
        assert 0 < await redis.ttl(key) <= 5
    finally:
        await redis.delete(key)
        await redis.aclose()


async def test_two_looping_instances_run_the_jobs_once_per_interval_and_survive_a_failing_job():
    store = MemoryStore()
    runs: list[str] = []
    stop = asyncio.Event()

    async def work() -> None:
        runs.append("work")

    async def broken() -> None:
        raise RuntimeError("boom")

    loops = [
        asyncio.create_task(jobs.run_loop([broken, work], 0.5, store, stop=stop, key="k")) for _ in range(2)
    ]
    await asyncio.sleep(1.2)  # intervals at 0, 0.5, 1.0 (the lock lasts 0.45 s... rounded up to 1 s)
    stop.set()
    await asyncio.gather(*loops)
    assert 1 <= len(runs) <= 2  # never both instances in one interval


async def test_the_rates_command_fetches_into_the_configured_database(fake, tmp_path, monkeypatch, capsys):
    from app import cli
    from app.settings import Settings

    url = f"sqlite+aiosqlite:///{tmp_path / 'rates.db'}"
    cli.migrate(Settings(database_url=url))
    fake.recorded()
    config = fake.config()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RATES_ECB_DAILY_URL", config.ecb_daily_url)
    monkeypatch.setenv("RATES_ECB_HISTORY_URL", config.ecb_history_url)
    monkeypatch.setenv("RATES_CRYPTO_URL", config.crypto_url)
    monkeypatch.setenv("RATES_CRYPTO_HISTORY_URL", config.crypto_history_url)
    await asyncio.to_thread(cli.main, ["rates"])
    out = capsys.readouterr().out
    assert "ecb: 6 new rates, newest 2026-11-20" in out and "coingecko: " in out
    fake.set("/ecb/daily.xml", Answer(500))
    monkeypatch.setenv("RATES_ATTEMPTS", "1")
    with pytest.raises(SystemExit) as failed:
        await asyncio.to_thread(cli.main, ["rates"])
    assert failed.value.code == 1
    assert "ecb: failed, kept the stored rates" in capsys.readouterr().out


# ---- the page ------------------------------------------------------------------------------------


async def test_the_rates_page_shows_the_snapshot_on_a_machine_that_never_fetched(client):
    page = (await client.get("/rates")).text
    assert "Exchange rates" in page and "of <strong>2025-07-01</strong>" in page
    assert "Bundled snapshot" in page and "ECB reference rate" not in page
    assert '<td class="num" data-label="Per euro">1.1788</td>' in page


async def test_the_rates_page_shows_fetched_rates_their_day_and_one_currencys_history(
    client, player, fake, sessionmaker
):
    fake.recorded()
    await jobs.update_rates(sessionmaker, fake.config(), today=TODAY)
    page = (await client.get("/rates")).text
    assert "of <strong>2026-11-21</strong>" in page  # the newest day among the rates used (crypto)
    assert "ECB reference rate" in page and "CoinGecko" in page
    assert '<td class="num" data-label="1 unit in USD">$1.00</td>' in page  # the player's currency
    region = await client.get(
        "/rates?currency=gbp", headers={"HX-Request": "true", "HX-Target": "section#rate-history"}
    )
    assert region.text.lstrip().startswith('<section id="rate-history"') and "<html" not in region.text
    assert region.text.index("2026-11-20") < region.text.index("2026-11-19") < region.text.index("2026-11-18")
    assert "0.83100" in region.text
