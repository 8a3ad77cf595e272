"""E-mailed links: confirm the address (with "resend"), forgot password and reset."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import htmx
from app.auth import forms, queries
from app.auth.login import go, safe_next
from app.email.sending import Mailer, mailer
from app.models import User, utcnow
from app.security import csrf, passwords, tokens
from app.security.ratelimit import enforce
from app.templating import flash, render
from app.web import current_user, db, limiter, require_user, settings

EMAIL_LIMIT = "We already sent a few e-mails to this address. Wait an hour before asking again."


async def send_confirmation(
    request: Request, session: AsyncSession, user: User, counted: bool = False
) -> None:
    """Mail a confirmation link (counted against the per-address e-mail limit)."""
    if not counted:
        await limiter(request).hit(settings(request).email_rate, "email", user.email)
    secret = settings(request).secret_key
    token = tokens.make(secret, "confirm", user.id, email=user.email)  # type: ignore[arg-type]
    mail = mailer(request)
    await mail.send(
        session,
        to=user.email,
        subject="Confirm your e-mail address",
        template="confirm",
        context={"link": mail.link(f"/confirm/{token}")},
        user_id=user.id,
    )


def _problem(request: Request, message: str, status_code: int = 400) -> Response:
    return render(request, "auth/link_problem.html", {"message": message}, status_code=status_code)


async def _confirmable(session: AsyncSession, secret: str, raw: str) -> tuple[tokens.Token, User]:
    token = tokens.read(secret, "confirm", raw)
    user = await session.get(User, token.user_id)
    if user is None or user.email != token.data.get("email"):
        raise tokens.TokenError(tokens.INVALID)
    if user.email_confirmed_at is not None or await tokens.is_used(session, token):
        raise tokens.TokenError("This address is already confirmed. You can log in.")
    return token, user


async def show_confirm(request: Request) -> Response:
    async with db(request) as session:
        try:
            _, user = await _confirmable(session, settings(request).secret_key, request.path_params["token"])
        except tokens.TokenError as error:
            return _problem(request, error.message)
    return render(request, "auth/confirm.html", {"email": user.email, "token": request.path_params["token"]})


async def confirm_email(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        try:
            token, user = await _confirmable(
                session, settings(request).secret_key, request.path_params["token"]
            )
            await tokens.use(session, token)
        except tokens.TokenError as error:
            return _problem(request, error.message)
        user.email_confirmed_at = utcnow()
        session.add(user)
        await session.commit()
        signed_in = await current_user(request, session)
    flash(request, "Thank you: your e-mail address is confirmed.", "success")
    return go(request, "/dashboard" if signed_in and signed_in.id == user.id else "/login")


async def resend_confirmation(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        if user.email_confirmed_at is None:
            await enforce(request, settings(request).email_rate, "email", user.email, detail=EMAIL_LIMIT)
            await send_confirmation(request, session, user, counted=True)
            flash(request, f"We sent a new confirmation link to {user.email}.", "success")
        else:
            flash(request, "Your e-mail address is already confirmed.")
    if htmx.is_htmx(request):
        return render(request, "_flash.html")
    return go(request, safe_next(str(data.get("next") or ""), "/settings/security"))


def _forgot_page(request: Request, form: forms.Form, status_code: int = 200, sent: bool = False) -> Response:
    block = htmx.block_for(request, "forgot_form")
    context = {"form": form, "sent": sent}
    return render(request, "auth/forgot.html", context, block=block, status_code=status_code)


async def show_forgot(request: Request) -> Response:
    return _forgot_page(request, forms.Form({"email": ""}))


async def request_reset(request: Request) -> Response:
    """The same answer, after the same work, whether or not the address has an account: the lookup and
    the e-mail happen after the response has been sent."""
    form = forms.forgot(await csrf.checked_form(request))
    if not form.ok:
        return _forgot_page(request, form, 422)
    await enforce(request, settings(request).email_rate, "email", form.values["email"], detail=EMAIL_LIMIT)
    response = _forgot_page(request, form, sent=True)
    response.background = BackgroundTask(_send_reset, mailer(request), form.values["email"])
    return response


async def _send_reset(mail: Mailer, email: str) -> None:
    async with mail.sessionmaker() as session:
        user = await queries.user_by_email(session, email)
        if user is None or user.disabled_at is not None:  # the same answer was already given
            return
        fingerprint = tokens.fingerprint(user.password_hash)
        token = tokens.make(mail.settings.secret_key, "reset", user.id, pw=fingerprint)  # type: ignore[arg-type]
        await mail.send(
            session,
            to=user.email,
            subject="Reset your StakeEasy password",
            template="reset",
            context={"link": mail.link(f"/reset/{token}")},
            user_id=user.id,
        )


async def _resettable(session: AsyncSession, secret: str, raw: str) -> tuple[tokens.Token, User]:
    token = tokens.read(secret, "reset", raw)
    user = await session.get(User, token.user_id)
    if user is None or user.disabled_at is not None:  # a link mailed before the account was disabled
        raise tokens.TokenError(tokens.INVALID)
    # Bound to the password it resets: once any new password is set, every older link stops working.
    if token.data.get("pw") != tokens.fingerprint(user.password_hash) or await tokens.is_used(session, token):
        raise tokens.TokenError(tokens.USED)
    return token, user


def _reset_page(request: Request, form: forms.Form, status_code: int = 200) -> Response:
    block = htmx.block_for(request, "reset_form")
    context = {"form": form, "token": request.path_params["token"]}
    return render(request, "auth/reset.html", context, block=block, status_code=status_code)


async def show_reset(request: Request) -> Response:
    async with db(request) as session:
        try:
            await _resettable(session, settings(request).secret_key, request.path_params["token"])
        except tokens.TokenError as error:
            return _problem(request, error.message)
    return _reset_page(request, forms.Form({}))


async def reset_password(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        try:
            token, user = await _resettable(
                session, settings(request).secret_key, request.path_params["token"]
            )
        except tokens.TokenError as error:
            return _problem(request, error.message)
        form, password = forms.new_password(data, user.email)
        if not form.ok:
            return _reset_page(request, form, 422)
        try:
            await tokens.use(session, token)
        except tokens.TokenError as error:
            return _problem(request, error.message)
        user.email_confirmed_at = user.email_confirmed_at or utcnow()  # the link proved the address
        await queries.set_password(session, user, passwords.hash_password(password))  # ends every session
    request.session.clear()
    flash(
        request,
        "Your password is changed and every other session is logged out. Log in with it now.",
        "success",
    )
    return go(request, "/login")


routes = [
    Route("/confirm/resend", resend_confirmation, methods=["POST"]),
    Route("/confirm/{token}", show_confirm, methods=["GET"]),
    Route("/confirm/{token}", confirm_email, methods=["POST"]),
    Route("/forgot", show_forgot, methods=["GET"]),
    Route("/forgot", request_reset, methods=["POST"]),
    Route("/reset/{token}", show_reset, methods=["GET"]),
    Route("/reset/{token}", reset_password, methods=["POST"]),
]
