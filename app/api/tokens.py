"""Personal access tokens: a random secret with a recognisable prefix, stored only as its SHA-256.

A token is `se_` + 43 URL-safe characters (256 random bits). Looking one up hashes what was sent and
finds the live (not revoked) row with that hash, so a stolen database holds nothing that works.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.models import ApiToken, User, utcnow

PREFIX = "se_"
SCOPES = {"read": "Read only", "write": "Read and write"}
MAX_ACTIVE = 20
SHOWN_CHARS = 10  # "se_" and the first 7 random characters, shown in the list to tell tokens apart
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create(session: AsyncSession, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token and its secret (the only time the secret exists outside the client). Commits."""
    secret = new_secret()
    token = ApiToken(
        user_id=user.id,  # type: ignore[arg-type]
        name=name,
        scope=scope,
        token_hash=digest(secret),
        prefix=secret[:SHOWN_CHARS],
    )
    session.add(token)
    await session.commit()
    return token, secret


async def of_user(session: AsyncSession, user_id: int) -> list[ApiToken]:
    """The player's tokens, live ones first, newest first."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id)
        .order_by(
            col(ApiToken.revoked_at).is_not(None), col(ApiToken.created_at).desc(), col(ApiToken.id).desc()
        )
    )
    return list((await session.execute(query)).scalars())


async def count_active(session: AsyncSession, user_id: int) -> int:
    query = sa.select(sa.func.count()).where(
        col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None)
    )
    return int((await session.execute(query)).scalar_one())


async def get(session: AsyncSession, user_id: int, token_id: int) -> ApiToken | None:
    """The player's own token (revoked or not), else None: another player's id is a missing one."""
    query = select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    return (await session.execute(query)).scalar_one_or_none()


async def revoke(session: AsyncSession, token: ApiToken) -> None:
    """Revoke a token (again is harmless). Commits."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
    await session.commit()


async def authenticate(session: AsyncSession, secret: str) -> tuple[ApiToken, User] | None:
    """The live token with this secret and its player, else None: one query."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    query = (
        select(ApiToken, User)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(secret), col(ApiToken.revoked_at).is_(None))
    )
    row = (await session.execute(query)).first()
    if row is None or row[1].disabled_at is not None:  # a disabled account: no way in
        return None
    return row[0], row[1]


async def touch(session: AsyncSession, token: ApiToken, now: datetime | None = None) -> None:
    """Note the token's use (at most once a minute, so reads rarely write). Commits when it writes."""
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        session.add(token)
        await session.commit()
