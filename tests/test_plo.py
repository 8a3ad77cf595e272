"""The PLO tools over HTTP: hand strength, rankings and ranges — full pages, htmx blocks, 422s, tool uses."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from app.models import ToolUse, User

HX = {"HX-Request": "true"}


def hx(target: str) -> dict[str, str]:
    return {**HX, "HX-Target": target}


def text_of(html: str, element_id: str) -> str:
    """The text of the element with this id."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no #{element_id}"
    return " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(2))).split())


def plain(html: str) -> str:
    """The page with entities decoded and no-break spaces as spaces, for text searches."""
    return unescape(html).replace("\xa0", " ")


def error_of(html: str, name: str) -> str:
    """The message next to a field, which the field points at (aria-describedby)."""
    match = re.search(rf'<p class="error" id="e-{name}">(.*?)</p>', html, re.S)
    assert match, f"no error next to {name}"
    assert re.search(rf'name="{name}"[^>]*aria-describedby="e-{name}', html, re.S)
    return unescape(match.group(1))


def value_of(html: str, name: str) -> str:
    """The value of the text input `name`."""
    match = re.search(rf'name="{name}" type="text"\s*value="([^"]*)"', html)
    assert match, f"no input {name}"
    return unescape(match.group(1))


def hands_listed(html: str) -> list[str]:
    """The hands of a rankings or range table, in order, as their strength-page links name them."""
    return re.findall(r'<td><a href="/tools/plo/strength\?hand=(\w{8})">', html)


RANK_WORDS = (
    "ace",
    "king",
    "queen",
    "jack",
    "ten",
    "nine",
    "eight",
    "seven",
    "six",
    "five",
    "four",
    "three",
    "two",
)
RANKS = dict(zip("AKQJT98765432", RANK_WORDS, strict=True))
SUITS = {"s": "spades", "h": "hearts", "d": "diamonds", "c": "clubs"}


def card_names(cards: str) -> str:
    """The text alternative of drawn cards, e.g. "Ace of spades, king of hearts"."""
    names = ", ".join(f"{RANKS[cards[i]]} of {SUITS[cards[i + 1]]}" for i in range(0, len(cards), 2))
    return names[0].upper() + names[1:]


async def uses(sessionmaker, email: str) -> dict[str, int]:
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
        rows = await session.execute(select(ToolUse.tool, ToolUse.uses).where(ToolUse.user_id == user.id))
        return dict(rows.all())


# Hand strength -----------------------------------------------------------------------------


async def test_the_strength_page_asks_for_four_cards(client):
    response = await client.get("/tools/plo/strength")
    assert response.status_code == 200
    assert "<h1>PLO hand strength</h1>" in response.text
    assert '<label for="f-hand">Your four cards</label>' in response.text
    assert "Type four cards to rate them." in response.text


async def test_aces_and_kings_double_suited_are_tier_1_and_a_raise_from_any_seat(client):
    response = await client.get("/tools/plo/strength", params={"hand": "khAsKsah", "position": "UTG"})
    assert response.status_code == 200
    html = response.text
    assert text_of(html, "tier") == "1 · Elite"
    assert text_of(html, "suggestion") == "Raise / 3-bet"
    assert text_of(html, "score") == "132"
    assert text_of(html, "equity") == "70.75 %"  # the shipped table: 7075 basis points
    assert text_of(html, "rank").startswith("#4")
    assert "Pair of aces" in html and "Double-suited" in html and "Nut suit (suited ace)" in html
    assert f'aria-label="{card_names("AsAhKsKh")}"' in html
    assert 'class="pcard pcard-h"' in html
    assert 'value="khAsKsah"' in html  # the input is kept as typed


async def test_the_suggestion_follows_the_tier_by_position_table(client):
    # A tier-3 hand folds under the gun but raises on the button.
    hand = "KsQhJd9c"
    utg = await client.get("/tools/plo/strength", params={"hand": hand, "position": "UTG"})
    btn = await client.get("/tools/plo/strength", params={"hand": hand, "position": "BTN"})
    assert text_of(utg.text, "tier").startswith("3")
    assert text_of(utg.text, "suggestion") == "Fold"
    assert text_of(btn.text, "suggestion") == "Raise / 3-bet"
    trash = await client.get("/tools/plo/strength", params={"hand": "5s5h4d3c", "position": "BTN"})
    assert text_of(trash.text, "tier") == "5 · Marginal"
    assert text_of(trash.text, "suggestion") == "Fold"


async def test_the_htmx_path_returns_only_the_strength_block(client):
    response = await client.get(
        "/tools/plo/strength", params={"hand": "9s8h7s6h"}, headers=hx("div#strength")
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="strength"')
    assert "<html" not in response.text and "<h1>" not in response.text
    assert "HX-Request" in response.headers["vary"]
    assert text_of(response.text, "tier") == "2 · Premium"


async def test_bad_cards_are_answered_next_to_the_field_with_422_keeping_the_input(client):
    cases = {
        "AsKhQd": "exactly 4 cards",
        "AsKhQd7c2c": "exactly 4 cards",
        "AsAsKdKc": "As appears twice",
        "AxKhQd7c": "suits are s, h, d, c",
        "1sKhQd7c": "ranks are 2-9, T, J, Q, K, A",
    }
    for typed, message in cases.items():
        response = await client.get("/tools/plo/strength", params={"hand": typed}, headers=hx("div#strength"))
        assert response.status_code == 422, typed
        assert message in error_of(response.text, "hand"), typed
        assert f'value="{typed}"' in response.text
        assert 'id="tier"' not in response.text
    plain = await client.get("/tools/plo/strength", params={"hand": "AsKh"})
    assert plain.status_code == 422 and "<h1>PLO hand strength</h1>" in plain.text


async def test_a_logged_in_player_using_the_strength_tool_is_counted_once_per_result(
    client, player, sessionmaker
):
    await client.get("/tools/plo/strength", params={"hand": "AsAhKsKh"})
    await client.get("/tools/plo/strength", params={"hand": "AsAh"})  # a mistake is not a use
    await client.get("/tools/plo/strength")
    assert (await uses(sessionmaker, player)).get("plo-strength") == 1


# Rankings -----------------------------------------------------------------------------------


async def test_the_rankings_start_with_the_best_hands_by_equity(client):
    response = await client.get("/tools/plo/rankings")
    assert response.status_code == 200
    hands = hands_listed(response.text)
    assert len(hands) == 50
    assert hands[0] == "AsAhTsTh"  # the table's best class: AATT double-suited
    assert "Page 1 of 329" in response.text
    assert "All 16,432 hand classes" in response.text


async def test_searching_aakk_finds_the_three_aakk_classes(client):
    response = await client.get("/tools/plo/rankings", params={"q": "aakk"})
    assert response.status_code == 200
    assert hands_listed(response.text) == ["AsAhKsKh", "AsAhKsKd", "AsAhKdKc"]
    assert "3 classes match" in response.text and "36 of the 270,725 hands" in response.text


async def test_a_card_search_and_a_suit_pattern_narrow_the_rankings(client):
    exact = await client.get("/tools/plo/rankings", params={"q": "KhKsAhAs"})
    assert hands_listed(exact.text) == ["AsAhKsKh"]
    ds = await client.get("/tools/plo/rankings", params={"q": "AAKKds"})
    assert hands_listed(ds.text) == ["AsAhKsKh"]


async def test_rankings_sort_by_score_and_page_through_htmx_and_plain_links(client):
    page2 = await client.get("/tools/plo/rankings", params={"sort": "score", "page": "2"})
    assert "Page 2 of 329" in page2.text
    assert 'href="/tools/plo/rankings?sort=score&amp;page=3"' in page2.text
    assert 'href="/tools/plo/rankings?sort=score&amp;page=1"' in page2.text
    first = await client.get("/tools/plo/rankings", params={"sort": "score"})
    assert hands_listed(first.text)[0] == "AsAhKsKh"  # the top score
    assert not set(hands_listed(first.text)) & set(hands_listed(page2.text))
    fragment = await client.get(
        "/tools/plo/rankings", params={"sort": "score", "page": "2"}, headers=hx("section#results")
    )
    assert fragment.text.lstrip().startswith('<section id="results"')
    assert hands_listed(fragment.text) == hands_listed(page2.text)
    assert "HX-Request" in fragment.headers["vary"]
    whole = await client.get("/tools/plo/rankings", params={"q": "AA"}, headers=hx("div#rankings"))
    assert whole.text.lstrip().startswith('<div id="rankings"')


async def test_the_last_page_lists_the_worst_hand_and_no_next_link(client):
    response = await client.get("/tools/plo/rankings", params={"page": "329"})
    assert hands_listed(response.text)[-1] == "2s2h2d2c"
    assert 'rel="next"' not in response.text and 'rel="prev"' in response.text


async def test_a_bad_rankings_search_is_answered_next_to_the_field(client):
    response = await client.get("/tools/plo/rankings", params={"q": "AsXd"}, headers=hx("div#rankings"))
    assert response.status_code == 422
    assert "Search by ranks" in error_of(response.text, "q")
    assert 'value="AsXd"' in response.text


# Ranges -------------------------------------------------------------------------------------


async def test_the_range_viewer_lists_the_top_five_percent_with_combos(client):
    response = await client.get("/tools/plo/ranges", params={"low": "0", "high": "5"})
    assert response.status_code == 200
    html = response.text
    assert text_of(html, "band-combos") == "13,542"
    assert "5.00 % of all hands" in plain(html)
    assert hands_listed(html)[0] == "AsAhTsTh"
    assert "Page 1 of 18" in html


async def test_a_band_lower_down_starts_where_the_top_band_ends(client, sessionmaker):
    top = await client.get("/tools/plo/ranges", params={"low": "0", "high": "5", "page": "18"})
    below = await client.get("/tools/plo/ranges", params={"low": "5", "high": "10"}, headers=hx("div#ranges"))
    assert below.text.lstrip().startswith('<div id="ranges"')
    assert hands_listed(below.text)[0] not in hands_listed(top.text)
    page = await client.get(
        "/tools/plo/ranges", params={"low": "5", "high": "10", "page": "2"}, headers=hx("section#results")
    )
    assert page.text.lstrip().startswith('<section id="results"') and "Page 2 of" in page.text


async def test_a_bad_range_is_answered_next_to_the_field_with_422(client):
    response = await client.get(
        "/tools/plo/ranges", params={"low": "30", "high": "10"}, headers=hx("div#ranges")
    )
    assert response.status_code == 422
    assert "must be above its start" in error_of(response.text, "high")
    assert 'value="30"' in response.text
    response = await client.get("/tools/plo/ranges", params={"low": "lots", "high": "120"})
    assert response.status_code == 422
    assert "percentage" in error_of(response.text, "low")
    assert "from 0 to 100" in error_of(response.text, "high")


# Scenario analyzer --------------------------------------------------------------------------

SPOT = {"hero": "AsAhKsKh", "villain": "JdTd9c8c", "board": "Kc7d2c", "pot": "20", "bet": "10"}


async def test_the_scenario_page_starts_with_an_empty_picker(client):
    response = await client.get("/tools/plo/scenario")
    assert response.status_code == 200
    html = response.text
    assert "<h1>PLO scenario analyzer</h1>" in html
    assert html.count('name="pick"') == 52
    assert '<span class="visually-hidden">Ace of spades</span>' in html
    assert "disabled" not in html.split('class="plo-deck"')[1].split("</details>")[0]
    assert "4 more for your hand" in html


async def test_a_known_flop_shows_exact_equity_best_hands_outs_spr_and_the_verdict(client):
    from app.poker.equity import enumerate_equity, outs

    response = await client.get("/tools/plo/scenario", params=SPOT)
    assert response.status_code == 200
    html = response.text
    exact = enumerate_equity(["AsAhKsKh", "JdTd9c8c"], "Kc7d2c")
    assert text_of(html, "hero-equity") == f"{exact[0].equity:.2f} %" == "59.51 %"
    assert text_of(html, "villain-equity") == f"{exact[1].equity:.2f} %"
    assert "exact: 820 run-outs" in html
    assert text_of(html, "hero-hand") == "Three of a kind, kings"
    assert text_of(html, "villain-hand") == "High card, king"
    assert "You are ahead" in html
    found = outs(["AsAhKsKh", "JdTd9c8c"], "Kc7d2c", 1)
    assert len(found.wins) == 8
    assert "Your opponent is behind: 8 of 41 cards win." in text_of(html, "outs-summary")
    assert text_of(html, "required-equity") == "25.0 %"  # 10 / (20 + 2 × 10)
    assert text_of(html, "spr") == "10.0"  # 200 / 20
    assert "(100 big blinds)" in plain(html)
    assert text_of(html, "pot-bets") == "2.8"  # log3(2 × 200 / 20 + 1)
    assert "profitable call" in text_of(html, "verdict")
    assert "You: 36.8 %" in plain(html)  # 302 of 820 run-outs fill up or make quads


async def test_behind_and_facing_a_big_bet_is_not_a_profitable_call(client):
    # On the turn the set is ahead; swap seats: the straight-and-flush draw faces a pot-sized bet.
    params = {**SPOT, "hero": "JdTd9c8c", "villain": "AsAhKsKh", "board": "Kc7d2c3h", "bet": "20"}
    response = await client.get("/tools/plo/scenario", params=params)
    html = response.text
    assert "You are behind" in html
    assert text_of(html, "required-equity") == "33.3 %"
    assert "not a profitable call" in text_of(html, "verdict")
    assert "You are behind:" in text_of(html, "outs-summary")


async def test_a_random_opponent_is_simulated_with_a_stated_error(client):
    params = {"hero": "AsAhKsKh", "random": "on", "board": "Kc7d2c"}
    response = await client.get("/tools/plo/scenario", params=params)
    html = response.text
    assert response.status_code == 200
    assert "Against a random hand" in html
    assert "1 standard error, 10,000 simulated deals" in html
    equity = float(text_of(html, "hero-equity").rstrip(" %"))
    assert 80 < equity < 95
    again = await client.get("/tools/plo/scenario", params=params)
    assert text_of(again.text, "hero-equity") == text_of(
        html, "hero-equity"
    )  # the same URL, the same figures
    assert "lift your hand to a better category" in html


async def test_the_htmx_path_returns_only_the_scenario_block(client):
    response = await client.get("/tools/plo/scenario", params=SPOT, headers=hx("div#scenario"))
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="scenario"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]
    assert "HX-Replace-Url" not in response.headers


async def test_picking_a_card_adds_it_and_greys_it_out_in_place_with_a_clean_url(client):
    response = await client.get(
        "/tools/plo/scenario", params={"hero": "AsAh", "to": "hero", "pick": "kh"}, headers=hx("div#scenario")
    )
    assert response.status_code == 200  # an unfinished hand while picking is not an error
    html = response.text
    assert value_of(html, "hero") == "AsAhKh"
    assert re.search(r'name="pick" value="Kh" disabled', html)
    assert re.search(r'name="pick" value="As" disabled', html)
    assert not re.search(r'name="pick" value="Ks" disabled', html)
    assert response.headers["HX-Replace-Url"].startswith("/tools/plo/scenario?hero=AsAhKh&")
    assert "pick=" not in response.headers["HX-Replace-Url"]


async def test_without_javascript_a_pick_redirects_to_the_scenarios_own_url(client):
    response = await client.get("/tools/plo/scenario", params={"hero": "AsAhKs", "pick": "Kh"})
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/tools/plo/scenario?hero=AsAhKsKh&to=villain")  # the hand is full: next field
    page = await client.get(location)
    assert page.status_code == 200 and 'value="AsAhKsKh"' in page.text


async def test_a_used_card_or_a_full_board_ignores_the_pick(client):
    params = {"hero": "AsAhKsKh", "villain": "JdTd9c8c", "board": "Kc7d2c3h", "to": "board"}
    used = await client.get(
        "/tools/plo/scenario", params={**params, "pick": "As"}, headers=hx("div#scenario")
    )
    assert value_of(used.text, "board") == "Kc7d2c3h"
    river = await client.get(
        "/tools/plo/scenario", params={**params, "pick": "4h"}, headers=hx("div#scenario")
    )
    assert value_of(river.text, "board") == "Kc7d4h3h2c"
    full = {**params, "board": "Kc7d4h3h2c"}
    ignored = await client.get(
        "/tools/plo/scenario", params={**full, "pick": "5h"}, headers=hx("div#scenario")
    )
    assert value_of(ignored.text, "board") == "Kc7d4h3h2c"
    assert value_of(ignored.text, "hero") == "AsAhKsKh"


async def test_clearing_a_field_and_moving_the_button(client):
    cleared = await client.get(
        "/tools/plo/scenario", params={**SPOT, "clear": "board"}, headers=hx("div#scenario")
    )
    assert value_of(cleared.text, "board") == ""
    assert re.search(r'name="to" value="board" checked', cleared.text)
    moved = await client.get(
        "/tools/plo/scenario", params={**SPOT, "button": "6", "move": "button"}, headers=hx("div#scenario")
    )
    assert '<option value="1" selected>Seat 1</option>' in moved.text.split('id="f-button"')[1]
    assert "You (BTN)" in moved.text  # hero sits in seat 1, which now has the button


async def test_positions_follow_the_button(client):
    response = await client.get("/tools/plo/scenario", params={**SPOT, "hero_seat": "2", "villain_seat": "6"})
    assert "You (SB)" in response.text and "Opponent (CO)" in response.text
    assert "out of position" in response.text


async def test_bad_scenario_cards_are_answered_next_to_the_field_with_422(client):
    cases = [
        ({**SPOT, "hero": "AsAhKsK"}, "hero", "is not a card"),
        ({**SPOT, "hero": "AsAhKs"}, "hero", "exactly 4 cards"),
        ({**SPOT, "villain": "AsTd9c8c"}, "villain", "As is already in your hand"),
        ({**SPOT, "board": "Kc7d2c9c"}, "board", "9c is already in your opponent's hand"),
        ({**SPOT, "board": "Kc7d"}, "board", "you entered 2"),
        ({**SPOT, "board": "Kc7dXx"}, "board", "is not a card"),
        ({**SPOT, "pot": "0"}, "pot", "must be more than zero"),
        ({**SPOT, "bet": "500"}, "bet", "more than your opponent has behind"),
        ({**SPOT, "sb": "5", "bb": "2"}, "sb", "can't be bigger than the big blind"),
        ({**SPOT, "villain_seat": "1"}, "villain_seat", "a seat of their own"),
    ]
    for params, name, message in cases:
        response = await client.get("/tools/plo/scenario", params=params, headers=hx("div#scenario"))
        assert response.status_code == 422, params
        assert message in error_of(response.text, name), (params, error_of(response.text, name))
        assert (
            f'value="{params[name]}"' in response.text or f'value="{params[name]}" selected' in response.text
        )
        assert 'id="hero-equity"' not in response.text


async def test_the_random_scenario_link_lands_on_a_complete_shareable_scenario(client):
    response = await client.get("/tools/plo/scenario/random")
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert page.status_code == 200
    assert 'id="hero-equity"' in page.text


async def test_a_logged_in_player_analysing_a_scenario_is_counted(client, player, sessionmaker):
    await client.get("/tools/plo/scenario", params=SPOT)
    await client.get("/tools/plo/scenario", params={**SPOT, "board": "Kc"})
    assert (await uses(sessionmaker, player)).get("plo-scenario") == 1


# Quizzes ------------------------------------------------------------------------------------


async def test_a_quiz_starts_with_a_choice_of_length(client):
    response = await client.get("/tools/plo/quiz/strength")
    assert response.status_code == 200
    for n in (1, 5, 10, 20):
        assert re.search(rf'href="/tools/plo/quiz/strength\?n={n}&amp;seed=\d+"', response.text)


async def test_playing_five_strength_questions_ends_on_the_results_with_the_right_band(
    client, player, sessionmaker
):
    from app.plo import quiz

    game = quiz.load("strength", "5", "4242", "")
    right = [q.answer for q in game.questions]
    wrong = [1 if a != 1 else 2 for a in right]
    answers = ""
    for number in range(5):
        page = await client.get("/tools/plo/quiz/strength", params={"n": 5, "seed": 4242, "a": answers})
        assert page.status_code == 200
        assert f"Question {number + 1} of 5" in page.text
        question = game.questions[number]
        assert f'aria-label="{card_names(question.hand)}"' in page.text
        # three right, two wrong: 60 % is a winning player
        answers += str(right[number] if number < 3 else wrong[number])
        assert f'href="/tools/plo/quiz/strength?n=5&amp;seed=4242&amp;a={answers}"' in page.text
    results = await client.get(
        "/tools/plo/quiz/strength", params={"n": 5, "seed": 4242, "a": answers}, headers=hx("div#quiz")
    )
    assert results.text.lstrip().startswith('<div id="quiz"')
    assert text_of(results.text, "rating") == "Winning player"
    assert text_of(results.text, "score") == "3 of 5 right (60 %)"
    missed = results.text.split("What you missed")[1]
    assert missed.count("<li value=") == 2
    assert f'the answer is <span class="plo-good">{game.questions[3].answer_text}</span>' in missed
    assert (await uses(sessionmaker, player)).get("plo-quiz-strength") == 1


async def test_the_rating_bands_follow_the_score():
    from app.plo.quiz import band

    assert [band(p) for p in (100, 90, 89.9, 80, 70, 60, 50, 40, 30, 20, 10, 9.9, 0)] == [
        "Crusher",
        "Crusher",
        "High roller",
        "High roller",
        "Shark",
        "Winning player",
        "Grinder",
        "TAGfish",
        "Calling station",
        "Gambler",
        "Fish",
        "Donk",
        "Donk",
    ]


async def test_the_same_seed_asks_the_same_questions_and_answers_must_fit():
    from app.plo import quiz

    first, second = quiz.load("hud", "10", "77", ""), quiz.load("hud", "10", "77", "")
    assert first.questions == second.questions
    for q in first.questions:
        assert 1 <= q.answer <= len(q.options) and len(set(q.options)) == len(q.options)
    strength = quiz.load("strength", "20", "77", "")
    assert len({q.hand for q in strength.questions}) == 20


async def test_a_hud_quiz_shows_stats_or_asks_for_a_typical_range(client):
    response = await client.get("/tools/plo/quiz/hud", params={"n": 20, "seed": 5})
    assert response.status_code == 200
    assert "Question 1 of 20" in response.text
    done = await client.get("/tools/plo/quiz/hud", params={"n": 1, "seed": 5, "a": "1"})
    assert "Your rating:" in done.text


async def test_a_broken_quiz_link_says_so_and_offers_a_new_quiz(client):
    for params in (
        {"n": 5, "seed": 1, "a": "9"},
        {"n": 7, "seed": 1},
        {"n": 5, "seed": "x"},
        {"n": 1, "seed": 1, "a": "12"},
    ):
        response = await client.get("/tools/plo/quiz/strength", params=params)
        assert response.status_code == 400, params
        assert "Start a quiz" in response.text


# Guides and the hub -------------------------------------------------------------------------


async def test_the_guides_are_pages_of_their_own(client):
    hud_guide = await client.get("/tools/plo/guides/hud")
    assert hud_guide.status_code == 200
    assert hud_guide.text.count('<th scope="row" title=') == 10  # ten stats
    assert all(
        name in hud_guide.text for name in ("Nit", "TAG regular", "LAG regular", "Maniac", "Calling station")
    )
    tags = await client.get("/tools/plo/guides/tags")
    assert "Green — Calling station" in tags.text
    spr = await client.get("/tools/plo/guides/spr")
    assert "Maneuvering" in spr.text and "Top set" in spr.text
    pot_odds = await client.get("/tools/plo/guides/pot-odds")
    assert '<td class="num">33.3 %</td>' in plain(pot_odds.text)
    assert '<td class="num">25.0 %</td>' in plain(pot_odds.text)
    index = await client.get("/tools/plo/guides")
    assert index.status_code == 200 and 'href="/tools/plo/guides/pot-odds"' in index.text


async def test_every_plo_tool_is_listed_on_the_tools_hub(client):
    from app.plo import TOOLS

    response = await client.get("/tools")
    assert "Pot-Limit Omaha" in response.text
    for tool in TOOLS:
        assert tool.name in unescape(response.text), tool.name
    assert 'href="/tools/plo/scenario"' in response.text
