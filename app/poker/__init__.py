"""The PLO engine: cards, showdown evaluation, equity, outs, a hand-strength heuristic and
the shipped preflop equity table. Pure Python on top of phevaluator; no web code."""

from app.poker.cards import Board, Card, CardError, Hand, card, parse_board, parse_cards, parse_hand
from app.poker.classes import class_of, hand_classes, representative
from app.poker.equity import (
    EquityResult,
    Out,
    Outs,
    PlayerEquity,
    enumerate_equity,
    equity,
    outs,
    simulate_equity,
)
from app.poker.evaluator import CATEGORIES, HandValue, best_hand, category_of, omaha_rank
from app.poker.preflop import HandClass, classes, hand_class, preflop_equity, rank_of, top_percent
from app.poker.strength import Position, Strength, hand_strength, score_hand, suggestion

__all__ = [
    "CATEGORIES",
    "Board",
    "Card",
    "CardError",
    "EquityResult",
    "Hand",
    "HandClass",
    "HandValue",
    "Out",
    "Outs",
    "PlayerEquity",
    "Position",
    "Strength",
    "best_hand",
    "card",
    "category_of",
    "class_of",
    "classes",
    "enumerate_equity",
    "equity",
    "hand_class",
    "hand_classes",
    "hand_strength",
    "omaha_rank",
    "outs",
    "parse_board",
    "parse_cards",
    "parse_hand",
    "preflop_equity",
    "rank_of",
    "representative",
    "score_hand",
    "simulate_equity",
    "suggestion",
    "top_percent",
]
