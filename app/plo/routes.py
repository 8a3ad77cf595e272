"""The PLO tools on the web: GET forms whose results swap in place, with a shareable URL each.

Every page is a plain GET form that works with JavaScript off; htmx asks for the tool's block
(`#strength`, `#rankings`, ...) on each change and gets it alone, 422 when an input is wrong.
A logged-in player's use of a tool is counted once per request that shows a result.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx
from app.advice.potodds import pot_odds
from app.advice.spr import DECISIONS, HAND_NAMES, ZONES
from app.plo import forms, hud, quiz, rankings, scenario
from app.poker.cards import CARDS
from app.poker.strength import SUGGESTIONS, Position, hand_strength
from app.templating import render
from app.tools.queries import record_use
from app.web import current_user, db


def url_with(request: Request, **changes: object) -> str:
    """This page's URL with some query parameters changed (None or "" drops one)."""
    params = {key: value for key, value in request.query_params.items()}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


async def _visit(request: Request, slug: str | None = None, used: bool = False) -> None:
    """Load the player (for the page header) and count a use of the tool when a result is shown."""
    async with db(request) as session:
        user = await current_user(request, session)
        if slug and used and user is not None and user.id is not None:
            await record_use(session, user.id, slug)


def random_hand() -> str:
    return "".join(str(c) for c in random.sample(CARDS, 4))


async def show_strength(request: Request) -> Response:
    form, hand, position = forms.strength(request.query_params)
    result = row = None
    if hand is not None:
        result = hand_strength(hand, position)
        row = rankings.row_of(str(hand))
    await _visit(request, "plo-strength", result is not None)
    context = {
        "form": form,
        "result": result,
        "row": row,
        "top_share": rankings.index().share(row) if row else None,
        "classes": len(rankings.index().rows),
        "positions": forms.POSITION_OPTIONS,
        "table": SUGGESTIONS,
        "all_positions": list(Position),
        "random_url": url_with(request, hand=random_hand()),
        "here": request.url.path,
    }
    status = 200 if form.ok else 422
    return render(
        request, "plo/strength.html", context, block=htmx.block_for(request, "strength"), status_code=status
    )


async def show_rankings(request: Request) -> Response:
    form, query, sort, page_number = forms.rankings_form(request.query_params)
    page = rankings.search(query, sort, page_number)
    await _visit(request, "plo-rankings", form.ok and not query.empty)
    context = {
        "form": form,
        "query": query,
        "page": page,
        "sorts": list(rankings.SORTS.items()),
        "sort": sort,
        "sort_label": rankings.SORTS[sort].lower(),
        "index": rankings.index(),
        "url_with": lambda **changes: url_with(request, **changes),
        "here": request.url.path,
    }
    status = 200 if form.ok else 422
    block = htmx.block_for(request, "rankings", "results")
    return render(request, "plo/rankings.html", context, block=block, status_code=status)


async def show_ranges(request: Request) -> Response:
    form, low, high, by, page_number = forms.ranges_form(request.query_params)
    selected = page = None
    if form.ok and low is not None and high is not None:
        selected = rankings.band(low, high, by)
        page = rankings.band_page(selected, page_number)
    await _visit(request, "plo-ranges", selected is not None and "high" in request.query_params)
    context = {
        "form": form,
        "band": selected,
        "page": page,
        "shapes": rankings.SHAPES,
        "index": rankings.index(),
        "url_with": lambda **changes: url_with(request, **changes),
        "here": request.url.path,
    }
    status = 200 if form.ok else 422
    block = htmx.block_for(request, "ranges", "results")
    return render(request, "plo/ranges.html", context, block=block, status_code=status)


def scenario_url(request: Request, values: dict[str, str]) -> str:
    """The scenario's own, shareable URL: its inputs, without picker actions."""
    query = urlencode({name: values[name] for name in forms.SCENARIO_DEFAULTS if values.get(name)})
    return f"{request.url_for('show_scenario').path}?{query}"


async def show_scenario(request: Request) -> Response:
    form, parsed, action = forms.scenario(request.query_params)
    url = scenario_url(request, form.values)
    if action and not htmx.is_htmx(request):
        return RedirectResponse(url, status_code=303)  # a picked card: show the scenario's own URL
    analysis = scenario.analyse(parsed) if parsed is not None and parsed.complete else None
    await _visit(request, "plo-scenario", analysis is not None)
    used = forms.used_cards(form.values)
    context = {
        "form": form,
        "analysis": analysis,
        "used": used,
        "counts": {name: sum(1 for f in used.values() if f == name) for name in forms.CARD_FIELDS},
        "sizes": forms.FIELD_SIZES,
        "seat_positions": scenario.seat_positions(int(form.values["button"])),
        "seats": range(1, forms.SEATS + 1),
        "seat_choices": [(str(n), f"Seat {n}") for n in range(1, forms.SEATS + 1)],
        "chips": scenario.chips,
        "here": request.url.path,
        "random_url": request.url_for("deal_random_scenario").path,
    }
    headers = {"HX-Replace-Url": url} if action else None
    status = 200 if form.ok else 422
    block = htmx.block_for(request, "scenario")
    return render(request, "plo/scenario.html", context, block=block, status_code=status, headers=headers)


async def deal_random_scenario(request: Request) -> Response:
    values = {**forms.SCENARIO_DEFAULTS, **scenario.random_scenario()}
    return RedirectResponse(scenario_url(request, values), status_code=303)


QUIZ_TITLES = {"strength": "PLO hand-strength quiz", "hud": "PLO HUD-stats quiz"}


async def _show_quiz(request: Request, kind: str) -> Response:
    """A quiz's start page, current question or results, as its URL (n, seed, answers) says."""
    params = request.query_params
    game = problem = None
    if "seed" in params:
        try:
            game = quiz.load(kind, params.get("n", ""), params.get("seed", ""), params.get("a", ""))
        except quiz.QuizError as error:
            problem = str(error)
    await _visit(request, f"plo-quiz-{kind}", game is not None and game.done)
    context = {
        "kind": kind,
        "title": QUIZ_TITLES[kind],
        "game": game,
        "problem": problem,
        "bands": quiz.BANDS,
        "lengths": quiz.LENGTHS,
        "seed": quiz.new_seed(),
        "here": request.url.path,
        "other": "show_hud_quiz" if kind == "strength" else "show_strength_quiz",
    }
    block = htmx.block_for(request, "quiz")
    return render(request, "plo/quiz.html", context, block=block, status_code=400 if problem else 200)


async def show_strength_quiz(request: Request) -> Response:
    return await _show_quiz(request, "strength")


async def show_hud_quiz(request: Request) -> Response:
    return await _show_quiz(request, "hud")


async def _show_guide(
    request: Request, template: str, context: Mapping[str, object] | None = None
) -> Response:
    await _visit(request)
    return render(request, f"plo/{template}.html", dict(context or {}))


async def show_guides(request: Request) -> Response:
    return await _show_guide(request, "guides")


async def show_hud_guide(request: Request) -> Response:
    return await _show_guide(request, "guide_hud", {"stats": hud.STATS, "types": hud.TYPES})


async def show_tags_guide(request: Request) -> Response:
    return await _show_guide(request, "guide_tags", {"tags": hud.TAGS})


async def show_spr_guide(request: Request) -> Response:
    context = {"zones": ZONES, "decisions": DECISIONS, "hand_names": HAND_NAMES}
    return await _show_guide(request, "guide_spr", context)


POT_FRACTIONS = (
    ("¼ pot", 1, 4),
    ("⅓ pot", 1, 3),
    ("½ pot", 1, 2),
    ("⅔ pot", 2, 3),
    ("¾ pot", 3, 4),
    ("Pot", 1, 1),
)


async def show_pot_odds_guide(request: Request) -> Response:
    rows = []
    for label, top, bottom in POT_FRACTIONS:
        price = pot_odds(Decimal(100) * top / bottom, 100)
        rows.append((label, price.required_equity * 100, price.odds_to_one))
    return await _show_guide(request, "guide_pot_odds", {"rows": rows})


routes = [
    Route("/tools/plo/strength", show_strength, methods=["GET"]),
    Route("/tools/plo/rankings", show_rankings, methods=["GET"]),
    Route("/tools/plo/ranges", show_ranges, methods=["GET"]),
    Route("/tools/plo/scenario", show_scenario, methods=["GET"]),
    Route("/tools/plo/scenario/random", deal_random_scenario, methods=["GET"]),
    Route("/tools/plo/quiz/strength", show_strength_quiz, methods=["GET"]),
    Route("/tools/plo/quiz/hud", show_hud_quiz, methods=["GET"]),
    Route("/tools/plo/guides", show_guides, methods=["GET"]),
    Route("/tools/plo/guides/hud", show_hud_guide, methods=["GET"]),
    Route("/tools/plo/guides/tags", show_tags_guide, methods=["GET"]),
    Route("/tools/plo/guides/spr", show_spr_guide, methods=["GET"]),
    Route("/tools/plo/guides/pot-odds", show_pot_odds_guide, methods=["GET"]),
]
