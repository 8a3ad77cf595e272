"""Starting a session, the pending two-factor step between password and code, and safe redirects."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from app import htmx
from app.models import User
from app.security import csrf
from app.security.sessions import REMEMBER_KEY
from app.web import USER_KEY, VERSION_KEY

PENDING_KEY = "2fa_pending"
AUTH_AT_KEY = "auth_at"
PENDING_SECONDS = 300  # the code must follow the password within five minutes
KEPT_KEYS = ("oauth_link",)  # a sign-in provider waiting for the password login that proves ownership
DISABLED = "This account is disabled. If you think this is a mistake, write to us (see Help)."


def _fresh(request: Request) -> None:
    kept = {key: request.session[key] for key in KEPT_KEYS if key in request.session}
    request.session.clear()
    request.session.update(kept)


def safe_next(url: str | None, default: str = "/dashboard") -> str:
    """Only same-site paths, so a crafted link cannot send the player elsewhere after login."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")) or "\\" in url:
        return default
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in url):
        return default
    return url


def go(request: Request, url: str) -> Response:
    return htmx.redirect(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


def start_session(request: Request, user: User, remember: bool) -> None:
    """A fresh session at login: nothing from before survives (rotation), new CSRF token."""
    _fresh(request)
    request.session[USER_KEY] = user.id
    request.session[VERSION_KEY] = user.session_version
    request.session[AUTH_AT_KEY] = int(time.time())
    if remember:
        request.session[REMEMBER_KEY] = True
    csrf.rotate(request)


def recently_authenticated(request: Request, seconds: int = 600) -> bool:
    """Logged in (password, code or provider) within the last few minutes."""
    at = request.session.get(AUTH_AT_KEY)
    return isinstance(at, int) and time.time() - at < seconds


def start_pending(request: Request, user: User, remember: bool, next_url: str) -> None:
    """Password accepted, code still to come: remembered in the session, but not logged in."""
    _fresh(request)
    request.session[PENDING_KEY] = {
        "uid": user.id,
        "sv": user.session_version,
        "remember": remember,
        "next": next_url,
        "at": int(time.time()),
    }
    csrf.rotate(request)


def pending(request: Request) -> dict[str, object] | None:
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("at"), int):
        return None
    if time.time() - data["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return data


def keep_session_after_version_bump(request: Request, user: User) -> None:
    """After "log out everywhere else" or a password change: this browser stays in, with a new token."""
    request.session[VERSION_KEY] = user.session_version
    csrf.rotate(request)
