"""The threat lists of the example models, read as a Kubernetes and Docker reviewer reads them
(issue 11's review, docs/threat-review.md): each test names a finding of that review."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from stride_desktop.io import load_model, loads_model
from stride_desktop.rules import Threat, derive, load_rules, threats_by_id

MODELS = Path(__file__).resolve().parents[2] / "models"
EXAMPLES = sorted(p.name for p in MODELS.glob("*.yaml"))
RULES = load_rules()


@cache
def threats(model: str) -> dict[str, Threat]:
    return {t.id: t for t in derive(load_model(MODELS / model), RULES)}


def carrier(model: str, threat_id: str) -> Threat:
    """The threat, or the root-cause threat that carries it."""
    found = threats_by_id(threats(model).values()).get(threat_id)
    assert found is not None, f"{threat_id} does not arise on {model}"
    return found


@pytest.mark.parametrize("model", EXAMPLES)
def test_reasons_speak_words_not_property_names(model):
    for t in threats(model).values():
        assert not re.search(r"\(\w+_\w+\)", t.severity_reason), (t.id, t.severity_reason)
        assert "first hop unauthenticated, then unauthenticated" not in t.severity_reason


@pytest.mark.parametrize("model", EXAMPLES)
def test_an_outage_or_an_untraced_action_is_not_raised_by_the_datas_classification(model):
    for t in threats(model).values():
        if t.source == "rule" and t.category in ("Denial of Service", "Repudiation"):
            assert not re.search(r"raised: .* handles \w+ data", t.severity_reason), t.id


def test_the_kubelets_open_port_is_reached_from_the_pods_not_through_the_api_server():
    # worker-2's kubelet keeps the upstream defaults: anonymous auth on port 10250, AlwaysAllow
    for rule in ("K8S-KUBELET-ANONYMOUS-AUTH", "K8S-KUBELET-AUTHZ-ALWAYSALLOW"):
        t = threats("kubernetes-cluster.yaml")[f"{rule}@kubelet2"]
        assert "kube-apiserver →" not in t.severity_reason  # its mTLS call is no way in
        assert (
            "→ frontend pod, every hop unauthenticated; then kubelet (worker-2) through port "
            "10250 on the node network, unauthenticated" in t.severity_reason
        )
        assert t.severity == "high"
    # the audit's kubelet (1.13 defaults): the internal attacker's pod is one hop away
    audit = threats("k8s-audit-2019.yaml")["K8S-KUBELET-ANONYMOUS-AUTH@kubelet"]
    assert "→ Pods, unauthenticated; then kubelet through port 10250" in audit.severity_reason
    assert audit.severity == "critical"


def test_etcd_without_client_certificates_is_one_threat_reached_from_the_pods():
    text = (MODELS / "kubernetes-cluster.yaml").read_text()
    assert "properties: {client_cert_auth: true, peer_tls: true, tls: true}" in text
    model = loads_model(
        text.replace(
            "properties: {client_cert_auth: true, peer_tls: true, tls: true}",
            "properties: {client_cert_auth: false, peer_tls: true, tls: true}",
        )
    )
    found = {t.id: t for t in derive(model, RULES)}
    etcd = found["K8S-ETCD-NO-CLIENT-CERT-AUTH@etcd"]
    # the frontend pod is two hops from the internet, port 2379 one more: possible x critical
    assert (etcd.likelihood, etcd.severity) == (2, "high")
    assert "then etcd through port 2379 on the control-plane network, unauthenticated" in (
        etcd.severity_reason
    )
    # "reachable by more than the API server" is the same cause: one threat
    assert "K8S-ETCD-DIRECT-ACCESS@etcd" in etcd.covers
    assert "K8S-ETCD-DIRECT-ACCESS@etcd" not in found


def test_an_image_from_docker_hub_is_no_way_into_the_docker_api():
    found = threats("docker-host.yaml")
    authz = found["DOCKER-DAEMON-NO-AUTHZ@dockerd"]
    assert "Docker Hub" not in authz.severity_reason
    assert "anyone on Corporate LAN → Engine API tcp://0.0.0.0:2375 → dockerd" in (
        authz.severity_reason
    )
    # insecure-registries is about the plain-HTTP private registry on the LAN, not Docker Hub
    plain = carrier("docker-host.yaml", "DOCKER-DAEMON-INSECURE-REGISTRIES@dockerd")
    assert "Docker Hub" not in plain.severity_reason
    assert "On the wire: it travels Corporate LAN (trust 1)" in plain.severity_reason
    assert plain.severity == "high"


def test_root_in_a_container_is_reached_from_a_container_on_the_host():
    userns = threats("docker-host.yaml")["DOCKER-DAEMON-NO-USERNS@dockerd"]
    assert (
        "Web user (Internet) → nginx, unauthenticated; then dockerd through a container escape"
        in userns.severity_reason
    )


@pytest.mark.parametrize(
    "model, threat_id",
    [
        ("kubernetes-cluster.yaml", "K8S-PROFILING-ENABLED@apiserver"),
        ("online-shop-k8s.yaml", "K8S-PROFILING-ENABLED@apiserver"),
        ("kubernetes-cluster.yaml", "K8S-TLS-WEAK-CIPHERS@apiserver"),
        ("kubernetes-cluster.yaml", "K8S-SECRET-NO-EXTERNAL-STORE@db_secret"),
        ("kubernetes-cluster.yaml", "K8S-POD-DEFAULT-NAMESPACE@api"),
        ("k8s-audit-2019.yaml", "K8S-POD-DEFAULT-NAMESPACE@pods"),
        ("docker-host.yaml", "DOCKER-DAEMON-NO-LIVE-RESTORE@dockerd"),
    ],
)
def test_a_hygiene_weakness_is_not_rated_by_what_its_target_controls(model, threat_id):
    t = threats(model)[threat_id]
    assert "not raised by what the target is worth" in t.severity_reason
    assert t.severity in ("low", "medium")


def test_ingress_snippets_are_injected_by_whoever_may_write_ingress_objects_not_by_customers():
    snippets = threats("kubernetes-cluster.yaml")["K8S-INGRESS-SNIPPETS@ingress"]
    assert "Customer (Internet) → ingress-nginx, unauthenticated." not in snippets.severity_reason
    assert "through an Ingress object created with a service account token" in (
        snippets.severity_reason
    )
    assert snippets.severity == "high"


def test_the_corefile_is_rewritten_through_the_api_not_by_dns_queries():
    coredns = threats("kubernetes-cluster.yaml")["K8S-COREDNS-CONFIG-WRITABLE@coredns"]
    assert "frontend pod → CoreDNS" not in coredns.severity_reason
    assert "kube-apiserver; then CoreDNS through an update of the coredns ConfigMap" in (
        coredns.severity_reason
    )
