"""Responses are compressed (gzip) for HTML, CSS and JavaScript; pages of a logged-in player are never
kept by a browser or a shared cache (Cache-Control: no-store), fingerprinted static files for a year."""

from __future__ import annotations

import gzip
import re

import pytest

GZIP = {"Accept-Encoding": "gzip"}


async def raw(client, url: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """The response with its body as sent (still compressed)."""
    async with client.stream("GET", url, headers=headers or {}) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, body


@pytest.mark.parametrize("url", ["/dashboard", "/sites", "/deposits", "/transfers", "/settings", "/data"])
async def test_a_logged_in_page_is_gzipped_and_never_stored(client, player, url):
    response, body = await raw(client, url, GZIP)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["vary"]
    assert b"<html" in gzip.decompress(body)
    assert response.headers["cache-control"] == "no-store"


async def test_an_htmx_fragment_of_a_logged_in_page_is_never_stored_either(client, player):
    response = await client.get(
        "/dashboard?range=90d", headers={"HX-Request": "true", "HX-Target": "section#dashboard-chart"}
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert response.headers["cache-control"] == "no-store"
    assert "HX-Request" in response.headers["vary"]


async def test_the_stylesheet_and_the_script_are_gzipped_and_kept_a_year_when_fingerprinted(client):
    page = (await client.get("/login")).text
    for pattern, kind in (
        (r'href="(/static/css/app\.css\?v=[^"]+)"', "text/css"),
        (r'src="(/static/js/app\.js\?v=[^"]+)"', "javascript"),
    ):
        match = re.search(pattern, page)
        assert match, f"no fingerprinted {kind} link on the page"
        response, body = await raw(client, match.group(1).replace("&amp;", "&"), GZIP)
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert response.headers["content-encoding"] == "gzip"
        assert len(body) < len(gzip.decompress(body))
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_nothing_is_compressed_for_a_client_that_does_not_ask_or_for_a_tiny_answer(client, player):
    response, body = await raw(client, "/dashboard", {"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers and b"<html" in body
    small, _ = await raw(client, "/healthz", GZIP)
    assert small.status_code == 200 and "content-encoding" not in small.headers
