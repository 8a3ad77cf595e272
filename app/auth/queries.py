"""All SQL for accounts."""

from __future__ import annotations

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.models import OAuthAccount, RecoveryCode, User, utcnow


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email.lower()))
    return result.scalar_one_or_none()


async def create_user(
    session: AsyncSession,
    email: str,
    password_hash: str,
    display_currency: str,
    locale: str,
    *,
    confirmed: bool = False,
) -> User | None:
    """The new user, or None when the e-mail address is taken (also under a race)."""
    user = User(
        email=email.lower(),
        password_hash=password_hash,
        display_currency=display_currency,
        locale=locale,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return None
    return user


async def record_login(
    session: AsyncSession, user: User, new_hash: str | None = None, *, signed_in: bool = True
) -> None:
    """After a checked password or provider; `signed_in` False while the two-factor code is still due
    (the last login is the last complete one)."""
    if signed_in:
        user.last_login_at = utcnow()
    if new_hash:
        user.password_hash = new_hash
    session.add(user)
    await session.commit()


async def set_password(session: AsyncSession, user: User, password_hash: str) -> None:
    """A new password ends every session (the caller keeps the current one if it should)."""
    user.password_hash = password_hash
    user.session_version += 1
    session.add(user)
    await session.commit()


async def end_other_sessions(session: AsyncSession, user: User) -> None:
    user.session_version += 1
    session.add(user)
    await session.commit()


async def set_email(session: AsyncSession, user: User, email: str) -> bool:
    """False when another account took the address in the meantime."""
    user.email = email.lower()
    user.email_confirmed_at = utcnow()
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def enable_two_factor(session: AsyncSession, user: User, step: int, code_hashes: list[str]) -> None:
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    session.add(user)
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))  # type: ignore[arg-type]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=h) for h in code_hashes)  # type: ignore[arg-type]
    await session.commit()


async def disable_two_factor(session: AsyncSession, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.add(user)
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))  # type: ignore[arg-type]
    await session.commit()


async def accept_step(session: AsyncSession, user: User, step: int) -> bool:
    """Record the time step of an accepted code; False if another request used it first (replay)."""
    result = await session.execute(
        update(User)
        .where(User.id == user.id)  # type: ignore[arg-type]
        .where((User.totp_last_step.is_(None)) | (User.totp_last_step < step))  # type: ignore[union-attr,operator]
        .values(totp_last_step=step)
    )
    await session.commit()
    user.totp_last_step = step
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def use_recovery_code(session: AsyncSession, user: User, code_hash: str) -> bool:
    """Spend an unused recovery code (once, even under a race)."""
    result = await session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)  # type: ignore[arg-type]
        .where(RecoveryCode.code_hash == code_hash)  # type: ignore[arg-type]
        .where(RecoveryCode.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=utcnow())
    )
    await session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def recovery_codes_left(session: AsyncSession, user_id: int) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))  # type: ignore[union-attr]
    )
    return int(result.scalar_one())


async def oauth_accounts(session: AsyncSession, user_id: int) -> list[OAuthAccount]:
    result = await session.execute(
        select(OAuthAccount).where(OAuthAccount.user_id == user_id).order_by(OAuthAccount.provider)
    )
    return list(result.scalars().all())


async def oauth_account(session: AsyncSession, provider: str, subject: str) -> OAuthAccount | None:
    result = await session.execute(
        select(OAuthAccount).where(OAuthAccount.provider == provider, OAuthAccount.subject == subject)
    )
    return result.scalar_one_or_none()


async def link_oauth(
    session: AsyncSession, user_id: int | None, provider: str, subject: str, email: str | None
) -> bool:
    """False when this identity is already linked (to anyone)."""
    assert user_id is not None
    session.add(OAuthAccount(user_id=user_id, provider=provider, subject=subject, email=email))
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def unlink_oauth(session: AsyncSession, user_id: int, provider: str) -> None:
    await session.execute(
        delete(OAuthAccount).where(OAuthAccount.user_id == user_id, OAuthAccount.provider == provider)  # type: ignore[arg-type]
    )
    await session.commit()


async def delete_user(session: AsyncSession, user_id: int) -> None:
    """Everything the player owns goes with the user row (ON DELETE CASCADE on every table)."""
    await session.execute(delete(User).where(User.id == user_id))  # type: ignore[arg-type]
    await session.commit()
