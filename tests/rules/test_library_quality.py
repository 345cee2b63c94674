"""Quality of the rule library: every rule fires somewhere we can point to (an example model, or
the minimal model of its case in test_rule_library.py), and titles read as sentences: no word
twice in a row ("Container Container can..."), whatever the element is called."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from stride_desktop.io import default_catalog, load_model
from stride_desktop.rules import Threat, derive, load_rules

from .test_rule_library import CASES

MODELS = Path(__file__).resolve().parents[2] / "models"
RULES = load_rules()
CATALOG = default_catalog()

# Where each rule fires: the first example model (emitted, or folded into a more specific
# threat), or "case" when only its minimal model in test_rule_library.py does - settings that
# none of the examples has (a dashboard, etcd without TLS, a Swarm, ...).
FIRES_IN = {
    # docker-containers.yaml
    "CONTAINER-SSH-SERVER": "docker-host.yaml",
    "DOCKER-CONTAINER-APPARMOR-UNCONFINED": "case",
    "DOCKER-CONTAINER-CAP-ADD": "case",
    "DOCKER-CONTAINER-DEFAULT-BRIDGE": "docker-host.yaml",
    "DOCKER-CONTAINER-DOCKER-SOCKET": "docker-host.yaml",
    "DOCKER-CONTAINER-HOST-IPC": "case",
    "DOCKER-CONTAINER-HOST-NETWORK": "docker-host.yaml",
    "DOCKER-CONTAINER-HOST-PID": "docker-host.yaml",
    "DOCKER-CONTAINER-NEW-PRIVILEGES": "docker-host.yaml",
    "DOCKER-CONTAINER-NO-CPU-LIMIT": "docker-host.yaml",
    "DOCKER-CONTAINER-NO-HEALTHCHECK": "docker-host.yaml",
    "DOCKER-CONTAINER-NO-MEMORY-LIMIT": "docker-host.yaml",
    "DOCKER-CONTAINER-NO-PIDS-LIMIT": "docker-host.yaml",
    "DOCKER-CONTAINER-NOT-HARDENED": "docker-host.yaml",
    "DOCKER-CONTAINER-PORTS-ALL-INTERFACES": "docker-host.yaml",
    "DOCKER-CONTAINER-PRIVILEGED": "docker-host.yaml",
    "DOCKER-CONTAINER-PRIVILEGED-SHARED-HOST": "docker-host.yaml",
    "DOCKER-CONTAINER-RESTART-ALWAYS": "docker-host.yaml",
    "DOCKER-CONTAINER-ROOT-USER": "docker-host.yaml",
    "DOCKER-CONTAINER-SECCOMP-UNCONFINED": "case",
    "DOCKER-CONTAINER-SECRETS-IN-ENV": "docker-host.yaml",
    "DOCKER-CONTAINER-SENSITIVE-MOUNTS": "docker-host.yaml",
    "DOCKER-CONTAINER-WRITABLE-ROOTFS": "docker-host.yaml",
    # docker-daemon.yaml
    "DOCKER-API-FLOW-CLEARTEXT": "docker-host.yaml",
    "DOCKER-API-UNAUTH-PATH": "docker-host.yaml",
    "DOCKER-CLIENT-NO-CONTENT-TRUST": "docker-host.yaml",
    "DOCKER-CONTAINERD-SOCKET-PERMISSIONS": "case",
    "DOCKER-DAEMON-EXPERIMENTAL": "case",
    "DOCKER-DAEMON-INSECURE-REGISTRIES": "docker-host.yaml",
    "DOCKER-DAEMON-NO-AUDIT": "docker-host.yaml",
    "DOCKER-DAEMON-NO-AUTHZ": "docker-host.yaml",
    "DOCKER-DAEMON-NO-LIVE-RESTORE": "docker-host.yaml",
    "DOCKER-DAEMON-NO-REMOTE-LOGGING": "docker-host.yaml",
    "DOCKER-DAEMON-NO-USERNS": "docker-host.yaml",
    "DOCKER-DAEMON-TCP-NO-TLS": "case",
    "DOCKER-HOST-DOCKER-GROUP": "docker-host.yaml",
    "DOCKER-HOST-KERNEL-UNPATCHED": "case",
    "DOCKER-HOST-NO-AUDITD": "docker-host.yaml",
    "DOCKER-HOST-NO-SEPARATE-PARTITION": "docker-host.yaml",
    "DOCKER-HOST-NOT-HARDENED": "docker-host.yaml",
    "DOCKER-RUNC-UNPATCHED": "docker-host.yaml",
    "DOCKER-SOCKET-PERMISSIONS": "docker-host.yaml",
    "DOCKER-SOCKET-TCP-NO-TLS": "docker-host.yaml",
    # docker-images.yaml
    "DOCKER-BUILD-ADD-REMOTE": "docker-host.yaml",
    "DOCKER-BUILD-NO-DOCKERIGNORE": "case",
    "DOCKER-BUILD-NO-PROVENANCE": "docker-host.yaml",
    "DOCKER-BUILD-SECRETS-IN-DOCKERFILE": "docker-host.yaml",
    "DOCKER-BUILD-UNPINNED-BASE": "docker-host.yaml",
    "DOCKER-BUILD-UNREVIEWED": "docker-host.yaml",
    "DOCKER-COMPOSE-INLINE-SECRETS": "docker-host.yaml",
    "DOCKER-COMPOSE-UNREVIEWED": "docker-host.yaml",
    "DOCKER-IMAGE-NOT-SCANNED": "docker-host.yaml",
    "DOCKER-IMAGE-ROOT-USER": "docker-host.yaml",
    "DOCKER-IMAGE-SECRETS-IN-LAYERS": "docker-host.yaml",
    "DOCKER-IMAGE-UNSIGNED": "docker-host.yaml",
    "DOCKER-IMAGE-UNTRUSTED-BASE": "docker-host.yaml",
    "DOCKER-SECRET-FROM-ENVIRONMENT": "case",
    "DOCKER-SECRET-IN-REPOSITORY": "docker-host.yaml",
    # docker-registry-network.yaml
    "DOCKER-DAEMON-ICC": "docker-host.yaml",
    "DOCKER-NETWORK-OVERLAY-UNENCRYPTED": "case",
    "DOCKER-REGISTRY-NO-AUTH": "docker-host.yaml",
    "DOCKER-REGISTRY-NO-TLS": "docker-host.yaml",
    "DOCKER-REGISTRY-PUBLIC-SOURCE": "docker-host.yaml",
    "DOCKER-REGISTRY-PULL-CLEARTEXT": "docker-host.yaml",
    "DOCKER-SWARM-NO-AUTOLOCK": "case",
    "DOCKER-VOLUME-HOST-BIND": "docker-host.yaml",
    "DOCKER-VOLUME-SHARED": "case",
    # k8s-boundaries.yaml
    "K8S-APISERVER-PUBLIC-ENDPOINT": "case",
    "K8S-CONTROL-PLANE-EXPOSED": "kubernetes-cluster.yaml",
    "K8S-NAMESPACE-NO-NETWORK-POLICY": "online-shop-k8s.yaml",
    "K8S-NODE-MIXED-TENANTS": "kubernetes-cluster.yaml",
    # k8s-control-plane.yaml
    "K8S-API-CLIENT-WEAK-AUTH": "case",
    "K8S-API-FLOW-CLEARTEXT": "k8s-audit-2019.yaml",
    "K8S-APISERVER-ANONYMOUS-AUTH": "kubernetes-cluster.yaml",
    "K8S-APISERVER-AUTHZ-ALWAYSALLOW": "case",
    "K8S-APISERVER-NO-ADMISSION-POLICY": "k8s-audit-2019.yaml",
    "K8S-APISERVER-NO-AUDIT": "kubernetes-cluster.yaml",
    "K8S-APISERVER-NO-RATE-LIMIT": "kubernetes-cluster.yaml",
    "K8S-APISERVER-NO-TLS": "case",
    "K8S-APISERVER-STATIC-TOKENS": "kubernetes-cluster.yaml",
    "K8S-CCM-BROAD-CLOUD-CREDENTIALS": "kubernetes-cluster.yaml",
    "K8S-COMPONENT-ACCEPTS-HTTP": "k8s-audit-2019.yaml",
    "K8S-CONTROL-PLANE-NO-MTLS": "kubernetes-cluster.yaml",
    "K8S-CONTROLLER-BIND-ADDRESS": "k8s-audit-2019.yaml",
    "K8S-CONTROLLER-CREDENTIALS-IN-ENV": "k8s-audit-2019.yaml",
    "K8S-CONTROLLER-SHARED-CREDENTIALS": "k8s-audit-2019.yaml",
    "K8S-DASHBOARD-CLUSTER-ADMIN": "case",
    "K8S-DASHBOARD-EXPOSED": "case",
    "K8S-DASHBOARD-SKIP-LOGIN": "case",
    "K8S-KUBELET-SERVING-CERT-ROTATION": "case",  # the feature gate is on by default
    "K8S-PROFILING-ENABLED": "kubernetes-cluster.yaml",
    "K8S-SCHEDULER-NO-QUOTAS": "kubernetes-cluster.yaml",
    "K8S-TLS-WEAK-CIPHERS": "kubernetes-cluster.yaml",
    "K8S-UNSUPPORTED-VERSION": "kubernetes-cluster.yaml",
    "K8S-WEBHOOK-FAIL-OPEN": "kubernetes-cluster.yaml",
    "K8S-WEBHOOK-MUTATING": "kubernetes-cluster.yaml",
    "K8S-WEBHOOK-NO-TLS": "case",
    # k8s-etcd.yaml
    "K8S-ETCD-BACKUPS-UNENCRYPTED": "kubernetes-cluster.yaml",
    "K8S-ETCD-DIRECT-ACCESS": "kubernetes-cluster.yaml",
    "K8S-ETCD-FILES-WRITABLE": "kubernetes-cluster.yaml",
    "K8S-ETCD-NO-CLIENT-CERT-AUTH": "case",
    "K8S-ETCD-NO-PEER-TLS": "case",
    "K8S-ETCD-NO-TLS": "case",
    "K8S-ETCD-SECRETS-PLAINTEXT": "kubernetes-cluster.yaml",
    "K8S-ETCD-UNAUTH-PATH": "case",
    # k8s-nodes.yaml
    "K8S-CLOUD-METADATA-V1": "kubernetes-cluster.yaml",
    "K8S-CNI-L2-SPOOFING": "k8s-audit-2019.yaml",
    "K8S-CNI-NO-NETWORK-POLICIES": "kubernetes-cluster.yaml",
    "K8S-CNI-NO-POLICY-SUPPORT": "k8s-audit-2019.yaml",
    "K8S-CNI-UNENCRYPTED": "kubernetes-cluster.yaml",
    "K8S-COREDNS-CONFIG-WRITABLE": "kubernetes-cluster.yaml",
    "K8S-COREDNS-NO-LIMITS": "case",
    "K8S-KUBE-PROXY-IP-REUSE": "kubernetes-cluster.yaml",
    "K8S-KUBE-PROXY-KUBECONFIG": "kubernetes-cluster.yaml",
    "K8S-KUBE-PROXY-METRICS-EXPOSED": "k8s-audit-2019.yaml",
    "K8S-KUBELET-ANONYMOUS-AUTH": "kubernetes-cluster.yaml",
    "K8S-KUBELET-AUTHZ-ALWAYSALLOW": "kubernetes-cluster.yaml",
    "K8S-KUBELET-CONFIG-FILES": "kubernetes-cluster.yaml",
    "K8S-KUBELET-EVENT-FLOOD": "case",
    "K8S-KUBELET-NO-CERT-ROTATION": "kubernetes-cluster.yaml",
    "K8S-KUBELET-NO-EVICTION": "case",
    "K8S-KUBELET-NO-PROTECT-KERNEL-DEFAULTS": "kubernetes-cluster.yaml",
    "K8S-KUBELET-READ-ONLY-PORT": "kubernetes-cluster.yaml",
    "K8S-KUBELET-UNAUTH-PATH": "case",
    "K8S-NODE-LOGS-LOCAL": "kubernetes-cluster.yaml",
    "K8S-POD-METADATA-ACCESS": "kubernetes-cluster.yaml",
    "K8S-RUNTIME-NOT-SANDBOXED": "kubernetes-cluster.yaml",
    "K8S-RUNTIME-SOCKET-IN-POD": "case",
    # k8s-rbac-secrets.yaml
    "K8S-SA-CLUSTER-ADMIN": "case",
    "K8S-SA-CREATE-PODS": "kubernetes-cluster.yaml",
    "K8S-SA-DEFAULT-ACCOUNT": "kubernetes-cluster.yaml",
    "K8S-SA-READ-SECRETS": "kubernetes-cluster.yaml",
    "K8S-SA-WILDCARD-RULES": "case",
    "K8S-SECRET-AS-ENV": "kubernetes-cluster.yaml",
    "K8S-SECRET-NO-EXTERNAL-STORE": "kubernetes-cluster.yaml",
    "K8S-USER-CLIENT-CERT": "kubernetes-cluster.yaml",
    "K8S-USER-CLOUD-IAM": "online-shop-k8s.yaml",
    "K8S-USER-CLUSTER-ADMIN": "kubernetes-cluster.yaml",
    "K8S-USER-WEAK-AUTH": "kubernetes-cluster.yaml",
    # k8s-workloads.yaml
    "K8S-CONFIGMAP-CREDENTIALS": "case",
    "K8S-INGRESS-NO-RATE-LIMIT": "kubernetes-cluster.yaml",
    "K8S-INGRESS-NO-TLS": "case",
    "K8S-INGRESS-SNIPPETS": "kubernetes-cluster.yaml",
    "K8S-POD-CAP-ADD": "case",
    "K8S-POD-DEFAULT-NAMESPACE": "kubernetes-cluster.yaml",
    "K8S-POD-DEFAULT-SECURITY-CONTEXT": "kubernetes-cluster.yaml",
    "K8S-POD-HOST-NETWORK": "kubernetes-cluster.yaml",
    "K8S-POD-HOST-PID": "kubernetes-cluster.yaml",
    "K8S-POD-HOSTPATH": "kubernetes-cluster.yaml",
    "K8S-POD-IMAGE-NOT-SCANNED": "kubernetes-cluster.yaml",
    "K8S-POD-NO-RESOURCE-LIMITS": "kubernetes-cluster.yaml",
    "K8S-POD-PRIVILEGE-ESCALATION": "kubernetes-cluster.yaml",
    "K8S-POD-PRIVILEGED": "kubernetes-cluster.yaml",
    "K8S-POD-PRIVILEGED-SHARED-NODE": "kubernetes-cluster.yaml",
    "K8S-POD-RUN-AS-ROOT": "kubernetes-cluster.yaml",
    "K8S-POD-SA-TOKEN-AUTOMOUNT": "kubernetes-cluster.yaml",
    "K8S-POD-SECCOMP-UNCONFINED": "kubernetes-cluster.yaml",
    "K8S-POD-SECRETS-IN-ENV": "kubernetes-cluster.yaml",
    "K8S-POD-UNVERIFIED-IMAGE": "kubernetes-cluster.yaml",
    "K8S-POD-WRITABLE-ROOTFS": "kubernetes-cluster.yaml",
    "K8S-PV-HOSTPATH": "case",
    "K8S-PV-NO-BACKUP": "kubernetes-cluster.yaml",
    "K8S-PV-UNENCRYPTED": "kubernetes-cluster.yaml",
    "K8S-SERVICE-EXTERNALLY-EXPOSED": "online-shop-k8s.yaml",
    # k8s-workload-identity.yaml: facts the Kubernetes importer reads from RBAC objects and image
    # tags (tests/importers assert them on the Cilium, ingress-nginx and hand-written manifests)
    "K8S-POD-MUTABLE-IMAGE-TAG": "case",
    "K8S-POD-RBAC-CLUSTER-ADMIN": "case",
    "K8S-POD-RBAC-CREATE-PODS": "case",
    "K8S-POD-RBAC-READ-SECRETS": "case",
    "K8S-POD-RBAC-WILDCARD": "case",
}


@cache
def threats(model: str) -> tuple[Threat, ...]:
    return tuple(derive(load_model(MODELS / model), RULES))


def fired_rules(model: str) -> set[str]:
    out = set()
    for t in threats(model):
        out.add(t.rule)
        out.update(c.partition("@")[0] for c in t.covers)
    return out


def test_every_rule_is_listed_with_where_it_fires() -> None:
    assert sorted(set(FIRES_IN) ^ {r.id for r in RULES}) == []


@pytest.mark.parametrize("rule_id", sorted(FIRES_IN))
def test_rule_fires_where_listed(rule_id: str) -> None:
    where = FIRES_IN[rule_id]
    if where == "case":
        assert rule_id in CASES  # test_rule_library fires it on that minimal model
    else:
        assert rule_id in fired_rules(where), f"{rule_id} does not fire on {where}"


def test_most_rules_fire_on_an_example() -> None:
    on_examples = [r for r, where in FIRES_IN.items() if where != "case"]
    assert len(on_examples) >= 0.75 * len(FIRES_IN)


_REPEATED = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{(name|id|component|boundary|host|source|target|protocol|port)\}")


def _repeated_word(text: str) -> str | None:
    m = _REPEATED.search(text)
    return m.group(0) if m else None


def test_titles_do_not_repeat_a_word_when_an_element_keeps_its_default_name() -> None:
    """New elements are named after their component ("Container", "Pod / workload"): the title
    must not say "Container Container"."""
    bad = []
    for rule in RULES:
        components = rule.components or tuple(CATALOG.components)
        for cid in components:
            name = CATALOG.components[cid].name
            values = {
                "name": name,
                "id": "x",
                "component": name,
                "boundary": "Node",
                "host": "Node",
                "source": name,
                "target": name,
                "protocol": "https",
                "port": "443",
            }
            title = rule.title.format_map(values)
            if (word := _repeated_word(title)) is not None:
                bad.append(f"{rule.id}: {title!r} ({word!r})")
    assert bad == []


@pytest.mark.parametrize("model", sorted(p.name for p in MODELS.glob("*.yaml")))
def test_example_titles_read_as_sentences(model: str) -> None:
    bad = []
    for t in threats(model):
        if _PLACEHOLDER.search(t.title) or _PLACEHOLDER.search(t.description):
            bad.append(f"{t.id}: placeholder left in {t.title!r}")
        if t.source == "rule" and (word := _repeated_word(t.title)) is not None:
            bad.append(f"{t.id}: {t.title!r} repeats {word!r}")
    assert bad == []


def test_mitigations_and_references_hold_no_placeholders() -> None:
    """Rule mitigations and references are printed as written (only titles and descriptions
    are filled in), so a ``{name}`` there would reach the report as it is."""
    placeholder = re.compile(r"\{\w+\}")
    for rule in RULES:
        for text in (*rule.mitigations, *rule.references):
            assert not placeholder.search(text), (rule.id, text)
