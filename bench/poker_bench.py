"""Benchmark of the PLO engine: evaluator choices, equity targets and the preflop table.

    nice -n 10 .venv/bin/python bench/poker_bench.py

1. Omaha showdown evaluators on the same random 9-card deals (and a check that they agree):
   phevaluator's Omaha evaluator called directly (the C function, what the engine uses),
   the same through phevaluator's public wrapper, a naive best of the 60 two-plus-three
   combinations with phevaluator's 5-card evaluator, and treys' PLOEvaluator (if installed).
2. The engine against the issue's targets (median of several runs).
3. The preflop equity table: file size, load time and memory.
Figures are recorded in bench/poker_README.md; nothing here is a test.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from phevaluator import _pheval
from phevaluator.evaluator_omaha import evaluate_omaha_cards

from app.poker.equity import equity, outs
from app.poker.evaluator import best_hand
from app.poker.preflop import DATA_FILE
from app.poker.strength import hand_strength

DEALS = 20_000
SIX_HANDS = ["AsAhKsKh", "JdTd9c8c", "QhQc6s5s", "8h7h6d5d", "AcKdQsJh", "4s4h3d2c"]
HOLE_PAIRS = tuple(combinations(range(4), 2))
BOARD_TRIPLES = tuple(combinations(range(5), 3))


def _deals(count: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Random (board, hole) deals as phevaluator ids."""
    rng = random.Random(1)
    deals = []
    for _ in range(count):
        cards = rng.sample(range(52), 9)
        deals.append((tuple(cards[:5]), tuple(cards[5:])))
    return deals


def naive_phevaluator(board: tuple[int, ...], hole: tuple[int, ...]) -> int:
    """Best of the 60 two-hole + three-board combinations with phevaluator's 5-card evaluator."""
    five = _pheval.evaluate_5cards
    best = 7463
    for a, b in HOLE_PAIRS:
        for x, y, z in BOARD_TRIPLES:
            rank = five(hole[a], hole[b], board[x], board[y], board[z])
            if rank < best:
                best = rank
    return best


def _time_per_call(evaluate: Callable, deals: list) -> tuple[float, list[int]]:
    """Microseconds per evaluation over the deals, and the ranks."""
    started = time.perf_counter()
    ranks = [evaluate(board, hole) for board, hole in deals]
    return (time.perf_counter() - started) / len(deals) * 1e6, ranks


def evaluators() -> None:
    """Compare the Omaha evaluators."""
    deals = _deals(DEALS)
    omaha = _pheval.evaluate_omaha_cards
    contenders: list[tuple[str, Callable, list]] = [
        ("phevaluator Omaha, C function direct", lambda b, h: omaha(*b, *h), deals),
        ("phevaluator Omaha, public wrapper", lambda b, h: evaluate_omaha_cards(*b, *h), deals),
        ("naive best of 60 with phevaluator 5-card", naive_phevaluator, deals),
    ]
    try:
        from treys import Card, PLOEvaluator

        treys_ids = [Card.new(f"{'23456789TJQKA'[i >> 2]}{'cdhs'[i & 3]}") for i in range(52)]
        plo = PLOEvaluator()
        treys_deals = [([treys_ids[c] for c in b], [treys_ids[c] for c in h]) for b, h in deals[:5000]]
        contenders.append(
            ("treys PLOEvaluator (naive 60, pure Python)", lambda b, h: plo.evaluate(h, b), treys_deals)
        )
    except ImportError:
        print("treys is not installed: skipped")
    reference = None
    print(f"Omaha evaluation, {DEALS:,} random deals (treys: the first 5,000)")
    for name, evaluate, sample in contenders:
        micros, ranks = _time_per_call(evaluate, sample)
        reference = reference or ranks
        agree = ranks == reference[: len(ranks)]
        print(f"  {name:<45} {micros:8.2f} µs/hand   agrees: {agree}")


def _median_ms(run: Callable, repeat: int) -> float:
    """Median wall time of `run` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def engine() -> None:
    """Time the engine against the issue's targets."""
    cases = [
        (
            "exact heads-up flop, 820 run-outs (target < 10 ms)",
            lambda: equity(["AsAhKsKh", "JdTd9c8c"], "Kc7d2c"),
            21,
        ),
        (
            "exact 3-way flop, 666 run-outs (target < 100 ms)",
            lambda: equity(["AsAhKsKh", "JdTd9c8c", "QhQc6s5s"], "Kc7d2h"),
            21,
        ),
        ("exact 6-way flop, 300 run-outs", lambda: equity(SIX_HANDS, "Kc7d2h"), 11),
        (
            "vs random, Monte Carlo 10,000 samples (target < 150 ms)",
            lambda: equity(["AsAhKsKh", None], samples=10_000),
            7,
        ),
        (
            "heads-up known hands preflop, Monte Carlo 10,000",
            lambda: equity(["AsAhKsKh", "JdTd9c8c"], samples=10_000),
            7,
        ),
        (
            "3-way vs two random hands on the flop, 10,000",
            lambda: equity(["AsAhKsKh", None, None], "Kc7d2h", samples=10_000),
            5,
        ),
        ("outs on the flop, heads-up", lambda: outs(["AsAhKsKh", "JdTd9c8c"], "Kc7d2c", player=1), 21),
        ("best_hand on the river", lambda: best_hand("AsAhKsKh", "Kc7d2c9h3s"), 101),
        ("hand_strength", lambda: hand_strength("AsAhKsKh", "BTN"), 101),
    ]
    print("Engine (median wall time)")
    for name, run, repeat in cases:
        print(f"  {name:<60} {_median_ms(run, repeat):8.2f} ms")


LOAD_PROBE = """
import time
started = time.perf_counter()
from app.poker.preflop import load_table, rank_of
imported = time.perf_counter()
table = load_table()
rank_of("AsAhKsKh")
done = time.perf_counter()
status = open("/proc/self/status").read().split("VmHWM:")[1]
rss = int(status.split()[0]) / 1024
print(f"{(imported - started) * 1000:.1f} {(done - imported) * 1000:.1f} {rss:.1f} {len(table.classes)}")
"""

MEMORY_PROBE = """
import tracemalloc
from app.poker.preflop import load_table
tracemalloc.start()
load_table()
current, peak = tracemalloc.get_traced_memory()
print(f"{current / 2**20:.2f} {peak / 2**20:.2f}")
"""

BASELINE_PROBE = """
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(int(status.split()[0]) / 1024)
"""


def _probe(code: str, runs: int) -> list[float]:
    """Run a snippet in fresh interpreters; the median run's printed figures."""
    root = Path(__file__).resolve().parent.parent
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
        ).stdout
        for _ in range(runs)
    ]
    return sorted([float(x) for x in out.split()] for out in outputs)[runs // 2]


def table() -> None:
    """Size of the shipped table, and its load time and memory in a fresh interpreter."""
    if not DATA_FILE.exists():
        print("no preflop table yet: run python -m app.poker.build_equity_table")
        return
    import_ms, load_ms, rss, count = _probe(LOAD_PROBE, 7)
    current, peak = _probe(MEMORY_PROBE, 1)
    (baseline,) = _probe(BASELINE_PROBE, 1)
    print("Preflop equity table")
    print(f"  file {DATA_FILE.name}: {DATA_FILE.stat().st_size / 1024:.0f} KiB, {int(count)} classes")
    print(f"  import app.poker: {import_ms:.0f} ms; load + first lookup: {load_ms:.0f} ms")
    print(f"  Python objects after load: {current:.1f} MiB (peak while loading {peak:.1f} MiB)")
    print(f"  process peak RSS: {rss:.0f} MiB (a bare interpreter: {baseline:.0f} MiB)")


if __name__ == "__main__":
    evaluators()
    engine()
    table()
