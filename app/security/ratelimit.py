"""Moving-window rate limits with `limits`: Redis when REDIS_URL is set, memory otherwise."""

from __future__ import annotations

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter


class RateLimiter:
    def __init__(self, redis_url: str | None = None, *, prefix: str = "stakeeasy") -> None:
        self.storage: Storage
        if redis_url:
            url = "async+" + redis_url
            self.storage = RedisStorage(url, implementation="redispy", key_prefix=prefix)
        else:
            self.storage = MemoryStorage()
        self.limiter = MovingWindowRateLimiter(self.storage)

    async def hit(self, rate: str, *keys: str) -> bool:
        """Count one attempt; False when the limit is already used up."""
        return await self.limiter.hit(parse(rate), "stakeeasy", *keys)

    async def reset(self) -> None:
        await self.storage.reset()
