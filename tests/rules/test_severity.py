"""Severity = likelihood x impact, with the attack path in the reason (issue 11's examples)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.io import load_model, loads_model
from stride_desktop.rules import derive, load_rules, loads_rules
from stride_desktop.rules.risk import default_risk

MODELS = Path(__file__).resolve().parents[2] / "models"
RULES = load_rules()


def by_id(threats):
    return {t.id: t for t in threats}


@pytest.fixture(scope="module")
def cluster():
    return load_model(MODELS / "kubernetes-cluster.yaml")


def test_the_matrix_is_likelihood_times_impact():
    risk = default_risk()
    table = [
        [risk.severity(likelihood, impact) for impact in (1, 2, 3, 4)]
        for likelihood in (1, 2, 3, 4)
    ]
    assert table == [
        ["low", "low", "medium", "medium"],
        ["low", "medium", "medium", "high"],
        ["medium", "medium", "high", "critical"],
        ["medium", "high", "critical", "critical"],
    ]
    assert [risk.likelihood(cost) for cost in (0, 1, 2, 3, 4, 5, float("inf"))] == [
        4,
        4,
        3,
        2,
        2,
        1,
        1,
    ]


def test_an_mtls_kubelet_watch_does_not_make_no_audit_log_critical(cluster):
    no_audit = by_id(derive(cluster, RULES))["K8S-APISERVER-NO-AUDIT@apiserver"]
    assert no_audit.severity != "critical"
    assert "kubelet" not in no_audit.severity_reason  # its mTLS watch is no way in
    # what makes it likely is the API server's public endpoint, and the reason says so
    assert (
        "Path: the internet (its endpoint is public) → kube-apiserver" in no_audit.severity_reason
    )
    cluster.element("apiserver").properties["publicly_exposed"] = False
    try:
        private = by_id(derive(cluster, RULES))["K8S-APISERVER-NO-AUDIT@apiserver"]
    finally:
        cluster.element("apiserver").properties["publicly_exposed"] = True
    assert private.likelihood <= 2 and private.severity == "medium"
    assert (
        "kubelet" not in private.severity_reason and "Corporate network" in private.severity_reason
    )


def test_the_api_servers_own_write_does_not_make_plaintext_secrets_critical(cluster):
    secrets = by_id(derive(cluster, RULES))["K8S-ETCD-SECRETS-PLAINTEXT@etcd"]
    # reached only through the API server's mTLS client: unlikely; the audit rates TM08 Low
    assert secrets.likelihood == 1 and secrets.severity in ("low", "medium")
    assert secrets.severity_reason.startswith("unlikely (1)")
    assert "→ kube-apiserver → etcd, mTLS." in secrets.severity_reason


def test_a_pod_reading_its_own_secret_does_not_make_the_metadata_threat_critical(cluster):
    metadata = by_id(derive(cluster, RULES))["K8S-POD-METADATA-ACCESS@api"]
    assert metadata.severity != "critical"
    assert "db-credentials" not in metadata.severity_reason
    without = loads_model(
        (MODELS / "kubernetes-cluster.yaml").read_text().replace("id: f_secret_api,", "id: x,"),
    )
    without.flows = [f for f in without.flows if f.id != "x"]
    again = by_id(derive(without, RULES))["K8S-POD-METADATA-ACCESS@api"]
    assert (again.likelihood, again.severity) == (metadata.likelihood, metadata.severity)
    # the way in it names is the customers' requests, hop by hop
    assert (
        "Path: Customer (Internet) → ingress-nginx → frontend pod → api pod, "
        "every hop unauthenticated" in metadata.severity_reason
    )
    assert metadata.path == ["customer", "ingress", "frontend", "api"]


PATH_MODEL = """
stride_model: 2
boundaries:
  - {id: internet, name: Internet, kind: internet, trust: 0}
  - {id: cluster, name: Cluster, kind: cluster, trust: 2}
  - {id: cp, name: Control plane, kind: node, trust: 4, parent: cluster}
elements:
  - {id: user, name: Customer, component: generic.external_entity, boundary: internet}
  - {id: ingress, name: ingress-nginx, component: k8s.ingress, boundary: cluster}
  - {id: api, name: api pod, component: k8s.pod, boundary: cluster}
  - {id: etcd, name: etcd, component: k8s.etcd, boundary: cp}
flows:
  - {id: f1, source: user, target: ingress, protocol: https, encrypted: true}
  - {id: f2, source: ingress, target: api, protocol: http}
  - {id: f3, source: api, target: etcd, protocol: grpc, encrypted: true, authenticated: mtls}
"""
PROBE = """
rules:
  - {id: PROBE-ETCD, category: Information Disclosure, severity: high, target: element,
     components: [k8s.etcd], title: "{name} probed", description: "{name} is probed."}
"""


def test_the_reason_names_the_path_and_its_hops():
    threat = by_id(derive(loads_model(PATH_MODEL), loads_rules(PROBE)))["PROBE-ETCD@etcd"]
    assert (
        "Path: Customer (Internet) → ingress-nginx → api pod → etcd, first two hops "
        "unauthenticated, then one hop mTLS" in threat.severity_reason
    )
    # 1 + 1 + 3 = 5: unlikely; a high rule on etcd (which holds the cluster's secrets)
    assert (threat.likelihood, threat.impact, threat.severity) == (1, 3, "medium")
    assert "Impact: rule base high" in threat.severity_reason


def test_network_isolation_makes_a_hop_dearer():
    open_model = loads_model(PATH_MODEL.replace("authenticated: mtls", "authenticated: none"))
    isolated = loads_model(
        PATH_MODEL.replace("authenticated: mtls", "authenticated: none").replace(
            "component: k8s.etcd, boundary: cp}",
            "component: k8s.etcd, boundary: cp, properties: {network_isolated: true}}",
        )
    )
    rules = loads_rules(PROBE)
    reachable = by_id(derive(open_model, rules))["PROBE-ETCD@etcd"]
    behind = by_id(derive(isolated, rules))["PROBE-ETCD@etcd"]
    assert reachable.likelihood == 2 and behind.likelihood == 1
    assert "into a network-isolated element" in behind.severity_reason


def test_impact_follows_what_the_target_holds():
    model = loads_model(PATH_MODEL)
    rules = loads_rules("""
rules:
  - {id: PROBE-ANY, category: Tampering, severity: low, target: element,
     components: [k8s.pod, k8s.etcd], title: "{name} probed", description: "{name} is probed."}
""")
    threats = by_id(derive(model, rules))
    # a low rule on etcd (worth 4: it holds the cluster's secrets) is a medium-impact matter;
    # on a pod that only handles internal data it stays low
    assert threats["PROBE-ANY@etcd"].impact == 3
    assert "etcd controls the host, the cluster or their secrets" in (
        threats["PROBE-ANY@etcd"].severity_reason
    )
    assert threats["PROBE-ANY@api"].impact == 1
    # the data on its flows raises what a pod is worth
    secret = loads_model(PATH_MODEL.replace("protocol: http}", "protocol: http, data: secret}"))
    assert by_id(derive(secret, rules))["PROBE-ANY@api"].impact == 3
