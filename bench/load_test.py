"""Load test: simulated players browsing and updating balances against a real multi-worker server.

Starts `python -m app serve --workers N` on PostgreSQL (a throw-away database next to DATABASE_URL) and
Redis (REDIS_URL, when set), creates the players, then each player logs in and loops — dashboard,
sites, an inline balance update, deposits, the all-time chart — with a short think time, for the
given duration. Reports throughput, latency percentiles per request kind, errors, and checks that
every balance update the server acknowledged is in the database.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/load_test.py --players 100 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.cli import migrate
from app.db import create_engine, create_sessionmaker
from app.demo import populate
from app.models import BalanceEntry, Holding, User
from app.security.passwords import hash_password
from app.settings import Settings
from tests.conftest import _make_database

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "load-test-password-2026"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def make_players(url: str, count: int) -> list[tuple[str, list[int]]]:
    engine = create_engine(Settings(database_url=url))
    maker = create_sessionmaker(engine)
    digest = hash_password(PASSWORD)
    players = []
    async with maker() as session:
        for n in range(count):
            user = User(email=f"load-{n}@example.com", password_hash=digest, display_currency="EUR")
            session.add(user)
            await session.flush()
            await populate(session, user, days=90, sites=4, assets=2, flows=20, seed=n)
            ids = (
                (await session.execute(select(Holding.id).where(Holding.user_id == user.id))).scalars().all()
            )
            players.append((user.email, list(ids)))
    await engine.dispose()
    return players


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.acknowledged: list[str] = []


async def player(base: str, email: str, holdings: list[int], until: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def call(kind: str, method: str, path: str, **kw: object) -> httpx.Response | None:
            started = time.perf_counter()
            try:
                response = await client.request(method, path, **kw)  # type: ignore[arg-type]
            except httpx.HTTPError as exc:
                stats.errors.append(f"{kind}: {exc!r}")
                return None
            stats.latency[kind].append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                stats.errors.append(f"{kind}: HTTP {response.status_code}")
            return response

        page = await call("login page", "GET", "/login")
        token = CSRF_RE.search(page.text).group(1) if page is not None else ""  # type: ignore[union-attr]
        data = {"csrf_token": token, "email": email, "password": PASSWORD}
        await call("login", "POST", "/login", data=data)
        page = await call("dashboard", "GET", "/dashboard")
        token = CSRF_RE.search(page.text).group(1) if page is not None else ""  # type: ignore[union-attr]
        while time.perf_counter() < until:
            await call("dashboard", "GET", "/dashboard")
            await asyncio.sleep(rng.uniform(0.05, 0.3))
            await call("sites", "GET", "/sites")
            holding = rng.choice(holdings)
            key = uuid.uuid4().hex
            headers = {"HX-Request": "true", "X-CSRF-Token": token, "HX-Target": f"tr#holding-{holding}"}
            form = {"balance": f"{rng.randint(0, 10**6) / 100:.2f}", "request_key": key}
            response = await call(
                "balance update", "POST", f"/holdings/{holding}/balance", data=form, headers=headers
            )
            if response is not None and response.status_code == 200:
                stats.acknowledged.append(key)
            await asyncio.sleep(rng.uniform(0.05, 0.3))
            await call("deposits", "GET", "/deposits")
            if rng.random() < 0.3:
                headers = {"HX-Request": "true", "HX-Target": "section#dashboard-chart"}
                await call("chart, all time", "GET", "/dashboard?range=all", headers=headers)


async def count_saved(url: str, keys: list[str]) -> int:
    engine = create_engine(Settings(database_url=url))
    found = 0
    async with create_sessionmaker(engine)() as session:
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            query = select(BalanceEntry.request_key).where(BalanceEntry.request_key.in_(chunk))  # type: ignore[union-attr]
            found += len((await session.execute(query)).all())
    await engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--players", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("STAKEEASY_ENV", "test")
    url, drop = _make_database("load")
    try:
        migrate(Settings(database_url=url))
        players = asyncio.run(make_players(url, args.players))
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "STAKEEASY_ENV": "test",
            "SECRET_KEY": "l" * 48,
            "LOGIN_RATE_LIMIT": "1000000/minute",
            "LOGIN_IP_RATE_LIMIT": "1000000/minute",
            "POST_RATE_LIMIT": "1000000/minute",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(args.workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            time.sleep(1)
            stats = Stats()
            started = time.perf_counter()
            until = started + args.seconds

            async def run_all() -> None:
                await asyncio.gather(
                    *(player(base, email, ids, until, stats, n) for n, (email, ids) in enumerate(players))
                )

            asyncio.run(run_all())
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        total = sum(len(v) for v in stats.latency.values())
        setup = f"{args.players} players, {args.workers} workers, {elapsed:.0f} s"
        print(f"{setup}: {total} requests, {total / elapsed:.0f} req/s")
        print(f"{'request':24} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for kind, values in sorted(stats.latency.items()):
            q = statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99
            print(f"{kind:24} {len(values):7d} {statistics.median(values):8.1f} {q[94]:8.1f} {q[98]:8.1f}")
        saved = asyncio.run(count_saved(url, stats.acknowledged))
        print(f"errors: {len(stats.errors)} {sorted(set(stats.errors))[:5]}")
        print(f"balance updates acknowledged: {len(stats.acknowledged)}, found in the database: {saved}")
    finally:
        drop()


if __name__ == "__main__":
    main()
