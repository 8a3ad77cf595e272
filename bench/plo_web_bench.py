"""Server time of the PLO tool pages (rankings first), measured in-process through the whole ASGI stack.

Each URL is requested `--requests` times (default 200) with httpx's ASGITransport — middleware,
session, templates and all, no network — as a logged-out visitor, first as a full page and then as
the htmx fragment the page's own links ask for. It prints the median and 95th percentile, and the
cost of the very first request, which builds the rankings index (the one-off start-up work).

    .venv/bin/python bench/plo_web_bench.py [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.cli import migrate
from app.db import create_engine, create_sessionmaker
from app.main import create_app
from app.security.ratelimit import RateLimiter
from app.settings import Settings

CASES = [
    ("rankings, page 1", "/tools/plo/rankings", "section#results"),
    ("rankings, page 200 by score", "/tools/plo/rankings?sort=score&page=200", "section#results"),
    ("rankings, worst first, page 329", "/tools/plo/rankings?sort=equity-asc&page=329", "section#results"),
    ("rankings, search AAKK", "/tools/plo/rankings?q=AAKK", "div#rankings"),
    ("rankings, search A (4,573 classes), page 50", "/tools/plo/rankings?q=A&page=50", "section#results"),
    ("rankings, search AsKs by score", "/tools/plo/rankings?q=AsKs&sort=score", "div#rankings"),
    ("ranges, top 0-15 %", "/tools/plo/ranges?low=0&high=15", "div#ranges"),
    ("ranges, 15-30 % page 5", "/tools/plo/ranges?low=15&high=30&page=5", "section#results"),
    ("hand strength", "/tools/plo/strength?hand=AsKhQd7c&position=CO", "div#strength"),
    (
        "scenario, exact flop",
        "/tools/plo/scenario?hero=AsAhKsKh&villain=JdTd9c8c&board=Kc7d2c",
        "div#scenario",
    ),
    (
        "scenario, random opponent (10,000 deals)",
        "/tools/plo/scenario?hero=AsAhKsKh&random=on&board=Kc7d2c",
        "div#scenario",
    ),
    ("quiz question", "/tools/plo/quiz/hud?n=20&seed=7&a=1234", "div#quiz"),
]


class State:
    """Stands in for the lifespan: every request gets the same sessionmaker and limiter."""

    def __init__(self, app, state):  # type: ignore[no-untyped-def]
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] in ("http", "websocket"):
            scope["state"] = dict(self.state)
        await self.app(scope, receive, send)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


async def timed(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> float:
    start = time.perf_counter()
    response = await client.get(url, headers=headers)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


async def main(requests: int) -> None:
    logging.disable(logging.INFO)  # the per-request access log would drown the table
    folder = Path(tempfile.mkdtemp(prefix="stakeeasy-plo-bench-"))
    settings = Settings(
        environment="test",
        database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        secret_key="bench-secret-key-that-is-long-enough-0123456789",
    )
    migrate(settings)
    engine = create_engine(settings)
    app = State(
        create_app(settings), {"sessionmaker": create_sessionmaker(engine), "limiter": RateLimiter(None)}
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        first = await timed(client, "/tools/plo/rankings", {})
        print(f"first rankings request (builds the index): {ms(first)} ms\n")
        header = f"{'page':<46} {'full median':>11} {'p95':>7} {'htmx median':>12} {'p95':>7}"
        print(f"{header}  (ms, {requests} requests)")
        for label, url, target in CASES:
            row = []
            for headers in ({}, {"HX-Request": "true", "HX-Target": target}):
                await timed(client, url, headers)  # warm: caches for this query
                times = sorted([await timed(client, url, headers) for _ in range(requests)])
                row += [statistics.median(times), times[int(0.95 * (len(times) - 1))]]
            print(f"{label:<46} {ms(row[0]):>11} {ms(row[1]):>7} {ms(row[2]):>12} {ms(row[3]):>7}")
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    asyncio.run(main(parser.parse_args().requests))
