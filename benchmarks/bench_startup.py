"""How long a command takes to start: ``--help`` and ``validate`` of a small model.

    python benchmarks/bench_startup.py [--repeat K]

Whole processes timed from the parent (wall, and the child's own CPU time), median of K runs,
with ``python -c pass`` as the floor no command can beat. Target (issue 13): <= 0.15 s for
``--help`` and ``validate`` of a small model. ``threats`` of the same model is shown beside it:
it loads the rules, which the other two must not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, Row, emit, load_line, median_process, stride_command, verdict

TARGET = 0.15
SMALL_MODEL = ROOT / "models" / "docker-host.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"median of {args.repeat} runs; {load_line()}", flush=True)
    command = stride_command()
    cases = [
        ("python -c pass (the floor)", [sys.executable, "-c", "pass"], None),
        ("stride-desktop --help", [*command, "--help"], TARGET),
        (
            f"stride-desktop validate {SMALL_MODEL.name}",
            [*command, "validate", str(SMALL_MODEL)],
            TARGET,
        ),
        (
            f"stride-desktop threats {SMALL_MODEL.name} (loads the rules)",
            [*command, "threats", str(SMALL_MODEL), "--format", "json"],
            None,
        ),
    ]
    rows = []
    for label, argv_, target in cases:
        measure = median_process(argv_, args.repeat)
        met, note = verdict(measure, target) if target else (None, "")
        rows.append(
            Row(
                "start-up",
                label,
                measure,
                target=f"<= {target:g} s" if target else "",
                met=met,
                note=note,
            )
        )
    emit(rows)
    return 1 if any(r.met is False for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
