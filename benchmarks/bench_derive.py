"""Threats from a model file, ours and OWASP pytm 1.4.0's, on one clock: N = 100 ... 10,000.

    python benchmarks/bench_derive.py [N ...] [--repeat K] [--no-pytm] [--keep DIR]

For each N, ``synthetic.make_model(N)`` (N elements across N/10 boundaries, N flows) is written
to disk twice: as our YAML model file and as a pytm script of the same topology
(``pytm_model.py``). Then, both timed with the same clocks (wall and CPU, median of K runs):

- in-process: reading the model (our ``load_model`` / executing pytm's script, which builds its
  objects) and deriving the threats (our ``derive`` / pytm's ``resolve`` after its ``check``);
- whole processes, what a user waits for: ``stride-desktop threats MODEL.yaml --format json
  -o OUT`` against ``python tm.py --json OUT``, with each process's peak memory (``wait4``).

Targets (issue 13; on the 2-core reference machine): derive 1,000 < 0.1 s and 10,000 < 1.5 s;
the threats command at 10,000 <= 2.5 s, >= 15x faster than pytm (CPU time), peak memory <= pytm's
(the loader's own targets: bench_load.py). ``pip install -e '.[bench]'`` installs pytm 1.4.0.
"""

from __future__ import annotations

import argparse
import gc
import json
import runpy
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import (
    Measure,
    Row,
    emit,
    load_line,
    median_process,
    pytm_available,
    pytm_version,
    stride_command,
    timed,
    verdict,
)
from pytm_model import write_pytm_script
from synthetic import make_model

from stride_desktop.io import dump_model, load_model
from stride_desktop.rules import derive, load_rules

DERIVE_TARGETS = {1_000: 0.1, 10_000: 1.5}
COMMAND_TARGETS = {10_000: 2.5}
MIN_RATIO = 15.0


def write_inputs(n: int, folder: Path) -> tuple[Path, Path]:
    model = make_model(n)
    ours = folder / f"model-{n}.yaml"
    ours.write_text(dump_model(model), encoding="utf-8")
    theirs = write_pytm_script(model, folder / f"tm_{n}.py")
    return ours, theirs


def pytm_in_process(script: Path, repeat: int) -> tuple[Measure, Measure, int]:
    """Execute the script (pytm builds its model) and resolve, timed like ours."""
    from pytm import TM

    def build() -> dict:
        TM.reset()
        return runpy.run_path(str(script), run_name="pytm_model")  # not __main__: no process()

    load = timed(build, repeat)
    tm = build()["tm"]
    tm.check()
    resolved = timed(tm.resolve, repeat)
    findings = len(tm.findings)
    TM.reset()
    gc.collect()
    return load, resolved, findings


def bench_size(n: int, folder: Path, *, repeat: int, pytm: bool) -> list[Row]:
    model_path, script = write_inputs(n, folder)
    rules = load_rules()
    rows: list[Row] = []

    load = timed(lambda: load_model(model_path), repeat)
    loaded = load_model(model_path)
    derived = timed(lambda: derive(loaded, rules), repeat)
    threats = len(derive(loaded, rules))
    their_load = their_derive = None
    findings = 0
    if pytm:
        their_load, their_derive, findings = pytm_in_process(script, repeat if n <= 1_000 else 1)

    rows.append(  # the loader's own targets: bench_load.py
        Row(
            "in-process",
            f"load {n:,} elements (ours: load_model; pytm: run the script)",
            load,
            pytm=their_load,
        )
    )
    target = DERIVE_TARGETS.get(n)
    met, note = verdict(derived, target) if target else (None, "")
    rows.append(
        Row(
            "in-process",
            f"derive {n:,} elements -> {threats:,} threats (pytm: resolve -> {findings:,} findings)",
            derived,
            target=f"< {target:g} s" if target else "",
            met=met,
            pytm=their_derive,
            note=note,
        )
    )

    out = folder / f"threats-{n}.json"
    ours = median_process(
        [*stride_command(), "threats", str(model_path), "--format", "json", "-o", str(out)],
        repeat,
    )
    produced = len(json.loads(out.read_text(encoding="utf-8"))["threats"])
    theirs = None
    if pytm:
        their_out = folder / f"pytm-{n}.json"
        theirs = median_process(
            [sys.executable, script.name, "--json", their_out.name],
            repeat if n <= 1_000 else 1,
            warm=n <= 1_000,  # a minute at 10,000; the smaller sizes warmed pytm's caches
            cwd=folder,
        )
        their_out.unlink()
    target = COMMAND_TARGETS.get(n)
    met, note = None, ""
    target_text = ""
    if target:
        met, note = verdict(ours, target)
        if not met:
            note = f"{ours.wall:.2f} s wall, {ours.cpu:.2f} s cpu"
        target_text = f"<= {target:g} s"
        if pytm:
            assert theirs is not None
            ratio = theirs.cpu / ours.cpu
            lighter = (ours.peak_mb or 0) <= (theirs.peak_mb or 0)
            target_text += f", >= {MIN_RATIO:g}x pytm (cpu), memory <= pytm"
            met = met and ratio >= MIN_RATIO and lighter
            if ratio < MIN_RATIO:
                note = (note + "; " if note else "") + f"only {ratio:.1f}x pytm"
            if not lighter:
                note = (note + "; " if note else "") + "more memory than pytm"
        else:
            target_text += " (pytm not installed: ratio and memory unchecked)"
    rows.append(
        Row(
            "threats command",
            f"{n:,} elements, --format json ({produced:,} threats) vs pytm tm.py --json",
            ours,
            target=target_text,
            met=met,
            pytm=theirs,
            note=note,
        )
    )
    out.unlink()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median counts")
    parser.add_argument("--no-pytm", action="store_true", help="skip the pytm comparison")
    parser.add_argument("--keep", type=Path, help="write the models and scripts here")
    args = parser.parse_args(argv)
    pytm = not args.no_pytm and pytm_available()
    print(
        f"median of {args.repeat} runs (pytm: 1 run above 1,000 elements); {load_line()}; "
        + (f"pytm {pytm_version()}" if pytm else "pytm not installed (pip install -e '.[bench]')"),
        flush=True,
    )
    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            start = time.perf_counter()
            rows = bench_size(n, folder, repeat=args.repeat, pytm=pytm)
            emit(rows)
            failed |= any(r.met is False for r in rows)
            print(f"  ({n:,} done in {time.perf_counter() - start:.0f} s; {load_line()})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
