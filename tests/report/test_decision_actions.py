"""Page 1's actions: ranked by the risk they remove, whatever their kind."""

from __future__ import annotations

from stride_desktop.model import HardeningEntry
from stride_desktop.report import ReportOptions, render_report_bytes
from stride_desktop.report.verdict import decision_actions
from stride_desktop.rules.threat import EvidenceLink

from .conftest import make_model, make_threat, pdf_text, squash

OPTIONS = ReportOptions(invariant=True)
FAIL = EvidenceLink("run1:2.1", "2.1", "Restrict traffic", "fail", "docker-bench-security")


def _model_and_threats():
    """A failing check confirms one medium threat (fixing it removes 2 points); two high
    threats of other rules have no evidence (mitigating each removes 9)."""
    model = make_model()
    model.hardening.clear()
    threats = [
        make_threat(1, "e1", severity="medium", evidence=[FAIL], rule="CONFIRMED-MEDIUM"),
        make_threat(2, "e2", severity="high", rule="HIGH-A"),
        make_threat(3, "e3", severity="high", rule="HIGH-B"),
    ]
    return model, threats


def test_actions_are_ranked_by_the_risk_they_remove_not_fixes_first():
    model, threats = _model_and_threats()
    actions = decision_actions(model, threats, [t for t in threats if t.is_open])
    removed = [a.risk_removed for a in actions]
    assert removed == sorted(removed, reverse=True)
    assert [a.kind for a in actions] == ["mitigate", "mitigate", "harden"]
    assert actions[-1].checks == ["2.1"]


def test_a_small_fix_drops_out_of_a_full_list_of_bigger_mitigations():
    model, threats = _model_and_threats()
    opened = [t for t in threats if t.is_open]
    actions = decision_actions(model, threats, opened, limit=2)
    assert [a.threats[0].rule for a in actions] == ["HIGH-A", "HIGH-B"]


def test_page_one_offers_the_checks_to_fix_when_no_fix_made_the_top_list():
    model, threats = _model_and_threats()
    threats += [make_threat(n, f"e{n}", severity="high", rule=f"HIGH-{n}") for n in (4, 5)]
    threats.append(make_threat(6, "e1", severity="critical", rule="CRIT"))
    actions = decision_actions(model, threats, threats)
    assert all(a.kind == "mitigate" for a in actions)
    reader, _ = pdf_text(render_report_bytes(model, threats, [], options=OPTIONS))
    first = squash(reader.pages[0].extract_text())
    assert squash("Fixing the failing checks that confirm open threats would remove 2") in first
    assert squash("Import benchmark results") not in first  # a run is imported


def test_a_plan_still_reads_as_after_the_plan():
    model, threats = _model_and_threats()
    model.hardening.append(HardeningEntry("run1:2.1", note="icc off", threats=[threats[0].id]))
    reader, _ = pdf_text(render_report_bytes(model, threats, [], options=OPTIONS))
    assert "After the hardening plan" in reader.pages[0].extract_text()


def test_a_flow_on_page_one_is_named_with_its_ends():
    model, threats = _model_and_threats()
    threats.append(make_threat(7, "f1", kind="flow", name="HTTPS", severity="critical"))
    reader, _ = pdf_text(render_report_bytes(model, threats, [], options=OPTIONS))
    first = reader.pages[0].extract_text()
    assert squash("HTTPS (Element 0 → Element 1)") in squash(first)


def test_a_long_flow_name_keeps_its_ends_on_page_one():
    model, threats = _model_and_threats()
    model.flows[0].name = "End-user access of Kubernetes-hosted applications"
    long = "End-user access of Kubernetes-hosted applications"
    threats.append(make_threat(7, "f1", kind="flow", name=long, severity="critical"))
    reader, _ = pdf_text(render_report_bytes(model, threats, [], options=OPTIONS))
    assert squash("(Element 0 → Element 1)") in squash(reader.pages[0].extract_text())
