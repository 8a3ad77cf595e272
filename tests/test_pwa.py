"""The installable app over HTTP: the manifest and its icons, the service worker and what it may cache,
the offline page, and the dashboard figures the offline page is built from."""

from __future__ import annotations

import html
import json
import re
import struct
import zlib

from app.pwa import routes as pwa
from app.templating import STATIC_DIR
from tests.conftest import sign_up
from tests.test_dashboard import issue_example

STATIC_URL_RE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
FIGURES_RE = re.compile(r"data-offline-figures='([^']*)'")
VIEWER_RE = re.compile(r'<meta name="stakeeasy-viewer" content="([^"]*)">')


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header, after checking it is one (signature, IHDR and its CRC)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16:29]
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(kind + body)
    width, height = struct.unpack(">II", body[:8])
    assert b"IEND" in data[-12:]
    return width, height


async def precache_list(client) -> list[str]:
    script = (await client.get("/sw.js")).text
    match = re.search(r"^const PRECACHE = (.*);$", script, re.MULTILINE)
    assert match, "no PRECACHE list"
    return json.loads(match.group(1))


# --- manifest and icons ----------------------------------------------------------------------------


async def test_the_manifest_describes_a_standalone_app_that_opens_at_the_dashboard(client):
    response = await client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"].startswith("StakeEasy") and manifest["short_name"] == "StakeEasy"
    assert manifest["start_url"] == "/dashboard" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    css = (STATIC_DIR / "css" / "app.css").read_text()
    assert f"--surface: {manifest['theme_color']}" in css and f"--bg: {manifest['background_color']}" in css


async def test_the_manifest_icons_are_real_pngs_of_the_sizes_it_states(client):
    icons = (await client.get("/manifest.webmanifest")).json()["icons"]
    assert {(icon["sizes"], icon["purpose"]) for icon in icons} >= {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        assert icon["type"] == "image/png" and "?v=" in icon["src"]
        response = await client.get(icon["src"])
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert png_size(response.content) == (width, height)


async def test_every_page_links_the_manifest_icons_and_theme_colours(client):
    page = (await client.get("/")).text
    assert '<link rel="manifest" href="/manifest.webmanifest" data-service-worker="/sw.js">' in page
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page)
    assert touch
    assert png_size((await client.get(touch.group(1))).content) == (180, 180)
    assert '<meta name="theme-color" content="#ffffff" media="(prefers-color-scheme: light)">' in page
    assert '<meta name="theme-color" content="#171a20" media="(prefers-color-scheme: dark)">' in page
    assert '<meta name="mobile-web-app-capable" content="yes">' in page
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in page
    assert '<meta name="apple-mobile-web-app-title" content="StakeEasy">' in page


# --- the service worker ----------------------------------------------------------------------------


async def test_the_service_worker_is_served_from_the_root_and_never_cached_itself(client):
    response = await client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert 'self.addEventListener("fetch"' in response.text


async def test_the_worker_precaches_exactly_the_fingerprinted_static_files_and_the_offline_page(client):
    urls = await precache_list(client)
    assert urls[-1] == "/offline"
    files = urls[:-1]
    assert all(url.startswith("/static/") and "?v=" in url for url in files)
    assert {url.split("?")[0] for url in files} == {f"/static/{path}" for path in pwa.static_files()}
    assert "/static/vendor/README.md" not in {url.split("?")[0] for url in files}
    # the very URLs pages use, so a page's assets come from the cache
    for path in ("/", "/offline", "/login"):
        used = set(STATIC_URL_RE.findall((await client.get(path)).text))
        assert used and used <= set(files), path
    for url in files:
        assert (await client.get(url)).status_code == 200, url


async def test_the_worker_stores_no_pages_no_api_answers_and_no_posts(client):
    script = (await client.get("/sw.js")).text
    urls = await precache_list(client)
    assert not [url for url in urls if not url.startswith("/static/") and url != "/offline"]
    assert "/api/" not in json.dumps(urls)
    # the only writes to a cache are the install's precache; nothing is put at fetch time
    assert script.count("cache.addAll(") == 1 and ".put(" not in script
    assert 'if (request.method !== "GET") return;' in script
    assert 'credentials: "omit"' in script  # stored copies do not depend on who is logged in


async def test_the_cache_version_follows_the_static_files():
    base = pwa._version(["/static/css/app.css?v=aaa"], "<p>offline</p>")
    assert base == pwa._version(["/static/css/app.css?v=aaa"], "<p>offline</p>")
    assert base != pwa._version(["/static/css/app.css?v=bbb"], "<p>offline</p>")
    assert base != pwa._version(["/static/css/app.css?v=aaa"], "<p>offline, reworded</p>")


async def test_the_worker_names_its_cache_by_version_and_deletes_older_ones(client):
    script = (await client.get("/sw.js")).text
    version = re.search(r'^const VERSION = "([0-9a-f]{12})";$', script, re.MULTILINE)
    assert version
    assert "const CACHE = `stakeeasy-static-${VERSION}`;" in script
    assert "caches.delete(name)" in script


# --- the offline page ------------------------------------------------------------------------------


async def test_the_offline_page_needs_no_login_and_says_its_figures_are_not_current(client):
    response = await client.get("/offline")
    assert response.status_code == 200
    assert "You are offline — your last dashboard" in response.text
    assert "<strong>Not current:</strong> these are your figures as last seen at" in response.text
    assert "No figures are saved on this device." in response.text
    assert "data-offline-dashboard" in response.text and "data-offline-list" in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "<script>" not in response.text


async def test_the_offline_page_is_the_same_for_everyone_and_opens_no_session(client, other_client):
    email = await sign_up(client)
    mine = await client.get("/offline")
    anonymous = await other_client.get("/offline")
    assert mine.text == anonymous.text
    assert email not in mine.text and "set-cookie" not in mine.headers
    assert "set-cookie" not in anonymous.headers
    assert "stakeeasy-viewer" not in mine.text  # it cannot tell whose figures are stored, so it forgets none


# --- the figures the offline page shows ------------------------------------------------------------


async def test_the_dashboard_carries_the_players_own_totals_for_offline(client, sessionmaker):
    email = await sign_up(client)
    await issue_example(sessionmaker, email)
    page = (await client.get("/dashboard")).text
    figures = json.loads(html.unescape(FIGURES_RE.search(page).group(1)))  # type: ignore[union-attr]
    assert figures == [
        ["Total bankroll", "$300.00"],
        ["Profit", "+$350.00"],
        ["Poker sites", "$250.00"],
        ["Assets", "$50.00"],
        ["Deposits", "$50.00"],
        ["Withdrawals", "$100.00"],
    ]


async def test_an_empty_dashboard_carries_no_figures(client):
    await sign_up(client)
    page = (await client.get("/dashboard")).text
    assert FIGURES_RE.search(page).group(1) == "[]"  # type: ignore[union-attr]


async def test_pages_carry_an_opaque_viewer_tag_per_player_and_none_when_logged_out(client, other_client):
    logged_out = VIEWER_RE.search((await client.get("/")).text)
    assert logged_out and logged_out.group(1) == ""
    await sign_up(client)
    await sign_up(other_client)
    mine = VIEWER_RE.search((await client.get("/dashboard")).text).group(1)  # type: ignore[union-attr]
    again = VIEWER_RE.search((await client.get("/settings")).text).group(1)  # type: ignore[union-attr]
    theirs = VIEWER_RE.search((await other_client.get("/dashboard")).text).group(1)  # type: ignore[union-attr]
    assert re.fullmatch(r"[0-9a-f]{16}", mine) and mine == again and mine != theirs


async def test_the_log_out_button_forgets_the_offline_figures(client):
    await sign_up(client)
    page = (await client.get("/dashboard")).text
    assert re.search(r'<form method="post" action="/logout" data-forget-offline>', page)


async def test_the_dashboard_figures_are_only_for_a_logged_in_player(client):
    response = await client.get("/dashboard")
    assert response.status_code == 303 and "data-offline-figures" not in response.text
    assert "data-offline-figures" not in (await client.get("/")).text
