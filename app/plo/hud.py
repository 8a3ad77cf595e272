"""Six PLO player types by ten HUD stats, and a colour tag for each — the data behind the HUD
guide and the HUD-stats quiz.

The ranges are typical of 6-max online PLO at small and middle stakes over a few thousand
hands (PLO players enter more pots than hold'em players, so every VPIP here is higher than its
hold'em cousin). They describe a type; a real player drifts out of a range now and then.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Stat:
    key: str
    name: str
    unit: str  # "%" or "" (the aggression factor is a ratio)
    meaning: str


STATS: tuple[Stat, ...] = (
    Stat("vpip", "VPIP", "%", "Voluntarily put money in the pot: how often they play a hand at all."),
    Stat("pfr", "PFR", "%", "Preflop raise: how often they raise first or re-raise before the flop."),
    Stat("three_bet", "3-bet", "%", "How often they re-raise when someone has raised before them."),
    Stat("fold_to_three_bet", "Fold to 3-bet", "%", "How often they give up their raise when re-raised."),
    Stat("four_bet", "4-bet", "%", "How often they re-raise a 3-bet; in PLO this is mostly aces."),
    Stat("cbet", "C-bet", "%", "Continuation bet: how often the preflop raiser bets the flop."),
    Stat("fold_to_cbet", "Fold to c-bet", "%", "How often they fold the flop to a continuation bet."),
    Stat("af", "AF", "", "Aggression factor: (bets + raises) ÷ calls after the flop."),
    Stat("wtsd", "WTSD", "%", "Went to showdown: of the hands where they saw the flop."),
    Stat("wsd", "W$SD", "%", "Won money at showdown: of the hands that reached it."),
)
STAT_BY_KEY = {stat.key: stat for stat in STATS}


@dataclass(frozen=True, slots=True)
class PlayerType:
    key: str
    name: str
    tag: str  # colour key, see TAGS
    summary: str
    against: str  # how to play against them
    stats: dict[str, tuple[float, float]]  # stat key -> typical (low, high)

    def typical(self, key: str) -> tuple[float, float]:
        return self.stats[key]


def _stats(*values: tuple[float, float]) -> dict[str, tuple[float, float]]:
    return {stat.key: value for stat, value in zip(STATS, values, strict=True)}


TYPES: tuple[PlayerType, ...] = (
    PlayerType(
        "nit",
        "Nit",
        "blue",
        "Plays few hands, almost all of them strong; bets when they have it and gives up when they don't.",
        "Steal their blinds and fold to their raises unless you hold the nuts or close to it. Their big bets "
        "on the turn and river are rarely bluffs.",
        _stats(
            (12, 18), (8, 13), (2, 4), (62, 75), (1, 2), (50, 62), (55, 68), (1.5, 2.5), (22, 27), (52, 58)
        ),
    ),
    PlayerType(
        "tag",
        "TAG regular",
        "yellow",
        "Tight and aggressive: a solid regular who opens by position and 3-bets a sensible range.",
        "Avoid marginal spots out of position against them; pick your battles in position and respect "
        "their river raises.",
        _stats(
            (20, 27), (15, 21), (5, 8), (45, 58), (3, 5), (58, 68), (42, 52), (2.5, 3.5), (26, 30), (50, 55)
        ),
    ),
    PlayerType(
        "lag",
        "LAG regular",
        "orange",
        "Loose and aggressive: wide opens, frequent 3-bets and pressure on every street.",
        "Call down a little lighter, 3-bet your best hands for value and let them barrel into your strong "
        "made hands instead of raising them off their bluffs.",
        _stats(
            (30, 38), (24, 31), (9, 13), (35, 45), (5, 9), (68, 78), (35, 45), (3.5, 5), (27, 32), (48, 53)
        ),
    ),
    PlayerType(
        "maniac",
        "Maniac",
        "red",
        "Raises and re-raises nearly anything, pot after pot, and loves to get it in.",
        "Tighten up, trap with the nuts and near-nuts, and let them bet for you; don't bluff someone who "
        "never folds.",
        _stats(
            (55, 80), (38, 60), (16, 28), (15, 30), (12, 25), (80, 95), (20, 32), (6, 10), (32, 40), (40, 46)
        ),
    ),
    PlayerType(
        "station",
        "Calling station",
        "green",
        "Calls before the flop and calls after it; rarely raises and rarely folds a pair or a draw.",
        "Value-bet thinly and often, size up with the nuts, and never bluff: they are looking you up.",
        _stats(
            (45, 65), (3, 8), (1, 3), (20, 35), (0, 2), (30, 45), (15, 28), (0.5, 1.2), (38, 48), (42, 47)
        ),
    ),
    PlayerType(
        "fish",
        "Recreational (fish)",
        "purple",
        "Plays too many hands passively before the flop, then plays fit-or-fold: folds when they miss, "
        "overplays when they hit.",
        "Isolate their limps with a raise, c-bet dry boards, and believe their sudden aggression: it usually "
        "means a strong hand, not a bluff.",
        _stats((35, 50), (8, 14), (2, 5), (45, 60), (1, 3), (40, 55), (55, 70), (1.2, 2), (28, 34), (44, 49)),
    ),
)
TYPE_BY_KEY = {player.key: player for player in TYPES}


@dataclass(frozen=True, slots=True)
class Tag:
    key: str
    colour: str
    name: str
    meaning: str


TAGS: tuple[Tag, ...] = (
    Tag("green", "Green", "Calling station", "Money: value-bet everything, bluff nothing."),
    Tag("purple", "Purple", "Recreational (fish)", "Money too: isolate and play pots in position."),
    Tag("red", "Red", "Maniac", "Big swings: trap, call down lighter, never bluff."),
    Tag("orange", "Orange", "LAG regular", "Aggressive and capable: pick spots in position."),
    Tag("yellow", "Yellow", "TAG regular", "Solid: avoid marginal pots, respect raises."),
    Tag("blue", "Blue", "Nit", "Tight: steal their blinds, fold to their strength."),
    Tag("grey", "Grey", "Unknown", "Fewer than a few hundred hands: the stats are still noise."),
)


def describe_range(stat: Stat, low: float, high: float) -> str:
    """A stat range as shown, e.g. "12–18 %" or "1.5–2.5"."""

    def show(value: float) -> str:
        return f"{value:g}"

    return f"{show(low)}–{show(high)}{' %' if stat.unit == '%' else ''}"
