"""Signed-cookie sessions (itsdangerous), with a per-session "remember me" lifetime.

Starlette's SessionMiddleware gives every session the same max_age; a browser session that ends with
the browser and a 14-day "remember me" session need two lifetimes, so this small pure-ASGI middleware
follows the same design (a signed, base64 JSON cookie) and picks the lifetime per session.

Both lifetimes are idle timeouts: a signed-in session's cookie is signed afresh (at most once a
minute) on every page, so it ends only after that long without a visit.
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from typing import Any

from itsdangerous import BadSignature, TimestampSigner
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REMEMBER_KEY = "_remember"
REFRESH_SECONDS = 60


class SessionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        secret_key: str,
        *,
        cookie_name: str = "stakeeasy_session",
        remember_seconds: int = 30 * 24 * 3600,
        browser_seconds: int = 12 * 3600,
        https_only: bool = False,
        refresh_key: str = "uid",
    ) -> None:
        self.app = app
        self.signer = TimestampSigner(secret_key, salt="stakeeasy.session")
        self.cookie_name = cookie_name
        self.remember_seconds = remember_seconds
        self.browser_seconds = browser_seconds
        self.secure = "; Secure" if https_only else ""
        self.refresh_key = refresh_key

    def _stale(self, raw: str | None) -> bool:
        """The cookie was signed more than a minute ago (so re-signing it moves the idle timeout)."""
        if not raw:
            return True
        try:
            self.signer.unsign(raw.encode(), max_age=REFRESH_SECONDS)
        except BadSignature:
            return True
        return False

    def _load(self, raw: str | None) -> dict[str, Any]:
        if not raw:
            return {}
        try:
            data = self.signer.unsign(raw.encode(), max_age=self.remember_seconds)
            session = json.loads(b64decode(data))
        except (BadSignature, ValueError):
            return {}
        if not isinstance(session, dict):
            return {}
        # A browser session also expires on the server side, whatever the browser keeps.
        try:
            self.signer.unsign(raw.encode(), max_age=self.browser_seconds)
        except BadSignature:
            if not session.get(REMEMBER_KEY):
                return {}
        return session

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = HTTPConnection(scope).cookies.get(self.cookie_name)
        scope["session"] = self._load(raw)
        before = json.dumps(scope["session"], sort_keys=True)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                session = scope["session"]
                after = json.dumps(session, sort_keys=True)
                signed_in = bool(session) and session.get(self.refresh_key) is not None
                static = scope.get("path", "").startswith("/static/")
                if after != before or (signed_in and not static and self._stale(raw)):
                    headers = MutableHeaders(scope=message)
                    headers.append("Set-Cookie", self._cookie(session))
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _cookie(self, session: dict[str, Any]) -> str:
        attrs = f"; Path=/; HttpOnly; SameSite=Lax{self.secure}"
        if not session:
            return f"{self.cookie_name}=null{attrs}; Max-Age=0"
        value = self.signer.sign(b64encode(json.dumps(session).encode())).decode()
        if session.get(REMEMBER_KEY):
            attrs += f"; Max-Age={self.remember_seconds}"
        return f"{self.cookie_name}={value}{attrs}"
