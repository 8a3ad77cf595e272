"""Test fixtures: a migrated database per test session (PostgreSQL when DATABASE_URL points at one,
else a SQLite file), a rollback per test, and an httpx client driving the app over ASGI."""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker

from app.cache import Cache
from app.cli import migrate
from app.db import create_engine
from app.main import create_app
from app.security.ratelimit import RateLimiter
from app.settings import Settings, normalise_database_url

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: they run Playwright's own event loop, which must not overlap async tests."""
    items.sort(key=lambda item: "/e2e/" in str(item.path).replace("\\", "/"))


def _make_database(kind: str) -> tuple[str, callable]:  # type: ignore[valid-type]
    """A fresh database URL for this test process, and a function that drops it."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql")):
        url = make_url(normalise_database_url(base))
        name = f"stakeeasy_{kind}_{os.getpid()}"
        admin = create_sync_engine(
            url.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        return url.set(database=name).render_as_string(hide_password=False), drop
    folder = Path(tempfile.mkdtemp(prefix=f"stakeeasy-{kind}-"))
    return f"sqlite+aiosqlite:///{folder / 'test.db'}", lambda: None


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": "test-secret-key-that-is-long-enough-0123456789",
        "redis_url": os.environ.get("REDIS_URL") or None,
        "login_rate": "1000/minute",
        "signup_rate": "1000/minute",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url, drop = _make_database("test")
    migrate(Settings(database_url=url))
    yield url
    drop()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """Everything a test does happens inside one transaction that is rolled back afterwards."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        yield conn
        if transaction.is_active:
            await transaction.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker:  # type: ignore[type-arg]
    return async_sessionmaker(connection, expire_on_commit=False, join_transaction_mode="create_savepoint")


class StateInjector:
    """Stands in for the lifespan: hands each request the test's transaction-bound sessionmaker."""

    def __init__(self, app, state):  # type: ignore[no-untyped-def]
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] in ("http", "websocket"):
            scope["state"] = dict(self.state)
        await self.app(scope, receive, send)


def build_client(settings: Settings, sessionmaker, limiter: RateLimiter) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    app = create_app(settings)
    cache = Cache(settings.redis_url, prefix=f"test-{uuid.uuid4().hex}")  # the aggregate cache, per client
    state = {"sessionmaker": sessionmaker, "limiter": limiter, "engine": None, "cache": cache}
    wrapped = StateInjector(app, state)
    transport = httpx.ASGITransport(app=wrapped, client=("203.0.113.7", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", follow_redirects=False)


@pytest.fixture
async def limiter(settings: Settings) -> AsyncIterator[RateLimiter]:
    limiter = RateLimiter(settings.redis_url, prefix=f"test-{uuid.uuid4().hex}")
    yield limiter
    await limiter.reset()


@pytest.fixture
async def client(settings: Settings, sessionmaker, limiter: RateLimiter) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with build_client(settings, sessionmaker, limiter) as client:
        yield client


@pytest.fixture
async def other_client(
    settings: Settings, sessionmaker, limiter: RateLimiter
) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A second browser, for a second player."""
    async with build_client(settings, sessionmaker, limiter) as client:
        yield client


async def csrf_token(client: httpx.AsyncClient, path: str = "/login") -> str:
    response = await client.get(path)
    match = CSRF_RE.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def sign_up(
    client: httpx.AsyncClient, email: str | None = None, currency: str = "USD", locale: str = "en_US"
) -> str:
    """Create an account and stay logged in; returns the e-mail address."""
    email = email or f"player-{uuid.uuid4().hex[:8]}@example.com"
    token = await csrf_token(client, "/signup")
    response = await client.post(
        "/signup",
        data={
            "csrf_token": token,
            "email": email,
            "password": PASSWORD,
            "display_currency": currency,
            "locale": locale,
        },
    )
    assert response.status_code == 303, response.text
    return email


@pytest.fixture
async def player(client: httpx.AsyncClient) -> str:
    """`client` logged in as a new player."""
    return await sign_up(client)


@pytest.fixture
async def other_player(other_client: httpx.AsyncClient) -> str:
    return await sign_up(other_client)


class Poster:
    """POSTs with the current CSRF token, as a browser form would (plain) or htmx would (header)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def token(self) -> str:
        return await csrf_token(self.client, "/settings")

    async def form(self, path: str, data: dict[str, object] | None = None) -> httpx.Response:
        return await self.client.post(path, data={"csrf_token": await self.token(), **(data or {})})

    async def htmx(
        self, path: str, data: dict[str, object] | None = None, target: str | None = None
    ) -> httpx.Response:
        headers = {"HX-Request": "true", "X-CSRF-Token": await self.token()}
        if target:
            headers["HX-Target"] = target
        return await self.client.post(path, data=data or {}, headers=headers)


@pytest.fixture
def post(client: httpx.AsyncClient) -> Poster:
    return Poster(client)


@pytest.fixture
def other_post(other_client: httpx.AsyncClient) -> Poster:
    return Poster(other_client)
