"""The tools hub page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.calculators import TOOLS as BANKROLL_TOOLS
from app.plo import TOOLS as PLO_TOOLS
from app.templating import render
from app.tools import Tool
from app.tools.queries import uses_by_tool
from app.web import current_user, db

GROUPS = [
    ("Bankroll and stakes", BANKROLL_TOOLS),
    ("Pot-Limit Omaha", PLO_TOOLS),
]


def available(request: Request, tools: list[Tool]) -> list[Tool]:
    names = {getattr(route, "name", None) for route in request.app.routes}
    return [tool for tool in tools if tool.route in names]


async def show_tools(request: Request) -> Response:
    async with db(request) as session:
        user = await current_user(request, session)
        uses = await uses_by_tool(session, user.id) if user and user.id else {}
    groups = [(title, available(request, tools)) for title, tools in GROUPS]
    return render(request, "tools/hub.html", {"groups": [g for g in groups if g[1]], "uses": uses})


routes = [
    Route("/tools", show_tools, methods=["GET"]),
]
