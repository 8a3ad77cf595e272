"""The installable app: the web app manifest, the service worker (at the root, so its scope is the whole
site) and the offline page it falls back to.

What the worker may cache is decided here, not in the browser: the fingerprinted static files and the
offline page, which is drawn without a session and is the same for everyone. Pages and API answers carry
a player's money and are never cached; the offline page shows the last figures the browser saw itself
(static/js/app.js keeps them), labelled as not current.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from app.templating import STATIC_DIR, env, static_path, url_path

# Colours of static/css/app.css: the light theme's top bar (--surface) and page (--bg); the dark ones go
# in base.html's theme-color meta tags, which a manifest cannot express.
THEME_COLOR = "#ffffff"
BACKGROUND_COLOR = "#f7f7f5"
ICONS = [
    ("img/icon-192.png", "192x192", "any"),
    ("img/icon-512.png", "512x512", "any"),
    ("img/icon-maskable-512.png", "512x512", "maskable"),
]
# What the worker keeps: the static files pages use (not the licences and READMEs beside the vendor files).
PRECACHED_SUFFIXES = {".css", ".js", ".png", ".svg", ".ico", ".webp", ".woff2"}
NO_CACHE = {"Cache-Control": "no-cache"}


def static_files() -> list[str]:
    """Paths under static/ the worker precaches, sorted."""
    return sorted(
        path.relative_to(STATIC_DIR).as_posix()
        for path in STATIC_DIR.rglob("*")
        if path.is_file() and path.suffix in PRECACHED_SUFFIXES and "LICENSES" not in path.parts
    )


def precache(app: Any) -> list[str]:
    """The URLs the worker stores at install: every fingerprinted static file, then the offline page."""
    return [*(static_path(app, path) for path in static_files()), url_path(app, "show_offline")]


def _offline_html(request: Request) -> str:
    # No session and no user: this page is cached by the worker, so it must be the same for everyone.
    return env.get_template("pwa/offline.html").render(request=request)


def _version(urls: list[str], offline_html: str) -> str:
    """Changes with any static file, the offline page or the worker's own code: a deploy, a new cache."""
    assert env.loader is not None
    worker, _, _ = env.loader.get_source(env, "pwa/sw.js")
    return hashlib.sha256("\n".join([*urls, offline_html, worker]).encode()).hexdigest()[:12]


async def show_manifest(request: Request) -> Response:
    manifest = {
        "id": url_path(request.app, "show_dashboard"),
        "name": "StakeEasy — poker bankroll manager",
        "short_name": "StakeEasy",
        "description": "Your whole poker bankroll in one place.",
        "lang": "en",
        "dir": "ltr",
        "start_url": url_path(request.app, "show_dashboard"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["finance", "games"],
        "icons": [
            {"src": static_path(request.app, path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return JSONResponse(manifest, media_type="application/manifest+json", headers=NO_CACHE)


async def show_service_worker(request: Request) -> Response:
    """The worker script; no-cache, so a deploy (a new asset set, a new version) reaches browsers at once."""
    script: str | None = getattr(request.app.state, "service_worker", None)
    if script is None:  # the static files do not change while the process runs (fingerprints are cached)
        urls = precache(request.app)
        version = _version(urls, _offline_html(request))
        script = env.get_template("pwa/sw.js").render(version=version, precache=urls, offline_url=urls[-1])
        request.app.state.service_worker = script
    return Response(script, media_type="text/javascript", headers=NO_CACHE)


async def show_offline(request: Request) -> Response:
    return HTMLResponse(_offline_html(request))


routes = [
    Route("/manifest.webmanifest", show_manifest, methods=["GET"]),
    Route("/sw.js", show_service_worker, methods=["GET"]),
    Route("/offline", show_offline, methods=["GET"]),
]
