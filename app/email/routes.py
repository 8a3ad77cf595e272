"""The development outbox: every stored message, newest first (only when STAKEEASY_ENV=development)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import col
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.models import EmailMessage
from app.templating import render
from app.web import db, settings

LINK_RE = re.compile(r"https?://\S+")


async def show_outbox(request: Request) -> Response:
    if not settings(request).development:
        raise HTTPException(404)
    async with db(request) as session:
        messages = (
            await session.scalars(select(EmailMessage).order_by(col(EmailMessage.id).desc()).limit(50))
        ).all()
    items = [{"message": m, "links": LINK_RE.findall(m.text_body)} for m in messages]
    return render(request, "email/outbox.html", {"items": items})


routes = [
    Route("/dev/outbox", show_outbox, methods=["GET"]),
]
