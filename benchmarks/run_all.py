"""``make bench``: run every benchmark and write the table to benchmarks/RESULTS.md.

    python benchmarks/run_all.py [--quick] [--only NAME ...] [--output FILE]

Each script runs in its own process (so none pays for another's imports or memory) and hands its
rows over through the file named by ``STRIDE_BENCH_ROWS``; its own output streams through. The
table gives ours beside pytm's where pytm does the same job, the target and whether it is met,
with the machine, the date and the load average. Exit status 1 when a target is not met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, ROWS_ENV, Row, load_line, machine, met_text, pytm_version, read_rows

HERE = Path(__file__).resolve().parent
# name -> arguments; --quick trims the largest sizes (for trying the harness, not for results)
SCRIPTS = {
    "startup": (["bench_startup.py"], ["bench_startup.py", "--repeat", "3"]),
    "load": (["bench_load.py"], ["bench_load.py", "1000", "--repeat", "1"]),
    "derive": (["bench_derive.py", "1000", "10000"], ["bench_derive.py", "100", "--repeat", "1"]),
    "editor": (["bench_editor.py"], ["bench_editor.py", "--sizes", "1000"]),
    "review": (["bench_review.py"], ["bench_review.py"]),
    "report": (["bench_report.py", "100", "1000"], ["bench_report.py", "100"]),
    "import": (["bench_import.py"], ["bench_import.py"]),
    "importers": (["bench_importers.py"], ["bench_importers.py"]),
}


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _mb(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| benchmark | case | wall s | cpu s | peak MB | pytm wall s | pytm cpu s | pytm peak MB "
        "| pytm / ours (cpu) | target | verdict | load |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|",
    ]
    for r in rows:
        theirs = r.pytm
        lines.append(
            "| "
            + " | ".join(
                [
                    r.benchmark,
                    r.case.replace("|", "\\|"),
                    _seconds(r.ours.wall),
                    _seconds(r.ours.cpu),
                    _mb(r.ours.peak_mb),
                    _seconds(theirs.wall if theirs else None),
                    _seconds(theirs.cpu if theirs else None),
                    _mb(theirs.peak_mb if theirs else None),
                    f"{r.ratio:.1f}x" if r.ratio else "",
                    r.target,
                    met_text(r),
                    f"{r.load:.2f}",
                ]
            )
            + " |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (not for results)")
    parser.add_argument("--only", nargs="*", choices=sorted(SCRIPTS), default=None)
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where the table goes (default: benchmarks/RESULTS.md, unless --only picks a part)",
    )
    args = parser.parse_args(argv)
    names = args.only or list(SCRIPTS)
    started = dt.datetime.now().astimezone()
    start_load = load_line()
    print(f"{machine()}\n{start_load}\n", flush=True)
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        rows_file = Path(scratch) / "rows.jsonl"
        env = dict(os.environ, **{ROWS_ENV: str(rows_file), "QT_QPA_PLATFORM": "offscreen"})
        for name in names:
            script_args = SCRIPTS[name][1 if args.quick else 0]
            print(f"== {name}: {' '.join(script_args)}", flush=True)
            begin = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(HERE / script_args[0]), *script_args[1:]],
                env=env,
                cwd=ROOT,
                check=False,
            )
            if done.returncode not in (0, 1):
                failures.append(f"{name} crashed (exit {done.returncode})")
            print(f"   ({time.perf_counter() - begin:.0f} s)\n", flush=True)
        rows = read_rows(rows_file)
    not_met = [r for r in rows if r.met is False]
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` ({'--quick, ' if args.quick else ''}`benchmarks/run_all.py`) on "
        f"{started:%Y-%m-%d %H:%M %Z}.",
        "",
        f"- Machine: {machine()}",
        f"- At the start: {start_load}; at the end: {load_line()}",
        f"- pytm: {pytm_version() or 'not installed'} (`pip install -e '.[bench]'`)",
        "- wall = what the user waits for (whole processes: from their start to their end); "
        "cpu = user + system time of that process alone (the other engineers' load inflates it "
        "far less than the wall clock); peak MB = its peak resident memory. A target is met on "
        "the wall clock, or on CPU time when the machine was loaded (the verdict says so). "
        "pytm / ours compares CPU times.",
        "",
        *table(rows),
        "",
    ]
    if failures or not_met:
        lines += ["Not met:", ""]
        lines += [f"- {f}" for f in failures]
        lines += [f"- {r.benchmark}: {r.case}: {r.target} ({met_text(r)})" for r in not_met]
        lines.append("")
    # a partial run (--only) does not replace the full table unless a file is named
    output = args.output or (None if args.only else HERE / "RESULTS.md")
    if output is not None:
        output.write_text("\n".join(lines), encoding="utf-8")
        print(f"wrote {output}")
    print("\n".join(lines))
    return 1 if failures or not_met else 0


if __name__ == "__main__":
    raise SystemExit(main())
