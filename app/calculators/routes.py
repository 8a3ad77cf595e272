"""Bankroll calculators: one GET form per page, its #calculator region swapped in place by htmx.

Every page is a plain GET form (shareable URLs, works with JavaScript off). htmx asks for the
`calculator` block (the form and its result) on each change; a form with a problem comes back with
status 422 and the messages next to the fields. A logged-in player's use of a tool is counted once
per request that shows a result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import htmx
from app.calculators import cash, goals, player, potodds, risk, spr, strategy, tournament, variance
from app.calculators.player import Player
from app.calculators.tools import Outcome
from app.templating import render
from app.tools.queries import record_use
from app.web import current_user, db

ReadForm = Callable[[Mapping[str, str], Player], Outcome]  # query parameters, player → outcome


async def _show(
    request: Request, slug: str, template: str, read: ReadForm, *, bankroll: bool = True, slow: bool = False
) -> Response:
    """Read the form, compute (a `slow` one in a worker thread), count the use, render the page or block."""
    async with db(request) as session:
        user = await current_user(request, session)
        who = await player.load(session, user, bankroll=bankroll)
        if slow:
            outcome = await anyio.to_thread.run_sync(read, request.query_params, who)
        else:
            outcome = read(request.query_params, who)
        if outcome.computed and outcome.form.ok and user is not None and user.id is not None:
            await record_use(session, user.id, slug)
    context = {
        **outcome.context,
        "form": outcome.form,
        "here": request.url.path,
        "currency_options": player.CURRENCY_OPTIONS,
    }
    return render(
        request,
        template,
        context,
        block=htmx.block_for(request, "calculator"),
        status_code=200 if outcome.form.ok else 422,
    )


async def show_stakes(request: Request) -> Response:
    return await _show(request, "stakes", "calculators/stakes.html", cash.read)


async def show_tournaments(request: Request) -> Response:
    return await _show(request, "tournaments", "calculators/tournaments.html", tournament.read)


async def show_strategy(request: Request) -> Response:
    return await _show(request, "strategy", "calculators/strategy.html", strategy.read)


async def show_risk(request: Request) -> Response:
    return await _show(request, "risk-of-ruin", "calculators/risk.html", risk.read)


async def show_variance(request: Request) -> Response:
    return await _show(
        request, "variance", "calculators/variance.html", variance.read, bankroll=False, slow=True
    )


async def show_goals(request: Request) -> Response:
    return await _show(request, "goals", "calculators/goals.html", goals.read)


async def show_spr(request: Request) -> Response:
    return await _show(request, "spr", "calculators/spr.html", spr.read, bankroll=False)


async def show_pot_odds(request: Request) -> Response:
    return await _show(request, "pot-odds", "calculators/pot_odds.html", potodds.read, bankroll=False)


routes = [
    Route("/tools/stakes", show_stakes, methods=["GET"]),
    Route("/tools/tournaments", show_tournaments, methods=["GET"]),
    Route("/tools/strategy", show_strategy, methods=["GET"]),
    Route("/tools/risk-of-ruin", show_risk, methods=["GET"]),
    Route("/tools/variance", show_variance, methods=["GET"]),
    Route("/tools/goals", show_goals, methods=["GET"]),
    Route("/tools/spr", show_spr, methods=["GET"]),
    Route("/tools/pot-odds", show_pot_odds, methods=["GET"]),
]
