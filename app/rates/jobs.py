"""The scheduled work: fetch and store the day's rates, purge expired resets and imports.

`update_rates` never raises for a source that fails: it logs it, keeps the rates already stored
(pages go on using the newest ones they find) and reports it. `run_loop` repeats the work every
interval; with Redis, a `SET key NX EX` lock makes sure only one instance does it per interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import ExchangeRate, JobRun
from app.rates import queries, sources
from app.rates.sources import SourceError, Sources

log = logging.getLogger("stakeeasy.rates")
LOCK_KEY = "stakeeasy:jobs:lock"


@dataclass
class Outcome:
    """What one source gave: rows stored (new days only), the newest day it had, or its problem."""

    source: str
    stored: int = 0
    newest: date | None = None
    error: str | None = None


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(outcome.error is None for outcome in self.outcomes)

    def lines(self) -> list[str]:
        return [
            f"{o.source}: failed, kept the stored rates ({o.error})"
            if o.error
            else f"{o.source}: {o.stored} new rates, newest {o.newest.isoformat() if o.newest else '—'}"
            for o in self.outcomes
        ]


async def _has_rates(session: AsyncSession, source: str) -> bool:
    query = sa.select(sa.func.count()).select_from(ExchangeRate).where(ExchangeRate.source == source)  # type: ignore[arg-type]
    return bool((await session.execute(query)).scalar_one())


async def _one(
    sessionmaker: async_sessionmaker[AsyncSession],
    name: str,
    fetch: Callable[[], Awaitable[list[sources.Row]]],
) -> Outcome:
    outcome = Outcome(name)
    try:
        rows = await fetch()
    except SourceError as error:
        outcome.error = str(error)
        log.error("rates: %s failed, keeping the stored rates: %s", name, error)
        return outcome
    async with sessionmaker() as session:
        outcome.stored = await queries.save(session, rows, name)
        await session.commit()
    outcome.newest = max(day for _code, day, _rate in rows)
    log.info("rates: %s gave %d rows, %d new, newest %s", name, len(rows), outcome.stored, outcome.newest)
    return outcome


async def update_rates(
    sessionmaker: async_sessionmaker[AsyncSession],
    config: Sources | None = None,
    *,
    backfill: bool | None = None,
    http: httpx.AsyncClient | None = None,
    today: date | None = None,
    trigger: str = "command",
) -> Report:
    """Fetch and store today's rates; with backfill (by default: when a source has no rates stored
    yet) the ECB's last 90 days and 90 days of crypto prices too. Each run is kept as a JobRun
    (`trigger`: schedule, command or admin), which the admin area shows."""
    config = config or Sources.from_env()
    started = datetime.now(UTC)
    today = today or datetime.now(UTC).date()
    async with sessionmaker() as session:
        fill_ecb = backfill if backfill is not None else not await _has_rates(session, "ecb")
        fill_crypto = backfill if backfill is not None else not await _has_rates(session, "coingecko")
    owned = http is None
    http = http or sources.client(config)
    report = Report()
    try:
        report.outcomes.append(
            await _one(sessionmaker, "ecb", lambda: sources.ecb(http, config, history=fill_ecb))
        )

        async def crypto() -> list[sources.Row]:
            rows = await sources.crypto_history(http, config) if fill_crypto else []
            return rows + await sources.crypto(http, config, today)

        report.outcomes.append(await _one(sessionmaker, "coingecko", crypto))
    finally:
        if owned:
            await http.aclose()
    async with sessionmaker() as session:
        run = JobRun(
            job="rates",
            trigger=trigger,
            started_at=started,
            finished_at=datetime.now(UTC),
            ok=report.ok,
            detail="\n".join(report.lines()),
        )
        session.add(run)
        await session.commit()
    return report


# ---- the schedule --------------------------------------------------------------------------------


class LockStore(Protocol):
    """The part of redis.asyncio.Redis the lock needs: set(name, value, nx=True, ex=seconds)."""

    def set(self, name: Any, value: Any, *args: Any, **kwargs: Any) -> Any: ...


async def acquire(store: LockStore | None, ttl: int, key: str = LOCK_KEY) -> bool:
    """Whether this instance runs the jobs of the coming interval: SET key NX EX ttl (no Redis: yes).

    The lock is not released: it expires a little before the next interval, so however many
    instances loop, the work runs once per interval.
    """
    if store is None:
        return True
    return bool(await store.set(key, secrets.token_hex(8), nx=True, ex=max(1, ttl)))


Job = Callable[[], Awaitable[Any]]


async def run_loop(
    jobs: list[Job],
    interval: float,
    store: LockStore | None = None,
    *,
    stop: asyncio.Event | None = None,
    key: str = LOCK_KEY,
) -> None:
    """Every `interval` seconds, run the jobs if this instance holds the lock; until `stop` is set.

    A job that raises is logged and the loop goes on (the next interval tries again).
    """
    stop = stop or asyncio.Event()
    while not stop.is_set():
        if await acquire(store, int(interval * 0.9), key):
            for job in jobs:
                try:
                    await job()
                except Exception:  # the loop must outlive any one failure
                    log.exception("scheduled job %s failed", getattr(job, "__name__", job))
        else:
            log.info("jobs: another instance holds the lock for this interval")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
