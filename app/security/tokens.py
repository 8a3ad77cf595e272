"""Signed, expiring, single-use links (itsdangerous): one salt per kind, so a token of one kind is
never accepted as another; each carries a random id that is stored once it is used."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import UsedToken

LIFETIMES = {
    "confirm": 24 * 3600,
    "reset": 3600,
    "email-change": 24 * 3600,
    "oauth-link": 3600,
}
EXPIRED = "This link has expired. Ask for a new one."
INVALID = "This link is not valid. Check that you copied all of it, or ask for a new one."
USED = "This link has already been used. Ask for a new one if you still need it."


class TokenError(Exception):
    """A tampered, expired or reused link, with a message for the player."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Token:
    kind: str
    data: dict[str, Any]

    @property
    def jti(self) -> str:
        return str(self.data["jti"])

    @property
    def user_id(self) -> int:
        return int(self.data["uid"])


def _serializer(secret_key: str, kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"stakeeasy.{kind}")


def fingerprint(value: str) -> str:
    """A short digest that binds a token to a value (a password hash) without revealing it."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def make(secret_key: str, kind: str, user_id: int | None, **data: Any) -> str:
    assert kind in LIFETIMES, kind
    assert user_id is not None, "tokens are for saved users"
    payload = {"uid": user_id, "jti": secrets.token_urlsafe(12), **data}
    return str(_serializer(secret_key, kind).dumps(payload))


def read(secret_key: str, kind: str, token: str) -> Token:
    """The token's data if it is authentic and fresh; TokenError with a clear message otherwise."""
    try:
        data = _serializer(secret_key, kind).loads(token, max_age=LIFETIMES[kind])
    except SignatureExpired:
        raise TokenError(EXPIRED) from None
    except (BadSignature, ValueError):
        raise TokenError(INVALID) from None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int) or "jti" not in data:
        raise TokenError(INVALID)
    return Token(kind, data)


async def is_used(session: AsyncSession, token: Token) -> bool:
    return await session.get(UsedToken, token.jti) is not None


async def use(session: AsyncSession, token: Token) -> None:
    """Mark the token used (in the caller's transaction); TokenError if it already was, even in a race."""
    session.add(UsedToken(jti=token.jti, user_id=token.user_id, kind=token.kind))
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        raise TokenError(USED) from None
