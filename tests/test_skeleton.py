"""What every page and every POST shares: security headers, CSRF, error pages, static files."""

from __future__ import annotations

from starlette.routing import Mount, Route

from app.main import create_app
from tests.conftest import csrf_token, sign_up


def post_routes(settings) -> list[str]:
    app = create_app(settings)
    paths = []
    for route in app.routes:
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            paths.append(route.path)
        # /api/v1 takes no cookie at all, so no CSRF token: tests/test_api.py checks each of its POSTs
        assert not isinstance(route, Mount) or route.path in ("/static", "/api/v1"), "check mounted apps too"
    return paths


async def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(client, settings):
    await sign_up(client)
    paths = post_routes(settings)
    assert "/login" in paths and "/signup" in paths
    for path in paths:
        concrete = "/".join("1" if part.startswith("{") else part for part in path.split("/"))
        missing = await client.post(concrete, data={"name": "x"})
        wrong = await client.post(concrete, data={"csrf_token": "forged"}, headers={"HX-Request": "true"})
        assert missing.status_code == 403, concrete
        assert wrong.status_code == 403, concrete
        assert "expired" in missing.text


async def test_pages_carry_a_strict_content_security_policy(client):
    response = await client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "<script>" not in response.text and " on" + "click=" not in response.text


async def test_unknown_pages_get_a_full_404_page(client):
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert "<html" in response.text and "couldn&#39;t find that page" in response.text


async def test_htmx_errors_come_back_as_the_flash_region(client):
    response = await client.get("/no-such-page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#flash"
    assert response.text.lstrip().startswith('<div id="flash"')
    assert "<html" not in response.text


async def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    page = await client.get("/")
    assert "/static/css/app.css?v=" in page.text
    href = page.text.split('href="/static/css/app.css?v=')[1].split('"')[0]
    response = await client.get(f"/static/css/app.css?v={href}")
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]


async def test_the_theme_switch_cycles_and_is_drawn_by_the_server(client):
    token = await csrf_token(client, "/")
    response = await client.post("/theme", data={"csrf_token": token, "next": "/"})
    assert response.status_code == 303
    client.cookies.set("theme", "dark")
    page = await client.get("/")
    assert 'data-theme="dark"' in page.text


async def test_every_page_works_as_a_full_page_and_sends_vary(client):
    await sign_up(client)
    page = await client.get("/settings")
    assert "HX-Request" in page.headers["Vary"]
    assert '<form id="settings-form"' in page.text and "<html" in page.text


async def test_a_server_error_is_a_friendly_page_and_a_fragment_for_htmx(settings, sessionmaker, limiter):
    import httpx
    from starlette.routing import Route as StarletteRoute

    from tests.conftest import StateInjector

    async def boom(request):
        raise RuntimeError("kaput")

    app = create_app(settings)
    app.router.routes.append(StarletteRoute("/boom", boom))
    wrapped = StateInjector(app, {"sessionmaker": sessionmaker, "limiter": limiter, "engine": None})
    transport = httpx.ASGITransport(app=wrapped, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = await client.get("/boom")
        fragment = await client.get("/boom", headers={"HX-Request": "true"})
    assert page.status_code == 500 and "<html" in page.text and "Nothing you entered was lost" in page.text
    assert "kaput" not in page.text
    assert fragment.status_code == 500 and fragment.text.lstrip().startswith('<div id="flash"')
