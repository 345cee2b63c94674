"""Import time and peak memory of bench outputs (issue 4: each under 0.5 s on this machine).

Run from the repository root: ``python benchmarks/bench_import.py``. Uses the real 620 KB
docker-bench 1.6.0 JSON from ``tests/fixtures/bench`` and a synthetic ~1 MB kube-bench JSON
built by repeating the checks of the real cis-1.23 fixture under fresh ids.
"""

from __future__ import annotations

import copy
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from harness import Measure, Row, emit, verdict  # noqa: E402

from stride_desktop.bench import parse_bench_bytes  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "bench"
TARGET_SECONDS = 0.5


def synthetic_kube_bench(size: int = 1_000_000) -> bytes:
    doc = json.loads((FIXTURES / "kube-bench-cis-1.23.json").read_text())
    base = copy.deepcopy(doc["Controls"])
    controls = doc["Controls"]
    copies = 1
    while len(json.dumps(doc, separators=(",", ":"))) < size:
        copies += 1
        for ctrl in copy.deepcopy(base):
            ctrl["id"] = f"{ctrl['id']}{copies}"
            for group in ctrl["tests"]:
                for check in group["results"]:
                    check["test_number"] = f"{check['test_number']}.{copies}"
            controls.append(ctrl)
    totals = {
        k: sum(c[k] for c in controls)
        for k in ("total_pass", "total_fail", "total_warn", "total_info")
    }
    doc["Totals"] = totals
    return json.dumps(doc, separators=(",", ":")).encode()


def measure(name: str, data: bytes, repeat: int = 5) -> bool:
    times, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = parse_bench_bytes(data, source_name=name)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    tracemalloc.start()
    parse_bench_bytes(data, source_name=name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best, median = min(times), statistics.median(times)
    measure = Measure(median, statistics.median(cpus), runs=repeat)
    ok, note = verdict(measure, TARGET_SECONDS)
    print(
        f"{name:<40} {len(data) / 1024:8.0f} KB {len(result.findings):6d} findings "
        f"median {median * 1000:7.1f} ms (best {best * 1000:6.1f}) peak {peak / 2**20:6.1f} MiB "
        f"{'OK' if ok else 'SLOW'}"
    )
    emit(
        [
            Row(
                "bench import",
                f"{name}, {len(data) / 1024:.0f} KB, {len(result.findings)} findings",
                measure,
                target=f"< {TARGET_SECONDS:g} s",
                met=ok,
                note=note,
            )
        ]
    )
    return ok


def main() -> int:
    docker = (FIXTURES / "docker-bench-1.6.0.log.json").read_bytes()
    ok = measure("docker-bench-1.6.0.log.json", docker)
    ok &= measure(
        "docker-bench-1.6.0.log (text)", (FIXTURES / "docker-bench-1.6.0.log").read_bytes()
    )
    ok &= measure("synthetic kube-bench ~1 MB JSON", synthetic_kube_bench())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
