"""The streaming JSON writer gives the same bytes as the reference encoding of threats_to_json."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from stride_desktop.cli import main
from stride_desktop.io import load_model
from stride_desktop.model import Boundary, Element, Flow, Model, TriageEntry
from stride_desktop.rules import derive, json_writer, load_rules, stale_triage
from stride_desktop.rules.export import summary, threats_to_json
from stride_desktop.rules.json_writer import write_threats_json
from stride_desktop.rules.threat import CATEGORIES, SEVERITIES, SOURCES, EvidenceLink, Threat

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
FIXTURES = ROOT / "tests" / "fixtures"


def reference(model: Model, threats: list, stale: list[str]) -> str:
    return json.dumps(threats_to_json(model, threats, stale), indent=2, ensure_ascii=False) + "\n"


def streamed(model: Model, threats: list, stale: list[str]) -> str:
    out = io.StringIO()
    write_threats_json(out, model, threats, stale)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "models").glob("*.yaml")))
def test_example_models_same_bytes(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_writer, "CHUNK", 7)  # several chunks, a partial last one
    model = load_model(ROOT / "models" / name)
    threats = derive(model, load_rules())
    stale = stale_triage(model, threats)
    # the writer reads the lazily formatted texts first: compare against fresh threats too
    assert streamed(model, threats, stale) == reference(model, derive(model, load_rules()), stale)


def test_binary_stream_gets_the_utf8_of_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's output file takes the writer's bytes as they are: the reference's UTF-8."""
    monkeypatch.setattr(json_writer, "CHUNK", 5)
    model = load_model(ROOT / "models" / "docker-host.yaml")
    threats = derive(model, load_rules())
    stale = stale_triage(model, threats)
    out = io.BytesIO()
    write_threats_json(out, model, threats, stale)
    expected = reference(model, threats, stale)
    assert "×" in expected and "→" in expected  # characters beyond ASCII are written as UTF-8
    assert out.getvalue() == expected.encode("utf-8")


def test_hostile_text_evidence_covers_and_stale_triage() -> None:
    name = 'Böse "Modell"\\ \n\t\x01 — 模型 🐳'
    model = Model(
        name=name,
        boundaries=[Boundary(id="b", name="Host \u2028", trust=1, kind="host")],
        elements=[
            Element(id="a", name='api "x"', component="docker.daemon", boundary="b"),
            Element(id="c", name="cli\\", component="docker.client"),
        ],
        flows=[Flow(id="f", source="c", target="a", name="</script>")],
        triage={
            "R@a": TriageEntry(status="accepted", note='ok "fine"\n'),
            "GONE@a": TriageEntry(status="mitigated", note="ß"),
        },
    )
    link = EvidenceLink("run1:2.6", None, 'Ensure "TLS"\n', "fail", "docker-bench")
    passing = EvidenceLink("run1:2.7", "2.7", "ok", "pass", "docker-bench")
    threats = [
        Threat(
            id="R@a",
            rule="R",
            category="Spoofing",
            target="a",
            target_kind="element",
            target_name='api "x"',
            title="T \x00\x1f",
            description="D\r\n",
            severity="high",
            base_severity="medium",
            severity_reason="because\tof",
            source="rule",
            mitigations=["m1", "m\u00e9 2"],
            references=["CIS 2.6"],
            evidence=[link, passing],
            covers=["STRIDE-S@a", "STRIDE-T@a"],
            status="accepted",
            note='ok "fine"\n',
        ),
        Threat(
            id="V@a",
            rule="V",
            category="Tampering",
            target="a",
            target_kind="element",
            target_name='api "x"',
            title="verified",
            description="",
            severity="low",
            base_severity="low",
            severity_reason="",
            source="rule",
            evidence=[passing],
        ),
        *derive(model, load_rules()),
    ]
    stale = stale_triage(model, threats)
    assert stale == ["GONE@a"]
    assert streamed(model, threats, stale) == reference(model, threats, stale)
    data = json.loads(streamed(model, threats, stale))
    assert data["model"] == name
    assert data["threats"][0]["evidence"][0]["check"] is None
    assert data["threats"][0]["confirmed"] is True
    assert data["threats"][1]["verified"] is True


def test_no_threats() -> None:
    model = Model(name="empty")
    assert streamed(model, [], []) == reference(model, [], [])


def test_command_writes_the_reference_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model_path = DATA / "small-model.yaml"
    rules_path = DATA / "engine-rules.yaml"
    bench = FIXTURES / "bench" / "docker-bench-1.6.0.log.json"
    out = tmp_path / "threats.json"
    argv = ["threats", str(model_path), "--rules", str(rules_path), "--bench", f"{bench}@host"]
    assert main([*argv, "--format", "json", "-o", str(out)]) == 0
    assert main([*argv, "--format", "json"]) == 0
    printed = capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == printed
    data = json.loads(printed)
    assert any(t["evidence"] for t in data["threats"])  # the bench run gave evidence
    assert [s["id"] for s in data["stale_triage"]] == ["GONE-RULE@dockerd"]


def test_summary_counts_in_one_pass() -> None:
    """summary() counts in one pass what a plain count per field gives."""
    model = load_model(DATA / "small-model.yaml")
    bench = FIXTURES / "bench" / "docker-bench-1.6.0.log.json"
    from stride_desktop.bench import attach_run, parse_bench_file

    run = parse_bench_file(bench).run
    run.id, run.scope = "r1", None
    attach_run(model, run, scope=None)
    model.bench_runs.append(run)
    threats = derive(model, load_rules([DATA / "engine-rules.yaml"]))
    threats[0].status = "mitigated"
    threats[1].status = "accepted"
    plain = [t.plain() for t in threats]
    assert any(t.evidence for t in plain) and any(t.covers for t in plain)
    closed = ("mitigated", "accepted", "not_applicable")
    expected = {
        "total": len(plain),
        "open": sum(t.status not in closed for t in plain),
        "by_severity": {s: sum(t.severity == s for t in plain) for s in SEVERITIES},
        "open_by_severity": {
            s: sum(t.severity == s and t.status not in closed for t in plain) for s in SEVERITIES
        },
        "by_category": {c: sum(t.category == c for t in plain) for c in CATEGORIES},
        "by_source": {s: sum(t.source == s for t in plain) for s in SOURCES},
        "by_status": {
            s: sum(t.status == s for t in plain) for s in sorted({t.status for t in plain})
        },
        "covered": sum(len(t.covers) for t in plain),
        "confirmed": sum(t.confirmed for t in plain),
        "open_confirmed": sum(t.confirmed and t.status not in closed for t in plain),
        "stale_triage": 1,
    }
    assert expected["confirmed"] > 0
    assert summary(threats, ["x"]) == expected
    assert summary(plain, ["x"]) == expected
