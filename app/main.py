"""create_app(settings): the one constructor. Resources open in the lifespan; middleware is a fixed list."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any, TypedDict

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app import errors, sentry
from app.account.routes import routes as account_routes
from app.achievements.routes import routes as achievement_routes
from app.admin.routes import routes as admin_routes
from app.api.pages import routes as api_page_routes
from app.api.routes import create_api
from app.articles.routes import routes as article_routes
from app.auth.routes import routes as auth_routes
from app.cache import Cache
from app.calculators.routes import routes as calculator_routes
from app.charts.routes import routes as chart_routes
from app.dashboard.routes import routes as dashboard_routes
from app.data import upload
from app.data.routes import routes as data_routes
from app.db import create_engine, create_sessionmaker
from app.email.routes import routes as email_routes
from app.email.sending import Mailer, drain
from app.flows.routes import routes as flow_routes
from app.goals.routes import routes as goal_routes
from app.holdings.routes import routes as holding_routes
from app.observability import RequestLogMiddleware, configure_logging, show_metrics
from app.pages.routes import routes as page_routes
from app.play.routes import routes as play_routes
from app.plo import rankings
from app.plo.routes import routes as plo_routes
from app.pwa.routes import routes as pwa_routes
from app.rates.routes import routes as rate_routes
from app.security.bodylimit import BodyLimitMiddleware
from app.security.headers import SecurityHeadersMiddleware
from app.security.ratelimit import RateLimiter
from app.security.sessions import SessionMiddleware
from app.settings import Settings
from app.templating import STATIC_DIR
from app.tools.routes import routes as tool_routes
from app.transfers.routes import routes as transfer_routes


class State(TypedDict):
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    limiter: RateLimiter
    cache: Cache


class CachedStatic(StaticFiles):
    """Fingerprinted URLs (?v=hash) never change content, so browsers may keep them for a year."""

    async def get_response(self, path: str, scope: Scope) -> Any:
        response = await super().get_response(path, scope)
        if b"v=" in scope.get("query_string", b"") and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def routes() -> list[BaseRoute]:
    return [
        Route("/metrics", show_metrics, methods=["GET"]),
        Mount("/static", CachedStatic(directory=STATIC_DIR), name="static"),
        *page_routes,
        *auth_routes,
        *account_routes,
        *dashboard_routes,
        *flow_routes,
        *play_routes,
        *holding_routes,
        *tool_routes,
        *calculator_routes,
        *plo_routes,
        *email_routes,
        *rate_routes,
        *transfer_routes,
        *data_routes,
        *goal_routes,
        *achievement_routes,
        *article_routes,
        *chart_routes,
        *api_page_routes,
        *pwa_routes,
        *admin_routes,
    ]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    if problems := settings.problems():
        raise RuntimeError("Refusing to start: " + " ".join(problems))
    configure_logging(settings)
    if settings.sentry_dsn:  # errors reported without e-mail addresses or amounts (app/sentry.py)
        sentry.init(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        engine = create_engine(settings)
        limiter = RateLimiter(settings.redis_url)
        sessionmaker = create_sessionmaker(engine)
        if settings.email_backend == "resend":  # messages a restart interrupted go out again
            with contextlib.suppress(Exception):
                await Mailer(settings, sessionmaker).retry_unsent()
        if settings.production:  # build the PLO rankings index now, not on a player's first request
            warm_up = asyncio.create_task(asyncio.to_thread(rankings.index))
        cache = Cache(settings.redis_url)
        yield {"engine": engine, "sessionmaker": sessionmaker, "limiter": limiter, "cache": cache}
        await cache.close()
        if settings.production:
            await warm_up
        with contextlib.suppress(TimeoutError):  # e-mails being sent get a moment to finish
            await asyncio.wait_for(drain(), timeout=10)
        await engine.dispose()

    middleware = [
        Middleware(RequestLogMiddleware),
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
        Middleware(
            BodyLimitMiddleware,
            max_bytes=settings.max_body_bytes,
            # an import is a whole account's export: its own, larger limit (the form's fields on top)
            overrides={"/data/import": max(settings.max_body_bytes, upload.max_bytes() + 64 * 1024)},
        ),
    ]
    if settings.trusted_hosts:
        middleware.insert(1, Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.trusted_hosts)))
    app = Starlette(
        debug=False,
        # the JSON API: its own app (JSON errors, bearer tokens only) inside the same middleware
        routes=[*routes(), Mount("/api/v1", app=create_api(settings), name="api")],
        middleware=middleware,
        exception_handlers=errors.handlers,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app
