"""PDF report time and peak memory on synthetic models: N = 100, 1,000, 5,000 elements.

    python benchmarks/bench_report.py [N ...]

For each size, two reports, each in a fresh subprocess so that peak memory (ru_maxrss of the
child) is that one report's, fonts and imports included: the body alone (what the CLI writes by
default) and the body plus appendix (every threat, the catalogue, full check lists). Prints
threats, pages, PDF size, build time (derivation excluded, shown apart), time per element, peak
RSS, and growth time(N)/time(previous N) next to the size ratio (linear = equal). Targets at
1,000 elements: body plus appendix <= 5 s and <= 500 MB; body only <= 2 s, judged on the
report's CPU time (wall time is printed beside it with the load average: on a shared 2-core
machine other work stretches the wall clock, not the work the report does). Whether reportlab's C
accelerator (rl_accel) is in use is printed: without it the pure-Python fallbacks cost ~30 %.

Then what a user waits for: ``stride-desktop report MODEL.yaml [--appendix] -o OUT.pdf`` as a
whole process from the model file on disk (start-up, loading, rules, derivation, fonts, the
atomic write with its fsync), median of ``--repeat`` runs after a warm-up, wall and CPU time and
peak memory (``harness.run_process``); wall minus CPU is what the process waited for (other
processes' load, the disk). Target at 1,000 elements: body plus appendix <= 5 s, linear in size.
For comparison: pytm 1.4.0's report takes 254 s and 12 GB at 50 elements.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import (  # noqa: E402
    Measure,
    Row,
    emit,
    median_process,
    stride_command,
    verdict,
)

TARGET_N, TARGET_MB = 1_000, 500.0
TARGET_SECONDS = {"body+appendix": 5.0, "body": 2.0}
COMMAND_TARGET = 5.0  # the whole command, body plus appendix, at TARGET_N

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
out = io.BytesIO()
c1 = time.process_time()
stats = build_report(model, threats, stale_triage(model, threats), out,
                     options=ReportOptions(appendix={appendix}, invariant=True))
t2 = time.perf_counter()
c2 = time.process_time()
print(json.dumps({{"threats": len(threats), "pages": stats.pages, "bytes": len(out.getvalue()),
                  "derive": t1 - t0, "report": t2 - t1, "cpu": c2 - c1,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_one(n: int, appendix: bool) -> dict:
    code = CHILD.format(here=str(HERE), root=str(HERE.parent), n=n, appendix=appendix)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"N={n}: the report failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def accelerated() -> bool:
    try:
        import _rl_accel  # noqa: F401  (the module the rl-accel package installs)
    except ImportError:
        return False
    return True


def whole_commands(sizes: list[int], repeat: int) -> int:
    """``stride-desktop report`` from the model file, as a user runs it; 1 if a target is missed."""
    sys.path.insert(0, str(HERE.parent))
    from synthetic import make_model

    from stride_desktop.io import dump_model

    missed = 0
    print(f"\nwhole command (median of {repeat})")
    print(
        f"{'N':>6} {'kind':>14} {'wall s':>7} {'CPU s':>6} {'waited s':>8} {'peak MB':>8} {'growth':>12}"
    )
    with tempfile.TemporaryDirectory() as folder:
        previous: dict[str, tuple[int, float]] = {}
        for n in sizes:
            model = Path(folder) / f"model-{n}.yaml"
            model.write_text(dump_model(make_model(n)), encoding="utf-8")
            for kind in ("body", "body+appendix"):
                argv = [*stride_command(), "report", str(model), "-o", f"{folder}/r.pdf"]
                measure = median_process(argv + ["--appendix"] * (kind != "body"), repeat)
                growth = ""
                if kind in previous:
                    last_n, last_cpu = previous[kind]
                    growth = f"{measure.cpu / last_cpu:.1f}x/{n / last_n:.0f}x"
                previous[kind] = (n, measure.cpu)
                print(
                    f"{n:>6} {kind:>14} {measure.wall:>7.2f} {measure.cpu:>6.2f} "
                    f"{measure.wall - measure.cpu:>8.2f} {measure.peak_mb or 0:>8.0f} {growth:>12}",
                    flush=True,
                )
                target = COMMAND_TARGET if n == TARGET_N and kind == "body+appendix" else None
                met, note = verdict(measure, target) if target else (None, "")
                missed |= 0 if met in (None, True) else 1
                emit(
                    [
                        Row(
                            "report command",
                            f"stride-desktop report, {n:,} elements, {kind} (from the file)",
                            measure,
                            target=f"<= {target:g} s" if target else "",
                            met=met,
                            note=note,
                        )
                    ]
                )
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1_000, 5_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each whole command")
    args = parser.parse_args()
    print(f"reportlab C accelerator (rl_accel): {'in use' if accelerated() else 'NOT installed'}")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs")
    missed = 0
    for kind in ("body", "body+appendix"):
        print(
            f"\n{kind}\n{'N':>6} {'threats':>8} {'pages':>6} {'PDF MB':>7} {'derive s':>9} "
            f"{'wall s':>7} {'CPU s':>6} {'ms/elem':>8} {'peak MB':>8} {'growth':>12}"
        )
        previous = None
        for n in args.sizes:
            r = run_one(n, kind == "body+appendix")
            growth = ""
            if previous:
                growth = f"{r['cpu'] / previous[1]:.1f}x/{n / previous[0]:.0f}x"
            print(
                f"{n:>6} {r['threats']:>8} {r['pages']:>6} {r['bytes'] / 1e6:>7.2f} "
                f"{r['derive']:>9.2f} {r['report']:>7.2f} {r['cpu']:>6.2f} "
                f"{1000 * r['cpu'] / n:>8.2f} {r['rss_mb']:>8.0f} {growth:>12}",
                flush=True,
            )
            ok = None
            if n == TARGET_N:
                seconds = TARGET_SECONDS[kind]
                ok = r["cpu"] <= seconds and r["rss_mb"] <= TARGET_MB
                missed |= 0 if ok else 1
                print(
                    f"       target at N={TARGET_N}: <= {seconds:.0f} s CPU and <= {TARGET_MB:.0f} MB: "
                    f"{'met' if ok else 'NOT met'}"
                )
            emit(
                [
                    Row(
                        "report",
                        f"{n:,} elements, {kind}: {r['pages']} pages (derivation excluded)",
                        Measure(r["report"], r["cpu"], r["rss_mb"]),
                        target=(
                            f"<= {TARGET_SECONDS[kind]:g} s CPU, <= {TARGET_MB:g} MB"
                            if n == TARGET_N
                            else ""
                        ),
                        met=ok,
                    )
                ]
            )
            previous = (n, r["cpu"])
    return missed | whole_commands(args.sizes, args.repeat)


if __name__ == "__main__":
    raise SystemExit(main())
