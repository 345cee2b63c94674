"""``stride-desktop bench`` and ``import-bench``."""

from __future__ import annotations

import json

import pytest

from stride_desktop.cli import main


def test_bench_json_shape(fixture, capsys):
    assert main(["bench", str(fixture("kube-bench-cis-1.23.json")), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (
        data["tool"] == "kube-bench"
        and data["format"] == "kb-json"
        and data["benchmark"] == "cis-1.23"
    )
    assert set(data["counts"]) == {"pass", "fail", "warn", "manual", "info", "skip", "error"}
    assert sum(data["counts"].values()) == len(data["findings"])
    first = data["findings"][0]
    assert {"check_id", "title", "status", "raw_status", "component", "remediation"} <= set(first)
    assert data["skipped"] == []


def test_bench_table_and_run_selection(fixture, capsys, tmp_path):
    log = fixture("docker-bench-1.6.0.log").read_bytes()
    appended = tmp_path / "docker-bench-security.log"
    appended.write_bytes(log + log.replace(b"[1;31m[WARN]", b"[1;32m[PASS]"))
    assert main(["bench", str(appended)]) == 0
    out = capsys.readouterr().out
    assert "run 2 of 2" in out and " fail " not in out
    assert main(["bench", str(appended), "--run", "1", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["run"] == 1 and data["counts"]["fail"] > 0


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b"just text\n"])
def test_bench_bad_file_exit_2(tmp_path, capsys, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert main(["bench", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "Traceback" not in err


def _model(tmp_path):
    from stride_desktop import io
    from stride_desktop.model.elements import Boundary, Element
    from stride_desktop.model.model import Model

    model = Model(name="Docker host")
    model.boundaries = [Boundary(id="host", name="Docker host", kind="host")]
    model.elements = [
        Element(id="dockerd", name="Docker daemon", component="docker.daemon", boundary="host"),
        Element(id="pacs", name="pacs", component="docker.container", boundary="host"),
    ]
    path = tmp_path / "model.yaml"
    io.save_model(model, path)
    io.load_model(path)
    return io, path


def test_import_bench_in_place_with_backup(fixture, tmp_path, capsys):
    io, path = _model(tmp_path)
    assert (
        main(
            [
                "import-bench",
                str(path),
                str(fixture("docker-bench-1.6.0.log.json")),
                "--scope",
                "host",
            ]
        )
        == 0
    )
    assert "added bench run" in capsys.readouterr().out
    model = io.load_model(path)
    (run,) = model.bench_runs
    assert run.scope == "host" and run.source_file == "docker-bench-1.6.0.log.json"
    assert next(f for f in run.findings if f.check_id == "5.7").elements == ["pacs"]
    assert path.with_name(path.name + ".bak").exists()
    out = tmp_path / "out.yaml"
    assert (
        main(["import-bench", str(path), str(fixture("kube-bench-cis-text.txt")), "-o", str(out)])
        == 0
    )
    assert len(io.load_model(out).bench_runs) == 2 and len(io.load_model(path).bench_runs) == 1


def test_import_bench_bad_scope_and_bad_file(fixture, tmp_path, capsys):
    _io, path = _model(tmp_path)
    before = path.read_bytes()
    assert (
        main(
            [
                "import-bench",
                str(path),
                str(fixture("docker-bench-1.6.0.log.json")),
                "--scope",
                "hots",
            ]
        )
        == 2
    )
    assert "known: host" in capsys.readouterr().err
    bad = tmp_path / "x.json"
    bad.write_bytes(b"{}")
    assert main(["import-bench", str(path), str(bad)]) == 2
    assert path.read_bytes() == before  # nothing imported
