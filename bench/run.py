"""Server-time benchmark of the bankroll pages for a heavy player.

The heavy player: 20 sites, 10 assets, 5 years of daily balance updates (54,780 entries), 1,000 deposits
and 1,000 withdrawals — the account the old app was measured with (shared/NOTES.md).

Each page is requested in-process through the full ASGI stack (middleware, session, CSRF, templates,
database) so the figure is server time without network noise; SQL statements are counted per request.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/run.py
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import re
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import event, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import money
from app.cache import Cache
from app.cli import migrate
from app.db import create_engine, create_sessionmaker
from app.demo import populate
from app.main import create_app
from app.models import Holding, User
from app.rates import queries as rate_queries
from app.security.passwords import hash_password
from app.security.ratelimit import RateLimiter
from app.settings import Settings
from tests.conftest import _make_database

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "benchmark-password-2026"


class Counter:
    """Counts SQL statements; with `timing`, also adds up each statement's time by its first line."""

    def __init__(self, timing: bool = False) -> None:
        self.count = 0
        self.timing = timing
        self.started = 0.0
        self.spent: dict[str, list[float]] = {}

    def __call__(self, *_args: object) -> None:
        self.count += 1
        self.started = time.perf_counter()

    def after(self, _conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if self.timing:
            key = " ".join(statement.split())[:90]
            self.spent.setdefault(key, []).append((time.perf_counter() - self.started) * 1000)


def rate_history(days: int, seed: int = 7) -> list[tuple[str, date, Decimal]]:
    """Daily rates up to yesterday, as a server that has fetched for `days` days holds them: the ECB's
    currencies on weekdays, crypto every day, each a small random walk from the bundled snapshot."""
    rng = random.Random(seed)
    today = datetime.now(UTC).date()
    rows = []
    for code, rate in money.SNAPSHOT_RATES.items():
        if code == "EUR":
            continue
        value = float(rate)
        crypto = code in ("BTC", "ETH", "USDT")
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            if not crypto and day.weekday() >= 5:
                continue
            value *= 1 + rng.gauss(0, 0.02 if crypto and code != "USDT" else 0.004)
            rows.append((code, day, Decimal(f"{value:.10g}")))
    return rows


async def main(
    url: str,
    requests: int,
    only: str | None = None,
    profile: bool = False,
    rate_days: int = 365,
    sql: bool = False,
    sessions: float = 0.0,
) -> None:
    settings = Settings(
        environment="test",
        database_url=url,
        secret_key="b" * 40,
        login_rate="100000/minute",
        signup_rate="100000/minute",
        post_rate="100000/minute",
    )
    engine = create_engine(settings)
    counter = Counter(timing=sql)
    event.listen(engine.sync_engine, "before_cursor_execute", counter)
    event.listen(engine.sync_engine, "after_cursor_execute", counter.after)
    maker = create_sessionmaker(engine)
    started = time.perf_counter()
    async with maker() as session:
        user = User(email="heavy@example.com", password_hash=hash_password(PASSWORD), display_currency="EUR")
        session.add(user)
        await session.flush()
        await populate(
            session, user, days=1825, sites=20, assets=10, flows=1000, every_day=True, play=sessions
        )
        holding_id = (
            (await session.execute(select(Holding.id).where(Holding.user_id == user.id))).scalars().first()
        )
        await rate_queries.save(session, rate_history(rate_days), "bench")
        await session.commit()
    async with engine.begin() as conn:
        # Planner statistics, as autovacuum keeps them in production (it is off on these machines'
        # PostgreSQL): without them the planner guesses, and page times measure its guesses.
        await conn.execute(text("ANALYZE"))
    print(
        f"heavy player created in {time.perf_counter() - started:.1f} s on {engine.dialect.name}"
        f" ({rate_days} days of exchange rates up to yesterday)"
    )

    app = create_app(settings)
    state = {"engine": engine, "sessionmaker": maker, "limiter": RateLimiter(None)}
    cached = {**state, "cache": Cache(None)}  # the in-process aggregate cache (Redis in production)

    async def asgi(scope, receive, send):  # type: ignore[no-untyped-def]
        # Without a cache unless the path asks for one: the figures are what every first view costs.
        warm = scope["type"] == "http" and scope.get("query_string", b"").endswith(b"cache=1")
        scope["state"] = dict(cached if warm else state)
        await app(scope, receive, send)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://bench") as client:
        token = CSRF_RE.search((await client.get("/login")).text).group(1)  # type: ignore[union-attr]
        response = await client.post(
            "/login", data={"csrf_token": token, "email": "heavy@example.com", "password": PASSWORD}
        )
        assert response.status_code == 303, response.text
        token = CSRF_RE.search((await client.get("/settings")).text).group(1)  # type: ignore[union-attr]

        async def balance_update() -> httpx.Response:
            return await client.post(
                f"/holdings/{holding_id}/balance",
                data={"balance": "1234.56", "request_key": uuid.uuid4().hex},
                headers={
                    "HX-Request": "true",
                    "X-CSRF-Token": token,
                    "HX-Target": f"tr#holding-{holding_id}",
                },
            )

        cases = {
            "dashboard": lambda: client.get("/dashboard"),
            "dashboard, aggregate cache warm": lambda: client.get("/dashboard?cache=1"),
            "dashboard chart, all time (htmx)": lambda: client.get(
                "/dashboard?range=all", headers={"HX-Request": "true", "HX-Target": "div#dashboard-chart"}
            ),
            "charts: sites over time, all (htmx)": lambda: client.get(
                "/charts?chart=sites&range=all",
                headers={"HX-Request": "true", "HX-Target": "section#chart-panel"},
            ),
            "charts: assets over time, 1 y (htmx)": lambda: client.get(
                "/charts?chart=assets&range=1y",
                headers={"HX-Request": "true", "HX-Target": "section#chart-panel"},
            ),
            "charts: sites over time, 90 d (page)": lambda: client.get("/charts?chart=sites&range=90d"),
            "sites page": lambda: client.get("/sites"),
            "assets page": lambda: client.get("/assets"),
            "deposits page": lambda: client.get("/deposits"),
            "site history page": lambda: client.get(f"/holdings/{holding_id}"),
            "inline balance update (htmx POST)": balance_update,
        }
        if sessions:  # the poker-session pages, over every session of five years
            cases |= {
                "sessions list (page)": lambda: client.get("/play"),
                "session results, all (page)": lambda: client.get("/play/results"),
                "session results, NLH cash (htmx)": lambda: client.get(
                    "/play/results?game=NLH&format=cash",
                    headers={"HX-Request": "true", "HX-Target": "section#play-results"},
                ),
                "sessions and balances (page)": lambda: client.get("/play/reconcile"),
            }
        columns = ("p50 ms", "p95 ms", "cpu ms", "queries")
        print(f"\n{'page':40} " + " ".join(f"{c:>8}" for c in columns) + f" {'KiB':>7} {'gz KiB':>7}")
        for name, call in cases.items():
            if only and only not in name:
                continue
            first = await call()
            if first.status_code >= 400:
                print(f"{name:40} HTTP {first.status_code}")
                continue
            timings, queries, cpu = [], [], []
            profiler = None
            counter.spent.clear()
            if profile:
                from pyinstrument import Profiler

                profiler = Profiler(async_mode="enabled")
                profiler.start()
            for _ in range(requests):
                counter.count = 0
                t, c = time.perf_counter(), time.process_time()
                response = await call()
                timings.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                queries.append(counter.count)
            if sql:
                for key, spent in sorted(counter.spent.items(), key=lambda item: -sum(item[1])):
                    print(f"    {statistics.median(spent):6.2f} ms x{len(spent) // requests:<3} {key}")
                counter.spent.clear()
            if profiler:
                profiler.stop()
                print(profiler.output_text(unicode=False, color=False, show_all=False))
            body = response.content
            p95 = statistics.quantiles(timings, n=20)[-1]
            print(
                f"{name:40} {statistics.median(timings):8.2f} {p95:8.2f} {statistics.median(cpu):8.2f} "
                f"{max(queries):8d} "
                f"{len(body) / 1024:7.1f} {len(gzip.compress(body)) / 1024:7.1f}"
            )
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", help="run only the pages whose name contains this text")
    parser.add_argument("--profile", action="store_true", help="print a cProfile report per page")
    parser.add_argument("--sql", action="store_true", help="print the median time of each SQL statement")
    parser.add_argument("--rate-days", type=int, default=365, help="days of stored exchange rates")
    parser.add_argument(
        "--sessions",
        type=float,
        default=0.0,
        help="share of site balance updates that follow a logged poker session (0.1: about 3,600)",
    )
    args = parser.parse_args()
    os.environ.setdefault("STAKEEASY_ENV", "test")
    url, drop = _make_database("bench")
    try:
        migrate(Settings(database_url=url))
        asyncio.run(
            main(url, args.requests, args.only, args.profile, args.rate_days, args.sql, args.sessions)
        )
    finally:
        drop()
