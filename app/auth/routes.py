"""Sign up, log in (with the two-factor step), log out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx, money
from app.auth import forms, links, oauth, queries
from app.auth.login import DISABLED, go, pending, safe_next, start_pending, start_session
from app.models import User
from app.security import csrf, passwords, totp
from app.security.ratelimit import client_ip
from app.templating import flash, render
from app.web import current_user, db, limiter, settings


def _signup_page(request: Request, form: forms.Form, status_code: int = 200, **headers: str) -> Response:
    context = {"form": form, "locales": money.LOCALES, "providers": settings(request).oauth_providers}
    return render(
        request,
        "auth/signup.html",
        context,
        block=htmx.block_for(request, "signup_form"),
        status_code=status_code,
        headers=headers or None,
    )


async def show_signup(request: Request) -> Response:
    async with db(request) as session:
        if await current_user(request, session):
            return RedirectResponse("/dashboard", status_code=303)
    return _signup_page(request, forms.Form({"email": "", "display_currency": "USD", "locale": "en_US"}))


async def create_account(request: Request) -> Response:
    data = await csrf.checked_form(request)
    rate, limits, ip = settings(request).signup_rate, limiter(request), client_ip(request)
    if not await limits.hit(rate, "signup", ip):
        form = forms.Form(
            forms.signup(data).values, {"email": "Too many sign-ups from here. Try again later."}
        )
        return _signup_page(
            request, form, 429, **{"Retry-After": str(await limits.retry_after(rate, "signup", ip))}
        )
    form = forms.signup(data)
    if not form.ok:
        return _signup_page(request, form, 422)
    password = str(data.get("password"))
    async with db(request) as session:
        user = await queries.create_user(
            session,
            form.values["email"],
            passwords.hash_password(password),
            form.values["display_currency"],
            form.values["locale"],
        )
        if user is None:
            form.errors["email"] = "An account with this e-mail address exists. Log in instead."
            return _signup_page(request, form, 422)
        await links.send_confirmation(request, session, user)
    start_session(request, user, remember=False)
    flash(request, "Welcome to StakeEasy! Add your first poker site to start tracking.", "success")
    return go(request, "/dashboard")


def _login_page(request: Request, form: forms.Form, status_code: int = 200, **headers: str) -> Response:
    context = {
        "form": form,
        "next": safe_next(request.query_params.get("next")),
        "providers": settings(request).oauth_providers,
        "remember_days": settings(request).session_days,
    }
    return render(
        request,
        "auth/login.html",
        context,
        block=htmx.block_for(request, "login_form"),
        status_code=status_code,
        headers=headers or None,
    )


async def show_login(request: Request) -> Response:
    async with db(request) as session:
        if await current_user(request, session):
            return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request, forms.Form({"email": "", "remember": ""}))


async def log_in(request: Request) -> Response:
    data = await csrf.checked_form(request)
    form, password = forms.login(data)
    limits, config, ip = limiter(request), settings(request), client_ip(request)
    for rate, keys in (
        (config.login_ip_rate, ("login-ip", ip)),
        (config.login_rate, ("login", form.values["email"])),
    ):
        if not await limits.hit(rate, *keys):
            form.errors["email"] = "Too many attempts. Wait a few minutes and try again."
            return _login_page(
                request, form, 429, **{"Retry-After": str(await limits.retry_after(rate, *keys))}
            )
    if not form.ok:
        return _login_page(request, form, 422)
    async with db(request) as session:
        user = await queries.user_by_email(session, form.values["email"])
        if not passwords.verify(user.password_hash if user else None, password) or user is None:
            form.errors["password"] = "That e-mail address and password don't match an account."
            return _login_page(request, form, 422)
        if user.disabled_at is not None:  # said only to someone who knows the password
            form.errors["email"] = DISABLED
            return _login_page(request, form, 403)
        new_hash = passwords.hash_password(password) if passwords.needs_rehash(user.password_hash) else None
        await queries.record_login(session, user, new_hash, signed_in=user.totp_enabled_at is None)
        next_url = safe_next(str(data.get("next") or ""))
        if user.totp_enabled_at is not None:
            start_pending(request, user, bool(form.values["remember"]), next_url)
            return go(request, "/login/two-factor")
        return await complete_login(request, session, user, bool(form.values["remember"]), next_url)


async def complete_login(request: Request, session, user: User, remember: bool, next_url: str) -> Response:  # type: ignore[no-untyped-def]
    """Every factor checked: start the session, and connect a sign-in provider waiting for this proof."""
    start_session(request, user, remember)
    if await oauth.finish_pending_link(request, session, user):
        flash(request, "Your accounts are now connected: next time you can sign in either way.", "success")
    return go(request, next_url)


def _code_page(request: Request, form: forms.Form, status_code: int = 200, **headers: str) -> Response:
    block = htmx.block_for(request, "two_factor_form")
    return render(
        request,
        "auth/two_factor.html",
        {"form": form},
        block=block,
        status_code=status_code,
        headers=headers or None,
    )


async def show_two_factor_login(request: Request) -> Response:
    if pending(request) is None:
        return RedirectResponse("/login", status_code=303)
    return _code_page(request, forms.Form({"code": ""}))


async def check_two_factor_login(request: Request) -> Response:
    data = await csrf.checked_form(request)
    state = pending(request)
    if state is None:
        flash(request, "Your login took too long. Enter your password again.", "error")
        return go(request, "/login")
    form, uid = forms.code(data), int(state["uid"])  # type: ignore[call-overload]
    rate, limits = settings(request).two_factor_rate, limiter(request)
    if not await limits.hit(rate, "2fa", str(uid)):
        form.errors["code"] = "Too many attempts. Wait a few minutes and try again."
        return _code_page(
            request, form, 429, **{"Retry-After": str(await limits.retry_after(rate, "2fa", str(uid)))}
        )
    if not form.ok:
        return _code_page(request, form, 422)
    async with db(request) as session:
        user = await session.get(User, uid)
        if user is None or user.session_version != state["sv"] or not user.totp_secret or user.disabled_at:
            request.session.clear()
            return go(request, "/login")
        used_recovery = await check_second_factor(session, user, form.values["code"])
        if used_recovery is None:
            form.errors["code"] = "That code is not right, or it was already used. Try the next one."
            return _code_page(request, form, 422)
        await queries.record_login(session, user)
        response = await complete_login(
            request, session, user, bool(state["remember"]), safe_next(str(state["next"]))
        )
        if used_recovery:
            left = await queries.recovery_codes_left(session, uid)
            flash(request, f"You used a recovery code; {left} left. Make new ones in Settings → Security.")
    return response


async def check_second_factor(session, user: User, code: str) -> bool | None:  # type: ignore[no-untyped-def]
    """None when the code is wrong or replayed; else whether it was a recovery code (now spent)."""
    if totp.looks_like_recovery(code):
        return True if await queries.use_recovery_code(session, user, totp.hash_recovery(code)) else None
    step = totp.matching_step(user.totp_secret or "", code, user.totp_last_step)
    if step is None or not await queries.accept_step(session, user, step):
        return None
    return False


async def log_out(request: Request) -> Response:
    await csrf.checked_form(request)
    request.session.clear()
    flash(request, "You are logged out.")
    return go(request, "/")


routes = [
    Route("/signup", show_signup, methods=["GET"]),
    Route("/signup", create_account, methods=["POST"]),
    Route("/login", show_login, methods=["GET"]),
    Route("/login", log_in, methods=["POST"]),
    Route("/login/two-factor", show_two_factor_login, methods=["GET"]),
    Route("/login/two-factor", check_two_factor_login, methods=["POST"]),
    Route("/logout", log_out, methods=["POST"]),
    *links.routes,
    *oauth.routes,
]
