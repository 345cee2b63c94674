"""Engine: determinism, the three sources, folding, severity, evidence, triage, stale triage."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from stride_desktop.io import load_model, loads_model
from stride_desktop.model import BenchRun, Finding, TriageEntry
from stride_desktop.rules import RuleSet, derive, load_rules, loads_rules, stale_triage
from stride_desktop.rules.hardening import suggest_hardening, threats_addressed
from stride_desktop.rules.risk import default_risk
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
    risk = default_risk()
    for t in derive(model, rules):
        assert t.id == f"{t.rule}@{t.target}"
        assert t.category in CATEGORIES and t.severity in SEVERITIES and t.source in SOURCES
        assert t.categories[0] == t.category and set(t.categories) <= set(CATEGORIES)
        assert 1 <= t.likelihood <= 4 and 1 <= t.impact <= 4
        product = risk.severity(t.likelihood, t.impact)
        assert f"impact ({t.impact}) = {product}." in t.severity_reason
        if t.source == "rule":
            assert t.severity == product
        else:  # a generic threat is at most high
            assert t.severity == min(product, "high", key=SEVERITIES.index)
        assert t.base_severity in SEVERITIES
        assert "{" not in t.title and "{" not in t.description
        assert t.title and t.description and t.mitigations


def test_generic_threats_are_listed_where_an_attack_path_is_short():
    m = loads_model("""
stride_model: 2
boundaries: [{id: host, name: Host, trust: 2}]
elements:
  - {id: user, name: Alice, component: generic.external_entity}
  - {id: app, name: Billing app, component: generic.process, boundary: host}
  - {id: db, name: Ledger, component: generic.data_store, boundary: host}
flows:
  - {id: f1, source: user, target: app, name: Orders}
  - {id: f2, source: app, target: db, name: Writes, encrypted: true}
""")
    threats = derive(m, RuleSet())
    letters: dict[str, str] = {}
    for t in threats:
        letters.setdefault(t.target, "")
        letters[t.target] += t.category[0]
    # Alice is on the internet: not ours to check. The app is one unauthenticated hop from her
    # (very likely): its baseline, but denial of service and elevation are those of its way in,
    # f1's interruption and elevation. The ledger is two hops in (likely): its whole baseline.
    # f1 enters the host from the internet: reading and altering it (one threat: no TLS),
    # interruption, elevation (Alice is anonymous: nobody to impersonate). f2 is encrypted:
    # nothing in transit.
    assert letters == {"app": "STRI", "db": "TRID", "f1": "IDE"}
    sniffing = by_id(threats)["INTERACTION-SNIFFING@f1"]
    assert set(sniffing.categories) == {"Tampering", "Information Disclosure"}
    assert "INTERACTION-TAMPERING@f1" in sniffing.covers
    titles = by_id(threats)
    # Worded for the element, not "Spoofing of element".
    assert titles["STRIDE-S-PROCESS@app"].title == "Someone impersonates Billing app"
    assert "Ledger" in titles["STRIDE-I-STORE@db"].title
    assert {t.source for t in threats if t.target == "f1"} == {"interaction"}


def test_interaction_threats_only_for_crossing_flows(model):
    threats = by_id(derive(model, RuleSet()))
    # f1 enters the host from outside every boundary, unauthenticated and in clear text.
    for rule in ("SPOOFING", "SNIFFING", "INTERRUPTION", "ELEVATION"):
        t = threats[f"INTERACTION-{rule}@f1"]
        assert t.source == "interaction" and t.likelihood == 4
    # reading and altering the clear-text flow are one threat
    assert "INTERACTION-TAMPERING@f1" in threats["INTERACTION-SNIFFING@f1"].covers
    assert "Docker host" in threats["INTERACTION-SNIFFING@f1"].title
    assert "On the wire: it travels outside every boundary" in (
        threats["INTERACTION-SNIFFING@f1"].severity_reason
    )
    assert "anyone outside every boundary → Docker daemon, unauthenticated" in (
        threats["INTERACTION-ELEVATION@f1"].severity_reason
    )
    # f2 stays inside the host: no interaction threat, and its wire (a trust-2 host network)
    # is only a possible place to listen: no in-transit baseline either.
    assert not [t for t in threats.values() if t.target == "f2"]


def test_leaving_flow_has_no_interaction_threats():
    m = loads_model("""
stride_model: 2
boundaries: [{id: host, name: Host, trust: 2}]
elements:
  - {id: app, name: App, component: generic.process, boundary: host}
  - {id: api, name: Partner API, component: generic.process}
flows:
  - {id: out, source: app, target: api, authenticated: mtls, encrypted: true}
""")
    threats = by_id(derive(m, RuleSet()))
    # authenticated (no spoofing), encrypted (nothing in transit), towards less trust (no
    # elevation), not where the internet comes in (no interruption)
    assert not [t for t in threats.values() if t.target == "out"]


def test_rule_threat_folds_generic_of_same_target_and_category(model, rules):
    threats = by_id(derive(model, rules))
    tls = threats["ENGINE-DAEMON-TLS@dockerd"]
    assert tls.source == "rule"
    assert "STRIDE-S-PROCESS@dockerd" in tls.covers
    assert "STRIDE-S-PROCESS@dockerd" not in threats
    # Where a rule speaks about the daemon, its other baseline categories are not listed.
    assert not [t for t in threats.values() if t.target == "dockerd" and t.source == "element"]
    # A flow rule folds the interaction threat of its category, which folded the baseline.
    plain = threats["ENGINE-PLAIN-API-FLOW@f1"]
    assert "INTERACTION-SNIFFING@f1" in plain.covers
    assert "STRIDE-I-FLOW@f1" in plain.covers
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


def test_likelihood_from_the_attack_path_impact_from_the_target(model, rules):
    threats = by_id(derive(model, rules))
    tls = threats["ENGINE-DAEMON-TLS@dockerd"]
    # one unauthenticated hop from outside every boundary: very likely; a high rule on the
    # daemon (which controls the host): high impact
    assert (tls.base_severity, tls.likelihood, tls.impact, tls.severity) == (
        "high",
        4,
        3,
        "critical",
    )
    assert tls.severity_reason.startswith("very likely (4) × high impact (3) = critical. ")
    assert "Path: anyone outside every boundary → Docker daemon, unauthenticated" in (
        tls.severity_reason
    )
    assert tls.path == ["cli", "dockerd"]
    # The privileged container is not reachable from outside: unlikely, whatever its base.
    priv = threats["ENGINE-PRIVILEGED-SHARED@web"]
    assert (priv.base_severity, priv.likelihood, priv.severity) == ("high", 1, "medium")
    assert "No path from an untrusted zone reaches it" in priv.severity_reason
    assert priv.path == []


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
    model.flows = [f for f in model.flows if f.id != "f1"]  # no path: only evidence raises
    run = _run("fail", "Ensure TLS authentication for Docker daemon is configured", ["dockerd"])
    threats = by_id(derive(model, rules, [run]))
    tls = threats["ENGINE-DAEMON-TLS@dockerd"]
    assert tls.confirmed and [e.finding_id for e in tls.evidence] == ["run1:2.6"]
    assert (tls.base_severity, tls.likelihood, tls.severity) == ("high", 2, "medium")
    assert (
        "Confirmed by failing docker-bench-security check 2.6: likelihood raised to 2"
        in tls.severity_reason
    )
    # Stored in the model works the same as passed in.
    model.bench_runs.append(run)
    assert by_id(derive(model, rules))["ENGINE-DAEMON-TLS@dockerd"].confirmed


def test_passing_finding_verifies_and_lowers(model, rules):
    del model.triage["ENGINE-DAEMON-TLS@dockerd"]
    before = by_id(derive(model, rules))["ENGINE-DAEMON-TLS@dockerd"]
    run = _run("pass", "Ensure TLS authentication for Docker daemon is configured", ["dockerd"])
    tls = by_id(derive(model, rules, [run]))["ENGINE-DAEMON-TLS@dockerd"]
    assert tls.verified and not tls.confirmed
    assert (before.severity, tls.likelihood, tls.severity) == ("critical", 1, "medium")
    assert (
        "Control verified by passing docker-bench-security check 2.6: likelihood lowered to 1"
        in tls.severity_reason
    )
    assert tls.status == "open"  # verified offers "mitigated" (in the editor), never forces it


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
stride_model: 2
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


def test_authenticated_hops_make_an_element_less_likely():
    threats = by_id(derive(loads_model(EXPOSURE_MODEL), loads_rules(EXPOSURE_RULES)))
    web = threats["PROBE-T@web"]
    # one token-authenticated hop from the internet: likely
    assert (web.likelihood, web.severity) == (3, "medium")
    assert "Path: Visitor (outside every boundary) → Web, token" in web.severity_reason
    # app sits behind an mTLS hop from a zone of trust 1: possible only
    app = threats["PROBE-T@app"]
    assert (app.likelihood, app.severity) == (2, "medium")
    assert "anyone on DMZ → App, mTLS" in app.severity_reason
    # generic threats of elements without a short path are not listed
    assert "STRIDE-R-PROCESS@app" not in threats and "STRIDE-I-STORE@db" not in threats


def test_the_cheapest_path_wins_and_is_named_hop_by_hop():
    m = loads_model(
        EXPOSURE_MODEL.replace(
            "name: Browse, encrypted: true, authenticated: token}",
            "name: Browse, encrypted: true, authenticated: none}",
        ).replace(
            "name: Calls, encrypted: true, authenticated: mtls}",
            "name: Calls, encrypted: true, authenticated: none}",
        )
    )
    app = by_id(derive(m, loads_rules(EXPOSURE_RULES)))["PROBE-T@app"]
    assert app.likelihood == 3 and app.path == ["user", "web", "app"]
    assert "Path: Visitor (outside every boundary) → Web → App, every hop unauthenticated" in (
        app.severity_reason
    )


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
stride_model: 2
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
    # Other categories stay, and db (not directly exposed) keeps its whole baseline.
    assert {"STRIDE-S-PROCESS@app", "STRIDE-T-PROCESS@app", "STRIDE-R-PROCESS@app"} <= set(threats)
    assert {f"STRIDE-{c}-STORE@db" for c in "TRID"} <= set(threats)
    # Nothing folded is lost for triage.
    assert stale_triage(m, threats.values()) == []


def test_attackers_and_the_internet_get_no_threats_of_their_own():
    m = loads_model("""
stride_model: 2
boundaries: [{id: lan, name: LAN, trust: 1}, {id: host, name: Host, trust: 2}]
elements:
  - {id: eve, name: Eve, component: generic.external_entity, boundary: lan,
     properties: {attacker: true}}
  - {id: partner, name: Partner, component: generic.process}
  - {id: app, name: App, component: generic.process, boundary: host}
flows:
  - {id: attack, source: eve, target: app, name: Exploit}
  - {id: feed, source: partner, target: app, name: Feed}
""")
    threats = derive(m, loads_rules(EXPOSURE_RULES))
    # the attacker and its attack get nothing; the third party's process no generic threats (a
    # rule may still speak about it, as about a public registry)
    assert not {t.target for t in threats} & {"eve", "attack"}
    assert [t.rule for t in threats if t.target == "partner"] == ["PROBE-T"]
    # but the attacker starts the cheapest path: inside the LAN, at no cost
    probe = by_id(threats)["PROBE-T@app"]
    assert probe.likelihood == 4 and probe.path == ["eve", "app"]
    assert "Path: Eve (LAN) → App, unauthenticated" in probe.severity_reason


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


def test_derive_with_a_scope_lists_only_those_targets_with_whole_model_paths(model, rules):
    from stride_desktop.rules import Scope

    full = by_id(derive(model, rules))
    scoped = derive(model, rules, scope=Scope(frozenset({"dockerd"}), frozenset({"f1"})))
    assert {t.target for t in scoped} <= {"dockerd", "f1"}
    for t in scoped:  # graded on the whole model's attack paths: the same as in full
        assert (t.id, t.severity, t.likelihood) == (
            full[t.id].id,
            full[t.id].severity,
            full[t.id].likelihood,
        )
