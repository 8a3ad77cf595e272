"""All SQL for the admin area. Nothing here reads a balance, a flow or any other amount: the admin
area shows accounts, jobs and e-mail, never a player's money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col, select

from app.models import AuditLog, EmailMessage, ExchangeRate, JobRun, OAuthAccount, User, utcnow

COMMAND_LINE = "command line"  # the actor of a grant or revoke made with `stakeeasy admin`


@dataclass
class Found:
    users: list[User]
    total: int


def _like(text: str) -> str:
    """A LIKE pattern for a substring, with the wildcards in `text` matched literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search_users(session: AsyncSession, q: str, page: int, per_page: int) -> Found:
    """Accounts whose e-mail address contains `q` (every account when empty), newest first."""
    where = col(User.email).like(_like(q), escape="\\") if q else sa.true()
    total = (await session.execute(sa.select(sa.func.count()).select_from(User).where(where))).scalar_one()
    query = (
        select(User)
        .where(where)
        .order_by(col(User.created_at).desc(), col(User.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return Found(list((await session.execute(query)).scalars()), int(total))


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    query = select(User).where(User.email == email.strip().lower())
    return (await session.execute(query)).scalar_one_or_none()


async def oauth_links(session: AsyncSession, user_id: int) -> list[OAuthAccount]:
    query = select(OAuthAccount).where(OAuthAccount.user_id == user_id).order_by(col(OAuthAccount.provider))
    return list((await session.execute(query)).scalars())


async def admins(session: AsyncSession) -> list[User]:
    query = select(User).where(col(User.is_admin).is_(True)).order_by(col(User.email))
    return list((await session.execute(query)).scalars())


def record(
    session: AsyncSession, actor: User | None, action: str, target: User | None = None, detail: str = ""
) -> AuditLog:
    """Add an audit row to the session, so it is committed with the change it records."""
    entry = AuditLog(
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else COMMAND_LINE,
        action=action,
        target_user_id=target.id if target else None,
        detail=detail[:2000],
    )
    session.add(entry)
    return entry


async def set_disabled(session: AsyncSession, admin: User, user: User, disabled: bool, reason: str) -> None:
    """Disable (ending every session at once) or enable an account, with its audit row. Commits."""
    if disabled:
        user.disabled_at = utcnow()
        user.session_version += 1
        record(session, admin, "disable_user", user, reason)
    else:
        user.disabled_at = None
        record(session, admin, "enable_user", user)
    session.add(user)
    await session.commit()


async def set_admin(session: AsyncSession, email: str, admin: bool) -> User | None:
    """Grant or revoke the admin role (the command line's way, the only one); None for no such
    account. The session version moves on, so the account logs in again with its new rights. Commits."""
    user = await user_by_email(session, email)
    if user is None:
        return None
    if user.is_admin != admin:
        user.is_admin = admin
        user.session_version += 1
        session.add(user)
        record(session, None, "grant_admin" if admin else "revoke_admin", user)
        await session.commit()
    return user


@dataclass
class AuditRow:
    entry: AuditLog
    target_email: str | None


async def audit_page(
    session: AsyncSession, page: int, per_page: int, target_user_id: int | None = None
) -> tuple[list[AuditRow], int]:
    """Audit rows newest first (of one target account when given), with the target's address."""
    where = col(AuditLog.target_user_id) == target_user_id if target_user_id is not None else sa.true()
    total = (
        await session.execute(sa.select(sa.func.count()).select_from(AuditLog).where(where))
    ).scalar_one()
    query = (
        select(AuditLog, User.email)
        .outerjoin(User, col(User.id) == AuditLog.target_user_id)
        .where(where)
        .order_by(col(AuditLog.created_at).desc(), col(AuditLog.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = [AuditRow(entry, email) for entry, email in (await session.execute(query)).all()]
    return rows, int(total)


# ---- the system: rates and e-mail ----------------------------------------------------------------


@dataclass
class SourceDay:
    source: str
    newest: date
    rates: int


async def rate_sources(session: AsyncSession) -> list[SourceDay]:
    """Per source of stored rates: the newest day and how many rates are stored."""
    query = (
        sa.select(ExchangeRate.source, sa.func.max(ExchangeRate.day), sa.func.count())  # type: ignore[call-overload]
        .group_by(ExchangeRate.source)
        .order_by(ExchangeRate.source)
    )
    rows = (await session.execute(query)).all()
    return [SourceDay(source, newest, int(count)) for source, newest, count in rows]


async def job_runs(session: AsyncSession, job: str, limit: int = 20) -> list[JobRun]:
    query = (
        select(JobRun)
        .where(JobRun.job == job)
        .order_by(col(JobRun.started_at).desc(), col(JobRun.id).desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


EMAIL_STATUSES = ("failed", "pending", "outbox", "sent")


async def email_counts(session: AsyncSession) -> dict[str, int]:
    query = sa.select(EmailMessage.status, sa.func.count()).group_by(EmailMessage.status)  # type: ignore[call-overload]
    counts = {status: 0 for status in EMAIL_STATUSES}
    counts.update({status: int(count) for status, count in (await session.execute(query)).all()})
    return counts


async def emails(
    session: AsyncSession, status: str, page: int, per_page: int, user_id: int | None = None
) -> tuple[list[EmailMessage], int]:
    """Stored messages newest first, of one status and one account when given. Never the bodies: they
    hold confirmation and reset links, which would let an admin into the account."""
    conditions: list[sa.ColumnElement[bool]] = []
    if status:
        conditions.append(col(EmailMessage.status) == status)
    if user_id is not None:
        conditions.append(col(EmailMessage.user_id) == user_id)
    where = sa.and_(sa.true(), *conditions)
    total = (
        await session.execute(sa.select(sa.func.count()).select_from(EmailMessage).where(where))
    ).scalar_one()
    query = (
        select(EmailMessage)
        .options(defer(EmailMessage.text_body, raiseload=True), defer(EmailMessage.html_body, raiseload=True))  # type: ignore[arg-type]
        .where(where)
        .order_by(col(EmailMessage.created_at).desc(), col(EmailMessage.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list((await session.execute(query)).scalars()), int(total)


@dataclass
class Counts:
    users: int
    unconfirmed: int
    disabled: int
    admins: int


async def user_counts(session: AsyncSession) -> Counts:
    query = sa.select(
        sa.func.count(),
        sa.func.count(col(User.id)).filter(col(User.email_confirmed_at).is_(None)),
        sa.func.count(col(User.id)).filter(col(User.disabled_at).is_not(None)),
        sa.func.count(col(User.id)).filter(col(User.is_admin).is_(True)),
    ).select_from(User)
    users, unconfirmed, disabled, admins = (await session.execute(query)).one()
    return Counts(int(users), int(unconfirmed), int(disabled), int(admins))
