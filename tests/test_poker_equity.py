"""Equity by enumeration and by simulation, and outs on the next card."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.poker.cards import CARDS, CardError, card
from app.poker.equity import enumerate_equity, equity, outs, simulate_equity

SET_VS_FLUSH_DRAW = (["KsKd7c3d", "AhQh8c7d"], "Kh9h4c2s")


def test_a_set_against_the_nut_flush_draw_on_the_turn_is_counted_exactly():
    # Nine hearts are left, but 4h and 2h pair the board and give the set a full house: 7 outs of 40.
    result = equity(*SET_VS_FLUSH_DRAW)
    assert result.exact
    assert result.samples == 40
    assert result[0].equity == pytest.approx(82.5)
    assert result[1].equity == pytest.approx(17.5)
    assert result[1].win == pytest.approx(17.5)
    assert result.stderr == 0


def test_the_flush_draw_outs_are_the_seven_clean_hearts():
    found = outs(*SET_VS_FLUSH_DRAW, player=1)
    assert [str(c) for c in found.wins] == ["Jh", "Th", "8h", "7h", "6h", "5h", "3h"]
    assert found.ties == ()
    assert found.behind
    assert found.street == "river"
    assert found.unseen == 40
    assert list(found.by_category()) == ["Flush"]
    assert found.by_category()["Flush"][0].name == "Flush, ace high"


def test_the_set_outs_are_grouped_by_the_category_they_make():
    found = outs(*SET_VS_FLUSH_DRAW, player=0)
    groups = found.by_category()
    assert [str(o.card) for o in groups["Four of a kind"]] == ["Kc"]
    full_house = "9s 9d 9c 4s 4h 4d 2h 2d 2c"
    assert {str(o.card) for o in groups["Full house"]} == set(full_house.split())
    assert not found.behind
    assert len(found.wins) == 33


def test_the_same_straight_on_the_river_splits_the_pot():
    result = equity(["JhQd3c4s", "JcQs5d6h"], "Ts9d8c2h2s")
    assert result.samples == 1
    for player in result.players:
        assert player.win == 0
        assert player.tie == 100
        assert player.equity == 50


def test_a_three_way_split_gives_each_player_a_third():
    result = equity(["AsKs2c3c", "AhKh4c5c", "AdKd6c7c"], "QcJhTd2h3s")
    assert [p.equity for p in result.players] == pytest.approx([100 / 3] * 3)


def test_the_nut_flush_wins_every_river_against_the_second_nut_flush():
    result = equity(["As3sJd9c", "QsJsTdTh"], "Ks8s4s2d7c")
    assert result[0].equity == 100


def test_a_flop_heads_up_enumerates_820_run_outs():
    result = equity(["AsAhKsKh", "JdTd9c8c"], "Kc7d2c")
    assert result.exact
    assert result.samples == 820
    assert sum(p.equity for p in result.players) == pytest.approx(100)


def test_dead_cards_are_removed_from_the_run_outs():
    result = equity(*SET_VS_FLUSH_DRAW, dead="Jh Th")
    assert result.samples == 38
    assert result[1].equity == pytest.approx(100 * 5 / 38)


def test_preflop_equity_is_simulated_with_a_standard_error():
    result = equity(["AsAhKsKh", "JdTd9c8c"])
    assert not result.exact
    assert result.samples == 10_000
    assert 0 < result.stderr < 0.5


def test_a_random_opponent_is_simulated_even_on_the_flop():
    result = equity(["AsAhKsKh", None], "Kc7d2c", samples=2000)
    assert not result.exact
    assert result[1].hand is None
    assert result[0].equity > 80


def test_simulation_is_reproducible_with_the_same_seed():
    first = simulate_equity(["AsAhKsKh", None], samples=500, seed=7)
    second = simulate_equity(["AsAhKsKh", None], samples=500, seed=7)
    other = simulate_equity(["AsAhKsKh", None], samples=500, seed=8)
    assert first == second
    assert first != other


def test_simulation_agrees_with_enumeration_within_four_standard_errors():
    exact = enumerate_equity(["AsAhKsKh", "JdTd9c8c"], "Kc7d2c")
    simulated = simulate_equity(["AsAhKsKh", "JdTd9c8c"], "Kc7d2c", samples=5000, seed=3)
    assert abs(simulated[0].equity - exact[0].equity) < 4 * simulated[0].stderr


def test_a_card_in_two_hands_is_refused():
    with pytest.raises(CardError, match=r"^As appears twice\.$"):
        equity(["AsAhKsKh", "AsQdJd2c"], "Kc7d2h")


def test_a_card_in_a_hand_and_on_the_board_is_refused():
    with pytest.raises(CardError, match=r"^Kc appears twice\.$"):
        equity(["AsAhKsKc", "QsQdJd2c"], "Kc7d2h")


def test_equity_needs_two_to_six_players():
    with pytest.raises(CardError, match="2 to 6 players"):
        equity(["AsAhKsKh"])
    with pytest.raises(CardError, match="2 to 6 players"):
        equity([None] * 7)


def test_six_random_hands_fit_in_the_deck_but_dead_cards_can_run_it_out():
    assert len(simulate_equity([None] * 6, samples=10)) == 6
    dead = "".join(str(c) for c in CARDS[:30])
    with pytest.raises(CardError, match="Not enough cards"):
        simulate_equity([None] * 6, dead=dead, samples=10)


def test_outs_are_counted_on_the_flop_or_the_turn_only():
    with pytest.raises(CardError, match="flop or the turn"):
        outs(["KsKd7c3d", "AhQh8c7d"], "Kh9h4c2s5d", player=0)


PLAYERS = st.integers(min_value=2, max_value=4)
BOARD_SIZES = st.sampled_from([3, 4, 5])


@st.composite
def deals(draw):
    """Distinct hole cards for 2-4 players and a flop, turn or river."""
    players = draw(PLAYERS)
    board_size = draw(BOARD_SIZES)
    cards = draw(st.permutations(CARDS))[: 4 * players + board_size]
    hands = ["".join(str(c) for c in cards[4 * i : 4 * i + 4]) for i in range(players)]
    board = "".join(str(c) for c in cards[4 * players :])
    return hands, board


@settings(max_examples=40, deadline=None)
@given(deals())
def test_exact_equity_always_adds_up_to_one_hundred(deal):
    hands, board = deal
    result = equity(hands, board)
    assert sum(p.equity for p in result.players) == pytest.approx(100)
    for p in result.players:
        assert p.win - 1e-9 <= p.equity <= p.win + p.tie + 1e-9


@settings(max_examples=20, deadline=None)
@given(deals(), st.randoms(use_true_random=False))
def test_the_order_of_cards_and_players_never_changes_exact_equity(deal, rng):
    hands, board = deal
    base = equity(hands, board)
    shuffled_text = [
        "".join(sorted((h[i : i + 2] for i in range(0, 8, 2)), key=lambda _: rng.random())) for h in hands
    ]
    order = list(range(len(hands)))
    rng.shuffle(order)
    board_cards = [board[i : i + 2] for i in range(0, len(board), 2)]
    rng.shuffle(board_cards)
    other = equity([shuffled_text[i] for i in order], " ".join(board_cards).lower())
    for position, i in enumerate(order):
        assert other[position].equity == pytest.approx(base[i].equity)
        assert other[position].tie == pytest.approx(base[i].tie)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=2, max_value=6), st.integers(min_value=0, max_value=10**6))
def test_simulated_equity_against_random_hands_adds_up_to_one_hundred(players, seed):
    result = simulate_equity(["AsKhQd7c"] + [None] * (players - 1), samples=200, seed=seed)
    assert sum(p.equity for p in result.players) == pytest.approx(100)


def test_card_helper_parses_one_card():
    assert card("as").id == 51
    with pytest.raises(CardError, match="one card"):
        card("AsKs")
