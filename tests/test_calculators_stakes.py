"""The cash-game stakes calculator over HTTP: page, htmx fragment, validation, real bankroll, tool uses."""

from __future__ import annotations

import re
from html import unescape as html_unescape

from sqlalchemy import select

from app.models import ToolUse, User

HX = {"HX-Request": "true", "HX-Target": "div#calculator"}


def cell(html: str, element_id: str) -> str:
    """The text of the element with this id (a figure on a card)."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, f"no #{element_id}"
    return html_unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def error_of(html: str, name: str) -> str:
    """The message shown next to a field, which must point at it (aria-describedby)."""
    match = re.search(rf'<p class="error" id="e-{name}">(.*?)</p>', html, re.S)
    assert match, f"no error next to {name}"
    assert f'aria-describedby="e-{name}' in html
    return html_unescape(match.group(1))


async def uses(sessionmaker, email: str) -> dict[str, int]:
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
        rows = await session.execute(select(ToolUse.tool, ToolUse.uses).where(ToolUse.user_id == user.id))
        return dict(rows.all())


async def test_the_default_choices_need_m_65_5_max_buy_ins_between_45_and_86(client):
    response = await client.get("/tools/stakes")
    assert response.status_code == 200
    assert "<h1>Cash-game stakes</h1>" in response.text
    assert cell(response.text, "multiple") == "65.5"
    assert "the middle of 45 (low) to 86 (high)" in response.text
    assert "Enter your bankroll" in response.text


async def test_a_visitor_types_a_bankroll_and_sees_the_stake_next_and_move_down(client):
    response = await client.get("/tools/stakes", params={"bankroll": "5000", "currency": "USD"})
    assert response.status_code == 200
    html = response.text
    assert cell(html, "recommended-stake") == "0.25/0.50"
    assert cell(html, "next-stake") == "0.50/1"
    assert "$1,550.00 more" in html  # 6,550 − 5,000
    assert cell(html, "move-down-below") == "$2,775.00"  # (65.5 − 10) × 50
    assert "55.5 buy-ins" in html
    assert "row-recommended" in html and "row-next" in html and "row-move-down" in html
    assert "-$1,725.00" in html  # the cushion above 0.25/0.50's 3,275
    assert 'value="5000"' in html


async def test_the_choices_change_the_multiple(client):
    response = await client.get(
        "/tools/stakes",
        params={
            "game": "plo",
            "skill": "soft",
            "risk": "aggressive",
            "environment": "live",
            "bankroll": "1000",
        },
    )
    # (50·2 + 20·3 + 20·4 + 20·1) / 10 = 26, (100·2 + 30·3 + 30·4 + 30·1) / 10 = 44 → M 35
    assert cell(response.text, "multiple") == "35"


async def test_the_htmx_path_returns_only_the_calculator_block(client):
    response = await client.get("/tools/stakes", params={"bankroll": "5000"}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="calculator"')
    assert "<html" not in response.text and "<h1>" not in response.text
    assert "HX-Request" in response.headers["vary"]
    assert cell(response.text, "recommended-stake") == "0.25/0.50"


async def test_a_bad_bankroll_is_answered_next_to_the_field_with_422_keeping_the_input(client):
    for typed, message in (
        ("-5", "can't be negative"),
        ("lots", "Enter a number"),
        ("99999999999", "too large"),
    ):
        response = await client.get("/tools/stakes", params={"bankroll": typed}, headers=HX)
        assert response.status_code == 422, typed
        assert message in error_of(response.text, "bankroll")
        assert f'value="{typed}"' in response.text
        assert "Please check the highlighted fields" in response.text
        assert 'id="recommended-stake"' not in response.text


async def test_every_other_input_is_checked_too(client):
    bad = {
        "game": ("poker", "Choose one of the options"),
        "currency": ("XXX", "Choose one of the options"),
        "buffer": ("-1", "can't be negative"),
        "shot_buy_ins": ("0", "at least 1"),
        "current": ("3/6", "Choose one of the stakes"),
    }
    for name, (typed, message) in bad.items():
        response = await client.get("/tools/stakes", params={"bankroll": "5000", name: typed})
        assert response.status_code == 422, name
        assert message in error_of(response.text, name), name
        assert "<html" in response.text


async def test_a_buffer_as_large_as_m_is_refused(client):
    response = await client.get("/tools/stakes", params={"bankroll": "5000", "buffer": "70"})
    assert response.status_code == 422
    assert "fewer than 65.5 buy-ins" in error_of(response.text, "buffer")


async def test_a_percent_buffer_and_a_current_stake_give_the_hold_advice(client):
    params = {"bankroll": "6000", "current": "0.50/1", "buffer": "20", "buffer_unit": "percent"}
    response = await client.get("/tools/stakes", params=params)
    assert response.status_code == 200
    assert "Keep playing 0.50/1" in response.text
    assert cell(response.text, "move-down-below") == "$5,240.00"  # 6,550 × 0.8


async def test_below_the_smallest_stake_the_page_says_what_is_needed(client):
    response = await client.get("/tools/stakes", params={"bankroll": "50"})
    assert "Not enough for the smallest stake yet: $81.00 more for 0.01/0.02" in response.text


async def test_euro_visitors_get_the_native_ladder_or_the_converted_one(client):
    native = await client.get("/tools/stakes", params={"bankroll": "5000", "currency": "EUR"})
    assert ">2/4" in native.text and "€" in native.text
    converted = await client.get(
        "/tools/stakes", params={"bankroll": "5000", "currency": "EUR", "ladder": "usd"}
    )
    assert ">2/5" in converted.text and "USD</span>" in converted.text


async def test_a_visitors_use_is_not_recorded_but_a_players_is(client, player, sessionmaker):
    await client.get("/tools/stakes", params={"bankroll": "5000"})
    await client.get("/tools/stakes", params={"bankroll": "-1"})
    assert (await uses(sessionmaker, player)).get("stakes") == 1


async def test_the_logged_in_player_s_poker_bankroll_is_used_and_assets_can_be_added(client, player, post):
    for path, data in (
        ("/sites", {"name": "PokerStars", "currency": "USD", "balance": "5000"}),
        ("/assets", {"name": "Bank", "currency": "USD", "balance": "2000", "category": "bank"}),
    ):
        assert (await post.form(path, data)).status_code == 303
    sites = await client.get("/tools/stakes")
    assert "Your poker bankroll: <strong>$5,000.00</strong>" in sites.text
    assert cell(sites.text, "recommended-stake") == "0.25/0.50"
    assert 'name="currency"' not in sites.text
    both = await client.get("/tools/stakes", params={"assets": "on"})
    assert cell(both.text, "recommended-stake") == "0.50/1"  # 7,000 ≥ 6,550
    typed = await client.get("/tools/stakes", params={"bankroll": "100000"})
    assert cell(typed.text, "recommended-stake") == "5/10"  # 65,500 ≤ 100,000 < 131,000


async def test_a_player_with_another_currency_and_locale_sees_a_converted_ladder_in_their_format(client):
    from tests.conftest import sign_up

    await sign_up(client, currency="CHF", locale="de_DE")
    response = await client.get("/tools/stakes", params={"bankroll": "5000"})
    assert response.status_code == 200
    assert '0.50/1 <span class="muted">USD</span>' in response.text
    assert "5.000,00" in response.text and "CHF" in response.text
