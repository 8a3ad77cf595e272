"""The bankroll strategy panel: its pure context builder, the partial on its own, and /tools/strategy."""

from __future__ import annotations

from decimal import Decimal

from app.calculators.strategy import strategy_context, strategy_panel
from app.main import create_app
from app.money import SNAPSHOT_RATES
from app.templating import env
from tests.test_calculators_stakes import HX, error_of, uses

D = Decimal


def test_the_panel_gives_each_of_the_five_profiles_its_stake_move_up_and_floor():
    panel = strategy_panel(D(5000), "USD")
    table = {
        row.profile.key: (
            row.stake and row.stake.name,
            row.next and row.next.name,
            row.still_needed,
            row.move_down_below,
        )
        for row in panel.rows
    }
    assert table == {
        "aggressive": ("0.50/1", "1/2", D(1000), D(2000)),
        "solid": ("0.50/1", "1/2", D(5000), D(4000)),
        "grinder": ("0.25/0.50", "0.50/1", D(2500), D(3250)),
        "cautious": ("0.25/0.50", "0.50/1", D(5000), D(4500)),
        "nit": ("0.10/0.25", "0.25/0.50", D(5000), D(4750)),
    }
    assert [row.profile.buy_ins for row in panel.rows] == [30, 50, 75, 100, 200]


def test_the_panel_uses_the_players_currency_native_or_converted():
    assert strategy_panel(D(5000), "EUR").rows[0].stake.currency == "EUR"
    assert not strategy_panel(D(5000), "EUR").converted
    chf = strategy_panel(D(5000), "CHF", SNAPSHOT_RATES)
    assert chf.converted and chf.rows[0].stake.nominal_currency == "USD"
    assert strategy_panel(D(-10), "USD").bankroll == 0


def test_the_partial_renders_on_its_own_from_the_context_builder(settings):
    class Request:
        app = create_app(settings)

    html = env.get_template("calculators/_strategy_panel.html").render(
        request=Request(), user=None, **strategy_context(D(5000), "USD")
    )
    assert 'id="strategy-panel"' in html and "{#" not in html
    assert "Serious grinder" in html and "$2,500.00 more" in html and "$3,250.00" in html
    assert 'href="/tools/stakes"' in html


async def test_the_strategy_page_takes_a_visitor_s_bankroll(client):
    empty = await client.get("/tools/strategy")
    assert empty.status_code == 200 and "Enter your bankroll" in empty.text
    response = await client.get("/tools/strategy", params={"bankroll": "5000"}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="calculator"')
    assert "Nit" in response.text and "$4,750.00" in response.text


async def test_a_bad_bankroll_on_the_strategy_page_is_a_422(client):
    response = await client.get("/tools/strategy", params={"bankroll": "-3"})
    assert response.status_code == 422
    assert "can't be negative" in error_of(response.text, "bankroll")


async def test_the_strategy_page_uses_the_players_poker_bankroll(client, player, post, sessionmaker):
    await post.form("/sites", {"name": "Stars", "currency": "USD", "balance": "5000"})
    response = await client.get("/tools/strategy")
    assert "a poker bankroll of <strong>$5,000.00</strong>" in response.text
    nit = response.text.split('id="strategy-nit"')[1].split("</tr>")[0]
    assert "<strong>0.10/0.25</strong>" in nit and "$4,750.00" in nit
    assert (await uses(sessionmaker, player)).get("strategy") == 1
