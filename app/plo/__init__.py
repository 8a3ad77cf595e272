"""PLO tools on the web: hand strength, scenario analyzer, rankings, ranges, quizzes, guides."""

from __future__ import annotations

from app.tools import Tool

GROUP = "Pot-Limit Omaha"

TOOLS: list[Tool] = [
    Tool(
        "plo-strength",
        "Hand strength",
        "Score, tier and preflop advice for any four cards by position.",
        "show_strength",
        GROUP,
    ),
    Tool(
        "plo-scenario",
        "Scenario analyzer",
        "Exact equity, outs, SPR and pot odds for a hand on the flop, turn or river.",
        "show_scenario",
        GROUP,
    ),
    Tool(
        "plo-rankings",
        "Hand rankings",
        "All 16,432 starting hands ranked by equity and by score; search AAKK or AsKs.",
        "show_rankings",
        GROUP,
    ),
    Tool(
        "plo-ranges",
        "Range viewer",
        "The hands between the top X % and Y %, with their combos.",
        "show_ranges",
        GROUP,
    ),
    Tool(
        "plo-quiz-strength",
        "Hand-strength quiz",
        "Rate hands from tier 1 to 5 and see how your reads compare.",
        "show_strength_quiz",
        GROUP,
    ),
    Tool(
        "plo-quiz-hud",
        "HUD-stats quiz",
        "Match VPIP, PFR, 3-bet and more to the six player types.",
        "show_hud_quiz",
        GROUP,
    ),
    Tool(
        "plo-guide-hud",
        "Guide: HUD player types",
        "Six player types by ten HUD stats, and how to play against each.",
        "show_hud_guide",
        GROUP,
    ),
    Tool(
        "plo-guide-tags",
        "Guide: colour tags",
        "A colour for each player type, so a glance at the table tells you who is who.",
        "show_tags_guide",
        GROUP,
    ),
    Tool(
        "plo-guide-spr",
        "Guide: SPR in PLO",
        "Stack-to-pot ratio: which hands can go all in, and when to keep the pot small.",
        "show_spr_guide",
        GROUP,
    ),
    Tool(
        "plo-guide-pot-odds",
        "Guide: pot odds",
        "The price of a call, the equity it needs and why PLO draws are different.",
        "show_pot_odds_guide",
        GROUP,
    ),
]
