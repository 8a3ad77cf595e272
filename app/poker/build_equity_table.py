"""Build app/poker/data/preflop_equity.csv: preflop equity vs one random hand for every class.

    nice -n 10 python -m app.poker.build_equity_table

Each of the 16,432 suit-isomorphic classes is simulated with `simulate_equity` against one
random hand, seeded with "<seed>:<class>" so a class's figure does not depend on how the
work is split between processes. 10,000 samples bound the standard error by 0.5
percentage points (a share of the pot lies in [0, 1], so its standard deviation is at
most 0.5). The best classes are then simulated again with many more samples, and that
figure replaces the first one: they were picked for being high, so the first figures of
those classes lean high (the winner's curse), while the second run is independent.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from importlib.metadata import version
from multiprocessing import Pool
from pathlib import Path

from app.poker.classes import hand_classes
from app.poker.equity import simulate_equity
from app.poker.preflop import DATA_FILE

DEFAULT_SEED = 20_240_601
DEFAULT_SAMPLES = 10_000
DEFAULT_TOP = 200
DEFAULT_TOP_SAMPLES = 250_000

Row = tuple[str, int, float, float, int]  # class, combos, equity %, stderr points, samples


def simulate_class(job: tuple[str, int, int, str]) -> Row:
    """Equity of one class (representative text) vs a random hand."""
    text, combos, samples, seed = job
    result = simulate_equity([text, None], samples=samples, seed=f"{seed}:{text}")
    return text, combos, result[0].equity, result[0].stderr, samples


def _run(jobs: Sequence[tuple[str, int, int, str]], workers: int, label: str) -> list[Row]:
    """Simulate the jobs on `workers` processes, printing progress to stderr."""
    rows: list[Row] = []
    started = time.perf_counter()
    step = max(len(jobs) // 20, 1)
    with Pool(workers) as pool:
        for row in pool.imap_unordered(simulate_class, jobs, chunksize=16):
            rows.append(row)
            if len(rows) % step == 0 or len(rows) == len(jobs):
                elapsed = time.perf_counter() - started
                print(f"{label}: {len(rows)}/{len(jobs)} classes, {elapsed:.0f} s", file=sys.stderr)
    return rows


def _machine() -> str:
    """A one-line description of this machine."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def build(
    output: Path = DATA_FILE,
    *,
    samples: int = DEFAULT_SAMPLES,
    top: int = DEFAULT_TOP,
    top_samples: int = DEFAULT_TOP_SAMPLES,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
    limit: int | None = None,
) -> list[Row]:
    """Simulate every class (or the first `limit`), refine the best `top`, and write the file."""
    workers = workers or os.cpu_count() or 1
    classes: Iterable = hand_classes()[:limit] if limit else hand_classes()
    started = time.perf_counter()
    jobs = [(str(hand), combos, samples, str(seed)) for hand, combos in classes]
    rows = {row[0]: row for row in _run(jobs, workers, "pass 1")}
    best = sorted(rows.values(), key=lambda row: -row[2])[:top]
    refine = [(text, combos, top_samples, f"{seed}:refine") for text, combos, *_ in best]
    for row in _run(refine, workers, "refine best"):
        rows[row[0]] = row
    seconds = time.perf_counter() - started
    ordered = [rows[str(hand)] for hand, _ in classes]
    _write(
        output,
        ordered,
        samples=samples,
        top=top,
        top_samples=top_samples,
        seed=seed,
        seconds=seconds,
        workers=workers,
    )
    return ordered


def _write(output: Path, rows: Sequence[Row], **meta: object) -> None:
    """Write the table: '#' header lines saying how it was made, then hand,combos,bp,stderr_bp."""
    worst = max(row[3] for row in rows)
    header = [
        "StakeEasy PLO preflop equity vs one random hand, per suit-isomorphic class.",
        "Built by: python -m app.poker.build_equity_table (Monte Carlo, app.poker.equity.simulate_equity)",
        f"Seed: {meta['seed']} (each class seeded with '<seed>:<class>', refinement '<seed>:refine:<class>')",
        f"Samples: {meta['samples']} per class; the {meta['top']} best of those re-simulated with "
        f"{meta['top_samples']} samples, which replace the first figure",
        f"Largest standard error: {worst:.3f} percentage points",
        f"Built: {datetime.now(UTC).isoformat(timespec='seconds')} in {meta['seconds']:.0f} s "
        f"on {meta['workers']} processes",
        f"Machine: {_machine()}; Python {platform.python_version()}, phevaluator {version('phevaluator')}",
        "Columns: class representative, hands in the class, equity and standard error in basis points",
    ]
    lines = [f"# {line}" for line in header]
    lines.append("hand,combos,equity_bp,stderr_bp")
    for text, combos, equity, stderr, _ in rows:
        lines.append(f"{text},{combos},{round(equity * 100)},{round(stderr * 100)}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=DATA_FILE)
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES)
    parser.add_argument("--top", type=int, default=DEFAULT_TOP)
    parser.add_argument("--top-samples", type=int, default=DEFAULT_TOP_SAMPLES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--limit", type=int, default=None, help="only the first N classes (a trial run)")
    args = parser.parse_args(argv)
    build(
        args.output,
        samples=args.samples,
        top=args.top,
        top_samples=args.top_samples,
        seed=args.seed,
        workers=args.workers,
        limit=args.limit,
    )
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
