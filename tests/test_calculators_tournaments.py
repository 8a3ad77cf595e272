"""The tournament and sit-and-go calculator over HTTP."""

from __future__ import annotations

from tests.test_calculators_stakes import HX, cell, error_of, uses


async def test_the_default_choices_need_m_131_average_buy_ins(client):
    response = await client.get("/tools/tournaments")
    assert response.status_code == 200
    assert cell(response.text, "multiple") == "131"
    assert "the middle of 90 (low) to 172 (high)" in response.text
    assert "Sunday Million" in response.text and "GGMasters" in response.text


async def test_the_largest_buy_in_is_at_most_bankroll_over_m_with_next_and_move_down(client):
    params = {"bankroll": "2000", "site": "pokerstars"}
    response = await client.get("/tools/tournaments", params=params)
    html = response.text
    assert cell(html, "recommended-buy-in") == "$11.00"  # 2,000 / 131 = 15.27
    assert cell(html, "next-buy-in") == "$22.00"
    assert "$882.00 more" in html
    assert cell(html, "move-down-below") == "$1,152.80"  # 131 × 80 % × 11
    assert "GGMasters" not in html  # filtered to PokerStars


async def test_the_format_is_a_factor(client):
    response = await client.get("/tools/tournaments", params={"format": "heads_up_sng", "bankroll": "2000"})
    multiple = float(cell(response.text, "multiple"))
    assert multiple < 131
    assert "Heads-up SNG" in response.text


async def test_a_tournament_form_with_problems_is_a_422_with_messages(client):
    for name, typed, message in (
        ("site", "bingo", "Choose one"),
        ("format", "cash", "Choose one"),
        ("buffer", "100", "at most 99"),
        ("bankroll", "1,2,3", "Enter a number"),
    ):
        response = await client.get("/tools/tournaments", params={name: typed}, headers=HX)
        assert response.status_code == 422, name
        assert message in error_of(response.text, name), name
        assert response.text.lstrip().startswith('<div id="calculator"')


async def test_a_player_s_bankroll_in_euros_converts_the_dollar_buy_ins(client, post, sessionmaker):
    from tests.conftest import sign_up

    email = await sign_up(client, currency="EUR")
    await post.form("/sites", {"name": "GGPoker", "currency": "EUR", "balance": "3000"})
    response = await client.get("/tools/tournaments", params={"site": "ggpoker"})
    assert response.status_code == 200
    assert "Your poker bankroll: <strong>€3,000.00</strong>" in response.text
    assert "($10.80)" in response.text
    assert (await uses(sessionmaker, email)).get("tournaments") == 1
