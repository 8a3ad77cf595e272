"""The achievements page: unlocked ones with their date, locked ones with progress, and the streak."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.achievements import services, streaks
from app.templating import render
from app.web import db, require_user


async def list_achievements(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        states = await services.sync(session, user, request)
        days = await streaks.activity_days(session, user)
    streak = streaks.streak(days, streaks.today(user))
    context = {
        "unlocked": sorted(
            (s for s in states if s.unlocked_at), key=lambda s: s.unlocked_at or datetime.min, reverse=True
        ),
        "locked": [s for s in states if not s.unlocked_at],
        "streak": streak,
        "zone": streaks.zone(user),
    }
    return render(request, "achievements/list.html", context)


routes = [Route("/achievements", list_achievements, methods=["GET"], name="list_achievements")]
