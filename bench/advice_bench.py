"""Benchmark of the variance simulator: 1,000 paths × 100,000 hands must take under a second.

.venv/bin/python bench/advice_bench.py [--repeat 10] [--paths 1000] [--hands 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.advice.simulate import simulate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--paths", type=int, default=1000)
    parser.add_argument("--hands", type=int, default=100_000)
    args = parser.parse_args()

    simulate(5, 100, 2000, args.hands, paths=args.paths, seed=0)  # warm-up: imports, allocations
    times = []
    for run in range(args.repeat):
        start = time.perf_counter()
        result = simulate(5, 100, 2000, args.hands, paths=args.paths, seed=run)
        times.append(time.perf_counter() - start)
    print(f"simulate: {args.paths:,} paths × {args.hands:,} hands (μ 5, σ 100 bb/100, B 2,000 bb)")
    median, best, worst = (1000 * f(times) for f in (statistics.median, min, max))
    print(f"  median {median:.0f} ms, best {best:.0f} ms, worst {worst:.0f} ms over {args.repeat} runs")
    print(f"  last run: {len(result.hands)} points, {float(result.broke_share):.1%} broke, ", end="")
    print(f"worst drawdown {result.worst_drawdown} bb")


if __name__ == "__main__":
    main()
