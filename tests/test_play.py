"""Poker sessions over HTTP: add, validate, list filters, edit, delete with undo, timer, results, export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.models import BalanceEntry, Holding, PokerSession, utcnow
from tests.test_flows import make_holding, user_of

ROW_RE = re.compile(r'<tr id="play-(\d+)"')


def play_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "game": "NLH",
        "format": "cash",
        "setting": "live",
        "venue": "Casino Royale",
        "currency": "USD",
        "stakes": "1/2",
        "buy_in": "200",
        "cash_out": "350",
        "started_at": "2026-03-01T20:00",
        "ended_at": "2026-03-01T23:30",
        "break_minutes": "30",
        "hands": "90",
        "tables": "1",
        "tags": "home, deep",
        "request_key": "",
    }
    data.update(overrides)
    return data


async def plays(sessionmaker, email: str) -> list[PokerSession]:
    user = await user_of(sessionmaker, email)
    async with sessionmaker() as session:
        query = select(PokerSession).where(PokerSession.user_id == user.id).order_by(PokerSession.id)
        return list((await session.execute(query)).scalars())


async def test_logging_a_finished_session_saves_it_and_lists_its_result(client, player, post, sessionmaker):
    response = await post.form("/play", play_data())
    assert response.status_code == 303 and response.headers["location"] == "/play"
    [play] = await plays(sessionmaker, player)
    assert (play.small_blind, play.big_blind, play.buy_in, play.cash_out) == (
        Decimal(1),
        Decimal(2),
        Decimal(200),
        Decimal(350),
    )
    assert play.live and play.break_seconds == 1800 and play.tags == ",home,deep,"
    page = await client.get("/play")
    assert ROW_RE.findall(page.text) == [str(play.id)]
    assert "+$150.00" in page.text and "Casino Royale" in page.text


async def test_an_htmx_save_navigates_back_to_the_list(player, post, sessionmaker):
    response = await post.htmx("/play", play_data(), target="#play-form")
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/play"
    assert len(await plays(sessionmaker, player)) == 1


async def test_the_same_form_submitted_twice_records_one_session(player, post, sessionmaker):
    data = play_data(request_key="key-123")
    assert (await post.form("/play", data)).status_code == 303
    assert (await post.form("/play", data)).status_code == 303
    assert len(await plays(sessionmaker, player)) == 1


async def test_an_end_before_the_start_is_refused_next_to_the_end(player, post, sessionmaker):
    response = await post.form("/play", play_data(ended_at="2026-03-01T19:00"))
    assert response.status_code == 422
    assert re.search(r'id="e-ended_at">The end is before the start', response.text)
    assert 'value="Casino Royale"' in response.text  # what was typed is kept
    assert await plays(sessionmaker, player) == []


async def test_breaks_longer_than_the_session_are_refused(player, post):
    response = await post.form("/play", play_data(break_minutes="240"))
    assert response.status_code == 422
    assert 'id="e-break_minutes"' in response.text


async def test_negative_break_minutes_are_refused(player, post):
    response = await post.form("/play", play_data(break_minutes="-10"))
    assert response.status_code == 422
    assert re.search(r'id="e-break_minutes">The break minutes can.{1,5}t be negative', response.text)


async def test_a_missing_cash_out_is_refused_next_to_the_field_in_the_htmx_form(player, post):
    response = await post.htmx("/play", play_data(cash_out=""), target="#play-form")
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<form id="play-form"')
    assert re.search(r'id="e-cash_out">Enter the cash-out', response.text)


async def test_a_cash_game_needs_its_blinds_and_a_place(player, post):
    response = await post.form("/play", play_data(stakes="two", venue=""))
    assert response.status_code == 422
    assert 'id="e-stakes"' in response.text and 'id="e-venue"' in response.text


async def test_a_tournament_counts_fee_re_entries_and_add_ons_in_its_cost(player, post, client, sessionmaker):
    data = play_data(
        format="MTT", stakes="", buy_in="50", fee="5", re_entries="1", add_ons="20", cash_out="300"
    )
    assert (await post.form("/play", data)).status_code == 303
    [play] = await plays(sessionmaker, player)
    assert play.small_blind is None and play.re_entries == 1
    page = await client.get("/play")
    assert "+$170.00" in page.text  # 300 − (55 × 2 + 20)


async def test_another_players_site_cannot_be_chosen(player, post, other_player, sessionmaker):
    theirs = await make_holding(sessionmaker, other_player, "Theirs")
    response = await post.form("/play", play_data(setting="online", venue="", holding_id=str(theirs)))
    assert response.status_code == 422 and 'id="e-holding_id"' in response.text


async def test_an_online_session_can_record_the_sites_new_balance(player, post, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars", balance="500")
    data = play_data(setting="online", venue="", holding_id=str(site), new_balance="650", request_key="k1")
    assert (await post.form("/play", data)).status_code == 303
    assert (await post.form("/play", data)).status_code == 303  # a double submit adds nothing
    async with sessionmaker() as session:
        balances = (
            await session.execute(
                select(BalanceEntry.balance).where(BalanceEntry.holding_id == site).order_by(BalanceEntry.id)
            )
        ).scalars()
        assert list(balances) == [Decimal(500), Decimal(650)]
    [play] = await plays(sessionmaker, player)
    assert play.holding_id == site


async def test_a_session_is_edited_and_deleted_with_undo(client, player, post, sessionmaker):
    await post.form("/play", play_data())
    [play] = await plays(sessionmaker, player)
    edit = await client.get(f"/play/{play.id}/edit")
    assert edit.status_code == 200 and 'value="350.00"' in edit.text
    response = await post.form(f"/play/{play.id}/edit", play_data(cash_out="100"))
    assert response.status_code == 303
    assert "−$100.00" in (await client.get("/play")).text or "-$100.00" in (await client.get("/play")).text
    response = await post.form(f"/play/{play.id}/delete")
    assert response.status_code == 303
    page = await client.get("/play")
    assert ROW_RE.findall(page.text) == [] and f"/play/{play.id}/restore" in page.text
    await post.form(f"/play/{play.id}/restore")
    assert ROW_RE.findall((await client.get("/play")).text) == [str(play.id)]


async def test_an_invalid_edit_is_refused_with_422(player, post, sessionmaker):
    await post.form("/play", play_data())
    [play] = await plays(sessionmaker, player)
    response = await post.form(f"/play/{play.id}/edit", play_data(ended_at="2026-03-01T10:00"))
    assert response.status_code == 422 and 'id="e-ended_at"' in response.text
    [same] = await plays(sessionmaker, player)
    assert same.ended_at == play.ended_at


async def test_another_players_session_is_not_found(player, post, other_player, other_post, sessionmaker):
    await other_post.form("/play", play_data())
    [theirs] = await plays(sessionmaker, other_player)
    for path in ("edit", "delete", "restore", "pause", "resume", "stop"):
        response = await post.form(f"/play/{theirs.id}/{path}", play_data(cash_out="1"))
        assert response.status_code == 404, path
    [same] = await plays(sessionmaker, other_player)
    assert same.cash_out == Decimal(350) and same.deleted_at is None


async def test_posts_without_the_csrf_token_are_refused(client, player, sessionmaker):
    response = await client.post("/play", data=play_data())
    assert response.status_code == 403
    assert (await client.post("/play/timer", data={})).status_code == 403
    assert await plays(sessionmaker, player) == []


async def _three(post) -> None:
    await post.form("/play", play_data())
    await post.form(
        "/play",
        play_data(
            game="PLO", stakes="2/5", cash_out="0", tags="online grind", setting="online", venue="Home"
        ),
    )
    await post.form(
        "/play", play_data(started_at="2026-04-02T20:00", ended_at="2026-04-02T22:00", break_minutes="0")
    )


async def test_the_list_filters_by_game_stakes_tag_place_setting_and_dates(client, player, post):
    await _three(post)
    count = lambda page: len(ROW_RE.findall(page.text))  # noqa: E731
    assert count(await client.get("/play")) == 3
    assert count(await client.get("/play?game=PLO")) == 1
    assert count(await client.get("/play?stakes=1/2")) == 2
    assert count(await client.get("/play?tag=DEEP")) == 2
    assert count(await client.get("/play?place=home")) == 1
    assert count(await client.get("/play?setting=online")) == 1
    assert count(await client.get("/play?from=2026-04-01")) == 1
    assert count(await client.get("/play?from=2026-03-01&to=2026-03-31&game=NLH")) == 1
    bad = await client.get("/play?from=soon&game=Chess")
    assert bad.status_code == 200 and count(bad) == 3 and 'id="e-from"' in bad.text


async def test_an_htmx_filter_answers_with_the_list_and_the_filter(client, player, post):
    await _three(post)
    response = await client.get("/play?game=PLO", headers={"HX-Request": "true", "HX-Target": "#play-list"})
    assert response.text.lstrip().startswith('<section id="play-list"')
    assert len(ROW_RE.findall(response.text)) == 1
    assert 'hx-target="#play-filter"' in response.text
    assert "HX-Request" in response.headers["Vary"]


async def test_the_timer_starts_pauses_resumes_and_stops(client, player, post, sessionmaker):
    await post.form("/play", play_data(game="PLO", stakes="1/2"))
    response = await post.htmx("/play/timer", {"request_key": "t1"}, target="#play-timer")
    assert response.status_code == 200 and 'id="play-timer"' in response.text and "Pause" in response.text
    assert (await post.form("/play/timer", {"request_key": "t2"})).status_code == 303  # one timer at a time
    running = [p for p in await plays(sessionmaker, player) if p.ended_at is None]
    assert len(running) == 1 and running[0].game == "PLO" and running[0].big_blind == Decimal(2)
    timer = running[0]
    async with sessionmaker() as session:  # pretend it started an hour ago
        stored = await session.get(PokerSession, timer.id)
        stored.started_at = utcnow() - timedelta(hours=1)
        await session.commit()
    assert "Resume" in (await post.htmx(f"/play/{timer.id}/pause", target="#play-timer")).text
    async with sessionmaker() as session:  # and the break began ten minutes ago
        stored = await session.get(PokerSession, timer.id)
        stored.paused_at = utcnow() - timedelta(minutes=10)
        await session.commit()
    page = await client.get("/play")  # a reload shows the stored state, the clock stopped
    assert "On a break" in page.text and 'data-running="no"' in page.text
    assert "Pause" in (await post.htmx(f"/play/{timer.id}/resume", target="#play-timer")).text
    response = await post.htmx(f"/play/{timer.id}/stop")
    assert response.headers["HX-Redirect"] == f"/play/{timer.id}/edit"
    [_first, stopped] = await plays(sessionmaker, player)
    assert stopped.ended_at is not None and 595 <= stopped.break_seconds <= 610
    edit = await client.get(f"/play/{timer.id}/edit")
    assert 'value="PLO" selected' in edit.text
    assert "Enter the cash-out" in (await client.get("/play")).text


async def test_results_show_profit_rates_and_the_chart(client, player, post):
    await _three(post)
    page = await client.get("/play/results")
    assert page.status_code == 200
    assert "+$100.00" in page.text  # +150 − 200 + 150
    assert "bb/100" in page.text and 'role="img"' in page.text and "<title" in page.text
    assert "too small to trust" in page.text
    assert re.search(r'data-label="Game">PLO</th>\s*<td class="num" data-label="Sessions">1</td>', page.text)
    assert "style=" not in page.text.split('id="play-results"')[1]


async def test_results_follow_the_filter_in_place(client, player, post):
    await _three(post)
    response = await client.get(
        "/play/results?game=PLO", headers={"HX-Request": "true", "HX-Target": "#play-results"}
    )
    assert response.text.lstrip().startswith('<section id="play-results"')
    assert "−$200.00" in response.text or "-$200.00" in response.text
    assert "No losing session" not in response.text


async def test_the_csv_export_has_the_documented_columns(client, player, post):
    await _three(post)
    response = await client.get("/play/export.csv?game=NLH")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2
    assert rows[0]["result"] == "150.00" and rows[0]["small_blind"] == "1" and rows[0]["tags"] == "home, deep"


async def test_the_pages_need_a_login(client):
    for path in ("/play", "/play/new", "/play/results", "/play/export.csv"):
        response = await client.get(path)
        assert response.status_code in (302, 303), path


async def test_a_new_session_form_is_prefilled_from_the_last_one(client, player, post):
    await post.form("/play", play_data(game="PLO5", stakes="5/10"))
    page = await client.get("/play/new")
    assert 'value="PLO5" selected' in page.text and 'value="5/10"' in page.text


async def test_repeated_timer_buttons_are_harmless(player, post, sessionmaker):
    await post.form("/play/timer", {"request_key": "same"})
    await post.form("/play/timer", {"request_key": "same"})
    [timer] = await plays(sessionmaker, player)
    for action in ("pause", "pause", "resume", "resume", "stop", "stop", "pause", "resume"):
        response = await post.form(f"/play/{timer.id}/{action}")
        assert response.status_code == 303, action
    [stopped] = await plays(sessionmaker, player)
    assert stopped.ended_at is not None and stopped.paused_at is None and stopped.break_seconds < 5


async def test_results_show_stake_advice_once_the_sample_is_large(client, player, post, sessionmaker):
    site = await make_holding(sessionmaker, player, "Stars", balance="5000")
    for day in range(1, 29):  # 28 sessions of 4 h: 112 hours
        won = "300" if day % 2 else "150"
        data = play_data(
            started_at=f"2026-02-{day:02d}T10:00",
            ended_at=f"2026-02-{day:02d}T14:00",
            break_minutes="0",
            cash_out=won,
            setting="online",
            venue="",
            holding_id=str(site),
        )
        assert (await post.form("/play", data)).status_code == 303
    page = await client.get("/play/results")
    assert "The sample is too small to trust:" not in page.text  # 112 hours are enough for $/h
    assert re.search(r"the risk of ruin is <strong>[0-9.]+ %</strong>", page.text)
    # 28 × 90 hands are not enough for bb/100: said so, with the interval's width
    assert re.search(r"Your bb/100 comes from 2,520 hands: the sample is too small to trust", page.text)
    assert re.search(r"the 95 % interval is still\s+±[0-9.]+ bb/100", page.text)


def upload(post, content: str, name: str = "sessions.csv"):
    async def send():
        token = await post.token()
        return await post.client.post(
            "/play/import", data={"csrf_token": token}, files={"file": (name, content.encode(), "text/csv")}
        )

    return send()


async def test_an_exported_file_imports_again_without_duplicates(client, player, post, sessionmaker):
    await _three(post)
    exported = (await client.get("/play/export.csv")).text
    preview = await upload(post, exported)
    assert preview.status_code == 200
    assert "0 new sessions" in preview.text and "3 already imported" in preview.text
    assert 'name="action" value="confirm"' not in preview.text
    assert len(await plays(sessionmaker, player)) == 3


async def test_a_spreadsheet_is_mapped_previewed_and_imported_all_at_once(client, player, post, sessionmaker):
    sheet = (
        "Date,End time,Blinds,Buyin,Cashout,Casino,Where\n"
        "2026-01-05 20:00,2026-01-05 23:00,1/3,300,500,Bellagio,Vegas\n"
        "2026-01-06 20:00,2026-01-06 22:00,1/3,300,0,Bellagio,Vegas\n"
    )
    preview = await upload(post, sheet)
    assert preview.status_code == 200 and "2 new sessions" in preview.text
    assert '<option value="Blinds" selected>' in preview.text
    data = {"csv": sheet, "action": "confirm", "map_location": "Where"}
    data |= {
        f"map_{t}": h for t, h in [("started_at", "Date"), ("ended_at", "End time"), ("stakes", "Blinds")]
    }
    data |= {"map_buy_in": "Buyin", "map_cash_out": "Cashout", "map_venue": "Casino"}
    response = await post.form("/play/import", data)
    assert response.status_code == 303
    imported = await plays(sessionmaker, player)
    assert [(p.location, p.big_blind, p.cash_out) for p in imported] == [
        ("Vegas", Decimal(3), Decimal(500)),
        ("Vegas", Decimal(3), Decimal(0)),
    ]
    assert (await post.form("/play/import", data)).status_code == 303  # again: nothing new
    assert len(await plays(sessionmaker, player)) == 2


async def test_an_import_with_a_bad_row_shows_per_row_errors_and_saves_nothing(player, post, sessionmaker):
    sheet = (
        "start,end,stakes,buy_in,cash_out,venue\n"
        "2026-01-05 20:00,2026-01-05 23:00,1/2,200,250,Club\n"
        "2026-01-06 20:00,2026-01-06 19:00,1/2,200,,Club\n"
    )
    preview = await upload(post, sheet)
    assert preview.status_code == 422
    assert "Line 3, End: The end is before the start." in preview.text
    assert "Line 3, Cash-out or prize: Enter the cash-out" in preview.text
    data = {"csv": sheet, "action": "confirm", "map_started_at": "start", "map_ended_at": "end"}
    data |= {"map_stakes": "stakes", "map_buy_in": "buy_in", "map_cash_out": "cash_out", "map_venue": "venue"}
    assert (await post.form("/play/import", data)).status_code == 422
    assert await plays(sessionmaker, player) == []


async def test_an_import_needs_the_required_columns_and_a_readable_file(player, post):
    missing = await upload(post, "when,what\n2026-01-01,x\n")
    assert (
        missing.status_code == 422
        and "Choose the columns for: Start, End, Buy-in, Cash-out or prize" in missing.text
    )
    token = await post.token()
    latin = await post.client.post(
        "/play/import",
        data={"csrf_token": token},
        files={"file": ("x.csv", "start,café\n".encode("latin-1"))},
    )
    assert latin.status_code == 422 and "not UTF-8" in latin.text
    empty = await upload(post, "\n\n")
    assert empty.status_code == 422


# ---- a live session and the player's cash -------------------------------------------------------


async def make_cash(sessionmaker, email: str, name: str, balance: str, currency: str = "USD") -> int:
    holding_id = await make_holding(sessionmaker, email, name, "asset", currency, balance=balance)
    async with sessionmaker() as session:
        holding = await session.get(Holding, holding_id)
        assert holding is not None
        holding.category = "cash"
        await session.commit()
    return holding_id


async def balances_of(sessionmaker, holding_id: int) -> list[Decimal]:
    async with sessionmaker() as session:
        query = (
            select(BalanceEntry.balance)
            .where(BalanceEntry.holding_id == holding_id)
            .order_by(BalanceEntry.id)
        )
        return list((await session.execute(query)).scalars())


async def test_a_live_session_can_update_the_cash_asset_by_its_result_less_expenses(
    client, player, post, sessionmaker
):
    cash = await make_cash(sessionmaker, player, "Wallet", "1000")
    bank = await make_holding(sessionmaker, player, "Bank", "asset", "USD", balance="5000")
    site = await make_holding(sessionmaker, player, "Stars", balance="300")
    form = await client.get("/play/new")
    assert 'name="update_cash"' in form.text and f'name="cash_holding_id" value="{cash}"' in form.text
    data = play_data(update_cash="on", expenses="30", request_key="cash-1")  # +150 − 30
    assert (await post.form("/play", data)).status_code == 303
    assert (await post.form("/play", data)).status_code == 303  # a double submit moves the cash once
    assert await balances_of(sessionmaker, cash) == [Decimal(1000), Decimal(1120)]
    assert await balances_of(sessionmaker, bank) == [Decimal(5000)]  # nothing else is touched
    assert await balances_of(sessionmaker, site) == [Decimal(300)]


async def test_the_cash_is_left_alone_unless_asked(player, post, sessionmaker):
    cash = await make_cash(sessionmaker, player, "Wallet", "1000")
    assert (await post.form("/play", play_data())).status_code == 303
    assert await balances_of(sessionmaker, cash) == [Decimal(1000)]


async def test_with_several_cash_assets_the_player_chooses_one(client, player, post, sessionmaker):
    await make_cash(sessionmaker, player, "Wallet", "100")
    safe = await make_cash(sessionmaker, player, "Safe", "2000")
    form = await client.get("/play/new")
    assert '<select id="f-cash_holding_id"' in form.text
    response = await post.form("/play", play_data(update_cash="on"))
    assert response.status_code == 422
    assert re.search(r'id="e-cash_holding_id">Choose one of your cash assets', response.text)
    assert re.search(r'id="f-update_cash"[^>]*checked', response.text)  # what was ticked stays ticked
    data = play_data(update_cash="on", cash_holding_id=str(safe), buy_in="300", cash_out="100")
    assert (await post.form("/play", data)).status_code == 303
    assert await balances_of(sessionmaker, safe) == [Decimal(2000), Decimal(1800)]


async def test_an_online_session_or_another_currency_cannot_update_the_cash(
    client, player, post, sessionmaker
):
    cash = await make_cash(sessionmaker, player, "Wallet", "100")
    online = play_data(update_cash="on", setting="online", cash_holding_id=str(cash))
    response = await post.form("/play", online)
    assert response.status_code == 422 and 'id="e-update_cash"' in response.text
    euros = play_data(update_cash="on", currency="EUR", cash_holding_id=str(cash))
    response = await post.form("/play", euros)
    assert response.status_code == 422
    assert re.search(r'id="e-cash_holding_id">Wallet is in USD and the session in EUR', response.text)
    assert await plays(sessionmaker, player) == [] and await balances_of(sessionmaker, cash) == [Decimal(100)]


async def test_another_players_cash_asset_cannot_be_chosen(player, post, other_player, sessionmaker):
    await make_cash(sessionmaker, player, "Mine", "10")
    theirs = await make_cash(sessionmaker, other_player, "Theirs", "500")
    response = await post.form("/play", play_data(update_cash="on", cash_holding_id=str(theirs)))
    assert response.status_code == 422 and 'id="e-cash_holding_id"' in response.text
    assert await balances_of(sessionmaker, theirs) == [Decimal(500)]


async def test_a_stopped_timer_saved_with_update_my_cash_moves_the_cash(client, player, post, sessionmaker):
    cash = await make_cash(sessionmaker, player, "Wallet", "400")
    await post.form("/play", play_data())  # the last session: live, 1/2
    await post.form("/play/timer", {"request_key": "t-1"})
    running = next(p for p in await plays(sessionmaker, player) if p.ended_at is None)
    await post.form(f"/play/{running.id}/stop", {})
    edit = await client.get(f"/play/{running.id}/edit")
    assert 'name="update_cash"' in edit.text
    key = re.search(r'name="request_key" value="([^"]+)"', edit.text)
    assert key is not None  # the edit form has its own key: a double submit moves the cash once
    start = running.started_at.astimezone(UTC)
    data = play_data(
        update_cash="on",
        buy_in="200",
        cash_out="80",
        break_minutes="0",
        started_at=start.strftime("%Y-%m-%dT%H:%M:%S"),
        ended_at=(start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"),
        request_key=key.group(1),
    )
    assert (await post.form(f"/play/{running.id}/edit", data)).status_code == 303
    assert (await post.form(f"/play/{running.id}/edit", data)).status_code == 303
    assert await balances_of(sessionmaker, cash) == [Decimal(400), Decimal(280)]


# ---- paging ---------------------------------------------------------------------------------------


async def add_many(sessionmaker, email: str, count: int, **fields: object) -> None:
    user = await user_of(sessionmaker, email)
    start = utcnow() - timedelta(days=count + 1)
    async with sessionmaker() as session:
        base: dict[str, object] = {
            "game": "NLH",
            "format": "cash",
            "live": True,
            "venue": "Club",
            "currency": "USD",
            "small_blind": Decimal(1),
            "big_blind": Decimal(2),
            "buy_in": Decimal(100),
        }
        session.add_all(
            PokerSession(
                user_id=user.id,
                cash_out=Decimal(100 + n),
                started_at=start + timedelta(days=n),
                ended_at=start + timedelta(days=n, hours=2),
                **{**base, **fields},
            )
            for n in range(count)
        )
        await session.commit()


async def test_the_list_pages_past_200_sessions_keeping_the_filter(client, player, sessionmaker):
    await add_many(sessionmaker, player, 203)
    await add_many(sessionmaker, player, 3, game="PLO")
    first = await client.get("/play?game=NLH")
    ids = ROW_RE.findall(first.text)
    assert len(ids) == 200 and "Sessions 1–200 (page 1)" in first.text
    assert 'href="/play?game=NLH&amp;page=2"' in first.text and 'rel="prev"' not in first.text
    second = await client.get("/play?game=NLH&page=2")
    older = ROW_RE.findall(second.text)
    assert len(older) == 3 and not set(older) & set(ids)
    assert "Sessions 201–203 (page 2)" in second.text
    assert 'href="/play?game=NLH"' in second.text and 'rel="next"' not in second.text


async def test_a_page_answers_htmx_with_the_list_alone(client, player, sessionmaker):
    await add_many(sessionmaker, player, 201)
    response = await client.get("/play?page=2", headers={"HX-Request": "true", "HX-Target": "#play-list"})
    assert response.status_code == 200
    assert len(ROW_RE.findall(response.text)) == 1 and 'id="play-timer"' not in response.text


async def test_a_page_past_the_end_or_a_bad_page_number_is_harmless(client, player, sessionmaker):
    await add_many(sessionmaker, player, 2)
    past = await client.get("/play?page=9")
    assert past.status_code == 200 and "No sessions on this page" in past.text
    bad = await client.get("/play?page=abc")
    assert bad.status_code == 200 and len(ROW_RE.findall(bad.text)) == 2
    assert 'class="pager"' not in bad.text


# ---- results: charts and advice from bb/100 -----------------------------------------------------


async def test_results_draw_profit_by_game_stakes_place_and_hourly_by_length_with_text(client, player, post):
    await post.form("/play", play_data())  # NLH 1/2, 3 h at the table, +150
    await post.form(
        "/play",
        play_data(
            game="PLO",
            stakes="2/5",
            venue="Bellagio",
            cash_out="100",
            started_at="2026-03-02T20:00",
            ended_at="2026-03-02T20:45",
            break_minutes="0",
        ),  # −100 in 45 minutes
    )
    page = await client.get("/play/results")
    for chart_id, words in (
        ("play-bars-game", "Profit by game, 2 groups: best NLH (+$150.00), worst PLO (-$100.00)."),
        ("play-bars-stakes", "Profit by stakes, 2 groups: best 1/2 (+$150.00), worst 2/5 (-$100.00)."),
        (
            "play-bars-place",
            "Profit by site or venue, 2 groups: best Casino Royale (+$150.00), worst Bellagio",
        ),
        (
            "play-bars-length",
            "Per hour by session length, 2 groups: best 2–4 h (+$50.00), worst Under 1 h (-$133.33).",
        ),
    ):
        assert f'aria-labelledby="{chart_id}-title"' in page.text
        assert f'<title id="{chart_id}-title">{words}' in page.text.replace("&#39;", "'")
    assert re.search(
        r'<th scope="row" class="cell-title" data-label="Session length">Under 1 h</th>', page.text
    )


async def test_results_with_enough_hands_give_the_risk_of_ruin_at_each_stake(
    client, player, post, sessionmaker
):
    site = await make_holding(sessionmaker, player, "Stars", balance="2000")
    for day, (cash_out, hands) in enumerate((("800", "6000"), ("140", "5000")), start=1):
        data = play_data(
            setting="online",
            venue="",
            holding_id=str(site),
            cash_out=cash_out,
            hands=hands,
            started_at=f"2026-02-0{day}T10:00",
            ended_at=f"2026-02-0{day}T14:00",
            break_minutes="0",
        )
        assert (await post.form("/play", data)).status_code == 303
    page = await client.get("/play/results")
    assert "the sample is too small to trust" not in page.text
    table = page.text.split('class="responsive play-hands-risk"')[1]
    row = re.search(r'data-label="Stakes">1/2</th>(.*?)</tr>', table, re.S)
    assert row is not None
    assert re.search(r"1,000 bb", row.group(1))  # $2,000 at a $2 big blind
    assert re.search(r"<strong>[0-9.]+ %</strong>", row.group(1))
    assert re.search(r"11,000 hands", page.text)
