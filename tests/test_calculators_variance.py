"""The variance simulator over HTTP: the fan chart, ruin share, drawdowns, caps and validation."""

from __future__ import annotations

import re
import time

from tests.test_calculators_stakes import HX, cell, error_of, uses


async def test_the_default_run_draws_an_accessible_fan_chart_with_its_data(client):
    response = await client.get("/tools/variance")
    assert response.status_code == 200
    html = response.text
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and '<title id="fan-title">' in svg and '<desc id="fan-desc">' in svg
    assert "style=" not in svg
    assert svg.count('class="fan-outer"') == 1 and svg.count('class="fan-median"') == 1
    assert "5th–95th percentile" in html and '<th scope="col" class="num">Median</th>' in html
    assert re.fullmatch(r"\d+(\.\d)?\u00a0%", cell(html, "broke-share"))
    assert cell(html, "worst-drawdown").endswith(" bb")
    assert "NaN" not in html


async def test_the_same_seed_gives_the_same_result_and_another_seed_another(client):
    params = {"paths": "200", "hands": "20000"}
    first = await client.get("/tools/variance", params={**params, "seed": "7"})
    again = await client.get("/tools/variance", params={**params, "seed": "7"})
    other = await client.get("/tools/variance", params={**params, "seed": "8"})
    assert cell(first.text, "worst-drawdown") == cell(again.text, "worst-drawdown")
    assert cell(first.text, "worst-drawdown") != cell(other.text, "worst-drawdown")


async def test_a_losing_player_goes_broke_on_every_path(client):
    response = await client.get(
        "/tools/variance", params={"win_rate": "-50", "std_dev": "10", "bankroll": "100", "hands": "10000"}
    )
    assert cell(response.text, "broke-share") == "100\u00a0%"
    assert cell(response.text, "median-end") == "0 bb"


async def test_the_largest_allowed_run_stays_well_under_a_second(client):
    started = time.perf_counter()
    response = await client.get("/tools/variance", params={"paths": "1000", "hands": "100000"})
    assert response.status_code == 200
    assert time.perf_counter() - started < 1


async def test_runs_over_the_caps_and_bad_inputs_are_refused_next_to_the_field(client):
    for params, name, message in (
        ({"paths": "1000", "hands": "1000000"}, "hands", "fewer hands or fewer paths"),
        ({"paths": "5000"}, "paths", "at most 1,000"),
        ({"hands": "50"}, "hands", "at least 100"),
        ({"bankroll": "0"}, "bankroll", "more than zero"),
        ({"std_dev": "-1"}, "std_dev", "can't be negative"),
        ({"seed": "x"}, "seed", "as a number"),
        ({"paths": "2.5"}, "paths", "whole number"),
    ):
        response = await client.get("/tools/variance", params=params, headers=HX)
        assert response.status_code == 422, params
        assert message in error_of(response.text, name), params
        assert response.text.lstrip().startswith('<div id="calculator"')
        assert "<svg" not in response.text


async def test_a_players_simulation_counts_as_a_use(client, player, sessionmaker):
    await client.get("/tools/variance", params={"paths": "50"})
    assert (await uses(sessionmaker, player)).get("variance") == 1
