"""Moving-window rate limits with `limits`: Redis when REDIS_URL is set, memory otherwise.

`enforce` raises a 429 (with Retry-After) that the error handlers answer with a friendly page, or the
#flash region for htmx. The client address comes from the configured trusted proxy header only.
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.exceptions import HTTPException
from starlette.requests import Request

TOO_MANY = "Too many attempts. Wait a few minutes and try again."


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

    async def retry_after(self, rate: str, *keys: str) -> int:
        """Whole seconds until one more attempt is allowed (at least 1)."""
        stats = await self.limiter.get_window_stats(parse(rate), "stakeeasy", *keys)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def reset(self) -> None:
        await self.storage.reset()


class RateLimited(HTTPException):
    def __init__(self, retry_after: int, detail: str = TOO_MANY) -> None:
        super().__init__(429, detail, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


async def enforce(request: Request, rate: str, *keys: str, detail: str = TOO_MANY) -> None:
    """Count one attempt against `rate` for `keys`; raise a 429 when the limit is used up."""
    limiter: RateLimiter = request.state["limiter"]
    if not await limiter.hit(rate, *keys):
        raise RateLimited(await limiter.retry_after(rate, *keys), detail)


def client_ip(request: Request) -> str:
    """The socket peer, or the address a trusted proxy put in the configured header (never blindly).

    Fly-Client-IP holds one address; X-Forwarded-For is a list, and only its last entry was written by
    our own proxy (anything to the left came from the client and may be forged).
    """
    header = request.app.state.settings.trusted_proxy_header
    if header:
        value = request.headers.get(header, "")
        candidate = value.split(",")[-1].strip()
        if candidate:
            return candidate[:64]
    return request.client.host if request.client else "unknown"
