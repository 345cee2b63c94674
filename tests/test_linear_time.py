"""Every parser and every pass over input is linear (or n log n) in the input's size.

Each pathological input (tests/pathological.py) is read at two sizes, n and 8n, in one run;
the CPU time must grow by well under the 64x a quadratic pass would take. A ratio of sizes, never
an absolute time: the machine's speed cancels out.
"""

from __future__ import annotations

import contextlib
import gc
import time

import pytest

from stride_desktop.bench import BenchError, parse_bench_bytes
from stride_desktop.io import ModelError, loads_model

from .pathological import INPUTS, MODEL_INPUTS

SMALL = 40_000  # bytes, about
GROWTH = 8
MAX_RATIO = 24  # linear: ~8, n log n: ~9-10, quadratic: ~64


def _bench(data: bytes) -> None:
    with contextlib.suppress(BenchError):
        parse_bench_bytes(data, source_name="x")


def _model(data: bytes) -> None:
    with contextlib.suppress(ModelError):
        loads_model(data.decode(), source="x.yaml")


def cpu_time(func, data: bytes) -> float:
    """Best of three CPU times (other processes on the machine only ever add time)."""
    best = float("inf")
    for _ in range(3):
        gc.collect()
        start = time.process_time()
        func(data)
        best = min(best, time.process_time() - start)
    return max(best, 1e-3)  # below a millisecond the clock's resolution dominates


CASES = [(name, make, _bench) for name, make in INPUTS.items()] + [
    (name, make, _model) for name, make in MODEL_INPUTS.items()
]


@pytest.mark.slow
@pytest.mark.parametrize("name, make, read", CASES, ids=[c[0] for c in CASES])
def test_time_grows_linearly(name, make, read) -> None:
    small, large = make(SMALL), make(SMALL * GROWTH)
    assert len(large) > 6 * len(small)  # the generator really grows
    ratio = cpu_time(read, large) / cpu_time(read, small)
    assert ratio < MAX_RATIO, f"{name}: {GROWTH}x the input took {ratio:.1f}x the time"
