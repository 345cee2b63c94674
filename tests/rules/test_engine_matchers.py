"""Every matcher of the rule language, each shown true on one target and false on another."""

from __future__ import annotations

import pytest

from stride_desktop.io import default_catalog, loads_model
from stride_desktop.rules import RuleSet, derive
from stride_desktop.rules.loader import RuleFileReader

MODEL = loads_model("""
stride_model: 1
name: Matchers
boundaries:
  - {id: inet, name: Internet, trust: 0, kind: internet}
  - {id: cluster, name: Cluster, trust: 1, kind: cluster}
  - {id: node1, name: Node 1, trust: 2, kind: node, parent: cluster}
  - {id: host, name: Docker host, trust: 2, kind: host}
elements:
  - {id: user, name: User, component: k8s.user, boundary: inet}
  - {id: admin, name: Admin, component: k8s.user, boundary: cluster}
  - {id: api, name: API server, component: k8s.apiserver, boundary: cluster,
     properties: {version: "1.37.0"}}
  - {id: etcd, name: etcd, component: k8s.etcd, boundary: cluster}
  - {id: kubelet, name: kubelet, component: k8s.kubelet, boundary: node1,
     properties: {version: "v1.20.15"}}
  - {id: pod, name: Pod, component: k8s.pod, boundary: node1,
     properties: {privileged: true, cap_add: [NET_ADMIN]}}
  - {id: pod2, name: Pod 2, component: k8s.pod, boundary: node1, properties: {namespace: shop}}
  - {id: lonely, name: Lonely, component: docker.container, boundary: host}
flows:
  - {id: f1, source: user, target: api, protocol: https, port: 6443, encrypted: true,
     authenticated: token, data: confidential}
  - {id: f2, source: api, target: etcd, protocol: grpc, port: 2379}
  - {id: f3, source: api, target: kubelet, port: 10250, encrypted: true, authenticated: mtls}
  - {id: f4, source: kubelet, target: pod}
  - {id: f5, source: admin, target: etcd, port: 2379}
""")

CASES = [
    # (target kind, condition, true on, false on)
    ("element", {"property": {"name": "privileged", "equals": True}}, "pod", "pod2"),
    ("element", {"property": {"name": "privileged", "not_equals": True}}, "pod2", "pod"),
    (
        "element",
        {"property": {"name": "seccomp_profile", "in": ["Unconfined", "Localhost"]}},
        "pod",
        "api",
    ),
    ("element", {"property": {"name": "cap_add", "contains": "NET_ADMIN"}}, "pod", "pod2"),
    ("element", {"property": {"name": "cap_add", "empty": True}}, "pod2", "pod"),
    ("element", {"property": {"name": "read_only_port", "gt": 0}}, "kubelet", "api"),
    ("element", {"property": {"name": "read_only_port", "lt": 10000}}, None, "kubelet"),
    ("element", {"property": {"name": "read_only_port", "lt": 20000}}, "kubelet", "api"),
    ("element", {"component": ["k8s.etcd"]}, "etcd", "api"),
    ("element", {"kind": "data_store"}, "etcd", "api"),
    ("element", {"reachable_from_untrusted": True}, "pod", "lonely"),
    ("element", {"reachable_from_untrusted": False}, "lonely", "api"),
    ("element", {"unauthenticated_path_from_external": True}, "etcd", "api"),
    ("element", {"exposed": True}, "kubelet", "etcd"),
    ("element", {"has_flow_from": {"element": {"component": ["k8s.apiserver"]}}}, "etcd", "pod"),
    ("element", {"has_flow_from": {"flow": {"authenticated": ["token"]}}}, "api", "etcd"),
    ("element", {"has_flow_to": {"flow": {"port": [2379]}}}, "api", "kubelet"),
    (
        "element",
        {"has_flow_to": {"element": {"kind": "data_store"}, "flow": {"encrypted": False}}},
        "admin",
        "user",
    ),
    (
        "element",
        {
            "shares_boundary_with": {
                "kind": ["node"],
                "element": {"property": {"name": "privileged", "equals": True}},
            }
        },
        "pod2",
        "pod",
    ),
    ("element", {"shares_boundary_with": {"kind": ["host", "node"]}}, "pod", "lonely"),
    ("element", {"in_boundary": {"kind": ["host"]}}, "lonely", "pod"),
    ("element", {"in_boundary": {"kind": ["cluster"], "trust_lt": 2}}, "pod", "lonely"),
    ("element", {"model_has": {"component": ["k8s.etcd"]}}, "pod", None),
    ("element", {"model_has": {"component": ["k8s.dashboard"]}}, None, "pod"),
    (
        "element",
        {"all": [{"component": ["k8s.pod"]}, {"property": {"name": "privileged", "equals": True}}]},
        "pod",
        "pod2",
    ),
    (
        "element",
        {"any": [{"component": ["k8s.etcd"]}, {"component": ["k8s.kubelet"]}]},
        "kubelet",
        "api",
    ),
    ("element", {"not": {"component": ["k8s.pod"]}}, "api", "pod"),
    ("flow", {"flow": {"encrypted": False}}, "f2", "f1"),
    ("flow", {"flow": {"authenticated": ["none", "basic"], "port": [2379]}}, "f2", "f3"),
    ("flow", {"flow": {"protocol": ["https"], "data": ["confidential", "secret"]}}, "f1", "f2"),
    ("flow", {"flow": {"crosses_boundary": True}}, "f1", "f2"),
    ("flow", {"property": {"name": "port", "gt": 10000}}, "f3", "f2"),
    ("flow", {"source": {"component": ["k8s.user"]}}, "f1", "f2"),
    ("flow", {"target": {"kind": "data_store"}}, "f2", "f1"),
    ("flow", {"crosses_boundary": True}, "f3", "f5"),
    ("flow", {"enters_higher_trust": True}, "f3", "f2"),
    ("flow", {"not": {"enters_higher_trust": True}}, "f2", "f3"),
    ("boundary", {"boundary": {"kind": ["node"]}}, "node1", "cluster"),
    ("boundary", {"boundary": {"trust_gt": 1}}, "node1", "cluster"),
    ("boundary", {"boundary": {"trust": 0}}, "inet", "host"),
    ("flow", {"model_has": {"component": ["k8s.etcd"]}}, "f1", None),
    ("boundary", {"model_has": {"component": ["k8s.dashboard"]}}, None, "inet"),
    ("boundary", {"contains": {"component": ["k8s.pod"]}}, "cluster", "host"),
    # library matchers: releases past end of life (resources/versions.yaml), drawn boundaries,
    # members that differ, and what a boundary holds itself rather than through nested ones
    ("element", {"release_unsupported": True}, "kubelet", "api"),
    ("element", {"release_unsupported": False}, "api", "kubelet"),
    ("element", {"release_unsupported": True}, None, "etcd"),  # no version: unknown
    ("element", {"model_has_boundary": {"kind": ["host"]}}, "pod", None),
    ("element", {"model_has_boundary": {"kind": ["namespace"]}}, None, "pod"),
    (
        "boundary",
        {"members_differ": {"property": "namespace", "element": {"component": ["k8s.pod"]}}},
        "node1",
        "host",
    ),
    ("boundary", {"directly_contains": {"component": ["k8s.pod"]}}, "node1", "cluster"),
]


def fired(target: str, condition: dict) -> set[str]:
    rule = {
        "id": "PROBE",
        "category": "Tampering",
        "severity": "low",
        "target": target,
        "when": condition,
        "title": "probe {name}",
        "description": "probe",
    }
    rules = RuleFileReader(default_catalog()).read_data({"rules": [rule]}, "probe.yaml")
    return {t.target for t in derive(MODEL, RuleSet.of(rules)) if t.rule == "PROBE"}


@pytest.mark.parametrize(
    "target, condition, yes, no",
    CASES,
    ids=[f"{c[0]}-{next(iter(c[1]))}-{i}" for i, c in enumerate(CASES)],
)
def test_matcher_true_and_false(target, condition, yes, no):
    hits = fired(target, condition)
    if yes is not None:
        assert yes in hits
    if no is not None:
        assert no not in hits


def test_every_matcher_is_exercised():
    from stride_desktop.rules.conditions import MATCHERS

    used = {(target, key) for target, cond, _, _ in CASES for key in _keys(cond)}
    missing = {(t, m) for t, names in MATCHERS.items() for m in names} - used
    assert not missing


def _keys(cond: dict):
    for key, value in cond.items():
        yield key
        if key in ("all", "any"):
            for sub in value:
                yield from _keys(sub)
        elif key == "not":
            yield from _keys(value)


def test_components_index_limits_element_rules():
    rule = {
        "id": "ONLY-PODS",
        "category": "Tampering",
        "severity": "low",
        "target": "element",
        "components": ["k8s.pod"],
        "title": "t {name}",
        "description": "d",
    }
    rules = RuleSet.of(RuleFileReader(default_catalog()).read_data({"rules": [rule]}, "x.yaml"))
    assert {t.target for t in derive(MODEL, rules) if t.rule == "ONLY-PODS"} == {"pod", "pod2"}


def test_flow_components_match_either_end():
    rule = {
        "id": "ETCD-FLOWS",
        "category": "Tampering",
        "severity": "low",
        "target": "flow",
        "components": ["k8s.etcd"],
        "title": "t {name}",
        "description": "{source} to {target}",
    }
    rules = RuleSet.of(RuleFileReader(default_catalog()).read_data({"rules": [rule]}, "x.yaml"))
    threats = [t for t in derive(MODEL, rules) if t.rule == "ETCD-FLOWS"]
    assert {t.target for t in threats} == {"f2", "f5"}
    assert "API server to etcd" in {t.description for t in threats}


def test_flow_channel_matcher() -> None:
    from stride_desktop.io import loads_model
    from stride_desktop.rules import derive, loads_rules

    rules = loads_rules("""
rules:
  - {id: ON-WIRE, category: Information Disclosure, severity: low, target: flow,
     when: {flow: {channel: [network]}}, title: "{name}", description: "{name}."}
  - {id: LOCAL, category: Tampering, severity: low, target: flow,
     when: {property: {name: channel, in: [unix_socket, mount]}}, title: "{name}",
     description: "{name}."}
""")
    model = loads_model("""
stride_model: 2
elements:
  - {id: a, component: generic.process}
  - {id: b, component: generic.process}
flows:
  - {id: net, source: a, target: b}
  - {id: sock, source: a, target: b, protocol: unix, channel: unix_socket}
""")
    fired = {(t.rule, t.target) for t in derive(model, rules) if t.source == "rule"}
    assert fired == {("ON-WIRE", "net"), ("LOCAL", "sock")}
