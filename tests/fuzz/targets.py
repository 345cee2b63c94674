"""What the standing fuzz test feeds: every reader of a file a person may hand us.

Each Target reads bytes the way its entry point reads a file and may raise only its clean
errors (one line each); anything else is a bug. ``seeds`` are real files the fuzzer mutates.

To add a reader (e.g. an importer of branch ``importers``), add one line to TARGETS:

    Target("compose importer", read_compose, (ImporterError,), seeds("compose", "*.yml")),

where ``read_compose(data: bytes)`` imports the bytes (write them to a file first if the
importer reads paths) and ``ImporterError`` is the importer's own exception base.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stride_desktop.bench import BenchError, add_run, parse_bench_bytes
from stride_desktop.importers import ImporterError
from stride_desktop.io import ModelError, dump_model, load_model, loadable_problems, loads_model
from stride_desktop.model import Boundary, Element, Model

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
_SCRATCH_DIR = tempfile.TemporaryDirectory(prefix="stride-fuzz-")  # removed at exit
_SCRATCH = Path(_SCRATCH_DIR.name)


@dataclass(frozen=True)
class Target:
    name: str
    read: Callable[[bytes], object]
    errors: tuple[type[BaseException], ...]
    seeds: tuple[bytes, ...]


def seeds(folder: str, pattern: str, *, max_bytes: int = 60_000) -> tuple[bytes, ...]:
    """The files matching ``pattern`` in the repository's ``folder`` (or tests/fixtures/folder);
    larger ones cut to ``max_bytes`` (a truncated file is a good seed too, and keeps each
    example quick)."""
    base = ROOT / folder if (ROOT / folder).is_dir() else FIXTURES / folder
    return tuple(p.read_bytes()[:max_bytes] for p in sorted(base.glob(pattern)))


JUNIT_SEED = b"""<?xml version="1.0"?>
<testsuites><testsuite name="Worker Node Security Configuration" tests="2" failures="1">
<testcase name="4.1.1 Ensure that the kubelet service file permissions are set" classname="Files">
<system-out>{"test_number":"4.1.1","test_desc":"Ensure perms (Automated)","status":"PASS"}</system-out>
</testcase><testcase name="4.2.1 Ensure that anonymous-auth is false" classname="Kubelet">
<failure>Edit the kubelet service file</failure></testcase></testsuite></testsuites>
"""


@cache
def _rules() -> object:
    from stride_desktop.rules import load_rules

    return load_rules([])


def read_model(data: bytes) -> Model:
    """As ``validate``/``threats``/the editor open a file; a model that loads is saved and
    loaded again (the same model) and its threats derived."""
    path = _SCRATCH / "model.yaml"
    path.write_bytes(data)
    model = load_model(path)
    assert loads_model(dump_model(model)) == model, "saving and loading changed the model"
    from stride_desktop.rules import derive

    derive(model, _rules())  # type: ignore[arg-type]
    return model


def read_bench(data: bytes) -> object:
    """As ``bench``/``import-bench`` read a file; a run that parses must fit in a model that
    the loader opens again (the limits agree)."""
    result = parse_bench_bytes(data, source_name="fuzz.out")
    model = Model(
        name="fuzz",
        boundaries=[Boundary(id="host", name="Host", kind="host")],
        elements=[Element(id="d", name="dockerd", component="docker.daemon", boundary="host")],
    )
    add_run(model, result.run, scope="host")
    assert loadable_problems(model) == [], "import-bench would write a model the loader refuses"
    return result


def read_import(name: str) -> Callable[[bytes], object]:
    """As ``import``/``threats``/the editor import a file saved as ``name``; what imports must
    be a model the loader accepts (the importer writes nothing the loader refuses)."""

    def read(data: bytes) -> object:
        from stride_desktop.importers import import_files

        path = _SCRATCH / name
        path.write_bytes(data)
        result = import_files([path])
        assert loadable_problems(result.model) == [], "import wrote a model the loader refuses"
        return result

    return read


TARGETS: list[Target] = [
    Target("model loader", read_model, (ModelError,), seeds("models", "*.yaml")),
    Target("docker-bench JSON", read_bench, (BenchError,), seeds("bench", "docker-bench*.json")),
    Target("docker-bench text log", read_bench, (BenchError,), seeds("bench", "docker-bench*.log")),
    Target("kube-bench JSON", read_bench, (BenchError,), seeds("bench", "kube-bench*.json")),
    Target("kube-bench text", read_bench, (BenchError,), seeds("bench", "kube-bench*.txt")),
    Target("kube-bench JUnit", read_bench, (BenchError,), (JUNIT_SEED,)),
    Target(
        "compose importer", read_import("compose.yml"), (ImporterError,), seeds("compose", "*.y*ml")
    ),
    Target("manifest importer", read_import("k8s.yaml"), (ImporterError,), seeds("k8s", "*.yaml")),
]
