"""Sign up, log in, log out."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx, money
from app.auth import forms, queries
from app.models import User
from app.security import csrf, passwords
from app.security.sessions import REMEMBER_KEY
from app.templating import flash, render
from app.web import USER_KEY, VERSION_KEY, client_ip, current_user, db, limiter, settings


def _safe_next(url: str | None) -> str:
    """Only same-site paths, so a crafted link cannot send the player elsewhere after login."""
    if not url or not url.startswith("/") or url.startswith("//") or urlsplit(url).netloc:
        return "/dashboard"
    return url


def _start_session(request: Request, user: User, remember: bool) -> None:
    """A fresh session at login: nothing from before survives (rotation), new CSRF token."""
    request.session.clear()
    request.session[USER_KEY] = user.id
    request.session[VERSION_KEY] = user.session_version
    if remember:
        request.session[REMEMBER_KEY] = True
    csrf.rotate(request)


def _go(request: Request, url: str) -> Response:
    return htmx.redirect(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


def _signup_page(request: Request, form: forms.Form, status_code: int = 200) -> Response:
    context = {"form": form, "locales": money.LOCALES}
    return render(
        request,
        "auth/signup.html",
        context,
        block=htmx.block_for(request, "signup_form"),
        status_code=status_code,
    )


async def show_signup(request: Request) -> Response:
    async with db(request) as session:
        if await current_user(request, session):
            return RedirectResponse("/dashboard", status_code=303)
    return _signup_page(request, forms.Form({"email": "", "display_currency": "USD", "locale": "en_US"}))


async def create_account(request: Request) -> Response:
    data = await csrf.checked_form(request)
    if not await limiter(request).hit(settings(request).signup_rate, "signup", client_ip(request)):
        form = forms.Form(forms.signup(data).values, {"email": "Too many sign-ups from here. Wait a minute."})
        return _signup_page(request, form, 429)
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
    _start_session(request, user, remember=False)
    flash(request, "Welcome to StakeEasy! Add your first poker site to start tracking.", "success")
    return _go(request, "/dashboard")


def _login_page(request: Request, form: forms.Form, status_code: int = 200) -> Response:
    context = {"form": form, "next": _safe_next(request.query_params.get("next"))}
    return render(
        request,
        "auth/login.html",
        context,
        block=htmx.block_for(request, "login_form"),
        status_code=status_code,
    )


async def show_login(request: Request) -> Response:
    async with db(request) as session:
        if await current_user(request, session):
            return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request, forms.Form({"email": "", "remember": ""}))


async def log_in(request: Request) -> Response:
    data = await csrf.checked_form(request)
    form, password = forms.login(data)
    limits = limiter(request)
    rate = settings(request).login_rate
    if not (
        await limits.hit(rate, "login-ip", client_ip(request))
        and await limits.hit(rate, "login-email", form.values["email"])
    ):
        form.errors["email"] = "Too many attempts. Wait a minute and try again."
        return _login_page(request, form, 429)
    if not form.ok:
        return _login_page(request, form, 422)
    async with db(request) as session:
        user = await queries.user_by_email(session, form.values["email"])
        if not passwords.verify(user.password_hash if user else None, password) or user is None:
            form.errors["password"] = "That e-mail address and password don't match an account."
            return _login_page(request, form, 422)
        new_hash = passwords.hash_password(password) if passwords.needs_rehash(user.password_hash) else None
        await queries.record_login(session, user, new_hash)
    _start_session(request, user, remember=bool(form.values["remember"]))
    return _go(request, _safe_next(str(data.get("next") or "")))


async def log_out(request: Request) -> Response:
    await csrf.checked_form(request)
    request.session.clear()
    flash(request, "You are logged out.")
    return _go(request, "/")


routes = [
    Route("/signup", show_signup, methods=["GET"]),
    Route("/signup", create_account, methods=["POST"]),
    Route("/login", show_login, methods=["GET"]),
    Route("/login", log_in, methods=["POST"]),
    Route("/logout", log_out, methods=["POST"]),
]
