"""``stride-desktop threats``: formats, the --fail-on gate, --rules, --bench, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from stride_desktop.cli import main
from stride_desktop.io import load_model
from stride_desktop.rules import CATEGORIES, SEVERITIES, SOURCES, derive, load_rules

DATA = Path(__file__).parent / "rules" / "data"
MODEL = str(DATA / "small-model.yaml")
RULES = str(DATA / "engine-rules.yaml")
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["threats", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape(capsys):
    code, out, _ = run(capsys, MODEL, "--rules", RULES, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["model"] == "Small Docker host"
    assert data["threats"]
    for t in data["threats"]:
        assert {
            "id",
            "rule",
            "category",
            "target",
            "target_kind",
            "title",
            "severity",
            "status",
            "source",
        } <= set(t)
        assert (
            t["category"] in CATEGORIES and t["severity"] in SEVERITIES and t["source"] in SOURCES
        )
    ids = {t["id"]: t for t in data["threats"]}
    assert ids["ENGINE-DAEMON-TLS@dockerd"]["status"] == "mitigated"
    assert [s["id"] for s in data["stale_triage"]] == ["GONE-RULE@dockerd"]
    assert data["summary"]["total"] == len(data["threats"])
    assert sum(data["summary"]["by_severity"].values()) == len(data["threats"])


def test_table_grouped_by_target(capsys):
    code, out, _ = run(capsys, MODEL, "--rules", RULES)
    assert code == 0
    assert "Docker daemon [element dockerd]" in out
    assert "Docker API [flow f1]" in out
    block = out.split("Docker daemon [element dockerd]")[1].split("\n\n")[0]
    assert "ENGINE-DAEMON-TLS@dockerd" in block and "(mitigated)" in block
    assert "Stale triage (1): GONE-RULE@dockerd" in out


def test_csv_and_markdown(capsys):
    code, out, err = run(capsys, MODEL, "--rules", RULES, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows and rows[0]["id"]
    assert {"id", "category", "severity", "status", "source"} <= set(rows[0])
    assert "stale triage" in err
    code, out, _ = run(capsys, MODEL, "--rules", RULES, "--format", "markdown")
    assert out.startswith("# Threats of Small Docker host")
    assert "| Severity | Category | Target | Threat | Status | Id |" in out
    assert "`GONE-RULE@dockerd`" in out


def test_fail_on_gate_counts_only_open_threats(capsys, tmp_path: Path):
    code, _, err = run(capsys, MODEL, "--rules", RULES, "--fail-on", "high")
    assert code == 1 and "open threat(s) of severity high or above" in err
    # Close every critical and high threat: the gate opens.
    data = json.loads(run(capsys, MODEL, "--rules", RULES, "--format", "json")[1])
    closing = [t["id"] for t in data["threats"] if t["severity"] in ("high", "critical")]
    text = Path(MODEL).read_text() + "".join(
        f'  "{tid}": {{status: accepted}}\n'
        for tid in closing
        if tid not in ("ENGINE-DAEMON-TLS@dockerd",)
    )
    model = tmp_path / "triaged.yaml"
    model.write_text(text)
    assert run(capsys, str(model), "--rules", RULES, "--fail-on", "high")[0] == 0
    assert run(capsys, str(model), "--rules", RULES, "--fail-on", "medium")[0] == 1


def test_bad_inputs_exit_2_one_line_each(capsys, tmp_path: Path):
    code, _, err = run(capsys, str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml" in err and "Traceback" not in err
    bad_rules = tmp_path / "bad-rules.yaml"
    bad_rules.write_text(
        "rules:\n  - {id: X-1, category: Spoof, severity: low, target: element,"
        " title: t, description: d}\n"
    )
    code, _, err = run(capsys, MODEL, "--rules", str(bad_rules))
    assert code == 2
    assert (
        err.strip()
        == f"stride-desktop: {bad_rules}: rules[0] (X-1).category: expected one of "
        + ", ".join(CATEGORIES)
        + ", got 'Spoof'"
    )
    code, _, err = run(capsys, MODEL, "--bench", f"{tmp_path / 'none.json'}@nowhere")
    assert code == 2 and "unknown boundary 'nowhere'" in err


def test_usage_error_exit_2():
    result = subprocess.run(
        [sys.executable, "-m", "stride_desktop", "threats", MODEL, "--fail-on", "severe"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_bench_file_adds_evidence(capsys):
    bench = FIXTURES / "bench" / "docker-bench-1.6.0.log.json"
    code, out, _ = run(
        capsys, MODEL, "--rules", RULES, "--format", "json", "--bench", f"{bench}@host"
    )
    assert code == 0
    threats = json.loads(out)["threats"]
    evidence = [e for t in threats for e in t["evidence"]]
    assert evidence and all(e["finding"].startswith("run1:") for e in evidence)
    confirmed = [t for t in threats if any(e["status"] == "fail" for e in t["evidence"])]
    assert confirmed and all(t["confirmed"] for t in confirmed)
    assert json.loads(out)["summary"]["confirmed"] == len(confirmed)


def test_output_file(capsys, tmp_path: Path):
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, MODEL, "--format", "json", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["model"] == "Small Docker host"


def test_table_reads_whole_titles_in_100_columns_in_a_pipe():
    """A pipe has no terminal size: 100 columns, titles wrapped under their column, never cut."""
    examples = Path(__file__).resolve().parents[1] / "models"
    rules = load_rules()
    for model in sorted(examples.glob("*.yaml")):
        result = subprocess.run(
            [sys.executable, "-m", "stride_desktop", "threats", str(model), "--format", "table"],
            capture_output=True,
            text=True,
            env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= 100, model.name
        assert "…" not in result.stdout
        flat = " ".join(line.strip() for line in lines)
        for t in derive(load_model(model), rules):
            assert f"{t.title} [{t.id}]" in flat or f"{t.title}  [{t.id}]" in flat, t.id
