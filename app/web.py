"""Per-request helpers every feature uses: the database session, the signed-in user, the limiter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from app.cache import Cache
from app.models import User
from app.security.ratelimit import RateLimiter
from app.settings import Settings

USER_KEY = "uid"
VERSION_KEY = "sv"


class LoginRequired(Exception):
    """Raised by require_user; answered with a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


@asynccontextmanager
async def db(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.state["sessionmaker"]() as session:
        yield session


def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def cache(request: Request) -> Cache | None:
    """The aggregate cache (None where the app runs without one: some tests and benchmarks)."""
    return getattr(request.state, "cache", None)


def limiter(request: Request) -> RateLimiter:
    return request.state["limiter"]  # type: ignore[no-any-return]


async def current_user(request: Request, session: AsyncSession) -> User | None:
    uid = request.session.get(USER_KEY)
    if not isinstance(uid, int):
        return None
    user = await session.get(User, uid)
    if (
        user is None
        or user.session_version != request.session.get(VERSION_KEY)
        or user.disabled_at is not None  # disabling bumps the version too; this holds if it ever did not
    ):
        request.session.clear()
        return None
    request.scope["user"] = user
    return user


async def require_user(request: Request, session: AsyncSession) -> User:
    user = await current_user(request, session)
    if user is None:
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return user


def login_url(next_url: str) -> str:
    return "/login?next=" + quote(next_url, safe="/")
