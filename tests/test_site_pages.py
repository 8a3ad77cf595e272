"""The site's own pages: landing, help, privacy, terms, about, the footer, the phone bottom bar, 404/500."""

from __future__ import annotations

import httpx
import pytest
from starlette.routing import Route

from app.main import create_app
from tests.conftest import StateInjector, sign_up


async def test_the_landing_page_explains_stakeeasy_and_invites_visitors_to_sign_up(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert "Your whole poker bankroll, in one place." in response.text
    assert 'href="/signup"' in response.text and "Sign up free" in response.text


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/help", "Profit = 300 − 50 + 100 = <strong>350</strong>"),
        ("/privacy", "/data"),
        ("/terms", "Settings → Security"),
        ("/about", "About StakeEasy"),
    ],
)
async def test_the_public_pages_answer_visitors_and_players(client, post, path, text):
    response = await client.get(path)
    assert response.status_code == 200 and text in response.text
    await sign_up(client)
    response = await client.get(path)
    assert response.status_code == 200 and text in response.text
    assert 'class="bottomnav"' in response.text  # a logged-in player keeps the navigation


async def test_help_works_through_the_profit_example_deposit_50_bankroll_300_profit_350(client):
    text = (await client.get("/help")).text
    assert "You deposit into a poker site</td><td>50" in text
    assert "Bankroll = 250 + 50 = <strong>300</strong>" in text
    assert "profit = bankroll − deposits + withdrawals" in text


async def test_privacy_and_terms_mention_export_and_deletion(client):
    for path in ("/privacy", "/terms"):
        text = (await client.get(path)).text
        assert 'href="/data"' in text
        assert "Settings → Security" in text


async def test_every_page_has_a_footer_with_the_legal_links(client):
    text = (await client.get("/tools")).text
    footer = text[text.index("<footer") :]
    for href in ("/about", "/help", "/privacy", "/terms", "/articles"):
        assert f'href="{href}"' in footer


async def test_a_visitor_sees_no_bottom_bar_and_a_player_sees_the_main_destinations_in_it(client, player):
    text = (await client.get("/dashboard")).text
    bar = text[text.index('class="bottomnav"') :]
    bar = bar[: bar.index("</nav>")]
    for href in ("/dashboard", "/sites", "/deposits", "/goals", "/tools"):
        assert f'href="{href}"' in bar
    assert 'href="/dashboard" aria-current="page"' in bar
    top = text[text.index('class="mainnav"') :]
    assert 'href="/settings"' in top and 'href="/goals"' in top  # the top bar keeps every destination


async def test_a_visitor_has_no_bottom_bar(client):
    assert 'class="bottomnav"' not in (await client.get("/help")).text


async def test_a_missing_page_answers_404_with_a_way_back(client, player):
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert "find that page" in response.text
    assert 'href="/help"' in response.text and (
        'href="/"' in response.text or 'href="/dashboard"' in response.text
    )


async def test_a_crash_answers_500_with_a_way_back_and_no_details(settings, sessionmaker, limiter):
    async def explode(request):
        raise RuntimeError("secret detail")

    app = create_app(settings)
    app.router.routes.append(Route("/explode-for-test", explode))
    wrapped = StateInjector(app, {"sessionmaker": sessionmaker, "limiter": limiter, "engine": None})
    transport = httpx.ASGITransport(app=wrapped, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/explode-for-test")
    assert response.status_code == 500
    assert "Something went wrong" in response.text and "secret detail" not in response.text
    assert 'href="/"' in response.text and 'href="/help"' in response.text
