"""A small cache for per-player aggregates: Redis when REDIS_URL is set (shared by every instance),
an in-process LRU otherwise. Exact by construction, never by expiry: a key names everything the value
was computed from (the player's data version, which every write bumps in its own transaction, the
rates revision, currency, time zone, day and view), so a write makes the old key unreachable and a
stale value can never be found. Entries expire only to free memory.

A value stored under a key is always at least as new as the key: the version is read before the data.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import redis.asyncio
from prometheus_client import Counter

log = logging.getLogger(__name__)
LOOKUPS = Counter("stakeeasy_cache_lookups", "Aggregate cache look-ups", ["result"])


class Cache:
    def __init__(
        self,
        redis_url: str | None = None,
        *,
        prefix: str = "stakeeasy:agg",
        ttl: int = 6 * 3600,
        size: int = 2048,
    ) -> None:
        self.prefix = prefix
        self.ttl = ttl
        self.size = size
        self.redis = redis.asyncio.from_url(redis_url, socket_timeout=1) if redis_url else None
        self.memory: OrderedDict[str, bytes] = OrderedDict()

    async def get(self, key: str) -> bytes | None:
        found: bytes | None = None
        if self.redis is not None:
            try:
                value = await self.redis.get(f"{self.prefix}:{key}")
                found = value.encode() if isinstance(value, str) else value
            except redis.RedisError:
                log.warning("cache get failed", exc_info=True)  # a cache outage only costs speed
        else:
            found = self.memory.get(key)
            if found is not None:
                self.memory.move_to_end(key)
        LOOKUPS.labels("hit" if found is not None else "miss").inc()
        return found

    async def set(self, key: str, value: bytes) -> None:
        if self.redis is not None:
            try:
                await self.redis.set(f"{self.prefix}:{key}", value, ex=self.ttl)
            except redis.RedisError:
                log.warning("cache set failed", exc_info=True)
            return
        self.memory[key] = value
        self.memory.move_to_end(key)
        while len(self.memory) > self.size:
            self.memory.popitem(last=False)

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
