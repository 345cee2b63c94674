"""PDF report time and peak memory on synthetic models: N = 100, 1,000, 5,000 elements.

    python benchmarks/bench_report.py [N ...] [--summary-only]

Each size runs in a fresh subprocess so that peak memory (ru_maxrss of the child) is that one
report's, fonts and imports included. Prints threats, pages, PDF size, build time (derivation
excluded, shown apart), time per element, peak RSS, and growth time(N)/time(previous N) next to
the size ratio (linear = equal). Targets: 1,000 elements in <= 5 s (issue 13) and under 500 MB.
For comparison: pytm 1.4.0's report takes 254 s and 12 GB at 50 elements.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Measure, Row, emit, verdict  # noqa: E402

TARGET_N, TARGET_SECONDS, TARGET_MB = 1_000, 5.0, 500.0

CHILD = r"""
import io, json, resource, sys, time
sys.path.insert(0, {here!r}); sys.path.insert(0, {root!r})
from synthetic import make_model
from stride_desktop.rules import derive, load_rules, stale_triage
from stride_desktop.report import ReportOptions, build_report
model = make_model({n})
t0 = time.perf_counter()
threats = derive(model, load_rules())
t1 = time.perf_counter()
c1 = time.process_time()
out = io.BytesIO()
stats = build_report(model, threats, stale_triage(model, threats), out,
                     options=ReportOptions(summary_only={summary}, invariant=True))
t2 = time.perf_counter()
c2 = time.process_time()
print(json.dumps({{"threats": len(threats), "pages": stats.pages, "bytes": len(out.getvalue()),
                  "derive": t1 - t0, "report": t2 - t1, "report_cpu": c2 - c1,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_one(n: int, summary: bool) -> dict:
    code = CHILD.format(here=str(HERE), root=str(HERE.parent), n=n, summary=summary)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"N={n}: the report failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1_000, 5_000])
    parser.add_argument("--summary-only", action="store_true")
    args = parser.parse_args()
    print(
        f"{'N':>6} {'threats':>8} {'pages':>6} {'PDF MB':>7} {'derive s':>9} {'report s':>9} "
        f"{'ms/elem':>8} {'peak MB':>8} {'growth':>12}"
    )
    previous = None
    status = 0
    for n in args.sizes:
        r = run_one(n, args.summary_only)
        growth = ""
        if previous:
            growth = f"{r['report'] / previous[1]:.1f}x/{n / previous[0]:.0f}x"
        print(
            f"{n:>6} {r['threats']:>8} {r['pages']:>6} {r['bytes'] / 1e6:>7.2f} "
            f"{r['derive']:>9.2f} {r['report']:>9.2f} {1000 * r['report'] / n:>8.2f} "
            f"{r['rss_mb']:>8.0f} {growth:>12}",
            flush=True,
        )
        measure = Measure(r["report"], r["report_cpu"], r["rss_mb"])
        met, note = None, ""
        if n == TARGET_N:
            met, note = verdict(measure, TARGET_SECONDS)
            met = met and r["rss_mb"] < TARGET_MB
            status = 0 if met else 1
        emit(
            [
                Row(
                    "report",
                    f"{n:,} elements, {r['pages']} pages (derivation excluded)",
                    measure,
                    target=f"<= {TARGET_SECONDS:g} s, < {TARGET_MB:g} MB" if n == TARGET_N else "",
                    met=met,
                    note=note,
                )
            ]
        )
        previous = (n, r["report"])
    return status


if __name__ == "__main__":
    raise SystemExit(main())
