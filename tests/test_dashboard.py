"""The dashboard over HTTP: figures, the chart and its toggles, the three quick actions, query counts."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import event, func, select

from app.bankroll import daily
from app.models import BalanceEntry, Flow, Holding, User
from tests.conftest import csrf_token, sign_up

CHART = {"HX-Request": "true", "HX-Target": "section#dashboard-chart"}
KEY_RE = re.compile(r'name="request_key" value="([^"]+)"')


def figure(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert match, f"no #{element_id}"
    return match.group(1)


async def user_for(sessionmaker, email: str) -> User:
    async with sessionmaker() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def add_holding(
    sessionmaker, user: User, name: str, kind: str, currency: str, balances, days_ago=3
) -> int:
    """A holding with one balance per day, the last `days_ago - len + 1` days before now."""
    start = datetime.now(UTC) - timedelta(days=days_ago)
    async with sessionmaker() as session:
        holding = Holding(user_id=user.id, kind=kind, name=name, name_key=name.casefold(), currency=currency)
        session.add(holding)
        await session.flush()
        for day, amount in enumerate(balances):
            session.add(
                BalanceEntry(
                    holding_id=holding.id,
                    recorded_at=start + timedelta(days=day),
                    balance=Decimal(amount),
                    currency=currency,
                )
            )
        await daily.refresh(session, user)
        await session.commit()
        return holding.id


async def add_flow(
    sessionmaker, user: User, kind: str, amount: str, currency: str = "USD", days_ago: int = 2
):
    async with sessionmaker() as session:
        session.add(
            Flow(
                user_id=user.id,
                kind=kind,
                amount=Decimal(amount),
                currency=currency,
                occurred_at=datetime.now(UTC) - timedelta(days=days_ago),
            )
        )
        await session.commit()


async def issue_example(sessionmaker, email: str) -> dict[str, int]:
    """Deposit 50; sites end at 250 (0 → 200, and 50); an asset at 50; withdrawals 100."""
    user = await user_for(sessionmaker, email)
    ids = {
        "stars": await add_holding(sessionmaker, user, "Stars", "site", "USD", ["0", "200"]),
        "gg": await add_holding(sessionmaker, user, "GG", "site", "USD", ["50"]),
        "bank": await add_holding(sessionmaker, user, "Bank", "asset", "USD", ["50"]),
    }
    await add_flow(sessionmaker, user, "deposit", "50")
    await add_flow(sessionmaker, user, "withdrawal", "100")
    return ids


async def count_rows(sessionmaker, model, **where) -> int:
    async with sessionmaker() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return (await session.execute(query)).scalar_one()


# --- the page -------------------------------------------------------------------------------------


async def test_the_dashboard_asks_a_visitor_to_log_in(client):
    response = await client.get("/dashboard")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/dashboard"


async def test_a_new_player_lands_on_a_friendly_empty_dashboard(client):
    await sign_up(client)
    page = await client.get("/dashboard")
    assert page.status_code == 200
    assert "Welcome to StakeEasy!" in page.text  # the sign-up flash
    assert 'href="/sites">Add your first site</a>' in page.text
    assert 'href="/assets">Add an asset</a>' in page.text
    assert "first balance update" in page.text and "<svg" not in page.text
    assert 'Add a <a href="/sites">poker site</a>' in page.text  # the balance form has nothing to update yet
    assert 'id="quick-deposit-form"' in page.text and 'id="quick-withdrawal-form"' in page.text


async def test_the_issue_example_shows_bankroll_300_and_profit_350(client, player, sessionmaker):
    ids = await issue_example(sessionmaker, player)
    page = (await client.get("/dashboard")).text
    assert figure(page, "bankroll-total") == "$300.00"
    assert figure(page, "profit-total") == "+$350.00"
    assert figure(page, "poker-profit") == "+$300.00"
    assert figure(page, "sites-total") == "$250.00"
    assert figure(page, "assets-total") == "$50.00"
    assert figure(page, "deposits-total") == "$50.00"
    assert figure(page, "withdrawals-total") == "$100.00"
    assert 'class="figure gain" id="profit-total"' in page
    assert '<span class="gain">+$200.00</span> since the previous update' in page
    assert "Rates of 2025-07-01" in page
    assert "Welcome!" not in page
    assert '<optgroup label="Poker sites">' in page and '<optgroup label="Assets">' in page
    assert re.search(rf'<option value="{ids["bank"]}">Bank \(USD\)</option>', page)


async def test_figures_are_converted_to_the_players_currency_and_locale(client, sessionmaker):
    email = await sign_up(client, currency="EUR", locale="de_DE")
    user = await user_for(sessionmaker, email)
    await add_holding(sessionmaker, user, "Stars", "site", "USD", ["117.88"])  # 100 EUR at 1.1788
    await add_holding(sessionmaker, user, "Wallet", "asset", "GBP", ["85.835"])  # 100 EUR at 0.85835
    await add_flow(sessionmaker, user, "deposit", "150", "EUR")
    page = (await client.get("/dashboard")).text
    assert figure(page, "bankroll-total") == "200,00\xa0€"
    assert figure(page, "sites-total") == "100,00\xa0€"
    assert figure(page, "profit-total") == "+50,00\xa0€"
    assert figure(page, "poker-profit") == "-50,00\xa0€"
    assert 'class="loss" id="poker-profit"' in page


async def test_the_chart_is_an_inline_svg_with_range_and_profit_links(client, player, sessionmaker):
    await issue_example(sessionmaker, player)
    page = (await client.get("/dashboard")).text
    assert '<svg class="chart"' in page and '<title id="chart-title">Bankroll over time</title>' in page
    assert re.search(r'id="chart-summary">Bankroll on [^<]*: \$300\.00; change', page)
    link = '<a href="/dashboard?range=30d&amp;show=bankroll" hx-get="/dashboard?range=30d&amp;show=bankroll"'
    assert link + ' hx-target="#dashboard-chart" hx-swap="outerHTML" hx-push-url="true">' in page
    assert 'href="/dashboard?range=90d&amp;show=bankroll" hx-get' in page
    assert re.search(r'show=bankroll"[^>]*aria-current="true"><span aria-hidden="true">90 d', page)
    assert 'href="/dashboard?range=90d&amp;show=profit"' in page
    assert "style=" not in page.split('id="dashboard-chart"')[1]


async def test_range_and_profit_links_work_as_full_pages_without_javascript(client, player, sessionmaker):
    await issue_example(sessionmaker, player)
    response = await client.get("/dashboard?range=30d&show=profit")
    assert response.status_code == 200 and "<html" in response.text
    page = response.text
    assert '<title id="chart-title">Profit over time</title>' in page
    assert re.search(r'id="chart-summary">Profit on [^<]*: \$350\.00; change', page)
    assert 'class="line-profit"' in page and 'class="line-poker"' in page
    assert re.search(r'range=30d&amp;show=profit"[^>]*aria-current="true"', page)
    assert re.search(r'range=30d&amp;show=profit"[^>]*aria-current="true">Profit</a>', page)
    assert (
        'name="range" value="30d"' in page and 'name="show" value="profit"' in page
    )  # the quick forms keep it


async def test_the_profit_chart_ends_at_the_profit_card_with_flows_before_and_inside_the_range(
    client, player, sessionmaker
):
    user = await user_for(sessionmaker, player)
    await add_holding(
        sessionmaker, user, "Stars", "site", "USD", [str(100 + day) for day in range(101)], days_ago=100
    )
    await add_holding(sessionmaker, user, "Wallet", "asset", "BTC", ["0.01"], days_ago=50)
    await add_flow(sessionmaker, user, "deposit", "50", "USD", days_ago=80)  # before the 30-day window
    await add_flow(sessionmaker, user, "deposit", "25", "EUR", days_ago=70)
    await add_flow(sessionmaker, user, "withdrawal", "10.01", "GBP", days_ago=5)  # inside it
    page = (await client.get("/dashboard?range=30d&show=profit")).text
    profit = figure(page, "profit-total").lstrip("+")
    assert re.search(
        rf"id=\"chart-summary\">Profit on [^<]*: [^;]*; on [^<]*: {re.escape(profit)}; change", page
    )


async def test_nonsense_chart_parameters_fall_back_to_the_defaults(client, player, sessionmaker):
    await issue_example(sessionmaker, player)
    response = await client.get("/dashboard?range=<script>&show=pie")
    assert response.status_code == 200
    assert '<title id="chart-title">Bankroll over time</title>' in response.text
    assert "<script>&" not in response.text


async def test_htmx_range_and_profit_requests_return_only_the_chart(client, player, sessionmaker):
    await issue_example(sessionmaker, player)
    for query, title in (("?range=all", "Bankroll"), ("?range=1y&show=profit", "Profit")):
        response = await client.get("/dashboard" + query, headers=CHART)
        assert response.status_code == 200
        assert response.text.lstrip().startswith('<section id="dashboard-chart"')
        assert "<html" not in response.text and "dashboard-figures" not in response.text
        assert f'<title id="chart-title">{title} over time</title>' in response.text
        assert "HX-Request" in response.headers["vary"]
    boosted = await client.get(
        "/dashboard?range=all", headers={**CHART, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in boosted.text  # a history restore gets the whole page


async def test_an_empty_account_gets_an_empty_chart_block(client, player):
    response = await client.get("/dashboard?range=all", headers=CHART)
    assert response.status_code == 200
    assert (
        response.text.startswith('<section id="dashboard-chart"') and "first balance update" in response.text
    )


# --- quick balance update -------------------------------------------------------------------------


async def test_a_quick_balance_update_redirects_to_the_dashboard_with_the_new_totals(
    client, post, player, sessionmaker
):
    ids = await issue_example(sessionmaker, player)
    data = {
        "holding_id": ids["stars"],
        "balance": "1,200.50",
        "note": "after the Sunday",
        "request_key": uuid.uuid4().hex,
    }
    response = await post.form("/dashboard/balance", data)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    page = (await client.get("/dashboard")).text
    assert figure(page, "bankroll-total") == "$1,300.50"
    assert "Stars: balance saved, $1,200.50." in page
    async with sessionmaker() as session:
        entry = (
            (
                await session.execute(
                    select(BalanceEntry)
                    .where(BalanceEntry.holding_id == ids["stars"])
                    .order_by(BalanceEntry.id.desc())
                )
            )
            .scalars()
            .first()
        )
    assert (
        entry.balance == Decimal("1200.50") and entry.currency == "USD" and entry.note == "after the Sunday"
    )


async def test_a_plain_quick_action_keeps_the_chart_view_it_was_sent_from(post, player, sessionmaker):
    ids = await issue_example(sessionmaker, player)
    data = {
        "holding_id": ids["gg"],
        "balance": "60",
        "request_key": uuid.uuid4().hex,
        "range": "1y",
        "show": "profit",
    }
    response = await post.form("/dashboard/balance", data)
    assert response.headers["location"] == "/dashboard?range=1y&show=profit"


async def test_an_htmx_quick_balance_update_returns_a_fresh_form_the_figures_and_the_chart(
    post, player, sessionmaker
):
    ids = await issue_example(sessionmaker, player)
    key = uuid.uuid4().hex
    data = {"holding_id": ids["bank"], "balance": "75", "request_key": key}
    post.client.headers["HX-Current-URL"] = "http://testserver/dashboard?range=30d&show=profit"
    response = await post.htmx("/dashboard/balance", data, target="form#quick-balance-form")
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<form id="quick-balance-form"')
    form = html.split("</form>")[0]
    assert KEY_RE.search(form).group(1) != key and 'value="75"' not in form
    assert (
        '<hx-partial hx-target="#dashboard-figures" hx-swap="outerHTML"><section id="dashboard-figures"'
        in html
    )
    assert (
        '<hx-partial hx-target="#dashboard-chart" hx-swap="outerHTML"><section id="dashboard-chart"' in html
    )
    assert '<hx-partial hx-target="#flash"' in html and "Bank: balance saved, $75.00." in html
    assert figure(html, "bankroll-total") == "$325.00" and figure(html, "profit-total") == "+$375.00"
    assert '<title id="chart-title">Profit over time</title>' in html  # the view the page was showing
    assert "<html" not in html


async def test_a_bad_quick_balance_is_a_422_with_the_message_and_the_typed_values(
    client, post, player, sessionmaker
):
    ids = await issue_example(sessionmaker, player)
    cases = [
        ({"holding_id": ids["stars"], "balance": "", "note": "hello"}, "qb-balance", "Enter an amount."),
        ({"holding_id": ids["stars"], "balance": "abc"}, "qb-balance", "Enter a number, like 1234.56."),
        ({"holding_id": ids["stars"], "balance": "-5"}, "qb-balance", "The amount can&#39;t be negative."),
        (
            {"holding_id": ids["stars"], "balance": "1.234"},
            "qb-balance",
            "USD amounts have at most 2 decimals.",
        ),
        ({"holding_id": ids["stars"], "balance": "99999999999"}, "qb-balance", "That amount is too large."),
        (
            {"holding_id": ids["stars"], "balance": "5", "note": "n" * 501},
            "qb-note",
            "Use at most 500 characters",
        ),
        ({"holding_id": "", "balance": "5"}, "qb-holding_id", "Choose a site or asset."),
        ({"holding_id": "Stars", "balance": "5"}, "qb-holding_id", "Choose a site or asset."),
    ]
    for data, field_id, message in cases:
        data = {**data, "request_key": uuid.uuid4().hex}
        plain = await post.form("/dashboard/balance", data)
        assert plain.status_code == 422, data
        assert "<html" in plain.text and '<details class="quick" open>' in plain.text
        assert re.search(rf'<p class="error" id="{field_id}-error">{re.escape(message)}', plain.text), data
        assert f'value="{data["balance"]}"' in plain.text
        swapped = await post.htmx("/dashboard/balance", data, target="form#quick-balance-form")
        assert swapped.status_code == 422
        assert (
            swapped.text.lstrip().startswith('<form id="quick-balance-form"')
            and "<hx-partial" not in swapped.text
        )
        assert f'id="{field_id}-error"' in swapped.text
    assert 'value="hello"' in (await post.form("/dashboard/balance", cases[0][0])).text
    assert await count_rows(sessionmaker, BalanceEntry, holding_id=ids["stars"]) == 2


async def test_another_players_holding_is_not_found(
    client, post, player, other_client, other_player, sessionmaker
):
    theirs = await issue_example(sessionmaker, other_player)
    data = {"holding_id": theirs["stars"], "balance": "1", "request_key": uuid.uuid4().hex}
    assert (await post.form("/dashboard/balance", data)).status_code == 404
    htmx = await post.htmx("/dashboard/balance", data, target="form#quick-balance-form")
    assert htmx.status_code == 404 and htmx.headers["HX-Retarget"] == "#flash"
    assert (await post.form("/dashboard/balance", {**data, "holding_id": 999_999_999})).status_code == 404
    assert await count_rows(sessionmaker, BalanceEntry, holding_id=theirs["stars"]) == 2


async def test_a_double_submitted_balance_is_recorded_once(client, post, player, sessionmaker):
    ids = await issue_example(sessionmaker, player)
    data = {"holding_id": ids["gg"], "balance": "70", "request_key": uuid.uuid4().hex}
    first = await post.form("/dashboard/balance", data)
    second = await post.htmx("/dashboard/balance", data, target="form#quick-balance-form")
    assert first.status_code == 303 and second.status_code == 200
    assert "That balance was already saved." in second.text
    assert await count_rows(sessionmaker, BalanceEntry, holding_id=ids["gg"]) == 2


# --- quick deposit and withdrawal -----------------------------------------------------------------


async def test_a_quick_deposit_and_withdrawal_update_the_totals_plain(client, post, player, sessionmaker):
    await issue_example(sessionmaker, player)
    today = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    deposit = {
        "amount": "25.50",
        "currency": "USD",
        "occurred_at": today,
        "note": "reload",
        "request_key": str(uuid.uuid4()),
    }
    response = await post.form("/dashboard/deposit", deposit)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    withdrawal = {"amount": "10", "currency": "EUR", "occurred_at": today, "request_key": str(uuid.uuid4())}
    response = await post.form("/dashboard/withdrawal", withdrawal)
    assert response.status_code == 303
    page = (await client.get("/dashboard")).text
    assert figure(page, "deposits-total") == "$75.50"
    assert figure(page, "withdrawals-total") == "$111.79"  # 100 USD + 10 EUR at 1.1788
    assert "Withdrawal of €10.00 recorded." in page
    user = await user_for(sessionmaker, player)
    assert await count_rows(sessionmaker, Flow, user_id=user.id, kind="deposit") == 2


async def test_a_quick_deposit_over_htmx_returns_a_fresh_form_and_the_figures(post, player, sessionmaker):
    await issue_example(sessionmaker, player)
    key = str(uuid.uuid4())
    data = {
        "amount": "50",
        "currency": "USD",
        "occurred_at": datetime.now(UTC).strftime("%Y-%m-%d"),
        "request_key": key,
    }
    response = await post.htmx("/dashboard/deposit", data, target="form#quick-deposit-form")
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<form id="quick-deposit-form"')
    assert KEY_RE.search(html.split("</form>")[0]).group(1) != key
    assert figure(html, "deposits-total") == "$100.00" and figure(html, "profit-total") == "+$300.00"
    assert '<hx-partial hx-target="#dashboard-chart"' in html and "Deposit of $50.00 recorded." in html
    withdrawal = {**data, "request_key": str(uuid.uuid4())}
    response = await post.htmx("/dashboard/withdrawal", withdrawal, target="form#quick-withdrawal-form")
    assert response.text.lstrip().startswith('<form id="quick-withdrawal-form"')
    assert figure(response.text, "withdrawals-total") == "$150.00"


async def test_a_bad_quick_deposit_or_withdrawal_is_a_422_next_to_the_field(post, player):
    now = datetime.now(UTC)
    cases = [
        ({"amount": "", "currency": "USD"}, "amount", "Enter an amount."),
        ({"amount": "ten", "currency": "USD"}, "amount", "Enter a number, like 1234.56."),
        ({"amount": "0", "currency": "USD"}, "amount", "The amount must be more than zero."),
        ({"amount": "-3", "currency": "USD"}, "amount", "The amount can&#39;t be negative."),
        ({"amount": "5", "currency": "XXX"}, "currency", "Choose a currency from the list."),
        ({"amount": "5", "currency": "JPY"}, None, None),  # valid: no 422 (checked below)
        (
            {
                "amount": "5",
                "currency": "USD",
                "occurred_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            },
            "occurred_at",
            "The date can&#39;t be more than a day in the future.",
        ),
    ]
    for kind, prefix in (("deposit", "qd"), ("withdrawal", "qw")):
        for values, name, message in cases:
            if name is None:
                continue
            data = {
                "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
                **values,
                "note": "typed",
                "request_key": str(uuid.uuid4()),
            }
            plain = await post.form(f"/dashboard/{kind}", data)
            assert plain.status_code == 422, (kind, values)
            assert f'<p class="error" id="{prefix}-{name}-error">{message}' in plain.text
            assert 'value="typed"' in plain.text and f'value="{values["amount"]}"' in plain.text
            swapped = await post.htmx(f"/dashboard/{kind}", data, target=f"form#quick-{kind}-form")
            assert swapped.status_code == 422 and swapped.text.lstrip().startswith(
                f'<form id="quick-{kind}-form"'
            )
            assert f'id="{prefix}-{name}-error"' in swapped.text


async def test_a_double_submitted_deposit_is_recorded_once(post, player, sessionmaker):
    data = {
        "amount": "20",
        "currency": "USD",
        "occurred_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
        "request_key": str(uuid.uuid4()),
    }
    assert (await post.form("/dashboard/deposit", data)).status_code == 303
    again = await post.htmx("/dashboard/deposit", data, target="form#quick-deposit-form")
    assert again.status_code == 200 and "That was already recorded." in again.text
    user = await user_for(sessionmaker, player)
    assert await count_rows(sessionmaker, Flow, user_id=user.id) == 1


async def test_quick_actions_need_a_login_and_a_csrf_token(client, post, player):
    for path in ("/dashboard/balance", "/dashboard/deposit", "/dashboard/withdrawal"):
        assert (await client.post(path, data={"amount": "1"})).status_code == 403
    await post.form("/logout")
    token = await csrf_token(client, "/login")
    response = await client.post("/dashboard/deposit", data={"csrf_token": token, "amount": "1"})
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


# --- performance ----------------------------------------------------------------------------------


async def queries_for(client, connection, path: str, headers=None) -> int:
    count = 0

    def count_query(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(connection.sync_engine, "before_cursor_execute", count_query)
    try:
        response = await client.get(path, headers=headers or {})
        assert response.status_code == 200
    finally:
        event.remove(connection.sync_engine, "before_cursor_execute", count_query)
    return count


async def test_the_dashboard_runs_the_same_few_queries_whatever_the_history(
    client, other_client, sessionmaker, connection
):
    small = await sign_up(client)
    big = await sign_up(other_client, currency="EUR")
    user = await user_for(sessionmaker, small)
    await add_holding(sessionmaker, user, "Stars", "site", "USD", ["1", "2"])
    await add_holding(sessionmaker, user, "Bank", "asset", "EUR", ["3"])
    await add_flow(sessionmaker, user, "deposit", "5")
    user = await user_for(sessionmaker, big)
    currencies = ["USD", "EUR", "GBP", "BTC", "USDT", "CAD"]
    for n in range(12):
        balances = [str(100 + (n * day) % 37) for day in range(400)]
        kind = "site" if n < 8 else "asset"
        await add_holding(sessionmaker, user, f"H{n}", kind, currencies[n % 6], balances, days_ago=420)
    for n in range(40):
        await add_flow(
            sessionmaker, user, "deposit" if n % 2 else "withdrawal", str(10 + n), "USD", days_ago=n * 9
        )
    for path, headers in (
        ("/dashboard", None),
        ("/dashboard?range=all&show=profit", None),
        ("/dashboard?range=all", CHART),
        ("/dashboard?range=1y&show=profit", CHART),
    ):
        few = await queries_for(client, connection, path, headers)
        many = await queries_for(other_client, connection, path, headers)
        assert few == many, path
        print(path, headers, few)
        # user, holdings and entries (2), snapshot span, marks state (+ its rates fingerprint), flows,
        # transfers and snapshot days after the marks, rates, snapshots at the chart's days (+ marks at
        # them, once there are marks), goals, sessions, and the savepoint pair
        assert few <= 16, (path, few)
