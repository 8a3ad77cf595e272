"""CSRF tokens: one random token per session, sent back as a form field or the X-CSRF-Token header."""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.security.ratelimit import client_ip, enforce

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
MAX_FORM_FIELDS = 200


def get_token(request: Request) -> str:
    if "session" not in request.scope:
        return ""
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return str(token)


def rotate(request: Request) -> None:
    request.session[SESSION_KEY] = secrets.token_urlsafe(32)


async def checked_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token (form field or header); 403 otherwise."""
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    sent = request.headers.get(HEADER) or form.get(FIELD) or ""
    expected = request.session.get(SESSION_KEY) if "session" in request.scope else None
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "This form has expired. Reload the page and try again.")
    await _post_ceiling(request)
    return form


async def _post_ceiling(request: Request) -> None:
    """A general limit on every POST: per player, or per client address when logged out."""
    uid = request.session.get("uid")
    key = ("user", str(uid)) if isinstance(uid, int) else ("ip", client_ip(request))
    rate = request.app.state.settings.post_rate
    await enforce(request, rate, "post", *key, detail="You are going too fast. Wait a minute and try again.")
