"""The rankings index behind the PLO rankings and range pages: orders, searches, bands."""

from __future__ import annotations

from itertools import pairwise

import pytest

from app.plo import rankings
from app.poker.cards import CardError
from app.poker.classes import TOTAL_CLASSES, TOTAL_HANDS
from app.poker.preflop import hand_class
from app.poker.strength import score_hand


def test_every_class_is_ranked_once_and_the_combos_add_up_to_all_hands():
    data = rankings.index()
    assert len(data.rows) == TOTAL_CLASSES
    assert sum(row.combos for row in data.rows) == data.total_hands == TOTAL_HANDS
    assert sorted(data.score_order) == list(range(TOTAL_CLASSES))


def test_rows_carry_the_tables_equity_and_the_heuristic_score():
    row = rankings.row_of("KhKsAhAs")
    assert row.text == "AsAhKsKh"
    assert row.equity_bp == hand_class("AsAhKsKh").equity_bp
    assert row.score == score_hand("AsAhKsKh")
    assert (row.tier, row.tier_name) == (1, "Elite")
    assert row.ranks == "AAKK" and row.shape == "ds"


def test_equity_order_is_best_first_and_ranks_count_strictly_better_classes():
    rows = rankings.index().rows
    assert all(a.equity_bp >= b.equity_bp for a, b in pairwise(rows))
    assert rows[0].equity_rank == 1
    for a, b in pairwise(rows):
        assert b.equity_rank == (a.equity_rank if a.equity_bp == b.equity_bp else b.position + 1)


def test_score_order_is_best_first_with_ties_sharing_a_rank():
    data = rankings.index()
    ordered = [data.rows[p] for p in data.score_order]
    assert all(a.score >= b.score for a, b in pairwise(ordered))
    assert ordered[0].score_rank == 1
    assert all(b.score_rank == a.score_rank for a, b in pairwise(ordered) if a.score == b.score)


@pytest.mark.parametrize(
    ("text", "ranks", "cards", "shape"),
    [
        ("AAKK", "AAKK", (), ""),
        ("kkaa", "AAKK", (), ""),
        ("AAKKds", "AAKK", (), "ds"),
        ("AAxx", "AA", (), ""),
        ("10 9 8 7", "T987", (), ""),
        ("ss", "", (), "ss"),
        ("AsKs", "", ((14, "s"), (13, "s")), ""),
        ("kh as", "", ((14, "s"), (13, "h")), ""),
    ],
)
def test_a_search_is_read_as_ranks_or_as_cards(text, ranks, cards, shape):
    query = rankings.parse_query(text)
    assert (query.ranks, query.cards, query.shape) == (ranks, cards, shape)


@pytest.mark.parametrize("text", ["AsXd", "AAKKQ", "AsKsQsJsTs", "Zz"])
def test_a_search_that_is_neither_ranks_nor_cards_says_how_to_search(text):
    with pytest.raises(CardError):
        rankings.parse_query(text)


def test_searching_aakk_finds_its_three_classes_and_36_hands():
    page = rankings.search(rankings.parse_query("AAKK"))
    assert [row.text for row in page.rows] == ["AsAhKsKh", "AsAhKsKd", "AsAhKdKc"]
    assert (page.total, page.combos) == (3, 36)


def test_a_card_search_respects_suits_up_to_renaming():
    suited = rankings.search(rankings.parse_query("AsKs"), size=20_000)
    offsuit = rankings.search(rankings.parse_query("AhKd"), size=20_000)
    assert "AsKsQhJh" in {row.text for row in suited.rows}
    assert "AsKsQhJh" not in {row.text for row in offsuit.rows}
    assert "AsAhKsKh" in {row.text for row in offsuit.rows}  # Ah-Ks is an unsuited ace-king
    exact = rankings.search(rankings.parse_query("Kh Kd Ad Ah"))
    assert [row.text for row in exact.rows] == ["AsAhKsKh"]


def test_pages_slice_the_chosen_order_and_are_clamped():
    data = rankings.index()
    page = rankings.search(rankings.Query(""), "score", 2, size=50)
    assert [row.position for row in page.rows] == list(data.score_order[50:100])
    worst = rankings.search(rankings.Query(""), "equity-asc", 1, size=3)
    assert [row.position for row in worst.rows] == [TOTAL_CLASSES - 1, TOTAL_CLASSES - 2, TOTAL_CLASSES - 3]
    last = rankings.search(rankings.Query(""), "equity", 10**6)
    assert last.number == last.pages == -(-TOTAL_CLASSES // rankings.PAGE_SIZE)
    assert last.next is None and last.previous == last.pages - 1


def test_the_whole_range_is_every_hand_and_bands_split_it_without_overlap():
    assert rankings.band(0, 100).combos == TOTAL_HANDS
    top, rest = rankings.band(0, 10), rankings.band(10, 100)
    assert top.combos + rest.combos == TOTAL_HANDS
    assert not set(top.positions) & set(rest.positions)
    assert abs(top.share - 10) < 0.1
    by_score = rankings.band(0, 10, "score")
    assert by_score.positions[0] == rankings.index().score_order[0]
