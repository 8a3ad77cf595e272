"""The landing page and the small public pages."""

from __future__ import annotations

import asyncio

import redis.asyncio
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from app.templating import render
from app.web import current_user, db, settings


async def show_home(request: Request) -> Response:
    async with db(request) as session:
        if await current_user(request, session):
            return RedirectResponse("/dashboard", status_code=303)
    return render(request, "pages/home.html")


async def show_help(request: Request) -> Response:
    return await _page(request, "pages/help.html")


async def show_privacy(request: Request) -> Response:
    return await _page(request, "pages/privacy.html")


async def show_terms(request: Request) -> Response:
    return await _page(request, "pages/terms.html")


async def show_about(request: Request) -> Response:
    return await _page(request, "pages/about.html")


async def _page(request: Request, name: str) -> Response:
    """A public page: logged in or not, with the navigation that fits."""
    async with db(request) as session:
        await current_user(request, session)
    return render(request, name)


async def show_healthz(request: Request) -> Response:
    """Liveness: the process answers (no I/O, so a slow database never gets a machine restarted)."""
    return PlainTextResponse("ok")


async def show_readyz(request: Request) -> Response:
    """Readiness: the database and, when configured, Redis answer within a second each."""
    problems = []
    try:
        async with asyncio.timeout(1):
            async with db(request) as session:
                await session.execute(sa.text("SELECT 1"))
    except Exception:
        problems.append("database")
    redis_url = settings(request).redis_url
    if redis_url:
        client = redis.asyncio.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
        try:
            async with asyncio.timeout(1):
                await client.ping()
        except Exception:
            problems.append("redis")
        finally:
            await client.aclose()
    if problems:
        return PlainTextResponse("not ready: " + ", ".join(problems), status_code=503)
    return PlainTextResponse("ready")


routes = [
    Route("/", show_home, methods=["GET"]),
    Route("/help", show_help, methods=["GET"]),
    Route("/privacy", show_privacy, methods=["GET"]),
    Route("/terms", show_terms, methods=["GET"]),
    Route("/about", show_about, methods=["GET"]),
    Route("/healthz", show_healthz, methods=["GET"]),
    Route("/readyz", show_readyz, methods=["GET"]),
]
