"""The player's settings (display currency, number format, time zone) and the theme switch."""

from __future__ import annotations

from zoneinfo import available_timezones

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx, money
from app.account import security, two_factor
from app.auth.forms import Form
from app.bankroll import daily
from app.security import csrf
from app.templating import flash, render
from app.web import db, require_user

THEMES = ("auto", "light", "dark")
TIMEZONES = sorted(available_timezones() - {"localtime", "Factory"})


def _page(request: Request, form: Form, status_code: int = 200) -> Response:
    context = {
        "form": form,
        "locales": money.LOCALES,
        "timezone_options": [(tz, tz.replace("_", " ")) for tz in TIMEZONES],
    }
    block = htmx.block_for(request, "settings_form")
    return render(request, "account/settings.html", context, block=block, status_code=status_code)


async def show_settings(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
    values = {"display_currency": user.display_currency, "locale": user.locale, "timezone": user.timezone}
    return _page(request, Form(values))


async def update_settings(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form = Form(
            {key: str(data.get(key) or "").strip() for key in ("display_currency", "locale", "timezone")}
        )
        form.values["display_currency"] = form.values["display_currency"].upper()
        if not money.is_currency(form.values["display_currency"]):
            form.errors["display_currency"] = "Choose a currency from the list."
        if form.values["locale"] not in money.LOCALES:
            form.errors["locale"] = "Choose a number format from the list."
        if form.values["timezone"] not in TIMEZONES:
            form.errors["timezone"] = "Choose a time zone from the list."
        if not form.ok:
            return _page(request, form, 422)
        user.display_currency = form.values["display_currency"]
        user.locale = form.values["locale"]
        zone_changed = user.timezone != form.values["timezone"]
        user.timezone = form.values["timezone"]
        session.add(user)
        if zone_changed:  # the chart's days are the player's local days
            await daily.refresh(session, user)
        await session.commit()
    flash(request, "Settings saved.", "success")
    if htmx.is_htmx(request):
        return _page(request, form)
    return RedirectResponse(request.url_for("show_settings").path, status_code=303)


async def toggle_theme(request: Request) -> Response:
    """Cycles auto → dark → light; kept in a cookie so the page is drawn right before any script runs."""
    data = await csrf.checked_form(request)
    current = request.cookies.get("theme", "auto")
    following = THEMES[(THEMES.index(current) + 1) % len(THEMES)] if current in THEMES else "dark"
    target = str(data.get("next") or "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie("theme", following, max_age=365 * 86400, httponly=True, samesite="lax")
    return response


routes = [
    Route("/settings", show_settings, methods=["GET"]),
    Route("/settings", update_settings, methods=["POST"]),
    Route("/theme", toggle_theme, methods=["POST"]),
    *security.routes,
    *two_factor.routes,
]
