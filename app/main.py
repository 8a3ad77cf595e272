"""create_app(settings): the one constructor. Resources open in the lifespan; middleware is a fixed list."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any, TypedDict

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app import errors
from app.account.routes import routes as account_routes
from app.auth.routes import routes as auth_routes
from app.calculators.routes import routes as calculator_routes
from app.dashboard.routes import routes as dashboard_routes
from app.db import create_engine, create_sessionmaker
from app.flows.routes import routes as flow_routes
from app.holdings.routes import routes as holding_routes
from app.pages.routes import routes as page_routes
from app.plo.routes import routes as plo_routes
from app.security.headers import SecurityHeadersMiddleware
from app.security.ratelimit import RateLimiter
from app.security.sessions import SessionMiddleware
from app.settings import Settings
from app.templating import STATIC_DIR
from app.tools.routes import routes as tool_routes


class State(TypedDict):
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    limiter: RateLimiter


class CachedStatic(StaticFiles):
    """Fingerprinted URLs (?v=hash) never change content, so browsers may keep them for a year."""

    async def get_response(self, path: str, scope: Scope) -> Any:
        response = await super().get_response(path, scope)
        if b"v=" in scope.get("query_string", b"") and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def routes() -> list[BaseRoute]:
    return [
        Mount("/static", CachedStatic(directory=STATIC_DIR), name="static"),
        *page_routes,
        *auth_routes,
        *account_routes,
        *dashboard_routes,
        *flow_routes,
        *holding_routes,
        *tool_routes,
        *calculator_routes,
        *plo_routes,
    ]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    if problems := settings.problems():
        raise RuntimeError("Refusing to start: " + " ".join(problems))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        engine = create_engine(settings)
        limiter = RateLimiter(settings.redis_url)
        yield {"engine": engine, "sessionmaker": create_sessionmaker(engine), "limiter": limiter}
        await engine.dispose()

    middleware = [
        Middleware(SecurityHeadersMiddleware, hsts=settings.production),
        Middleware(GZipMiddleware, minimum_size=800),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            cookie_name=settings.session_cookie,
            remember_seconds=settings.session_days * 86400,
            browser_seconds=settings.session_hours * 3600,
            https_only=settings.production,
        ),
    ]
    if settings.trusted_hosts:
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.trusted_hosts)))
    app = Starlette(
        debug=False,
        routes=routes(),
        middleware=middleware,
        exception_handlers=errors.handlers,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app
