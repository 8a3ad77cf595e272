"""Check the calibration of the hand-strength heuristic: tier shares over all 270,725 hands.

    .venv/bin/python bench/poker_calibrate.py

Prints the share of hands in each tier (target about 4 / 8 / 12 / 26 / 50 %), the score
percentiles, the reference hands, and — when the preflop equity table is present — the
rank correlation between the score and preflop equity vs a random hand.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.poker.classes import TOTAL_HANDS, hand_classes
from app.poker.strength import TIERS, hand_strength, score_hand, tier_of

TARGETS = {1: 4.0, 2: 8.0, 3: 12.0, 4: 26.0, 5: 50.0}
REFERENCES = [
    "AsAhKsKh",
    "KsQhJsTh",
    "9s8h7s6h",
    "5s5h4d3c",
    "As2h3d4c",
    "AsKsQhJh",
    "AsAhKdQc",
    "JsTh9s8h",
    "AsKd7c2h",
    "KsKh9d4c",
    "Qs7h4d2c",
    "8s7s6h5d",
    "AsAhAd2c",
    "AhKhQsJd",
]


def main() -> None:
    """Print the calibration report."""
    started = time.perf_counter()
    scored = [(score_hand(hand), combos, hand) for hand, combos in hand_classes()]
    seconds = time.perf_counter() - started
    shares = dict.fromkeys(TARGETS, 0)
    for score, combos, _ in scored:
        shares[tier_of(score)[0]] += combos
    print(f"scored {len(scored)} classes in {seconds:.2f} s (class enumeration included)")
    for tier, name, lowest in TIERS:
        share = 100 * shares[tier] / TOTAL_HANDS
        print(f"tier {tier} {name:<9} >= {lowest!s:>4}: {share:5.2f} %  (target {TARGETS[tier]} %)")
    scored.sort(key=lambda row: row[0], reverse=True)
    seen = 0
    marks = iter([4, 12, 24, 50, 75, 90])
    mark = next(marks)
    for score, combos, _ in scored:
        seen += combos
        while mark is not None and 100 * seen / TOTAL_HANDS >= mark:
            print(f"top {mark} % reaches score {score}")
            mark = next(marks, None)
    for text in REFERENCES:
        result = hand_strength(text)
        print(f"{text}: {result.score} tier {result.tier}  {list(result.breakdown)}")
    try:
        from app.poker.preflop import load_table

        table = load_table()
    except (OSError, ValueError):
        return
    by_text = {c.text: c for c in table.classes}
    pairs = [(score, by_text[str(hand)].equity_bp, combos) for score, combos, hand in scored]
    print(f"weighted Spearman correlation with preflop equity: {_spearman(pairs):.3f}")


def _spearman(rows: list[tuple[int, int, int]]) -> float:
    """Weighted rank correlation between the first two columns (weights in the third)."""

    def ranks(column: int) -> dict[int, float]:
        order = sorted({row[column] for row in rows})
        weight = {value: 0 for value in order}
        for row in rows:
            weight[row[column]] += row[2]
        result, below = {}, 0
        for value in order:
            result[value] = below + weight[value] / 2
            below += weight[value]
        return result

    rx, ry = ranks(0), ranks(1)
    total = sum(row[2] for row in rows)
    mx = sum(rx[r[0]] * r[2] for r in rows) / total
    my = sum(ry[r[1]] * r[2] for r in rows) / total
    cov = sum((rx[r[0]] - mx) * (ry[r[1]] - my) * r[2] for r in rows)
    vx = sum((rx[r[0]] - mx) ** 2 * r[2] for r in rows)
    vy = sum((ry[r[1]] - my) ** 2 * r[2] for r in rows)
    return cov / (vx * vy) ** 0.5


if __name__ == "__main__":
    main()
