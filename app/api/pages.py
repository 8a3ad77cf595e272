"""HTML pages of the API: the docs (/api, public) and the player's tokens (/settings/tokens).

A new token's secret is shown once, in the response to the form that created it (never stored, never
redirected through a cookie), with Cache-Control: no-store. htmx swaps #api-tokens in place.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app import htmx
from app.api import schemas, tokens
from app.api.openapi import BASE
from app.api.routes import OPERATIONS
from app.auth.forms import Form
from app.models import User
from app.security import csrf
from app.templating import flash, render
from app.web import current_user, db, require_user, settings

TOKENS = "api/tokens.html"
NAME_MAX = 100


def _uid(user: User) -> int:
    assert user.id is not None
    return user.id


def _blank() -> Form:
    return Form({"name": "", "scope": "read"})


async def _tokens_page(
    request: Request,
    session: AsyncSession,
    user: User,
    form: Form,
    *,
    secret: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "form": form,
        "tokens": await tokens.of_user(session, _uid(user)),
        "scopes": list(tokens.SCOPES.items()),
        "secret": secret,
        "api_base": settings(request).base_url + BASE,
    }
    block = htmx.block_for(request, "api_tokens")
    response = render(request, TOKENS, context, block=block, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"  # a secret may be on it
    return response


def _parse(data: Any) -> Form:
    name = " ".join(str(data.get("name") or "").split())[:500]
    scope = str(data.get("scope") or "").strip()
    form = Form({"name": name, "scope": scope})
    if not name:
        form.errors["name"] = "Enter a name, like “Spreadsheet” or “Home server”."
    elif len(name) > NAME_MAX:
        form.errors["name"] = f"Use at most {NAME_MAX} characters (this one has {len(name)})."
    if scope not in tokens.SCOPES:
        form.errors["scope"] = "Choose read only, or read and write."
    return form


async def show_tokens(request: Request) -> Response:
    async with db(request) as session:
        user = await require_user(request, session)
        return await _tokens_page(request, session, user, _blank())


async def create_token(request: Request) -> Response:
    data = await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        form = _parse(data)
        if form.ok and await tokens.count_active(session, _uid(user)) >= tokens.MAX_ACTIVE:
            form.errors["name"] = (
                f"You have {tokens.MAX_ACTIVE} active tokens: revoke one you no longer use first."
            )
        if not form.ok:
            return await _tokens_page(request, session, user, form, status_code=422)
        token, secret = await tokens.create(session, user, form.values["name"], form.values["scope"])
        flash(request, f"Token “{token.name}” created. Copy it now: it is shown only once.", "success")
        return await _tokens_page(request, session, user, _blank(), secret=secret, status_code=201)


async def revoke_token(request: Request) -> Response:
    await csrf.checked_form(request)
    async with db(request) as session:
        user = await require_user(request, session)
        token = await tokens.get(session, _uid(user), request.path_params["token_id"])
        if token is None:
            raise HTTPException(404)
        await tokens.revoke(session, token)
        flash(request, f"Token “{token.name}” revoked: it no longer works.", "success")
        if htmx.is_partial(request):
            return await _tokens_page(request, session, user, _blank())
    return RedirectResponse(request.url_for("show_tokens").path, status_code=303)


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


async def show_api_docs(request: Request) -> Response:
    """Every operation with its parameters and examples, and how to get a token (open to visitors)."""
    async with db(request) as session:
        await current_user(request, session)  # the top bar shows who is logged in
    base = settings(request).base_url + BASE
    operations = [
        {
            "op": op,
            "anchor": op.name.replace("_", "-"),
            "curl": _curl(op, base),
            "example": _pretty(op.example) if op.example is not None else None,
            "body": _pretty(op.example_body) if op.example_body is not None else None,
        }
        for op in OPERATIONS
    ]
    error = _pretty(
        {
            "error": {
                "code": "validation_error",
                "message": "Some fields are not valid.",
                "fields": {"balance": "Enter an amount."},
            }
        }
    )
    context = {"operations": operations, "api_base": base, "error_example": error, "schemas": schemas}
    return render(request, "api/docs.html", context)


def _curl(op: Any, base: str) -> str:
    path = op.doc_path.replace("{holding_id}", "12")
    lines = [
        f"curl -s{'' if op.method == 'GET' else ' -X ' + op.method} {base}{path}",
        '  -H "Authorization: Bearer $STAKEEASY_TOKEN"',
    ]
    if op.example_body is not None:
        lines.append('  -H "Content-Type: application/json"')
        lines.append(f"  -d '{json.dumps(op.example_body, ensure_ascii=False)}'")
    return " \\\n".join(lines)


routes = [
    Route("/api", show_api_docs, methods=["GET"]),
    Route("/settings/tokens", show_tokens, methods=["GET"]),
    Route("/settings/tokens", create_token, methods=["POST"]),
    Route("/settings/tokens/{token_id:int}/revoke", revoke_token, methods=["POST"]),
]
