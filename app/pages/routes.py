"""The landing page and the small public pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from app.templating import render
from app.web import current_user, db


async def show_home(request: Request) -> Response:
    async with db(request) as session:
        if await current_user(request, session):
            return RedirectResponse("/dashboard", status_code=303)
    return render(request, "pages/home.html")


async def show_healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


routes = [
    Route("/", show_home, methods=["GET"]),
    Route("/healthz", show_healthz, methods=["GET"]),
]
