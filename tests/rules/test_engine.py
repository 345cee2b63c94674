"""Engine: determinism, the three sources, folding, severity, evidence, triage, stale triage."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from stride_desktop.io import load_model, loads_model
from stride_desktop.model import BenchRun, Finding, TriageEntry
from stride_desktop.rules import RuleSet, derive, load_rules, loads_rules, stale_triage
from stride_desktop.rules.hardening import suggest_hardening, threats_addressed
from stride_desktop.rules.threat import CATEGORIES, SEVERITIES, SOURCES

DATA = Path(__file__).parent / "data"
ENGINE_RULES = DATA / "engine-rules.yaml"


@pytest.fixture
def model():
    return load_model(DATA / "small-model.yaml")


@pytest.fixture
def rules() -> RuleSet:
    return load_rules([ENGINE_RULES], builtin=False)


def by_id(threats):
    return {t.id: t for t in threats}


def test_deterministic_same_output_and_order(model, rules):
    first = [(t.id, t.severity, t.title, tuple(t.covers)) for t in derive(model, rules)]
    again = [
        (t.id, t.severity, t.title, tuple(t.covers)) for t in derive(copy.deepcopy(model), rules)
    ]
    assert first == again
    # Reordering the model's lists does not change the result either.
    shuffled = copy.deepcopy(model)
    shuffled.elements.reverse()
    shuffled.flows.reverse()
    assert [(t.id, t.severity) for t in derive(shuffled, rules)] == [(t[0], t[1]) for t in first]


def test_sorted_by_target_then_stride_then_rule(model, rules):
    threats = derive(model, rules)
    keys = [(t.target, CATEGORIES.index(t.category), t.rule) for t in threats]
    assert keys == sorted(keys)


def test_every_threat_is_well_formed(model, rules):
    for t in derive(model, rules):
        assert t.id == f"{t.rule}@{t.target}"
        assert t.category in CATEGORIES and t.severity in SEVERITIES and t.source in SOURCES
        assert t.base_severity in SEVERITIES and t.severity_reason.startswith(
            f"base {t.base_severity}"
        )
        assert "{" not in t.title and "{" not in t.description
        assert t.title and t.description and t.mitigations


def test_baseline_per_element_kind_and_flow():
    m = loads_model("""
stride_model: 1
elements:
  - {id: user, name: Alice, component: generic.external_entity}
  - {id: app, name: Billing app, component: generic.process}
  - {id: db, name: Ledger, component: generic.data_store}
flows:
  - {id: f1, source: user, target: app, name: Orders}
  - {id: f2, source: app, target: db, name: Writes, encrypted: true}
""")
    threats = derive(m, RuleSet())
    letters = {}
    for t in threats:
        assert t.source == "element"
        letters.setdefault(t.target, "")
        letters[t.target] += t.category[0]
    assert letters == {"user": "SR", "app": "STRIDE", "db": "TRID", "f1": "TID", "f2": "D"}
    titles = by_id(threats)
    # Worded for the element, not "Spoofing of element".
    assert titles["STRIDE-S-EXTERNAL@user"].title == "Someone impersonates Alice"
    assert "Ledger" in titles["STRIDE-I-STORE@db"].title
    assert "Orders" in titles["STRIDE-T-FLOW@f1"].title


def test_interaction_threats_only_for_crossing_flows_with_direction(model, rules):
    threats = by_id(derive(model, RuleSet()))
    # f1 enters the host (trust 0 -> 2): spoofing, tampering, sniffing, interruption, elevation.
    for rule in ("SPOOFING", "TAMPERING", "SNIFFING", "INTERRUPTION", "ELEVATION"):
        t = threats[f"INTERACTION-{rule}@f1"]
        assert t.source == "interaction" and t.severity == "high"
        assert "enters a boundary of higher trust (0 → 2)" in t.severity_reason
    assert "Docker host" in threats["INTERACTION-SNIFFING@f1"].title
    # f2 stays inside the host: no interaction threat, the baseline instead.
    assert not [t for t in threats.values() if t.target == "f2" and t.source == "interaction"]
    assert "STRIDE-T-FLOW@f2" in threats


def test_leaving_flow_is_not_raised_and_has_no_elevation():
    m = loads_model("""
stride_model: 1
boundaries: [{id: host, name: Host, trust: 2}]
elements:
  - {id: app, name: App, component: generic.process, boundary: host}
  - {id: api, name: Partner API, component: generic.process}
flows:
  - {id: out, source: app, target: api, authenticated: mtls, encrypted: true}
""")
    threats = by_id(derive(m, RuleSet()))
    assert threats["INTERACTION-INTERRUPTION@out"].severity == "medium"
    assert "INTERACTION-ELEVATION@out" not in threats
    assert "INTERACTION-SPOOFING@out" not in threats  # authenticated
    assert "INTERACTION-SNIFFING@out" not in threats  # encrypted


def test_rule_threat_folds_generic_of_same_target_and_category(model, rules):
    threats = by_id(derive(model, rules))
    tls = threats["ENGINE-DAEMON-TLS@dockerd"]
    assert tls.source == "rule"
    assert "STRIDE-S-PROCESS@dockerd" in tls.covers
    assert "STRIDE-S-PROCESS@dockerd" not in threats
    # Other categories of the daemon keep their baseline.
    assert "STRIDE-T-PROCESS@dockerd" in threats
    # A flow rule folds the interaction threat of its category, which folded the baseline.
    plain = threats["ENGINE-PLAIN-API-FLOW@f1"]
    assert "INTERACTION-SNIFFING@f1" in plain.covers
    assert "STRIDE-I-FLOW@f1" not in threats
    assert "INTERACTION-SNIFFING@f1" not in threats


def test_supersedes_folds_a_less_specific_rule():
    rules = loads_rules("""
rules:
  - {id: GENERAL, category: Tampering, severity: low, target: element, components: [docker.container],
     title: "general {name}", description: "d"}
  - {id: SPECIFIC, category: Elevation of Privilege, severity: high, target: element,
     components: [docker.container], supersedes: [GENERAL], title: "specific {name}", description: "d"}
""")
    m = loads_model("""
stride_model: 1
elements: [{id: c, name: C, component: docker.container}]
""")
    threats = by_id(derive(m, rules))
    assert "GENERAL@c" not in threats
    assert "GENERAL@c" in threats["SPECIFIC@c"].covers


def test_severity_raised_by_exposure_and_says_why(model, rules):
    threats = by_id(derive(model, rules))
    tls = threats["ENGINE-DAEMON-TLS@dockerd"]
    assert (tls.base_severity, tls.severity) == ("high", "critical")
    assert (
        "directly exposed: Docker API enters from a zone of lower trust (0 → 2)"
        in tls.severity_reason
    )
    # The privileged container is not reachable from outside: stays at its base.
    priv = threats["ENGINE-PRIVILEGED-SHARED@web"]
    assert (priv.base_severity, priv.severity, priv.severity_reason) == (
        "high",
        "high",
        "base high",
    )


def _run(status: str, title: str, elements: list[str], key: str = "2.6") -> BenchRun:
    finding = Finding(
        key=key,
        check_id=key,
        title=title,
        status=status,
        raw_status=status.upper(),
        elements=elements,
    )
    return BenchRun(
        id="run1", tool="docker-bench-security", format="dbs-json-structured", findings=[finding]
    )


def test_failing_finding_confirms_and_raises(model, rules):
    model.flows = [f for f in model.flows if f.id != "f1"]  # not exposed: only evidence raises
    run = _run("fail", "Ensure TLS authentication for Docker daemon is configured", ["dockerd"])
    threats = by_id(derive(model, rules, [run]))
    tls = threats["ENGINE-DAEMON-TLS@dockerd"]
    assert tls.confirmed and [e.finding_id for e in tls.evidence] == ["run1:2.6"]
    assert (tls.base_severity, tls.severity, tls.severity_reason.count("raised")) == (
        "high",
        "critical",
        1,
    )
    assert "confirmed by failing check 2.6 (docker-bench-security)" in tls.severity_reason
    # Stored in the model works the same as passed in.
    model.bench_runs.append(run)
    assert by_id(derive(model, rules))["ENGINE-DAEMON-TLS@dockerd"].confirmed


def test_passing_finding_verifies_without_raising(model, rules):
    model.flows = [f for f in model.flows if f.id != "f1"]
    run = _run("pass", "Ensure TLS authentication for Docker daemon is configured", ["dockerd"])
    tls = by_id(derive(model, rules, [run]))["ENGINE-DAEMON-TLS@dockerd"]
    assert tls.verified and not tls.confirmed and tls.severity == "high"
    assert "verified by passing check 2.6" in tls.severity_reason


def test_evidence_needs_matching_title_and_attachment(model, rules):
    other_title = _run("fail", "Ensure auditing is configured for the Docker daemon", ["dockerd"])
    elsewhere = _run("fail", "Ensure TLS authentication for Docker daemon is configured", ["web"])
    for run in (other_title, elsewhere):
        assert by_id(derive(model, rules, [run]))["ENGINE-DAEMON-TLS@dockerd"].evidence == []


def test_hardening_suggestions_ranked_by_confirmed_threats(model, rules):
    model.bench_runs.append(
        BenchRun(
            id="run1",
            tool="docker-bench-security",
            format="x",
            findings=[
                Finding(
                    key="2.6",
                    check_id="2.6",
                    title="Ensure TLS authentication for Docker daemon is configured",
                    status="fail",
                    raw_status="WARN",
                    elements=["dockerd"],
                ),
                Finding(
                    key="1.1",
                    check_id="1.1",
                    title="Ensure a separate partition for containers",
                    status="fail",
                    raw_status="WARN",
                    elements=["dockerd"],
                ),
                Finding(
                    key="2.1",
                    check_id="2.1",
                    title="Run the Docker daemon as a non-root user",
                    status="pass",
                    raw_status="PASS",
                    elements=["dockerd"],
                ),
            ],
        )
    )
    threats = derive(model, rules)
    suggestions = suggest_hardening(model, threats)
    assert [s.finding_id for s in suggestions] == ["run1:2.6", "run1:1.1"]
    assert suggestions[0].threats == ["ENGINE-DAEMON-TLS@dockerd"]
    assert suggestions[0].best_severity == "critical" and suggestions[1].best_severity is None
    assert threats_addressed(model, threats, "run1:2.6") == ["ENGINE-DAEMON-TLS@dockerd"]
    assert threats_addressed(model, threats, "run1:1.1") == []


def test_triage_applied_and_stale_reported(model, rules):
    threats = by_id(derive(model, rules))
    tls = threats["ENGINE-DAEMON-TLS@dockerd"]
    assert (tls.status, tls.note) == ("mitigated", "TLS planned for Q3")
    assert not tls.is_open
    assert stale_triage(model, threats.values()) == ["GONE-RULE@dockerd"]
    # When the rule's condition turns false its decision becomes stale, and is kept in the model.
    model.elements[1].properties["tls_verify"] = True
    threats = derive(model, rules)
    assert stale_triage(model, threats) == ["ENGINE-DAEMON-TLS@dockerd", "GONE-RULE@dockerd"]
    assert "ENGINE-DAEMON-TLS@dockerd" in model.triage


def test_triage_of_a_folded_generic_is_not_stale(model, rules):
    model.triage["STRIDE-S-PROCESS@dockerd"] = TriageEntry(status="accepted")
    assert "STRIDE-S-PROCESS@dockerd" not in stale_triage(model, derive(model, rules))


def test_derive_does_not_mutate_the_model(model, rules):
    before = copy.deepcopy(model)
    derive(model, rules)
    assert model == before


EXPOSURE_MODEL = """
stride_model: 1
boundaries:
  - {id: dmz, name: DMZ, trust: 1}
  - {id: core, name: Core, trust: 2}
elements:
  - {id: user, name: Visitor, component: generic.external_entity}
  - {id: web, name: Web, component: generic.process, boundary: dmz}
  - {id: app, name: App, component: generic.process, boundary: dmz}
  - {id: db, name: Ledger, component: generic.data_store, boundary: dmz}
flows:
  - {id: f1, source: user, target: web, name: Browse, encrypted: true, authenticated: token}
  - {id: f2, source: web, target: app, name: Calls, encrypted: true, authenticated: mtls}
  - {id: f3, source: app, target: db, name: Writes, encrypted: true, authenticated: mtls}
"""
EXPOSURE_RULES = """
rules:
  - {id: PROBE-T, category: Tampering, severity: medium, target: element, when: {kind: process},
     title: "{name} probed", description: "{name} is probed."}
"""


def test_severity_not_raised_for_an_element_only_reachable_through_others():
    threats = by_id(derive(loads_model(EXPOSURE_MODEL), loads_rules(EXPOSURE_RULES)))
    # app is reachable from the visitor (via web) but receives nothing from outside.
    app = threats["PROBE-T@app"]
    assert (app.base_severity, app.severity, app.severity_reason) == (
        "medium",
        "medium",
        "base medium",
    )
    assert threats["STRIDE-R-PROCESS@app"].severity == "low"
    assert threats["STRIDE-I-STORE@db"].severity == "low"


def test_severity_raised_for_an_element_directly_exposed_says_by_which_flow():
    threats = by_id(derive(loads_model(EXPOSURE_MODEL), loads_rules(EXPOSURE_RULES)))
    web = threats["PROBE-T@web"]
    assert (web.base_severity, web.severity) == ("medium", "high")
    assert (
        "directly exposed: Browse enters from a zone of lower trust (0 → 1)" in web.severity_reason
    )
    # An external entity inside the same boundary still exposes what it talks to.
    m = loads_model(
        EXPOSURE_MODEL.replace(
            "component: generic.external_entity}",
            "component: generic.external_entity, boundary: dmz}",
        )
    )
    web = by_id(derive(m, loads_rules(EXPOSURE_RULES)))["PROBE-T@web"]
    assert web.severity == "high"
    assert "receives Browse from external entity Visitor" in web.severity_reason


def test_reachable_from_untrusted_is_still_a_matcher():
    rules = loads_rules("""
rules:
  - {id: REACH, category: Spoofing, severity: low, target: element,
     when: {reachable_from_untrusted: true}, title: "{name}", description: "{name}."}
""")
    ids = {t.target for t in derive(loads_model(EXPOSURE_MODEL), rules) if t.rule == "REACH"}
    assert ids == {"web", "app", "db"}


def test_element_baseline_folds_into_the_interaction_threat_on_its_way_in():
    m = loads_model("""
stride_model: 1
boundaries: [{id: host, name: Host, trust: 2}]
elements:
  - {id: user, name: Visitor, component: generic.external_entity}
  - {id: app, name: App, component: generic.process, boundary: host}
  - {id: db, name: Ledger, component: generic.data_store, boundary: host}
flows:
  - {id: f1, source: user, target: app, name: Browse}
  - {id: f2, source: app, target: db, name: Writes}
""")
    threats = by_id(derive(m, RuleSet()))
    # f1 enters the host: its interruption and elevation name the way into app.
    assert "STRIDE-D-PROCESS@app" in threats["INTERACTION-INTERRUPTION@f1"].covers
    assert "STRIDE-E-PROCESS@app" in threats["INTERACTION-ELEVATION@f1"].covers
    assert "STRIDE-D-PROCESS@app" not in threats and "STRIDE-E-PROCESS@app" not in threats
    # The visitor's only flow is unauthenticated: its impersonation is that flow's spoofing.
    assert "STRIDE-S-EXTERNAL@user" in threats["INTERACTION-SPOOFING@f1"].covers
    # Other categories stay, and db (not exposed) keeps its whole baseline.
    assert {
        "STRIDE-S-PROCESS@app",
        "STRIDE-T-PROCESS@app",
        "STRIDE-R-PROCESS@app",
        "STRIDE-R-EXTERNAL@user",
    } <= set(threats)
    assert {f"STRIDE-{c}-STORE@db" for c in "TRID"} <= set(threats)
    # Nothing folded is lost for triage.
    assert stale_triage(m, threats.values()) == []


def test_external_entity_keeps_impersonation_unless_every_flow_names_it():
    m = loads_model("""
stride_model: 1
boundaries: [{id: host, name: Host, trust: 2}]
elements:
  - {id: user, name: Visitor, component: generic.external_entity}
  - {id: app, name: App, component: generic.process, boundary: host}
  - {id: api, name: API, component: generic.process, boundary: host}
flows:
  - {id: f1, source: user, target: app, name: Browse}
  - {id: f2, source: user, target: api, name: Token call, authenticated: token}
""")
    threats = by_id(derive(m, RuleSet()))
    assert "STRIDE-S-EXTERNAL@user" in threats


def test_derived_threats_read_pickle_and_copy_like_plain_ones(model, rules):
    import pickle

    from stride_desktop.rules.threat import Threat

    threats = derive(model, rules)
    t = by_id(threats)["ENGINE-DAEMON-TLS@dockerd"]
    assert "Docker daemon" in t.title and t.references and t.mitigations
    t.title = "Renamed"
    assert t.title == "Renamed"
    copy_ = pickle.loads(pickle.dumps(t))
    assert type(copy_) is Threat
    assert (copy_.id, copy_.title, copy_.covers, copy_.status) == (
        t.id,
        "Renamed",
        t.covers,
        t.status,
    )
    assert copy.deepcopy(t).description == t.description
