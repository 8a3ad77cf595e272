"""Settings → Security: e-mail address, password, other sessions, sign-in providers, deleting the account."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import htmx
from app.auth import forms, queries
from app.auth.login import go, keep_session_after_version_bump, recently_authenticated
from app.email.sending import mailer
from app.models import User
from app.security import csrf, passwords, tokens
from app.security.ratelimit import enforce
from app.templating import flash, render
from app.web import current_user, db, require_user, settings

WRONG_PASSWORD = "That is not your current password."


async def _context(
    request: Request, session: AsyncSession, user: User, **forms_: forms.Form
) -> dict[str, Any]:
    linked = await queries.oauth_accounts(session, user.id)  # type: ignore[arg-type]
    return {
        "email_form": forms_.get("email_form") or forms.Form({"new_email": ""}),
        "password_form": forms_.get("password_form") or forms.Form({}),
        "has_password": bool(user.password_hash),
        "two_factor": user.totp_enabled_at is not None,
        "codes_left": await queries.recovery_codes_left(session, user.id) if user.totp_enabled_at else 0,  # type: ignore[arg-type]
        "linked": {account.provider: account for account in linked},
        "providers": settings(request).oauth_providers,
        "ways_in": len(linked) + (1 if user.password_hash else 0),
    }


async def _page(
    request: Request,
    session: AsyncSession,
    user: User,
    block: str | None = None,
    status_code: int = 200,
    **forms_: forms.Form,
) -> Response:
    context = await _context(request, session, user, **forms_)
    chosen = htmx.block_for(request, block) if block else None
    return render(request, "account/security.html", context, block=chosen, status_code=status_code)


async def show_security(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        return await _page(request, session, user)


async def request_email_change(request: Request) -> Response:
    """Mail a link to the new address; nothing changes until it is opened (so a typo locks nobody out)."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form, current = forms.change_email(data, user.email)
        if form.ok and user.password_hash and not passwords.verify(user.password_hash, current):
            form.errors["current_password"] = WRONG_PASSWORD
        if not form.ok:
            return await _page(request, session, user, "email_form", 422, email_form=form)
        new_email = form.values["new_email"]
        await enforce(request, settings(request).email_rate, "email", new_email)
        mail = mailer(request)
        token = tokens.make(
            settings(request).secret_key, "email-change", user.id, old=user.email, new=new_email
        )  # type: ignore[arg-type]
        await mail.send(
            session,
            to=new_email,
            subject="Confirm your new e-mail address",
            template="email_change",
            context={"link": mail.link(f"/settings/email/confirm/{token}"), "new_email": new_email},
            user_id=user.id,
        )
        flash(request, f"We sent a link to {new_email}. Your address changes when you open it.", "success")
        if htmx.is_htmx(request):
            return await _page(request, session, user, "email_form")
    return go(request, "/settings/security")


async def _changeable(session: AsyncSession, secret: str, raw: str) -> tuple[tokens.Token, User]:
    token = tokens.read(secret, "email-change", raw)
    user = await session.get(User, token.user_id)
    if user is None:
        raise tokens.TokenError(tokens.INVALID)
    if user.email != token.data.get("old") or await tokens.is_used(session, token):
        raise tokens.TokenError(tokens.USED)
    return token, user


def _problem(request: Request, message: str) -> Response:
    return render(request, "auth/link_problem.html", {"message": message}, status_code=400)


async def show_email_change(request: Request) -> Response:
    async with db(request) as session:
        try:
            token, _ = await _changeable(session, settings(request).secret_key, request.path_params["token"])
        except tokens.TokenError as error:
            return _problem(request, error.message)
    context = {"new_email": token.data["new"], "token": request.path_params["token"]}
    return render(request, "account/email_change.html", context)


async def confirm_email_change(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        try:
            token, user = await _changeable(
                session, settings(request).secret_key, request.path_params["token"]
            )
            await tokens.use(session, token)
        except tokens.TokenError as error:
            return _problem(request, error.message)
        old = user.email
        if not await queries.set_email(session, user, str(token.data["new"])):
            return _problem(
                request, "That address now belongs to another account, so it cannot be yours too."
            )
        mail = mailer(request)
        await mail.send(
            session,
            to=old,
            subject="Your StakeEasy e-mail address was changed",
            template="notice",
            context={"message": f"The e-mail address of your StakeEasy account was changed to {user.email}."},
        )
        signed_in = await current_user(request, session)
    flash(request, f"Your e-mail address is now {user.email}.", "success")
    return go(request, "/settings/security" if signed_in and signed_in.id == user.id else "/login")


async def change_password(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form, current, password = forms.change_password(data, user.email)
        if not user.password_hash:  # signed up with a provider: setting a first password needs no old one
            form.errors.pop("current_password", None)
        elif current and not passwords.verify(user.password_hash, current):
            form.errors["current_password"] = WRONG_PASSWORD
        if not form.ok:
            return await _page(request, session, user, "password_form", 422, password_form=form)
        await queries.set_password(session, user, passwords.hash_password(password))
        keep_session_after_version_bump(request, user)
        mail = mailer(request)
        await mail.send(
            session,
            to=user.email,
            subject="Your StakeEasy password was changed",
            template="notice",
            context={"message": "The password of your StakeEasy account was changed."},
            user_id=user.id,
        )
    flash(request, "Password changed. Every other device is logged out.", "success")
    return go(request, "/settings/security")


async def log_out_other_sessions(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        await queries.end_other_sessions(session, user)
    keep_session_after_version_bump(request, user)
    flash(request, "Every other device is logged out. You stay logged in here.", "success")
    return go(request, "/settings/security")


def _delete_page(request: Request, form: forms.Form, has_password: bool, status_code: int = 200) -> Response:
    context = {"form": form, "has_password": has_password, "fresh": recently_authenticated(request)}
    block = htmx.block_for(request, "delete_form")
    return render(request, "account/delete.html", context, block=block, status_code=status_code)


async def show_delete(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
    return _delete_page(request, forms.Form({"confirm": ""}), bool(user.password_hash))


async def delete_account(request: Request) -> Response:
    """Needs the password (or, without one, a sign-in within the last ten minutes); then everything goes."""
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form = forms.Form({"confirm": str(data.get("confirm") or "")[:20]})
        password = data.get("password")
        if user.password_hash:
            if not isinstance(password, str) or not passwords.verify(user.password_hash, password):
                form.errors["password"] = WRONG_PASSWORD if password else "Enter your password."
        elif not recently_authenticated(request):
            form.errors["confirm"] = "Sign in again with your provider first, then delete within ten minutes."
        if form.values["confirm"].strip().upper() != "DELETE" and "confirm" not in form.errors:
            form.errors["confirm"] = "Type DELETE to confirm."
        if not form.ok:
            return _delete_page(request, form, bool(user.password_hash), 422)
        await queries.delete_user(session, user.id)  # type: ignore[arg-type]
    request.session.clear()
    flash(request, "Your account and all its data are deleted. Thank you for using StakeEasy.")
    return go(request, "/")


routes = [
    Route("/settings/security", show_security, methods=["GET"]),
    Route("/settings/email", request_email_change, methods=["POST"]),
    Route("/settings/email/confirm/{token}", show_email_change, methods=["GET"]),
    Route("/settings/email/confirm/{token}", confirm_email_change, methods=["POST"]),
    Route("/settings/password", change_password, methods=["POST"]),
    Route("/settings/sessions/logout-others", log_out_other_sessions, methods=["POST"]),
    Route("/settings/delete", show_delete, methods=["GET"]),
    Route("/settings/delete", delete_account, methods=["POST"]),
]
