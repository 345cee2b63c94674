"""What every benchmark shares: one clock for both tools, the machine, rows for RESULTS.md.

- ``run_process(argv)`` times a whole process: wall clock around it, CPU time (user + system)
  and peak resident memory of that one process from ``os.wait4``'s rusage, through a small
  launcher (see ``_LAUNCHER``).
- ``timed(func)`` times a call in this process with the same two clocks (perf_counter and
  process_time), median of a few runs.
- ``Row`` is one line of the results table: ours, pytm's beside it where pytm does the same job,
  the target and whether it is met. ``emit(rows)`` prints them and, when ``make bench`` runs the
  script (``STRIDE_BENCH_ROWS`` names a file), appends them there as JSON lines.

The machine is shared: wall time is what a user waits for, CPU time is what the process itself
spent (other processes do not inflate it), and the load average says how busy the machine was.
A target is met when the wall time meets it; when only the CPU time does while the machine was
loaded (load average above 1), the verdict says so instead of pretending either way.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROWS_ENV = "STRIDE_BENCH_ROWS"


@dataclass
class Measure:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    peak_mb: float | None = None  # peak resident set size of the process
    runs: int = 1

    def text(self) -> str:
        peak = f", {self.peak_mb:.0f} MB" if self.peak_mb is not None else ""
        return f"{self.wall:.3f} s wall, {self.cpu:.3f} s cpu{peak}"


@dataclass
class Row:
    benchmark: str  # the script, e.g. "threats command"
    case: str  # what was measured, e.g. "10,000 elements, --format json"
    ours: Measure
    target: str = ""  # human text, e.g. "<= 2.5 s, >= 15x pytm, memory <= pytm"
    met: bool | None = None  # None: no target
    pytm: Measure | None = None
    load: float = field(default_factory=lambda: os.getloadavg()[0])
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """How many times pytm's CPU time ours is (CPU: robust against the others' load)."""
        if self.pytm is None or self.ours.cpu <= 0:
            return None
        return self.pytm.cpu / self.ours.cpu

    @property
    def wall_ratio(self) -> float | None:
        if self.pytm is None or self.ours.wall <= 0:
            return None
        return self.pytm.wall / self.ours.wall


def verdict(measure: Measure, limit: float, *, load: float | None = None) -> tuple[bool, str]:
    """Met on the wall clock; on a loaded machine, met on CPU time is said as such."""
    load = os.getloadavg()[0] if load is None else load
    if measure.wall <= limit:
        return True, ""
    if measure.cpu <= limit and load > 1.0:
        return True, f"met on CPU time; wall {measure.wall:.2f} s at load {load:.1f}"
    return False, ""


def user_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a user's shell: Python caches compiled modules (a development or CI
    environment may set PYTHONDONTWRITEBYTECODE, which makes every process compile every module
    of the project again, time no user spends)."""
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# A small launcher spawns each measured process: a child forked from a big parent (a benchmark
# holding models in memory) would report the parent's resident memory as its own peak, since
# Linux keeps the pre-exec address space's high-water mark in ru_maxrss. The launcher stays small,
# times the child from just before it starts, and tells the child that moment (SPAWN_ENV, read on
# CLOCK_MONOTONIC, which time.perf_counter shares across processes).
SPAWN_ENV = "STRIDE_SPAWN_T0"
_LAUNCHER = """
import json, os, subprocess, sys, time
argv, report, spawn_env = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
start = time.perf_counter()
os.environ[spawn_env] = repr(start)
proc = subprocess.Popen(argv)
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as out:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
               "peak_kb": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}, out)
"""


def run_process(
    argv: Sequence[str],
    *,
    stdout: Any = subprocess.DEVNULL,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 600,
) -> Measure:
    """Run one process to its end: its wall time, its own CPU time and peak memory (wait4)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        launcher = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, json.dumps(list(argv)), str(report), SPAWN_ENV],
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=user_env(env),
            cwd=cwd,
            text=True,
            start_new_session=True,  # a timeout ends the launcher and the measured process
        )
        try:
            _, stderr = launcher.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, 9)
            launcher.communicate()
            raise TimeoutError(f"{argv[0]} ran longer than {timeout:.0f} s") from None
        if not report.exists():
            raise RuntimeError(f"{' '.join(argv)}: the launcher failed:\n{stderr[-2000:]}")
        result = json.loads(report.read_text())
    if result["code"] not in (0, 1):  # 1: a --fail-on gate, still a full run
        raise RuntimeError(f"{' '.join(argv)} failed ({result['code']}):\n{stderr[-2000:]}")
    return Measure(result["wall"], result["cpu"], result["peak_kb"] / 1024)


def median_process(
    argv: Sequence[str], repeat: int, *, warm: bool = True, **kwargs: Any
) -> Measure:
    """Median of ``repeat`` runs after one untimed run (it fills the file and bytecode caches;
    ``warm=False`` when a smaller run of the same program did)."""
    if warm:
        run_process(argv, **kwargs)
    runs = [run_process(argv, **kwargs) for _ in range(repeat)]
    peaks = [r.peak_mb for r in runs if r.peak_mb is not None]
    return Measure(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(peaks) if peaks else None,
        runs=repeat,
    )


def timed(func: Callable[[], object], repeat: int = 3) -> Measure:
    """Median wall and CPU time of ``func()`` in this process; the result is freed untimed."""
    import gc

    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        del result
    return Measure(statistics.median(walls), statistics.median(cpus), runs=repeat)


def pytm_available() -> bool:
    try:
        import pytm  # noqa: F401
    except ImportError:
        return False
    return True


def pytm_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("pytm")
    except Exception:
        return None


def stride_command() -> list[str]:
    """The installed console script when there is one (what a user runs), else ``-m``."""
    script = Path(sys.executable).with_name("stride-desktop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "stride_desktop"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 2**20:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def emit(rows: Sequence[Row]) -> None:
    """Print the rows; under ``make bench`` also hand them to the results table."""
    for row in rows:
        print(format_row(row), flush=True)
    target = os.environ.get(ROWS_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(asdict(row)) + "\n")


def read_rows(path: Path) -> list[Row]:
    rows = []
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        data["ours"] = Measure(**data["ours"])
        data["pytm"] = Measure(**data["pytm"]) if data.get("pytm") else None
        rows.append(Row(**data))
    return rows


def met_text(row: Row) -> str:
    if row.met is None:
        return ""
    return ("met" if row.met else "NOT met") + (f" ({row.note})" if row.note else "")


def format_row(row: Row) -> str:
    theirs = ""
    if row.pytm is not None:
        ratio = row.ratio
        theirs = f" | pytm {row.pytm.text()}" + (f" = {ratio:.1f}x ours (cpu)" if ratio else "")
    target = f" | target {row.target}: {met_text(row)}" if row.target else ""
    return f"{row.benchmark}: {row.case}: {row.ours.text()}{theirs}{target} | load {row.load:.2f}"
