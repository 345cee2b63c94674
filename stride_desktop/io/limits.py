"""Every limit on what a model file and a bench output may hold, in one place.

The loader refuses what exceeds them with a one-line message; the writers (saving, import-bench)
check the same numbers before they write, so whatever STRIDE Desktop writes, it can open again.
README.md ("Limits") states them; change both together.
"""

from __future__ import annotations

# -- a model file -------------------------------------------------------------------------------
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64  # nesting of mappings and lists
MAX_NODES = 2_000_000  # values in the document, counted as if every alias were copied
MAX_NUMBER_CHARS = 100  # a longer number in YAML is refused (Python refuses ints > 4,300 digits)

# -- values in a model ----------------------------------------------------------------------------
MAX_ID_CHARS = 100
MAX_NAME_CHARS = 200  # names of the model, elements, flows and boundaries: one line
MAX_TEXT_CHARS = 20_000  # any other string: descriptions, notes, remediations, evidence
MAX_INT = 2**31 - 1  # any integer, unless its field says less
MAX_COORDINATE = 1_000_000.0  # positions, boundary rectangles and any other number
MAX_BOUNDARY_DEPTH = 64  # boundaries nested in boundaries
TRUST_LEVELS = (0, 9)  # 0 is the untrusted outside world (the editor offers 0..9)
PORTS = (0, 65535)

# -- a bench output (docker-bench-security, kube-bench) ---------------------------------------
MAX_BENCH_BYTES = 64 * 1024 * 1024  # the largest real text log (96 appended runs) is ~30 MB
MAX_BENCH_LINES = 1_000_000  # the 96-run log has ~400,000
MAX_BENCH_CONTAINERS = 200_000  # JSON objects and arrays, XML elements (real outputs: < 5,000)
MAX_BENCH_VALUES = 2_000_000  # JSON values (real outputs: < 50,000)
MAX_FINDINGS = 20_000  # checks in one run (real runs: 100-400)
MAX_AFFECTED = 10_000  # objects named by one finding
