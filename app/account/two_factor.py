"""Settings → Two-factor: set up an authenticator app, recovery codes, turning it off."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import htmx
from app.auth import forms, queries
from app.auth.login import go
from app.auth.routes import check_second_factor
from app.email.sending import mailer
from app.models import User
from app.security import csrf, passwords, totp
from app.security.ratelimit import enforce
from app.templating import flash, render
from app.web import db, require_user, settings

WRONG_CODE = "That code is not right. Check the time on your phone and try the newest code."


async def _page(
    request: Request,
    session: AsyncSession,
    user: User,
    form: forms.Form | None = None,
    status_code: int = 200,
    codes: list[str] | None = None,
) -> Response:
    context = {
        "form": form or forms.Form({"code": ""}),
        "enabled": user.totp_enabled_at is not None,
        "secret": user.totp_secret,
        "qr": totp.qr_svg(totp.uri(user.totp_secret, user.email)) if user.totp_secret else None,
        "codes": codes,
        "codes_left": await queries.recovery_codes_left(session, user.id) if user.totp_enabled_at else 0,  # type: ignore[arg-type]
        "has_password": bool(user.password_hash),
    }
    block = htmx.block_for(request, "two_factor_panel")
    return render(request, "account/two_factor.html", context, block=block, status_code=status_code)


async def show_two_factor(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        if user.totp_enabled_at is None and not user.totp_secret:
            # A new secret for setting up; it only protects the account once a code proves the app has it.
            user.totp_secret = totp.new_secret()
            session.add(user)
            await session.commit()
        return await _page(request, session, user)


async def _limit(request: Request, user: User) -> None:
    await enforce(request, settings(request).two_factor_rate, "2fa", str(user.id))


async def enable_two_factor(request: Request) -> Response:
    form = forms.code(await csrf.checked_form(request))
    async with db(request) as session:
        user = await require_user(request, session)
        if user.totp_enabled_at is not None or not user.totp_secret:
            return go(request, "/settings/two-factor")
        await _limit(request, user)
        step = totp.matching_step(user.totp_secret, form.values["code"], None) if form.ok else None
        if step is None:
            form.errors.setdefault("code", WRONG_CODE)
            return await _page(request, session, user, form, 422)
        codes = totp.recovery_codes()
        await queries.enable_two_factor(session, user, step, [totp.hash_recovery(c) for c in codes])
        csrf.rotate(request)
        await _notify(
            request, session, user, "Two-factor authentication was turned on for your StakeEasy account."
        )
        flash(request, "Two-factor authentication is on.", "success")
        # The codes are shown in this one response and never again (only their hashes are stored).
        return await _page(request, session, user, codes=codes)


def _password_problem(user: User, data_password: object) -> str | None:
    if not user.password_hash:
        return None
    if not isinstance(data_password, str) or not data_password:
        return "Enter your password."
    return None if passwords.verify(user.password_hash, data_password) else "That is not your password."


async def disable_two_factor(request: Request) -> Response:
    data = await csrf.checked_form(request)
    form = forms.code(data)
    async with db(request) as session:
        user = await require_user(request, session)
        if user.totp_enabled_at is None:
            return go(request, "/settings/two-factor")
        await _limit(request, user)
        if problem := _password_problem(user, data.get("password")):
            form.errors["password"] = problem
        if form.ok and await check_second_factor(session, user, form.values["code"]) is None:
            form.errors["code"] = WRONG_CODE
        if not form.ok:
            return await _page(request, session, user, form, 422)
        await queries.disable_two_factor(session, user)
        await _notify(
            request, session, user, "Two-factor authentication was turned off for your StakeEasy account."
        )
    flash(request, "Two-factor authentication is off.", "success")
    return go(request, "/settings/security")


async def renew_recovery_codes(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        if user.totp_enabled_at is None:
            return go(request, "/settings/two-factor")
        await _limit(request, user)
        form = forms.Form({"code": ""})
        if problem := _password_problem(user, data.get("renew_password")):
            form.errors["renew_password"] = problem
            return await _page(request, session, user, form, 422)
        codes = totp.recovery_codes()
        await queries.enable_two_factor(
            session, user, user.totp_last_step or 0, [totp.hash_recovery(c) for c in codes]
        )
        flash(request, "New recovery codes made. The old ones no longer work.", "success")
        return await _page(request, session, user, codes=codes)


async def _notify(request: Request, session: AsyncSession, user: User, message: str) -> None:
    await mailer(request).send(
        session,
        to=user.email,
        subject="Your StakeEasy security settings changed",
        template="notice",
        context={"message": message},
        user_id=user.id,
    )


routes = [
    Route("/settings/two-factor", show_two_factor, methods=["GET"]),
    Route("/settings/two-factor", enable_two_factor, methods=["POST"]),
    Route("/settings/two-factor/disable", disable_two_factor, methods=["POST"]),
    Route("/settings/two-factor/recovery-codes", renew_recovery_codes, methods=["POST"]),
]
