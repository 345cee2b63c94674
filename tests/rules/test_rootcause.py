"""One threat per root cause: the open Docker API on 2375, categories carried, replicas grouped."""

from __future__ import annotations

from pathlib import Path

from stride_desktop.io import load_model, loads_model
from stride_desktop.rules import derive, load_rules, loads_rules, stale_triage, threats_by_id
from stride_desktop.rules.grouping import group_threats

MODELS = Path(__file__).resolve().parents[2] / "models"
RULES = load_rules()
API_2375 = {
    "DOCKER-SOCKET-TCP-NO-TLS@docker_tcp",
    "DOCKER-API-FLOW-CLEARTEXT@f_cli_api",
    "DOCKER-API-UNAUTH-PATH@dockerd",
    "INTERACTION-SPOOFING@f_cli_api",
    "INTERACTION-SNIFFING@f_cli_api",
    "INTERACTION-TAMPERING@f_cli_api",
    "INTERACTION-ELEVATION@f_cli_api",
}


def test_the_cleartext_docker_api_on_2375_is_one_threat():
    threats = derive(load_model(MODELS / "docker-host.yaml"), RULES)
    about_it = [t for t in threats if API_2375 & {t.id, *t.covers}]
    assert len(about_it) == 1  # it used to be five, three of them critical
    (root,) = about_it
    assert root.id == "DOCKER-SOCKET-TCP-NO-TLS@docker_tcp" and root.severity == "critical"
    assert API_2375 - {root.id} <= set(root.covers)
    assert {"Spoofing", "Tampering", "Information Disclosure", "Elevation of Privilege"} <= set(
        root.categories
    )
    assert root.categories[0] == root.category == "Spoofing"
    # one root cause, every fix: the flow rule's mitigation comes along
    flow_rule = RULES.get("DOCKER-API-FLOW-CLEARTEXT")
    assert flow_rule is not None and set(flow_rule.mitigations) <= set(root.mitigations)
    assert not [t for t in threats if t.target == "f_cli_api"]  # nothing left on the wire


DAEMON_ONLY = """
stride_model: 2
boundaries:
  - {id: lan, name: Office LAN, kind: network, trust: 1}
  - {id: host, name: app01, kind: host, trust: 2}
elements:
  - {id: cli, name: Docker CLI, component: docker.client, boundary: lan}
  - {id: dockerd, name: dockerd, component: docker.daemon, boundary: host,
     properties: {tcp_listen: true, tls_verify: false}}
flows:
  - {id: api, source: cli, target: dockerd, name: Engine API, protocol: http, port: 2375}
"""


def test_without_a_drawn_endpoint_the_daemon_carries_the_same_single_threat():
    threats = derive(loads_model(DAEMON_ONLY), RULES)
    index = threats_by_id(threats)
    names = ("DOCKER-DAEMON-TCP-NO-TLS@dockerd", "DOCKER-API-FLOW-CLEARTEXT@api")
    carriers = {index[n].id for n in names}
    assert carriers == {"DOCKER-DAEMON-TCP-NO-TLS@dockerd"}
    assert not [t for t in threats if t.target == "api"]
    assert stale_triage(loads_model(DAEMON_ONLY), threats) == []


REPLICAS = (
    """
stride_model: 2
boundaries: [{id: ns, name: shop, kind: namespace, trust: 2}]
elements:
"""
    + "".join(
        f"  - {{id: pod{i}, name: cart-{i}, component: k8s.pod, boundary: ns}}\n" for i in range(11)
    )
    + """  - {id: odd, name: cart-odd, component: k8s.pod, boundary: ns,
     properties: {resource_limits: true}}
"""
)


def test_the_same_rule_on_eleven_replicas_is_one_group_each_keeping_its_id():
    threats = derive(loads_model(REPLICAS), RULES)
    limits = [t for t in threats if t.rule == "K8S-POD-NO-RESOURCE-LIMITS"]
    assert len(limits) == 11 and len({t.id for t in limits}) == 11  # triage stays per pod
    groups = group_threats(threats)
    (group,) = [g for g in groups if g.first.rule == "K8S-POD-NO-RESOURCE-LIMITS"]
    assert len(group) == 11 and group.targets == [f"pod{i}" for i in sorted(range(11), key=str)]
    assert group.target_names[0] == "cart-0"
    # every group's threats share rule, severity and the properties the rule reads
    for g in groups:
        assert len({(t.rule, t.severity, t.group) for t in g.threats}) == 1
    # the pod that differs in a property another rule reads is in that rule's group, not
    # apart because of it; and a pod with limits has no limits threat at all
    assert "K8S-POD-NO-RESOURCE-LIMITS@odd" not in {t.id for t in threats}


def test_a_replica_with_a_different_relevant_property_is_its_own_group():
    text = REPLICAS.replace(
        "{id: pod0, name: cart-0, component: k8s.pod, boundary: ns}",
        "{id: pod0, name: cart-0, component: k8s.pod, boundary: ns,\n"
        "     properties: {run_as_non_root: true}}",
    )
    threats = derive(loads_model(text), RULES)
    hardening = [t for t in threats if t.rule == "K8S-POD-DEFAULT-SECURITY-CONTEXT"]
    keys = {t.target: t.group for t in hardening}
    if "pod0" in keys:  # the rule still fires on pod0 for its other defaults
        assert keys["pod0"] != keys["pod1"]
    assert len({keys[p] for p in keys if p not in ("pod0", "odd")}) == 1


CAUSE = """
rules:
  - {id: A-ENDPOINT, category: Spoofing, severity: high, target: element,
     components: [generic.process], root_cause: one-cause,
     title: "{name} endpoint", description: "{name}.", mitigations: ["Fix A."]}
  - {id: B-FLOW, category: Information Disclosure, severity: medium, target: flow,
     root_cause: one-cause, title: "{name} flow", description: "{name}.",
     mitigations: ["Fix B."]}
"""
CAUSE_MODEL = """
stride_model: 2
elements:
  - {id: a, name: A, component: generic.process}
  - {id: b, name: B, component: generic.process}
  - {id: c, name: C, component: generic.process}
flows:
  - {id: ab, source: a, target: b}
"""


def test_root_cause_joins_neighbours_but_never_replicas():
    threats = derive(loads_model(CAUSE_MODEL), loads_rules(CAUSE))
    rules = {t.id: t for t in threats if t.source == "rule"}
    # a and b are both generic.process: two causes; the flow joins the first carrier
    assert set(rules) == {"A-ENDPOINT@a", "A-ENDPOINT@b", "A-ENDPOINT@c"}
    carrier = rules["A-ENDPOINT@a"]
    assert carrier.covers == ["B-FLOW@ab", "STRIDE-I-FLOW@ab"]  # and the flow's generic one
    assert carrier.categories == ["Spoofing", "Information Disclosure"]
    assert carrier.mitigations == ["Fix A.", "Fix B."]
    assert rules["A-ENDPOINT@b"].covers == [] and rules["A-ENDPOINT@c"].covers == []
