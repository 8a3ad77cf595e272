"""The SPR and pot-odds calculators over HTTP."""

from __future__ import annotations

from tests.test_calculators_stakes import HX, cell, error_of, uses


async def test_spr_is_the_stack_over_the_pot_with_its_zone_highlighted(client):
    response = await client.get("/tools/spr", params={"stack": "90", "pot": "20"})
    assert response.status_code == 200
    assert cell(response.text, "spr-value") == "4.5"
    assert cell(response.text, "spr-zone") == "Maneuvering"
    assert response.text.count('class="is-current-zone"') == 1 + 1 + 6  # zone list, header, one cell per hand


async def test_a_value_on_a_boundary_belongs_to_the_lower_zone(client):
    for stack, zone in (
        ("10", "All-in or fold"),
        ("40", "Commitment"),
        ("130", "Maneuvering"),
        ("131", "Deep"),
    ):
        response = await client.get("/tools/spr", params={"stack": stack, "pot": "10"})
        assert cell(response.text, "spr-zone") == zone, stack


async def test_choosing_a_hand_gives_its_decision_in_the_zone(client):
    response = await client.get("/tools/spr", params={"stack": "90", "pot": "20", "hand": "overpair"})
    assert cell(response.text, "spr-decision") == "Pot control"
    assert '<tr class="row-recommended">' in response.text
    top_set = await client.get("/tools/spr", params={"stack": "500", "pot": "20", "hand": "top_set"})
    assert cell(top_set.text, "spr-decision") == "Commit"


async def test_spr_validation_and_the_htmx_fragment(client):
    response = await client.get("/tools/spr", params={"stack": "100", "pot": "0"}, headers=HX)
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<div id="calculator"')
    assert "more than zero" in error_of(response.text, "pot")
    assert 'value="0"' in response.text
    bad_hand = await client.get("/tools/spr", params={"hand": "bluff"})
    assert bad_hand.status_code == 422 and "Choose one" in error_of(bad_hand.text, "hand")
    negative = await client.get("/tools/spr", params={"stack": "-5"})
    assert "can't be negative" in error_of(negative.text, "stack")


async def test_a_pot_sized_bet_needs_a_third_of_the_equity(client):
    response = await client.get("/tools/pot-odds", params={"pot": "100", "bet": "100"})
    assert response.status_code == 200
    assert cell(response.text, "required-equity") == "33.3\u00a0%"
    assert cell(response.text, "odds") == "2 : 1"


async def test_the_default_half_pot_bet_and_nine_outs_use_the_rule_of_4_and_2(client):
    response = await client.get("/tools/pot-odds")
    assert cell(response.text, "required-equity") == "25\u00a0%"  # 50 / (100 + 2·50)
    assert cell(response.text, "rule-of-4") == "≈ 36\u00a0%"
    assert cell(response.text, "rule-of-2") == "≈ 18\u00a0%"
    assert "not enough for this price" in response.text  # 9/46 = 19.6 % < 25 %
    assert "the call pays too" in response.text  # 35 % ≥ 25 %


async def test_pot_odds_validation_next_to_the_field(client):
    for name, typed, message in (
        ("bet", "0", "more than zero"),
        ("pot", "abc", "as a number"),
        ("outs", "48", "at most 47"),
        ("outs", "2.5", "whole number"),
        ("bet", "1e9999", "as a number"),
    ):
        response = await client.get("/tools/pot-odds", params={name: typed}, headers=HX)
        assert response.status_code == 422, (name, typed)
        assert message in error_of(response.text, name), (name, typed)
        assert 'id="required-equity"' not in response.text


async def test_uses_of_spr_and_pot_odds_are_recorded_for_a_player(client, player, sessionmaker):
    await client.get("/tools/spr")
    await client.get("/tools/pot-odds", params={"bet": "-1"})
    await client.get("/tools/pot-odds")
    assert await uses(sessionmaker, player) == {"spr": 1, "pot-odds": 1}
