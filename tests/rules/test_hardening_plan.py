"""Hardening: actions grouped by the threat they close, ranked by risk removed; residual
severity once plan items are done; custom threats derived, triaged and confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.bench import add_run, parse_bench_file
from stride_desktop.io import load_model
from stride_desktop.model import CustomThreat, HardeningEntry, TriageEntry
from stride_desktop.model.edits import RecordingEditor
from stride_desktop.rules import derive, load_rules
from stride_desktop.rules.hardening import rank_actions, residuals, risk_of
from stride_desktop.rules.session import DerivationSession

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.fixture
def host():
    model = load_model(ROOT / "models/docker-host.yaml")
    run = parse_bench_file(ROOT / "tests/fixtures/bench/docker-bench-1.6.0.log.json").run
    add_run(model, run, scope=None)
    return model


def test_top_three_actions_close_three_different_problems(host, rules):
    actions = rank_actions(host, derive(host, rules))
    top = actions[:3]
    assert len({a.threat.id for a in top}) == 3
    closed = [{t.id for t in a.closes} for a in top]
    assert not (closed[0] & closed[1]) and not (closed[1] & closed[2])
    removed = [a.risk_removed for a in actions]
    assert removed == sorted(removed, reverse=True)
    assert all(a.elements for a in top)


def test_checks_of_one_threat_are_one_action(host, rules):
    actions = rank_actions(host, derive(host, rules))
    audit = [a for a in actions if a.threat and a.threat.rule == "DOCKER-DAEMON-NO-AUDIT"]
    assert len(audit) == 1 and len(audit[0].checks) > 3  # the audit-log flags together
    assert audit[0].elements == [audit[0].threat.target_name]


def test_closing_a_threat_by_triage_drops_its_action(host, rules):
    threats = derive(host, rules)
    first = rank_actions(host, threats)[0]
    for threat in first.closes:
        host.triage[threat.id] = TriageEntry(status="mitigated")
    after = rank_actions(host, derive(host, rules))
    assert first.threat.id not in {a.threat.id for a in after if a.threat}


def test_residual_severity_once_every_confirming_check_is_done(host, rules):
    threats = derive(host, rules)
    action = next(a for a in rank_actions(host, threats) if len(a.checks) > 1)
    threat = action.threat
    host.hardening = [HardeningEntry(finding=fid) for fid in action.finding_ids]
    assert residuals(host, threats, done_only=True) == {}  # planned, not done yet
    projected = residuals(host, threats, done_only=False)
    assert risk_of(projected[threat.id]) < risk_of(threat.severity)
    host.hardening[0].state = "done"
    assert threat.id not in residuals(host, threats, done_only=True)  # one check still fails
    for entry in host.hardening:
        entry.state = "done"
    assert residuals(host, threats, done_only=True)[threat.id] == projected[threat.id]


def test_custom_threats_are_derived_triaged_and_confirmed(host, rules):
    run = host.bench_runs[0]
    failing = next(f for f in run.findings if f.status == "fail")
    host.custom_threats = [
        CustomThreat(id="c1", target="dockerd", title="Backups of /var/lib/docker unencrypted"),
        CustomThreat(
            id="c2",
            target=host.flows[0].id,
            title="From a failing check",
            category="Elevation of Privilege",
            severity="critical",
            finding=run.finding_id(failing),
        ),
    ]
    host.triage["CUSTOM-c1@dockerd"] = TriageEntry(status="accepted", note="offline copies")
    threats = {t.id: t for t in derive(host, rules)}
    c1, c2 = threats["CUSTOM-c1@dockerd"], threats[f"CUSTOM-c2@{host.flows[0].id}"]
    assert (c1.source, c1.status, c1.note, c1.severity) == (
        "custom",
        "accepted",
        "offline copies",
        "medium",
    )
    assert c2.confirmed and c2.target_kind == "flow" and c2.severity == "critical"
    # an incremental re-derivation after a property edit keeps them, once each
    session = DerivationSession(host, rules)
    session.refresh()
    editor = RecordingEditor(host)
    editor.set_element_property("dockerd", "tls_verify", True)
    session.note(editor.changes[0])
    session.refresh()
    again = [t.id for t in session.threats]
    assert again.count("CUSTOM-c1@dockerd") == 1
    assert again == [t.id for t in derive(host, rules)]
