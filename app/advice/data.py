"""Rule tables and ladders: buy-in ranges, factor weights, stakes, site buy-ins, profiles, σ presets.

Ranges are (low, high) in buy-ins: max buy-ins for cash games, average buy-ins for tournaments.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.advice.choices import Environment, Game, Risk, Skill, TournamentFormat

Range = tuple[int, int]

# Weights of the factors in the weighted rule (multiples.py). A factor set to "not sure" is left out.
WEIGHTS: dict[str, int] = {"game": 2, "skill": 3, "risk": 4, "environment": 1, "format": 2}

CASH_RANGES: dict[str, dict[str, Range]] = {
    "game": {Game.LIMIT: (20, 30), Game.NLHE: (30, 50), Game.PLO: (50, 100)},
    "skill": {Skill.SOFT: (20, 30), Skill.TOUGH: (50, 100)},
    "risk": {Risk.CONSERVATIVE: (50, 100), Risk.AGGRESSIVE: (20, 30)},
    "environment": {Environment.LIVE: (20, 30), Environment.ONLINE: (40, 60)},
}

TOURNAMENT_RANGES: dict[str, dict[str, Range]] = {
    "game": {Game.LIMIT: (40, 60), Game.NLHE: (60, 100), Game.PLO: (100, 200)},
    "skill": {Skill.SOFT: (40, 60), Skill.TOUGH: (100, 200)},
    "risk": {Risk.CONSERVATIVE: (100, 200), Risk.AGGRESSIVE: (40, 60)},
    "environment": {Environment.LIVE: (40, 60), Environment.ONLINE: (80, 120)},
    # The format is a fifth factor (weight 2, like the game); "not sure" leaves it out.
    "format": {
        TournamentFormat.MTT_REGULAR: (100, 200),
        TournamentFormat.MTT_LARGE_FIELD: (200, 300),
        TournamentFormat.SNG_9MAX: (50, 100),
        TournamentFormat.HEADS_UP_SNG: (30, 50),
        TournamentFormat.SPIN_AND_GO: (100, 200),
    },
}

MAX_BUY_IN_BB = 100  # a cash game's max buy-in, in big blinds
MIN_BUY_IN_BB = 40  # and its min buy-in

# (small blind, big blind) in US dollars: the ladder most online sites use.
USD_STAKES: tuple[tuple[str, str], ...] = (
    ("0.01", "0.02"),
    ("0.02", "0.05"),
    ("0.05", "0.10"),
    ("0.10", "0.25"),
    ("0.25", "0.50"),
    ("0.50", "1"),
    ("1", "2"),
    ("2", "5"),
    ("5", "10"),
    ("10", "20"),
    ("25", "50"),
    ("50", "100"),
    ("100", "200"),
    ("200", "400"),
)

# Currency-native ladders of sites that deal in euros (e.g. €2/€4 for NL400) and pounds.
NATIVE_STAKES: dict[str, tuple[tuple[str, str], ...]] = {
    "EUR": (
        ("0.01", "0.02"),
        ("0.02", "0.05"),
        ("0.05", "0.10"),
        ("0.10", "0.25"),
        ("0.25", "0.50"),
        ("0.50", "1"),
        ("1", "2"),
        ("2", "4"),
        ("5", "10"),
        ("10", "20"),
        ("25", "50"),
        ("50", "100"),
        ("100", "200"),
    ),
    "GBP": (
        ("0.01", "0.02"),
        ("0.02", "0.05"),
        ("0.05", "0.10"),
        ("0.10", "0.25"),
        ("0.25", "0.50"),
        ("0.50", "1"),
        ("1", "2"),
        ("2", "5"),
        ("5", "10"),
        ("10", "20"),
        ("25", "50"),
        ("50", "100"),
    ),
}

SITES: dict[str, str] = {"pokerstars": "PokerStars", "ggpoker": "GGPoker", "partypoker": "partypoker"}

# (site, buy-in in US dollars including the fee, a one-line example at that level).
SITE_BUY_INS: tuple[tuple[str, str, str], ...] = (
    ("pokerstars", "0.55", "Micro-stakes daily MTTs and 9-max SNGs"),
    ("pokerstars", "1.10", "Low-stakes turbos and hyper-turbos around the clock"),
    ("pokerstars", "2.20", "Daily bounty MTTs for the micros"),
    ("pokerstars", "3.30", "Regular speed MTTs and 18-player SNGs"),
    ("pokerstars", "5.50", "The Big $5.50 and similar daily MTTs"),
    ("pokerstars", "11", "Sunday Storm and The Big $11"),
    ("pokerstars", "22", "The Big $22 and daily Bounty Builder events"),
    ("pokerstars", "33", "Mid-stakes daily turbos"),
    ("pokerstars", "55", "The Big $55 and Sunday mid-stakes events"),
    ("pokerstars", "109", "Sunday Million and The Big $109"),
    ("pokerstars", "215", "Sunday Warm-Up and The Big $215"),
    ("pokerstars", "530", "High-stakes Sunday events"),
    ("pokerstars", "1050", "High-roller dailies and series main events"),
    ("ggpoker", "1.05", "Micro-stakes Bounty Hunters events"),
    ("ggpoker", "3.15", "Daily low-stakes turbos"),
    ("ggpoker", "5.40", "Bounty Hunters and daily Big events"),
    ("ggpoker", "10.80", "Daily mains and mystery bounty events"),
    ("ggpoker", "21.60", "Sunday low-stakes majors"),
    ("ggpoker", "54", "Mid-stakes Bounty Hunters events"),
    ("ggpoker", "108", "Sunday mid-stakes majors"),
    ("ggpoker", "150", "GGMasters"),
    ("ggpoker", "215", "Sunday high-stakes specials"),
    ("ggpoker", "525", "High-stakes Sunday events"),
    ("ggpoker", "1050", "Global MILLION$ and series main events"),
    ("partypoker", "1.10", "Micro-stakes daily MTTs"),
    ("partypoker", "2.20", "Low-stakes daily turbos"),
    ("partypoker", "5.50", "Daily low-stakes MTTs and SNGs"),
    ("partypoker", "11", "Daily bounty MTTs"),
    ("partypoker", "22", "Daily mid-stakes MTTs"),
    ("partypoker", "55", "Sunday mid-stakes events"),
    ("partypoker", "109", "Sunday majors"),
    ("partypoker", "215", "High-stakes Sunday events"),
    ("partypoker", "530", "Series high rollers"),
    ("partypoker", "1050", "Series main events"),
)


@dataclass(frozen=True)
class Profile:
    """A bankroll profile: how many max buy-ins of the stake it keeps."""

    key: str
    name: str
    buy_ins: int


PROFILES: tuple[Profile, ...] = (
    Profile("aggressive", "Aggressive", 30),
    Profile("solid", "Solid regular", 50),
    Profile("grinder", "Serious grinder", 75),
    Profile("cautious", "Cautious", 100),
    Profile("nit", "Nit", 200),
)


@dataclass(frozen=True)
class SigmaPreset:
    """A typical standard deviation of results, in big blinds per 100 hands."""

    key: str
    name: str
    bb_per_100: Decimal


SIGMA_PRESETS: tuple[SigmaPreset, ...] = (
    SigmaPreset("nlh_6max", "NL Hold'em 6-max", Decimal(100)),
    SigmaPreset("nlh_full_ring", "NL Hold'em full ring", Decimal(70)),
    SigmaPreset("plo_6max", "PLO 6-max", Decimal(140)),
)
