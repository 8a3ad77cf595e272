"""All SQL for accounts."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.models import User, utcnow


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email.lower()))
    return result.scalar_one_or_none()


async def create_user(
    session: AsyncSession, email: str, password_hash: str, display_currency: str, locale: str
) -> User | None:
    """The new user, or None when the e-mail address is taken (also under a race)."""
    user = User(
        email=email.lower(), password_hash=password_hash, display_currency=display_currency, locale=locale
    )
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return None
    return user


async def record_login(session: AsyncSession, user: User, new_hash: str | None = None) -> None:
    user.last_login_at = utcnow()
    if new_hash:
        user.password_hash = new_hash
    session.add(user)
    await session.commit()
