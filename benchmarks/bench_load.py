"""Loading a model file from disk: N = 1,000, 5,000 and 10,000 elements.

    python benchmarks/bench_load.py [N ...] [--repeat K]

Each synthetic model (N elements, N flows, N/10 boundaries) is written to a temporary file and
loaded back with ``load_model`` (read, decode, parse with every guard, validate, build): median of
K runs, wall and CPU. Beside it, on the same file:

- ``C floor``: PyYAML's own C loader (``yaml.load(text, Loader=yaml.CSafeLoader)``, no guards,
  no validation) with the garbage collector paused: the floor the issue measures against;
- ``unguarded``: our event loop with the depth, node-count and number-length checks removed,
  to show what the checks cost (``checks`` = guarded parse / unguarded parse - 1, each the
  least CPU time of K runs taken in turns);
- ``growth``: time(N) / time(previous N) next to the size ratio (linear = equal).

Targets (issue 13): 10,000 elements in <= 1 s and within 1.5x of the C floor, linear in size,
checks <= 10 % of the load.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml
from harness import Measure, Row, emit
from synthetic import make_model

from stride_desktop.io import dump_model, load_model
from stride_desktop.io.safe_yaml import (
    FLOAT_RE,
    INT_RE,
    LIBYAML,
    EventParser,
    collector_paused,
    parse_yaml_text,
)

TARGET_SECONDS = {10_000: 1.0}
TARGET_FLOOR_RATIO = 1.5
TARGET_CHECK_SHARE = 0.10
SPECIAL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
SPECIAL |= {"FALSE": False, "~": None, "null": None, "Null": None, "NULL": None, "": None}


def best_cpu(funcs, repeat: int) -> list[float]:
    """The least CPU time of each function, run in turns: a busy machine only ever adds time,
    so the minimum is the steadiest measure of a small difference between two of them."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeat):
        for i, func in enumerate(funcs):
            gc.collect()
            cpu = time.process_time()
            func()
            best[i] = min(best[i], time.process_time() - cpu)
    return best


def median_times(func, repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        del result
    return statistics.median(walls), statistics.median(cpus)


def c_floor(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    with collector_paused():
        return yaml.load(text, Loader=yaml.CSafeLoader)  # the floor, for comparison only


def unguarded(text: str) -> Any:
    """The event loop of safe_yaml._build with its checks removed (depth, node count, number
    length, tags, duplicate keys, alias sizes): for measuring what the checks cost, only."""
    parser = EventParser(text)
    get_event = parser.get_event
    frames: list[tuple[Any, Any]] = []
    anchors: dict[str, Any] = {}
    memo: dict[str, Any] = {}
    no_key = object()
    top: Any = None
    key: Any = no_key
    root = None
    while (event := get_event()) is not None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            value = event.value
            if event.tag is None and event.implicit[0]:
                resolved = memo.get(value, memo)
                if resolved is memo:
                    resolved = value
                    if value[:1] in "-+.0123456789":
                        if INT_RE.match(value):
                            resolved = int(value)
                        elif FLOAT_RE.match(value):
                            resolved = float(value)
                    elif value[:1] in "tTfF~nN" or not value:
                        resolved = SPECIAL.get(value, value)
                    if len(value) <= 40:
                        memo[value] = resolved
                value = resolved
            if event.anchor is not None:
                anchors[event.anchor] = value
        elif kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
            frames.append((top, key))
            top, key = ({} if kind is yaml.MappingStartEvent else []), no_key
            continue
        elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            value = top
            top, key = frames.pop()
        elif kind is yaml.AliasEvent:
            value = anchors[event.anchor]
        else:
            continue
        if type(top) is list:
            top.append(value)
        elif top is None:
            root = value
        elif key is no_key:
            key = value
        else:
            top[key] = value
            key = no_key
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 5_000, 10_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"PyYAML {yaml.__version__} {'with' if LIBYAML else 'WITHOUT'} libyaml; "
        f"median of {args.repeat}"
    )
    print(
        f"{'N':>7} {'MB':>5}  {'wall s':>7} {'cpu s':>7}  {'C floor':>7} {'/floor':>6}  "
        f"{'parse':>6} {'unguard':>7} {'checks':>6}  {'growth':>12}  target"
    )
    previous: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            path = Path(folder) / f"synthetic-{n}.yaml"
            path.write_text(dump_model(make_model(n)), encoding="utf-8")
            text = path.read_text(encoding="utf-8")
            wall, cpu = median_times(lambda p=path: load_model(p), args.repeat)
            _, floor = median_times(lambda p=path: c_floor(p), args.repeat)

            def bare(t: str = text) -> Any:
                with collector_paused():
                    return unguarded(t)

            parse, bare_cpu = best_cpu(
                [lambda t=text: parse_yaml_text(t, source="-"), bare], args.repeat
            )
            checks = parse / bare_cpu - 1
            growth = ""
            if previous:
                growth = f"{cpu / previous[1]:4.1f}x/{n / previous[0]:4.1f}x"
            verdicts = []
            ok = None
            if n in TARGET_SECONDS:
                ok = cpu <= TARGET_SECONDS[n] and cpu <= TARGET_FLOOR_RATIO * floor
                verdicts.append(f"{'ok' if ok else 'NOT met'} <= {TARGET_SECONDS[n]} s")
            verdicts.append(f"checks {'ok' if checks <= TARGET_CHECK_SHARE else 'NOT met'}")
            target = f"checks <= {TARGET_CHECK_SHARE:.0%}"
            if n in TARGET_SECONDS:
                target = f"<= {TARGET_SECONDS[n]:g} s cpu, <= {TARGET_FLOOR_RATIO:g}x the floor, {target}"
            emit(
                [
                    Row(
                        "load",
                        f"{n:,} elements from the file (C floor {floor:.3f} s cpu, "
                        f"{cpu / floor:.2f}x; checks {checks:.1%})",
                        Measure(wall, cpu, runs=args.repeat),
                        target=target,
                        met=(ok if ok is not None else True) and checks <= TARGET_CHECK_SHARE,
                    )
                ]
            )
            print(
                f"{n:>7,} {path.stat().st_size / 1e6:5.1f}  {wall:7.3f} {cpu:7.3f}  "
                f"{floor:7.3f} {cpu / floor:5.2f}x  {parse:6.3f} {bare_cpu:7.3f} {checks:5.1%}  "
                f"{growth:>12}  {', '.join(verdicts)}"
            )
            previous = (n, cpu)


if __name__ == "__main__":
    main()
