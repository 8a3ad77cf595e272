"""The Jinja environment (autoescape, StrictUndefined), its globals, and render()."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route

from app import htmx, money
from app.security import csrf
from app.settings import BASE_DIR

TEMPLATES_DIR = BASE_DIR / "templates"
STATIC_DIR = BASE_DIR / "static"


@lru_cache(maxsize=256)
def _fingerprint(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def static_path(app: Any, path: str) -> str:
    """A cache-busting URL: the query changes whenever the file does, so it can be cached forever."""
    return f"{url_path(app, 'static', path=path)}?v={_fingerprint(path)}"


@jinja2.pass_context
def static_url(context: jinja2.runtime.Context, path: str) -> str:
    request: Request = context["request"]
    return static_path(request.app, path)


def url_path(app: Any, name: str, /, **params: Any) -> str:
    """app.url_path_for through a name → route index: Starlette tries every route in turn (raising an
    exception per miss), which cost a list page with 100 links more than its SQL did."""
    index: dict[str, BaseRoute] | None = getattr(app.state, "route_index", None)
    if index is None:
        index = {route.name: route for route in app.routes if isinstance(route, Route | Mount) and route.name}
        app.state.route_index = index
        app.state.path_cache = {}
    key = (name, *sorted(params.items()))
    cache: dict[tuple[Any, ...], str] = app.state.path_cache
    path = cache.get(key)
    if path is None:
        route = index.get(name)
        path = str((route or app).url_path_for(name, **params))
        if len(cache) > 50_000:  # ids make the set of paths open-ended
            cache.clear()
        cache[key] = path
    return path


@jinja2.pass_context
def path_for(context: jinja2.runtime.Context, name: str, /, **params: Any) -> str:
    request: Request = context["request"]
    return url_path(request.app, name, **{k: str(v) for k, v in params.items()})


@jinja2.pass_context
def fmt_money(context: jinja2.runtime.Context, amount: Any, code: str, signed: bool = False) -> str:
    user = context.get("user")
    locale = user.locale if user is not None else "en_US"
    return money.format_money(amount, code, locale, signed=signed)


@jinja2.pass_context
def viewer_tag(context: jinja2.runtime.Context) -> str:
    """An opaque tag of the signed-in player ("" when logged out), neither id nor e-mail: static/js/app.js
    keeps the dashboard's figures for offline only while pages carry the tag they were saved under."""
    user = context.get("user")
    if user is None:
        return ""
    key = context["request"].app.state.settings.secret_key.encode()
    return hmac.new(key, f"viewer:{user.id}".encode(), hashlib.sha256).hexdigest()[:16]


NAV = [
    ("show_dashboard", "Dashboard"),
    ("list_sites", "Sites"),
    ("list_assets", "Assets"),
    ("list_deposits", "Deposits"),
    ("list_withdrawals", "Withdrawals"),
    ("list_play", "Sessions"),
    ("list_goals", "Goals"),
    ("show_charts", "Charts"),
    ("show_tools", "Tools"),
    ("list_achievements", "Achievements"),
    ("list_articles", "Articles"),
    ("show_settings", "Settings"),
]


def nav_links(request: Request) -> list[tuple[str, str]]:
    """The main navigation, limited to the features this app has routes for (Admin: for admins only)."""
    names = {getattr(route, "name", None) for route in request.app.routes}
    links = [(name, label) for name, label in NAV if name in names]
    if getattr(request.scope.get("user"), "is_admin", False) and "show_admin" in names:
        links.append(("show_admin", "Admin"))
    return links


def _csrf_input(context: jinja2.runtime.Context) -> Markup:
    return _csrf_field(context["csrf_token"])


@lru_cache(maxsize=1024)
def _csrf_field(token: str) -> Markup:
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(token)


env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=jinja2.select_autoescape(["html", "svg"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
env.globals.update(
    static_url=static_url,
    viewer_tag=viewer_tag,
    path_for=path_for,
    csrf_input=jinja2.pass_context(_csrf_input),
    currencies=money.CURRENCIES,
    nav_links=nav_links,
)
env.filters["money"] = fmt_money
# The form macros are globals, so a block rendered on its own (an htmx fragment) can use them too.
_forms = env.get_template("macros/forms.html").make_module()
env.globals.update(field=_forms.field, select=_forms.select)  # type: ignore[attr-defined]


def base_context(request: Request) -> dict[str, Any]:
    session = request.scope.get("session", {})
    return {
        "request": request,
        "user": request.scope.get("user"),
        "csrf_token": csrf.get_token(request),
        "flashes": session.pop("flashes", []) if "session" in request.scope else [],
        "htmx_partial": htmx.is_partial(request),
    }


def _id_of(block: str) -> str:
    return block.replace("_", "-")


def render_block(request: Request, name: str, block: str, context: dict[str, Any]) -> str:
    template = env.get_template(name)
    ctx = template.new_context({**base_context(request), **context}, shared=False)
    return "".join(template.blocks[block](ctx))


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    oob: Iterable[str] = (),
) -> HTMLResponse:
    """A whole page, or one named block of it; `oob` blocks of the same template ride along.

    Out-of-band regions are sent as htmx 4 <hx-partial> elements aimed at the block's own id.
    Pending flash messages always travel with an htmx response as the #flash region.
    """
    template = env.get_template(name)
    full = {**base_context(request), **(context or {})}
    if block is None:
        html = template.render(full)
    else:
        ctx = template.new_context(full, shared=False)
        parts = ["".join(template.blocks[block](ctx))]
        for extra in oob:
            inner = "".join(template.blocks[extra](template.new_context(full, shared=False)))
            parts.append(f'<hx-partial hx-target="#{_id_of(extra)}" hx-swap="outerHTML">{inner}</hx-partial>')
        if full["flashes"]:
            flash = env.get_template("_flash.html").render(full)
            parts.append(f'<hx-partial hx-target="#flash" hx-swap="outerHTML">{flash}</hx-partial>')
        html = "".join(parts)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request"
    return response


def flash(request: Request, message: str, kind: str = "info", *, undo: str | None = None) -> None:
    """Queue a message for the next rendered page or htmx response; `undo` is a POST URL."""
    request.session.setdefault("flashes", []).append({"message": message, "kind": kind, "undo": undo})
