"""The admin area (/admin), for accounts with the admin role (granted only by `stakeeasy admin grant`).

Search accounts and see their sign-up, confirmation, two-factor and login state (never an amount);
disable, enable, resend a confirmation; see the rate job and the e-mail outbox; refresh the rates and
reload the articles. Every change is written to the audit log. Anyone else gets 404 on every URL here
(the area does not admit it exists); visitors who are not logged in go to the login page first.
htmx regions: #user-results (admin/users.html), #user-account and #user-audit (admin/user.html).
"""

from __future__ import annotations

from math import ceil
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx
from app.admin import forms, queries
from app.articles import loader
from app.auth import links
from app.auth.forms import Form
from app.models import User
from app.rates import jobs
from app.rates.sources import Sources
from app.security import csrf
from app.templating import flash, render
from app.web import db, require_user

USERS_PER_PAGE = 20
ROWS_PER_PAGE = 50
USER = "admin/user.html"


async def _admin(request: Request, session: AsyncSession) -> User:
    """The signed-in admin; 404 for everyone else who is logged in (login first for visitors)."""
    user = await require_user(request, session)
    if not user.is_admin:
        raise HTTPException(404)
    return user


async def _member(session: AsyncSession, request: Request) -> User:
    member = await session.get(User, request.path_params["user_id"])
    if member is None:
        raise HTTPException(404)
    return member


def _page(request: Request, name: str, context: dict[str, Any], **options: Any) -> Response:
    response = render(request, name, context, **options)
    response.headers["Cache-Control"] = "no-store"  # account details stay out of shared caches
    return response


def _url(request: Request, name: str, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None, 1)})
    return str(request.app.url_path_for(name)) + (f"?{query}" if query else "")


def _pages(total: int, per_page: int) -> int:
    return max(1, ceil(total / per_page))


async def show_admin(request: Request) -> Response:
    async with db(request) as session:
        await _admin(request, session)
        context = {
            "counts": await queries.user_counts(session),
            "emails": await queries.email_counts(session),
            "runs": await queries.job_runs(session, "rates", limit=1),
            "recent": (await queries.audit_page(session, 1, 10))[0],
        }
    return _page(request, "admin/index.html", context)


async def reload_articles(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        admin = await _admin(request, session)
        try:
            added, updated = await loader.load(session)
        except loader.ArticleError as problem:
            await session.rollback()
            queries.record(session, admin, "reload_articles", detail=f"failed: {problem}")
            flash(request, f"Articles not reloaded: {problem}", "error")
        else:
            queries.record(session, admin, "reload_articles", detail=f"{added} added, {updated} updated")
            flash(request, f"Articles reloaded: {added} added, {updated} updated.", "success")
        await session.commit()
    return _back(request, "show_admin")


async def list_audit(request: Request) -> Response:
    page = forms.page(request.query_params)
    async with db(request) as session:
        await _admin(request, session)
        rows, total = await queries.audit_page(session, page, ROWS_PER_PAGE)
    pages = _pages(total, ROWS_PER_PAGE)
    context = {"rows": rows, "total": total, "page": page, "pages": pages}
    context["page_url"] = lambda number: _url(request, "list_audit", page=number)
    return _page(request, "admin/audit.html", context)


async def list_emails(request: Request) -> Response:
    page, status = forms.page(request.query_params), forms.email_status(request.query_params)
    async with db(request) as session:
        await _admin(request, session)
        messages, total = await queries.emails(session, status, page, ROWS_PER_PAGE)
        counts = await queries.email_counts(session)
    context = {
        "messages": messages,
        "total": total,
        "counts": counts,
        "status": status,
        "statuses": queries.EMAIL_STATUSES,
        "page": page,
        "pages": _pages(total, ROWS_PER_PAGE),
        "page_url": lambda number: _url(request, "list_emails", status=status, page=number),
    }
    return _page(request, "admin/emails.html", context)


async def show_rate_job(request: Request) -> Response:
    async with db(request) as session:
        await _admin(request, session)
        context = {
            "runs": await queries.job_runs(session, "rates"),
            "sources": await queries.rate_sources(session),
        }
    return _page(request, "admin/rates.html", context)


async def refresh_rates(request: Request) -> Response:
    """Fetch the rates now, from the sources the environment names (as `stakeeasy rates` does)."""
    await csrf.checked_form(request)
    async with db(request) as session:
        admin = await _admin(request, session)
    report = await jobs.update_rates(request.state["sessionmaker"], Sources.from_env(), trigger="admin")
    async with db(request) as session:
        queries.record(session, admin, "refresh_rates", detail="\n".join(report.lines()))
        await session.commit()
    summary = "; ".join(report.lines())
    if report.ok:
        flash(request, f"Rates refreshed. {summary}", "success")
    else:
        flash(request, f"Some rates could not be fetched. {summary}", "error")
    return _back(request, "show_rate_job")


async def list_users(request: Request) -> Response:
    filters, page = forms.search(request.query_params), forms.page(request.query_params)
    async with db(request) as session:
        await _admin(request, session)
        found = await queries.search_users(session, filters["q"], page, USERS_PER_PAGE)
    context = {
        "filters": filters,
        "found": found,
        "page": page,
        "pages": _pages(found.total, USERS_PER_PAGE),
        "page_url": lambda number: _url(request, "list_users", q=filters["q"], page=number),
    }
    return _page(request, "admin/users.html", context, block=htmx.block_for(request, "user_results"))


async def _user_page(
    request: Request,
    session: AsyncSession,
    admin: User,
    member: User,
    form: Form | None = None,
    status_code: int = 200,
    block: str | None = None,
    oob: tuple[str, ...] = (),
) -> Response:
    assert member.id is not None
    context = {
        "member": member,
        "own_account": member.id == admin.id,
        "form": form or Form({"reason": ""}),
        "links": await queries.oauth_links(session, member.id),
        "audit": (await queries.audit_page(session, 1, 20, target_user_id=member.id))[0],
        "emails": (await queries.emails(session, "", 1, 10, user_id=member.id))[0],
    }
    return _page(request, USER, context, block=block, status_code=status_code, oob=oob)


async def show_user(request: Request) -> Response:
    async with db(request) as session:
        admin = await _admin(request, session)
        member = await _member(session, request)
        return await _user_page(request, session, admin, member)


def _back(request: Request, name: str, **params: Any) -> Response:
    url = str(request.app.url_path_for(name, **params))
    return htmx.redirect(url) if htmx.is_htmx(request) else RedirectResponse(url, status_code=303)


async def _after_change(request: Request, session: AsyncSession, admin: User, member: User) -> Response:
    """PRG for a form; for htmx, the account's region, its audit rows (out of band) and the flash."""
    if htmx.is_partial(request):
        return await _user_page(request, session, admin, member, block="user_account", oob=("user_audit",))
    return _back(request, "show_user", user_id=member.id)


async def disable_user(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        admin = await _admin(request, session)
        member = await _member(session, request)
        form = forms.disable(data, own_account=member.id == admin.id)
        if not form.ok:
            block = "user_account" if htmx.is_partial(request) else None
            return await _user_page(request, session, admin, member, form, 422, block)
        if member.disabled_at is None:
            await queries.set_disabled(session, admin, member, True, form.values["reason"])
            flash(request, f"{member.email} is disabled and logged out everywhere.", "success")
        else:
            flash(request, f"{member.email} was already disabled.")
        return await _after_change(request, session, admin, member)


async def enable_user(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        admin = await _admin(request, session)
        member = await _member(session, request)
        if member.disabled_at is not None:
            await queries.set_disabled(session, admin, member, False, "")
            flash(request, f"{member.email} is enabled: they can log in again.", "success")
        else:
            flash(request, f"{member.email} was not disabled.")
        return await _after_change(request, session, admin, member)


async def resend_user_confirmation(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        admin = await _admin(request, session)
        member = await _member(session, request)
        if member.email_confirmed_at is None:
            queries.record(session, admin, "resend_confirmation", member, member.email)
            await links.send_confirmation(request, session, member)  # commits the audit row with the mail
            flash(request, f"A new confirmation link is on its way to {member.email}.", "success")
        else:
            flash(request, f"{member.email} is already confirmed: nothing sent.")
        return await _after_change(request, session, admin, member)


routes = [
    Route("/admin", show_admin, methods=["GET"]),
    Route("/admin/articles/reload", reload_articles, methods=["POST"]),
    Route("/admin/audit", list_audit, methods=["GET"]),
    Route("/admin/email", list_emails, methods=["GET"]),
    Route("/admin/rates", show_rate_job, methods=["GET"]),
    Route("/admin/rates/refresh", refresh_rates, methods=["POST"]),
    Route("/admin/users", list_users, methods=["GET"]),
    Route("/admin/users/{user_id:int}", show_user, methods=["GET"]),
    Route("/admin/users/{user_id:int}/disable", disable_user, methods=["POST"]),
    Route("/admin/users/{user_id:int}/enable", enable_user, methods=["POST"]),
    Route("/admin/users/{user_id:int}/resend-confirmation", resend_user_confirmation, methods=["POST"]),
]
