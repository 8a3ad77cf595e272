"""Risk of ruin over HTTP: the issue's reference values, units, presets, validation and tool uses."""

from __future__ import annotations

from tests.test_calculators_stakes import HX, cell, error_of, uses


async def risk(client, **params):
    return await client.get("/tools/risk-of-ruin", params=params)


async def test_5_bb_per_100_with_sigma_100_and_2000_bb_is_a_13_53_percent_risk_by_default(client):
    response = await risk(client)
    assert response.status_code == 200
    assert cell(response.text, "risk-of-ruin") == "13.53\u00a0%"
    assert cell(response.text, "bankroll-for-risk") == "2,996 bb"  # 5 % target


async def test_larger_bankrolls_match_the_reference_risks(client):
    assert cell((await risk(client, bankroll="3000")).text, "risk-of-ruin") == "4.98\u00a0%"
    assert cell((await risk(client, bankroll="5,000")).text, "risk-of-ruin") == "0.67\u00a0%"


async def test_per_hour_10_dollars_sigma_150_and_4000_is_a_2_86_percent_risk(client):
    response = await risk(client, unit="hour")
    assert response.status_code == 200
    assert cell(response.text, "risk-of-ruin") == "2.86\u00a0%"
    assert 'value="4000"' in response.text and 'name="currency"' in response.text


async def test_the_units_convert_with_hands_per_hour_and_sigma_with_the_square_root(client):
    response = await risk(client, hands_per_hour="100")
    assert cell(response.text, "converted-rate") == "5 bb"
    assert "σ 100 bb an hour" in response.text
    hourly = await risk(client, unit="hour", hands_per_hour="25")
    assert cell(hourly.text, "converted-rate") == "$40.00"  # $10 an hour over 0.25 of 100 hands


async def test_the_95_percent_interval_shrinks_with_more_hands(client):
    response = await risk(client, hands="10000")
    assert cell(response.text, "win-rate-interval") == "\u221214.6 to 24.6"  # ± 1.96 · 100 / √100
    many = await risk(client, hands="1000000")
    assert cell(many.text, "win-rate-interval") == "3.04 to 6.96"


async def test_a_losing_player_has_a_100_percent_risk_and_no_bankroll_is_enough(client):
    response = await risk(client, win_rate="-2")
    assert cell(response.text, "risk-of-ruin") == "100\u00a0%"
    assert "No bankroll is enough" in response.text


async def test_a_huge_bankroll_shows_a_tiny_risk_never_nan(client):
    response = await risk(client, bankroll="1000000000")
    assert cell(response.text, "risk-of-ruin") == "< 0.01\u00a0%"
    assert "NaN" not in response.text and "inf" not in response.text.lower().replace("info", "")


async def test_sigma_presets_are_links_that_keep_the_other_inputs(client):
    response = await risk(client, bankroll="3000")
    assert "PLO 6-max ≈ 140" in response.text
    assert "bankroll=3000" in response.text and "std_dev=140" in response.text


async def test_the_htmx_path_returns_only_the_calculator_block(client):
    response = await client.get("/tools/risk-of-ruin", params={"bankroll": "3000"}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="calculator"')
    assert "HX-Request" in response.headers["vary"]
    assert cell(response.text, "risk-of-ruin") == "4.98\u00a0%"


async def test_bad_inputs_are_answered_next_to_the_field(client):
    bad = {
        "std_dev": ("0", "more than zero"),
        "bankroll": ("-1", "can't be negative"),
        "target_risk": ("100", "less than 100"),
        "hands_per_hour": ("9000", "at most 5,000"),
        "hands": ("1.5", "whole number"),
        "win_rate": ("nan", "as a number"),
    }
    for name, (typed, message) in bad.items():
        response = await client.get("/tools/risk-of-ruin", params={name: typed}, headers=HX)
        assert response.status_code == 422, name
        assert message in error_of(response.text, name), name
        assert f'value="{typed}"' in response.text
        assert 'id="risk-of-ruin"' not in response.text


async def test_a_players_use_is_recorded_once_per_result(client, player, sessionmaker):
    await risk(client)
    await risk(client, std_dev="0")
    await risk(client, bankroll="3000")
    assert (await uses(sessionmaker, player)).get("risk-of-ruin") == 2


async def test_a_player_s_poker_bankroll_is_the_per_hour_default(client, player, post):
    await post.form("/sites", {"name": "Casino cage", "currency": "USD", "balance": "6000"})
    response = await risk(client, unit="hour")
    assert 'value="6000"' in response.text and 'name="currency"' not in response.text


async def test_an_unknown_unit_in_a_hand_edited_url_falls_back_to_per_100_hands(client):
    response = await risk(client, unit="week")
    assert response.status_code == 200
    assert cell(response.text, "risk-of-ruin") == "13.53\u00a0%"
