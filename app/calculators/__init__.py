"""Bankroll calculators on the web: stakes, tournaments, risk of ruin, variance, SPR, pot odds, goals.

The numbers come from app.advice (pure, tested against the reference values); this package reads the
GET forms, builds the page context and draws the charts. Each tool reads its form in its own module
(cash, tournament, strategy, risk, variance, goals, spr, potodds); routes.py serves them all alike.
"""

from __future__ import annotations

from app.tools import Tool

GROUP = "Bankroll and stakes"

TOOLS: list[Tool] = [
    Tool(
        "stakes",
        "Cash-game stakes",
        "Which stakes your bankroll supports, when to move up and when to move down.",
        "show_stakes",
        GROUP,
    ),
    Tool(
        "tournaments",
        "Tournament buy-ins",
        "MTT, SNG and Spin & Go buy-ins your bankroll supports on the big sites.",
        "show_tournaments",
        GROUP,
    ),
    Tool(
        "strategy",
        "Bankroll strategy",
        "Five bankroll profiles from aggressive to nit: the stake each supports, up and down.",
        "show_strategy",
        GROUP,
    ),
    Tool(
        "risk-of-ruin",
        "Risk of ruin",
        "Your chance of going broke, the bankroll for a target risk, and how sure your win rate is.",
        "show_risk",
        GROUP,
    ),
    Tool(
        "variance",
        "Variance simulator",
        "A fan chart of simulated bankroll paths: swings, downswings and how often they go broke.",
        "show_variance",
        GROUP,
    ),
    Tool(
        "goals",
        "Bankroll goal planner",
        "How long until your bankroll reaches a goal, or the monthly profit it takes.",
        "show_goals",
        GROUP,
    ),
    Tool(
        "spr",
        "Stack-to-pot ratio",
        "SPR zones and what to do with overpairs, sets and draws in each.",
        "show_spr",
        GROUP,
    ),
    Tool("pot-odds", "Pot odds", "The equity a call needs, and the rule of 4 and 2.", "show_pot_odds", GROUP),
]
