"""Derivation time and peak memory on synthetic models: N = 100, 1,000, 5,000, 10,000.

    python benchmarks/bench_derive.py [N ...] [--repeat K]

Prints, per N: threats produced, median-of-K derivation time (wall and CPU), time per element, peak memory of
one derivation (tracemalloc, measured in a separate run because tracing slows Python down),
and the growth ratio time(N) / time(previous N) next to the size ratio (linear = equal).
Targets on the 2-core reference machine: N = 1,000 under 0.1 s, N = 10,000 under 1.5 s.
If OWASP pytm is importable, it resolves the same topology and its time is printed beside ours.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import make_model

from stride_desktop.model import Model
from stride_desktop.rules import derive, load_rules

TARGETS = {1_000: 0.1, 10_000: 1.5}


def best_time(func, repeat: int, clock=time.perf_counter) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = clock()
        result = func()
        best = min(best, clock() - start)
        del result
    return best


def median_times(func, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU time: on a shared machine, other processes inflate the
    wall clock but not the CPU time this process spent; the median ignores one-off hiccups."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        del result  # freeing ~100,000 threats is the caller's cost, not derivation's
    return statistics.median(walls), statistics.median(cpus)


def peak_memory(func) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def pytm_time(model: Model, repeat: int) -> float | None:
    """Resolve the same topology with OWASP pytm, when it is installed."""
    try:
        from pytm import TM, Actor, Boundary, Dataflow, Datastore, Process
    except ImportError:
        return None
    from stride_desktop.io import default_catalog

    catalog = default_catalog()

    def build_and_resolve() -> None:
        TM.reset()
        tm = TM(model.name)
        boundaries = {b.id: Boundary(b.name) for b in model.boundaries}
        nodes = {}
        for e in model.elements:
            kind = catalog.kind_of(e.component).value
            cls = {"external_entity": Actor, "data_store": Datastore}.get(kind, Process)
            nodes[e.id] = cls(e.name)
            if e.boundary:
                nodes[e.id].inBoundary = boundaries[e.boundary]
        for f in model.flows:
            Dataflow(nodes[f.source], nodes[f.target], f.name or f.id)
        tm.resolve()

    try:
        return best_time(build_and_resolve, max(1, repeat // 2))
    except Exception as exc:  # pytm versions differ; a comparison must not break the benchmark
        print(f"  (pytm failed: {exc})")
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1_000, 5_000, 10_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per size; the median counts")
    parser.add_argument("--no-pytm", action="store_true", help="skip the pytm comparison")
    args = parser.parse_args(argv)

    rules = load_rules()
    print(
        f"{len(rules)} rules loaded; median of {args.repeat} runs per size; "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    header = (
        f"{'N':>7} {'flows':>7} {'bounds':>6} {'threats':>8} {'wall s':>7} {'cpu s':>7} {'us/elem':>8} "
        f"{'peak MB':>8} {'growth':>13} {'target':>8} {'pytm s':>8} {'pytm/us':>8}"
    )
    print(header)
    print("-" * len(header))
    previous: tuple[int, float] | None = None
    failed = False
    for n in args.sizes:
        model = make_model(n)
        threats = derive(model, rules)  # warm up: rule index, memo tables
        wall, elapsed = median_times(lambda model=model: derive(model, rules), args.repeat)
        peak = peak_memory(lambda model=model: derive(model, rules))
        growth = ""
        if previous:
            growth = f"{elapsed / previous[1]:5.1f}x/{n / previous[0]:4.1f}x"
        target = TARGETS.get(n)
        verdict = "" if target is None else ("ok" if elapsed < target else "SLOW") + f"<{target:g}"
        failed |= target is not None and elapsed >= target
        theirs = None if args.no_pytm else pytm_time(model, args.repeat)
        pytm_cols = (
            f"{theirs:8.3f} {theirs / elapsed:7.1f}x"
            if theirs is not None
            else f"{'-':>8} {'-':>8}"
        )
        print(
            f"{n:>7,} {len(model.flows):>7,} {len(model.boundaries):>6,} {len(threats):>8,} "
            f"{wall:7.3f} {elapsed:7.3f} {elapsed / n * 1e6:8.1f} {peak / 1e6:8.1f} {growth:>13} "
            f"{verdict:>8} {pytm_cols}"
        )
        previous = (n, elapsed)
    print(
        "\ngrowth = cpu time ratio / size ratio against the previous row (near-linear: similar numbers)"
    )
    print(
        "targets are checked against the CPU time (median of the runs); wall time is shown beside it"
    )
    if not args.no_pytm and pytm_time(make_model(10), 1) is None:
        print("pytm is not installed: no side-by-side comparison (pip install pytm to add it)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
