"""Bench inputs are bounded, and what import-bench writes the loader opens."""

from __future__ import annotations

import json
import os

import pytest

from stride_desktop.bench import BenchError, parse_bench_bytes, parse_bench_file
from stride_desktop.cli import main
from stride_desktop.io import load_model, save_model
from stride_desktop.io.limits import MAX_FINDINGS, MAX_TEXT_CHARS
from stride_desktop.model import Boundary, Element, Model


def kube_json(results: list[dict]) -> dict:
    return {
        "Controls": [
            {
                "id": "4",
                "version": "cis-1.23",
                "text": "Worker Node Security Configuration",
                "node_type": "node",
                "tests": [{"section": "4.1", "desc": "Files", "results": results}],
            }
        ]
    }


def result(i: int, **extra) -> dict:
    return {"test_number": f"4.1.{i}", "test_desc": "Ensure x", "status": "FAIL", **extra}


@pytest.fixture
def model_path(tmp_path):
    path = tmp_path / "m.yaml"
    model = Model(
        name="m",
        boundaries=[Boundary(id="node", name="Node", kind="node")],
        elements=[Element(id="k", name="kubelet", component="k8s.kubelet", boundary="node")],
    )
    save_model(model, path)
    return path


def test_hostile_texts_are_cut_so_the_model_loads_again(tmp_path, model_path, capsys):
    bench = tmp_path / "kb.json"
    long = "r" * (MAX_TEXT_CHARS * 5)
    bench.write_text(
        json.dumps(kube_json([result(1, remediation=long, test_desc="t" * 90_000, audit=long)]))
    )
    assert main(["import-bench", str(model_path), str(bench), "--scope", "node"]) == 0
    finding = load_model(model_path).bench_runs[0].findings[0]
    assert len(finding.remediation) == MAX_TEXT_CHARS and "(cut, 100,000 characters)" in (
        finding.remediation
    )
    assert len(finding.title) <= MAX_TEXT_CHARS
    assert main(["validate", str(model_path)]) == 0
    capsys.readouterr()


def test_too_many_findings_are_refused_quickly(tmp_path):
    data = json.dumps(kube_json([result(i) for i in range(MAX_FINDINGS + 1)])).encode()
    with pytest.raises(BenchError, match=f"more than {MAX_FINDINGS:,} checks"):
        parse_bench_bytes(data, source_name="many.json")


@pytest.mark.parametrize(
    "data, expected",
    [
        (b'{"Controls": [' + b"[]," * 300_000 + b"[]]}", "JSON objects and arrays"),
        (
            json.dumps(kube_json([result(1)])).replace('"4.1"', "4" * 5000, 1).encode(),
            "a number of 5,000 digits",
        ),
        (b"<testsuites>" + b"<testsuite/>" * 300_000 + b"</testsuites>", "XML elements"),
        (b"[PASS] 1.1 x\n" + b"\n" * 1_100_000, "lines"),
        (b'{"Controls": [{"tests": [' + b"1," * 2_100_000 + b"1]}]}", "JSON values"),
    ],
)
def test_inputs_beyond_any_real_output_are_refused(data, expected):
    with pytest.raises(BenchError, match=expected) as info:
        parse_bench_bytes(data, source_name="x")
    assert "\n" not in str(info.value)


def test_a_check_keeps_at_most_max_affected_detail_lines():
    from stride_desktop.io.limits import MAX_AFFECTED

    log = (
        "Initializing x\n[WARN] 5.7 - Ensure privileged ports are not mapped\n"
        + "[WARN]      * Privileged Port in use: a:80\n" * (MAX_AFFECTED + 500)
    ).encode()
    finding = parse_bench_bytes(log, source_name="x.log").findings[0]
    assert len(finding.affected) == MAX_AFFECTED


def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "bench.json"
    os.mkfifo(fifo)
    with pytest.raises(BenchError, match="FIFO"):
        parse_bench_file(fifo)


def test_import_bench_never_writes_a_model_the_loader_refuses(
    tmp_path, model_path, fixture, monkeypatch, capsys
):
    from stride_desktop import io

    before = model_path.read_bytes()
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 100_000)  # the loader's limit, lowered for the test
    bench = fixture("kube-bench-cis-1.23.json")
    assert main(["import-bench", str(model_path), str(bench)]) == 2
    err = capsys.readouterr().err
    assert "not written: with this bench run the model would be" in err
    assert "when loading" in err
    assert model_path.read_bytes() == before
