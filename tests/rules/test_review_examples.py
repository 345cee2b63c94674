"""The threat lists of the example models, read as a Kubernetes and Docker reviewer reads them
(issue 11's review, docs/threat-review.md): each test names a finding of that review."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from stride_desktop.bench import add_run, parse_bench_file
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
    assert "→ application pod, unauthenticated; then kubelet through port 10250" in (
        audit.severity_reason
    )
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
        "Web user (Internet) → nginx, unauthenticated; then dockerd through a container escape "
        "(a kernel or runtime exploit)" in userns.severity_reason
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


PORTS = """
stride_model: 2
name: ports
boundaries:
  - {id: host, name: app01, kind: host, trust: 2, rect: [0, 0, 10, 10]}
elements:
  - {id: db, name: db, component: docker.container, boundary: host,
     properties: {published_ports: [PORTS]}}
"""


@pytest.mark.parametrize(
    "ports, fires",
    [
        ('"5432"', True),
        ('"5432:5432"', True),
        ('"0.0.0.0:3310:3306"', True),
        ('"[::]:3310:3306"', True),
        ('"8000-8010:8000-8010/udp"', True),
        ('"127.0.0.1:5432:5432"', False),  # bound to one address: the fix CIS 5.13 asks for
        ('"10.0.0.5:80:80", "::1:81:81"', False),
        ('"127.0.0.1:5432:5432", "9000:9000"', True),
    ],
)
def test_ports_bound_to_a_host_address_are_not_published_on_every_interface(ports, fires):
    model = loads_model(PORTS.replace("PORTS", ports))
    ids = {t.id for t in derive(model, RULES)} | {c for t in derive(model, RULES) for c in t.covers}
    assert ("DOCKER-CONTAINER-PORTS-ALL-INTERFACES@db" in ids) is fires


def test_the_public_front_end_publishes_its_ports_on_purpose():
    found = threats_by_id(threats("docker-host.yaml").values())
    assert "DOCKER-CONTAINER-PORTS-ALL-INTERFACES@nginx" not in found  # exposed_to_internet
    for meant_internal in ("api", "mysql", "portainer", "jenkins"):
        assert f"DOCKER-CONTAINER-PORTS-ALL-INTERFACES@{meant_internal}" in found


def test_node_exporter_texts_hold_for_a_read_only_mount_and_an_unprivileged_user():
    found = threats("docker-host.yaml")
    # node-exporter runs as 65534 with / mounted read-only
    pid = found["DOCKER-CONTAINER-HOST-PID@node_exporter"]
    assert "running as root (or with CAP_SYS_PTRACE)" in pid.description
    assert "command line" in pid.description
    mounts = found["DOCKER-CONTAINER-SENSITIVE-MOUNTS@node_exporter"]
    assert "even read-only" in mounts.description
    assert "Information Disclosure" in mounts.categories


@pytest.mark.parametrize(
    "model, threat_id, words",
    [
        ("docker-host.yaml", "DOCKER-CONTAINER-NOT-HARDENED@api", "no-new-privileges"),
        ("docker-host.yaml", "DOCKER-CONTAINER-NOT-HARDENED@api", "--read-only"),
        ("docker-host.yaml", "DOCKER-CONTAINER-PRIVILEGED@worker", "Remove --privileged"),
        ("kubernetes-cluster.yaml", "K8S-POD-DEFAULT-SECURITY-CONTEXT@api", "runAsNonRoot"),
        ("kubernetes-cluster.yaml", "K8S-POD-DEFAULT-SECURITY-CONTEXT@api", "seccompProfile"),
    ],
)
def test_a_root_cause_offers_each_fix_once(model, threat_id, words):
    t = threats(model)[threat_id]
    assert len(t.mitigations) == len(set(t.mitigations))
    assert len([m for m in t.mitigations if words in m]) == 1, t.mitigations


def test_cipher_suites_and_rate_limits_are_described_as_they_are_in_current_releases():
    found = threats("kubernetes-cluster.yaml")
    ciphers = found["K8S-TLS-WEAK-CIPHERS@apiserver"].description
    assert "cannot be downgraded" in ciphers and "force" not in ciphers
    assert "TLS 1.3 suites are always strong" in ciphers
    flood = found["K8S-APISERVER-NO-RATE-LIMIT@apiserver"].description
    assert "API Priority and Fairness (on by default since 1.20)" in flood


def test_no_pod_security_policy_is_claimed_where_a_policy_webhook_is_drawn():
    for model in ("kubernetes-cluster.yaml", "online-shop-k8s.yaml"):
        found = threats_by_id(threats(model).values())
        assert "K8S-APISERVER-NO-ADMISSION-POLICY@apiserver" not in found
        assert "K8S-WEBHOOK-FAIL-OPEN@webhook" in found  # what it does say: it fails open
    audit = threats("k8s-audit-2019.yaml")["K8S-APISERVER-NO-ADMISSION-POLICY@apiserver"]
    assert "NodeRestriction" not in audit.description  # kubeadm and managed platforms enable it


def test_ingress_snippets_name_the_fixed_releases_of_the_webhook_attack():
    snippets = threats("kubernetes-cluster.yaml")["K8S-INGRESS-SNIPPETS@ingress"]
    assert "CVE-2021-25742" in snippets.description
    assert "before ingress-nginx 1.11.5 and 1.12.1 (CVE-2025-1974)" in snippets.description


def test_anyone_on_the_lan_can_push_to_a_registry_without_authentication():
    push = threats("docker-host.yaml")["DOCKER-REGISTRY-NO-AUTH@private_registry"]
    assert "Engine API" not in push.severity_reason  # nobody needs the daemon to reach it
    assert (
        "Path: anyone on Corporate LAN → Private registry (registry.lan:5000) through its port, "
        "unauthenticated" in push.severity_reason
    )
    assert push.severity == "high"


def test_the_plain_http_registry_is_one_threat_with_each_fix_once():
    plain = carrier("docker-host.yaml", "DOCKER-REGISTRY-NO-TLS@private_registry")
    assert "DOCKER-DAEMON-INSECURE-REGISTRIES@dockerd" in plain.covers
    assert len([m for m in plain.mitigations if "HTTPS" in m]) == 1
    assert len([m for m in plain.mitigations if "digest" in m]) == 1
    assert not any(m.startswith("Remove it ") for m in plain.mitigations)  # no dangling "it"


def test_the_metadata_threat_carries_no_other_flows_in_transit_threats():
    for pod in ("api", "frontend"):
        metadata = threats("kubernetes-cluster.yaml")[f"K8S-POD-METADATA-ACCESS@{pod}"]
        assert not [c for c in metadata.covers if "FLOW" in c or "INTERACTION" in c], (
            metadata.covers
        )
        assert metadata.categories == ["Information Disclosure"]


def test_kubelet_serving_certificates_rotate_unless_the_feature_gate_is_turned_off():
    # RotateKubeletServerCertificate is on by default since 1.12: no threat for a plain KCM
    assert "K8S-KUBELET-SERVING-CERT-ROTATION@kcm" not in threats("kubernetes-cluster.yaml")
    assert "K8S-KUBELET-SERVING-CERT-ROTATION@controllers" not in threats("k8s-audit-2019.yaml")


def test_both_socket_mounting_tools_are_reached_through_their_web_ui():
    found = threats("docker-host.yaml")
    for tool, ui in (("portainer", "Portainer UI"), ("jenkins", "Jenkins UI")):
        socket = found[f"DOCKER-CONTAINER-DOCKER-SOCKET@{tool}"]
        # the web UI's port is published on every interface of an internet-facing host (review
        # 3: it was "anyone on Corporate LAN → Portainer, basic auth", high), past its login
        assert socket.severity == "critical"
        assert socket.path == [tool]
        assert (
            f"Path: anyone on Internet → {socket.target_name} through its port published on every "
            "interface of Docker host (app01), basic auth." in socket.severity_reason
        ), socket.severity_reason
        # the UI's password crosses the LAN in clear: read and altered, one threat
        sniff = found[f"INTERACTION-SNIFFING@f_dev_{tool}"]
        assert "can be read and altered" in sniff.title and ui in sniff.title


def test_the_host_is_named_as_the_host_os_it_is():
    hardened = threats("docker-host.yaml")["DOCKER-HOST-NOT-HARDENED@kernel"]
    assert (
        hardened.title == "Host OS (Ubuntu 22.04) shares an unhardened kernel with every container"
    )


def test_the_shops_plain_http_entry_is_the_threat_not_a_generic_load_balancer():
    found = threats("online-shop-k8s.yaml")
    # frontend-external is port 80 on a passthrough load balancer: card data in clear text
    entry = found["INTERACTION-SNIFFING@f_shopper_fe_svc"]
    assert entry.severity == "high" and "On the wire: it travels Internet" in entry.severity_reason
    assert not [t for t in found.values() if t.source == "element"]  # no STRIDE-x-PROCESS noise
    exposed = found["K8S-SERVICE-EXTERNALLY-EXPOSED@fe_svc"]
    assert "INTERACTION-ELEVATION@f_shopper_fe_svc" in exposed.covers  # a Service forwards
    # every pod of the cluster gets in: as likely as the most exposed pod, not the Service
    namespace = found["K8S-NAMESPACE-NO-NETWORK-POLICY@shop"]
    assert namespace.path[-1] == "frontend" and namespace.severity == "high"


def test_a_public_registry_is_as_likely_as_a_hijacked_publisher_not_as_the_internet():
    hub = threats("docker-host.yaml")["DOCKER-REGISTRY-PUBLIC-SOURCE@docker_hub"]
    assert "is itself on Internet" not in hub.severity_reason
    assert "through a hijacked publisher account or a look-alike repository" in (
        hub.severity_reason
    )
    assert hub.severity == "medium"


def test_a_flat_pod_network_is_as_likely_as_a_foothold_in_the_most_exposed_pod():
    cni = threats("kubernetes-cluster.yaml")["K8S-CNI-NO-NETWORK-POLICIES@cni"]
    assert "No path" not in cni.severity_reason
    assert "→ frontend pod, every hop unauthenticated; then Calico CNI through the flat pod " in (
        cni.severity_reason
    )


def test_the_audits_pods_read_as_one_workload():
    found = threats("k8s-audit-2019.yaml")
    assert found["K8S-POD-UNVERIFIED-IMAGE@pods"].title == (
        "application pod runs an image whose origin is not verified"
    )
    assert not [t for t in found.values() if t.target == "pods" and "Pods" in t.title]


def test_the_docker_api_fixes_are_offered_once():
    tcp = threats("docker-host.yaml")["DOCKER-SOCKET-TCP-NO-TLS@docker_tcp"]
    assert len([m for m in tcp.mitigations if "--tlsverify" in m]) == 1
    assert len(tcp.mitigations) == len(set(tcp.mitigations))


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bench"


def with_bench(model_file: str, bench: str, scope: str) -> dict[str, Threat]:
    model = load_model(MODELS / model_file)
    add_run(model, parse_bench_file(FIXTURES / bench).run, scope=scope)
    return {t.id: t for t in derive(model, RULES)}


def test_a_confirmed_missing_audit_log_is_not_critical():
    found = with_bench("kubernetes-cluster.yaml", "kube-bench-cis-1.23.json", "control_plane")
    audit = found["K8S-APISERVER-NO-AUDIT@apiserver"]
    assert audit.confirmed
    # an untraced action keeps the rule's own rating: very likely x medium = high
    assert (audit.likelihood, audit.impact, audit.severity) == (4, 2, "high")


def test_the_api_servers_kubelet_certificate_does_not_verify_kube_proxys_token():
    found = with_bench("kubernetes-cluster.yaml", "kube-bench-cis-1.23.json", "control_plane")
    proxy = found["K8S-CONTROL-PLANE-NO-MTLS@f_proxy1_api"]
    assert not proxy.verified and "1.2.5" not in proxy.severity_reason
