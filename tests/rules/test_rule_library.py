"""The built-in rule library: every file loads, references are well formed and true to the bench
tools' check titles, evidence regexes match real checks, and every rule fires on a minimal model
and stays silent when its condition is false (one table row per rule)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from stride_desktop.io import loads_model
from stride_desktop.model import Model
from stride_desktop.rules import derive, load_rules, threats_by_id

REPO = Path(__file__).resolve().parents[2]
RULES_DIR = REPO / "resources" / "rules"
BENCH = REPO / "tests" / "fixtures" / "bench"
RULES = load_rules()
SUFFIX = re.compile(r"\s*\((Automated|Manual|Scored|Not Scored)\)\s*$")


# -- the files ------------------------------------------------------------------------------
def test_library_is_large_and_split_by_area() -> None:
    files = sorted(p.name for p in RULES_DIR.glob("*.yaml") if not p.name.startswith("_"))
    assert len(files) >= 8
    library = [r for r in RULES if not Path(r.file).name.startswith("_")]
    assert len(library) >= 60
    assert sum(r.id.startswith("DOCKER-") for r in library) >= 30
    assert sum(r.id.startswith("K8S-") for r in library) >= 30


def test_every_rule_is_complete() -> None:
    for rule in RULES:
        assert rule.mitigations, rule.id
        assert rule.references, rule.id
        assert len(rule.description) > 60, rule.id
        assert rule.target == "flow" or rule.components, rule.id


def test_rule_ids_are_unique_across_files() -> None:
    seen: dict[str, str] = {}
    for path in sorted(RULES_DIR.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text())["rules"]:
            assert raw["id"] not in seen, f"{raw['id']} in {path.name} and {seen.get(raw['id'])}"
            seen[raw["id"]] = path.name


# -- evidence (every CIS version of the fixtures: test_evidence_versions.py) ------------------
def test_evidence_is_by_meaning_so_renumbering_does_not_break_it() -> None:
    memory = RULES.get("DOCKER-CONTAINER-NO-MEMORY-LIMIT")
    assert memory is not None
    # 5.10 in docker-bench-security <= 1.6.0, 5.11 from 1.6.1: the same title matches both
    assert any(
        s.title.search("Ensure that the memory usage for containers is limited")
        for s in memory.evidence
    )
    anonymous = RULES.get("K8S-KUBELET-ANONYMOUS-AUTH")
    assert anonymous is not None and {s.component for s in anonymous.evidence} == {"kubelet"}


# -- firing: one minimal model per rule -------------------------------------------------------
@dataclass
class Case:
    on: dict[str, Any]  # model data (elements, flows, boundaries) in which the rule fires
    off: dict[str, Any]  # the same with the condition false
    target: str = "t"


def _model(data: dict[str, Any]) -> Model:
    text = yaml.safe_dump(
        {
            "stride_model": 1,
            "name": "case",
            "boundaries": data.get("boundaries", []),
            "elements": data["elements"],
            "flows": data.get("flows", []),
        }
    )
    return loads_model(text, source="case")


def el(id: str, component: str, boundary: str | None = None, **props: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": id, "component": component, "properties": props}
    if boundary:
        out["boundary"] = boundary
    return out


def fl(id: str, source: str, target: str, **fields: Any) -> dict[str, Any]:
    return {"id": id, "source": source, "target": target, **fields}


def bd(id: str, kind: str, trust: int = 2) -> dict[str, Any]:
    return {"id": id, "kind": kind, "trust": trust}


def prop(component: str, on: dict[str, Any], off: dict[str, Any]) -> Case:
    """The target element alone, with the properties that trigger the rule and ones that do not."""
    return Case({"elements": [el("t", component, **on)]}, {"elements": [el("t", component, **off)]})


def flow(src: dict[str, Any], dst: dict[str, Any], on: dict[str, Any], off: dict[str, Any]) -> Case:
    src, dst = {**src, "id": "a"}, {**dst, "id": "b"}
    return Case(
        {"elements": [src, dst], "flows": [fl("t", "a", "b", **on)]},
        {"elements": [src, dst], "flows": [fl("t", "a", "b", **off)]},
    )


def graph(
    elements: list[dict[str, Any]],
    on_flows: list[dict[str, Any]],
    off_flows: list[dict[str, Any]],
    boundaries: list[dict[str, Any]] = (),
) -> Case:
    b = list(boundaries)
    return Case(
        {"elements": elements, "flows": on_flows, "boundaries": b},
        {"elements": elements, "flows": off_flows, "boundaries": b},
    )


def neighbours(
    kind: str, target: dict[str, Any], other_on: dict[str, Any], other_off: dict[str, Any]
) -> Case:
    """Target and another element in one boundary of ``kind``; the other element decides."""
    return Case(
        {"boundaries": [bd("h", kind)], "elements": [target, other_on]},
        {"boundaries": [bd("h", kind)], "elements": [target, other_off]},
    )


EXT = el("x", "generic.external_entity")
CONTAINER, POD, DAEMON = "docker.container", "k8s.pod", "docker.daemon"
OPEN = {"encrypted": False, "authenticated": "none"}

CASES: dict[str, Case] = {
    # docker-daemon.yaml
    "DOCKER-DAEMON-TCP-NO-TLS": prop(
        DAEMON, {"tcp_listen": True}, {"tcp_listen": True, "tls_verify": True}
    ),
    "DOCKER-SOCKET-TCP-NO-TLS": prop("docker.socket", {"transport": "tcp"}, {"transport": "unix"}),
    "DOCKER-API-FLOW-CLEARTEXT": flow(
        el("", "docker.client"),
        el("", DAEMON),
        {"protocol": "http", "port": 2375, "encrypted": False},
        {"protocol": "https", "port": 2376, "encrypted": True},
    ),
    "DOCKER-API-UNAUTH-PATH": graph(
        [EXT, el("c", "docker.client"), el("t", DAEMON)],
        [fl("f1", "x", "c", **OPEN), fl("f2", "c", "t", **OPEN)],
        [fl("f1", "x", "c", **OPEN), fl("f2", "c", "t", authenticated="mtls")],
    ),
    "DOCKER-SOCKET-PERMISSIONS": prop("docker.socket", {"permissions_restricted": False}, {}),
    "DOCKER-HOST-DOCKER-GROUP": prop("docker.host", {}, {"docker_group_restricted": True}),
    "DOCKER-DAEMON-NO-USERNS": prop(DAEMON, {}, {"userns_remap": True}),
    "DOCKER-DAEMON-NO-AUTHZ": prop(DAEMON, {}, {"authorization_plugin": True}),
    "DOCKER-DAEMON-NO-AUDIT": prop(DAEMON, {}, {"audit_rules": True}),
    "DOCKER-HOST-NO-AUDITD": prop("docker.host", {}, {"auditd": True}),
    "DOCKER-DAEMON-NO-REMOTE-LOGGING": prop(DAEMON, {}, {"remote_logging": True}),
    "DOCKER-DAEMON-INSECURE-REGISTRIES": prop(DAEMON, {"insecure_registries": True}, {}),
    "DOCKER-DAEMON-NO-LIVE-RESTORE": prop(DAEMON, {}, {"live_restore": True}),
    "DOCKER-DAEMON-EXPERIMENTAL": prop(DAEMON, {"experimental": True}, {}),
    "DOCKER-HOST-NOT-HARDENED": prop("docker.host", {}, {"hardened": True}),
    "DOCKER-HOST-NO-SEPARATE-PARTITION": prop("docker.host", {}, {"separate_partition": True}),
    "DOCKER-HOST-KERNEL-UNPATCHED": prop("docker.host", {"kernel_patched": False}, {}),
    "DOCKER-RUNC-UNPATCHED": prop("docker.runc", {"version_patched": False}, {}),
    "DOCKER-CONTAINERD-SOCKET-PERMISSIONS": prop(
        "docker.containerd", {"socket_permissions_restricted": False}, {}
    ),
    "DOCKER-CLIENT-NO-CONTENT-TRUST": prop("docker.client", {}, {"content_trust": True}),
    # docker-containers.yaml
    "DOCKER-CONTAINER-PRIVILEGED": prop(CONTAINER, {"privileged": True}, {}),
    "DOCKER-CONTAINER-PRIVILEGED-SHARED-HOST": Case(
        {
            "boundaries": [bd("h", "host")],
            "elements": [el("t", CONTAINER, "h", privileged=True), el("o", CONTAINER, "h")],
        },
        {
            "boundaries": [bd("h", "host"), bd("h2", "host")],
            "elements": [el("t", CONTAINER, "h", privileged=True), el("o", CONTAINER, "h2")],
        },
    ),
    "DOCKER-CONTAINER-CAP-ADD": prop(CONTAINER, {"cap_add": ["SYS_ADMIN"]}, {"cap_add": []}),
    "DOCKER-CONTAINER-DOCKER-SOCKET": prop(CONTAINER, {"mounts_docker_socket": True}, {}),
    "DOCKER-CONTAINER-HOST-NETWORK": prop(CONTAINER, {"host_network": True}, {}),
    "DOCKER-CONTAINER-HOST-PID": prop(CONTAINER, {"host_pid": True}, {}),
    "DOCKER-CONTAINER-HOST-IPC": prop(CONTAINER, {"host_ipc": True}, {}),
    # one hardened setting each, so that DOCKER-CONTAINER-NOT-HARDENED does not fold them
    "DOCKER-CONTAINER-NOT-HARDENED": prop(CONTAINER, {}, {"user": "1000"}),
    "DOCKER-CONTAINER-ROOT-USER": prop(
        CONTAINER,
        {"user": "0", "read_only_rootfs": True},
        {"user": "1000:1000", "read_only_rootfs": True},
    ),
    "DOCKER-CONTAINER-SENSITIVE-MOUNTS": prop(CONTAINER, {"sensitive_mounts": True}, {}),
    "DOCKER-CONTAINER-NO-MEMORY-LIMIT": prop(CONTAINER, {}, {"memory_limit": "512m"}),
    "DOCKER-CONTAINER-NO-CPU-LIMIT": prop(CONTAINER, {}, {"cpu_limit": "1.5"}),
    "DOCKER-CONTAINER-NO-PIDS-LIMIT": prop(CONTAINER, {"pids_limit": 0}, {"pids_limit": 100}),
    "DOCKER-CONTAINER-WRITABLE-ROOTFS": prop(
        CONTAINER, {"user": "1000"}, {"user": "1000", "read_only_rootfs": True}
    ),
    "DOCKER-CONTAINER-NEW-PRIVILEGES": neighbours(
        "host",
        el("t", CONTAINER, "h", user="1000"),
        el("d", DAEMON, "h"),
        el("d", DAEMON, "h", no_new_privileges=True),
    ),
    "DOCKER-CONTAINER-SECCOMP-UNCONFINED": prop(CONTAINER, {"seccomp_profile": "unconfined"}, {}),
    "DOCKER-CONTAINER-APPARMOR-UNCONFINED": prop(CONTAINER, {"apparmor_profile": "unconfined"}, {}),
    "DOCKER-CONTAINER-SECRETS-IN-ENV": prop(CONTAINER, {"secrets_in_env": True}, {}),
    "DOCKER-CONTAINER-RESTART-ALWAYS": prop(
        CONTAINER, {"restart_policy": "always"}, {"restart_policy": "on-failure"}
    ),
    "DOCKER-CONTAINER-NO-HEALTHCHECK": prop(CONTAINER, {}, {"healthcheck": True}),
    "DOCKER-CONTAINER-PORTS-ALL-INTERFACES": prop(
        CONTAINER, {"published_ports": ["0.0.0.0:80:80"]}, {}
    ),
    "DOCKER-CONTAINER-DEFAULT-BRIDGE": prop(CONTAINER, {}, {"network": "shop_backend"}),
    # docker-images.yaml
    "DOCKER-IMAGE-UNSIGNED": prop("docker.image", {}, {"signed": True}),
    "DOCKER-IMAGE-UNTRUSTED-BASE": prop("docker.image", {}, {"trusted_base": True}),
    "DOCKER-IMAGE-NOT-SCANNED": prop("docker.image", {}, {"scanned": True}),
    "DOCKER-IMAGE-SECRETS-IN-LAYERS": prop("docker.image", {"secrets_in_layers": True}, {}),
    "DOCKER-IMAGE-ROOT-USER": prop("docker.image", {}, {"user_defined": True}),
    "DOCKER-BUILD-UNREVIEWED": prop("docker.build_context", {}, {"reviewed": True}),
    "DOCKER-BUILD-NO-PROVENANCE": prop("docker.build_context", {}, {"provenance": True}),
    "DOCKER-BUILD-SECRETS-IN-DOCKERFILE": prop(
        "docker.build_context", {"secrets_in_dockerfile": True}, {}
    ),
    "DOCKER-BUILD-NO-DOCKERIGNORE": prop("docker.build_context", {}, {"dockerignore": True}),
    "DOCKER-BUILD-UNPINNED-BASE": prop("docker.build_context", {}, {"pinned_base_image": True}),
    "DOCKER-BUILD-ADD-REMOTE": prop("docker.build_context", {"uses_add_remote": True}, {}),
    "DOCKER-COMPOSE-INLINE-SECRETS": prop("docker.compose_project", {"secrets_inline": True}, {}),
    "DOCKER-COMPOSE-UNREVIEWED": prop("docker.compose_project", {}, {"reviewed": True}),
    "DOCKER-SECRET-IN-REPOSITORY": prop("docker.secret", {"in_repository": True}, {}),
    "DOCKER-SECRET-FROM-ENVIRONMENT": prop(
        "docker.secret", {"source": "environment"}, {"source": "file"}
    ),
    # docker-registry-network.yaml
    "DOCKER-REGISTRY-NO-TLS": prop("docker.registry", {"tls": False}, {}),
    "DOCKER-REGISTRY-NO-AUTH": prop("docker.registry", {"authentication": False}, {}),
    "DOCKER-REGISTRY-PUBLIC-SOURCE": graph(
        [el("t", "docker.registry", public=True), el("d", DAEMON)],
        [fl("f", "t", "d", encrypted=True)],
        [],
    ),
    "DOCKER-REGISTRY-PULL-CLEARTEXT": flow(
        el("", "docker.registry"), el("", DAEMON), {"encrypted": False}, {"encrypted": True}
    ),
    "DOCKER-DAEMON-ICC": prop(DAEMON, {}, {"icc": False}),
    "DOCKER-NETWORK-OVERLAY-UNENCRYPTED": prop(
        "docker.network", {"driver": "overlay"}, {"driver": "overlay", "encrypted": True}
    ),
    "DOCKER-SWARM-NO-AUTOLOCK": prop("docker.swarm_manager", {}, {"autolock": True}),
    "DOCKER-VOLUME-SHARED": prop("docker.volume", {"shared": True}, {}),
    "DOCKER-VOLUME-HOST-BIND": prop("docker.volume", {"bind_mount": True}, {}),
    # k8s-control-plane.yaml
    "K8S-APISERVER-ANONYMOUS-AUTH": prop("k8s.apiserver", {}, {"anonymous_auth": False}),
    "K8S-APISERVER-STATIC-TOKENS": prop("k8s.apiserver", {"static_token_file": True}, {}),
    "K8S-APISERVER-NO-TLS": prop("k8s.apiserver", {"tls": False}, {}),
    "K8S-API-CLIENT-WEAK-AUTH": flow(
        el("", "k8s.pod"),
        el("", "k8s.apiserver"),
        {"authenticated": "none"},
        {"authenticated": "token"},
    ),
    "K8S-API-FLOW-CLEARTEXT": flow(
        el("", "k8s.apiserver"), el("", "k8s.etcd"), {"encrypted": False}, {"encrypted": True}
    ),
    "K8S-APISERVER-AUTHZ-ALWAYSALLOW": prop(
        "k8s.apiserver", {"authorization_mode": "AlwaysAllow"}, {}
    ),
    "K8S-APISERVER-NO-AUDIT": prop("k8s.apiserver", {}, {"audit_log": True}),
    "K8S-APISERVER-NO-ADMISSION-POLICY": prop(
        "k8s.apiserver", {}, {"admission_plugins_hardened": True}
    ),
    "K8S-APISERVER-NO-RATE-LIMIT": prop("k8s.apiserver", {}, {"rate_limiting": True}),
    "K8S-PROFILING-ENABLED": prop("k8s.scheduler", {}, {"profiling": False}),
    "K8S-CONTROLLER-BIND-ADDRESS": prop("k8s.controller_manager", {"bind_localhost": False}, {}),
    "K8S-CONTROLLER-SHARED-CREDENTIALS": prop(
        "k8s.controller_manager", {}, {"use_service_account_credentials": True}
    ),
    "K8S-KUBELET-SERVING-CERT-ROTATION": prop(
        "k8s.controller_manager", {"rotate_kubelet_server_certificate": False}, {}
    ),
    "K8S-CCM-BROAD-CLOUD-CREDENTIALS": prop(
        "k8s.cloud_controller_manager", {}, {"least_privilege_credentials": True}
    ),
    "K8S-WEBHOOK-FAIL-OPEN": prop(
        "k8s.admission_webhook", {"failure_policy": "Ignore"}, {"failure_policy": "Fail"}
    ),
    "K8S-WEBHOOK-NO-TLS": prop("k8s.admission_webhook", {"tls": False}, {}),
    "K8S-WEBHOOK-MUTATING": prop("k8s.admission_webhook", {"mutating": True}, {}),
    "K8S-DASHBOARD-EXPOSED": prop("k8s.dashboard", {"exposed_to_internet": True}, {}),
    "K8S-DASHBOARD-SKIP-LOGIN": prop("k8s.dashboard", {"skip_login": True}, {}),
    "K8S-DASHBOARD-CLUSTER-ADMIN": prop("k8s.dashboard", {"cluster_admin": True}, {}),
    # k8s-etcd.yaml
    "K8S-ETCD-NO-CLIENT-CERT-AUTH": prop("k8s.etcd", {}, {"client_cert_auth": True}),
    "K8S-ETCD-NO-TLS": prop("k8s.etcd", {}, {"tls": True}),
    "K8S-ETCD-NO-PEER-TLS": prop("k8s.etcd", {}, {"peer_tls": True}),
    "K8S-ETCD-FILES-WRITABLE": prop("k8s.etcd", {}, {"files_restricted": True}),
    "K8S-ETCD-DIRECT-ACCESS": graph(
        [el("p", POD), el("t", "k8s.etcd", network_isolated=True)],
        [fl("f", "p", "t", encrypted=True, authenticated="mtls")],
        [],
    ),
    "K8S-ETCD-UNAUTH-PATH": graph(
        [EXT, el("t", "k8s.etcd")],
        [fl("f", "x", "t", **OPEN)],
        [fl("f", "x", "t", encrypted=True, authenticated="mtls")],
    ),
    "K8S-ETCD-SECRETS-PLAINTEXT": Case(
        {"elements": [el("a", "k8s.apiserver"), el("t", "k8s.etcd")], "flows": [fl("f", "a", "t")]},
        {
            "elements": [el("a", "k8s.apiserver", encryption_at_rest=True), el("t", "k8s.etcd")],
            "flows": [fl("f", "a", "t")],
        },
    ),
    "K8S-ETCD-BACKUPS-UNENCRYPTED": prop("k8s.etcd", {}, {"backups_encrypted": True}),
    # k8s-nodes.yaml
    "K8S-KUBELET-ANONYMOUS-AUTH": prop(
        "k8s.kubelet",
        {"anonymous_auth": False},  # no client CA: cannot authenticate callers by certificate
        {"anonymous_auth": False, "client_ca_file": True},
    ),
    "K8S-KUBELET-AUTHZ-ALWAYSALLOW": prop("k8s.kubelet", {}, {"authorization_mode": "Webhook"}),
    "K8S-KUBELET-READ-ONLY-PORT": prop(
        "k8s.kubelet", {"read_only_port": 10255}, {"read_only_port": 0}
    ),
    "K8S-KUBELET-NO-PROTECT-KERNEL-DEFAULTS": prop(
        "k8s.kubelet", {}, {"protect_kernel_defaults": True}
    ),
    "K8S-KUBELET-NO-EVICTION": prop("k8s.kubelet", {"eviction_thresholds": False}, {}),
    "K8S-KUBELET-EVENT-FLOOD": prop("k8s.kubelet", {"event_qps_limited": False}, {}),
    "K8S-KUBELET-NO-CERT-ROTATION": prop("k8s.kubelet", {}, {"rotate_certificates": True}),
    "K8S-KUBELET-UNAUTH-PATH": graph(
        [EXT, el("t", "k8s.kubelet")],
        [fl("f", "x", "t", **OPEN)],
        [fl("f", "x", "t", encrypted=True, authenticated="mtls")],
    ),
    "K8S-KUBE-PROXY-KUBECONFIG": prop("k8s.kube_proxy", {}, {"kubeconfig_restricted": True}),
    "K8S-KUBE-PROXY-METRICS-EXPOSED": prop("k8s.kube_proxy", {"metrics_bind_localhost": False}, {}),
    "K8S-RUNTIME-SOCKET-IN-POD": prop(
        "k8s.container_runtime", {"socket_mounted_in_pods": True}, {}
    ),
    "K8S-RUNTIME-NOT-SANDBOXED": Case(
        {
            "boundaries": [bd("h", "node")],
            "elements": [EXT, el("t", "k8s.container_runtime", "h"), el("p", POD, "h")],
            "flows": [fl("f", "x", "p")],
        },
        {
            "boundaries": [bd("h", "node")],
            "elements": [
                EXT,
                el("t", "k8s.container_runtime", "h", runtime_class_sandboxed=True),
                el("p", POD, "h"),
            ],
            "flows": [fl("f", "x", "p")],
        },
    ),
    "K8S-CNI-NO-NETWORK-POLICIES": prop("k8s.cni", {}, {"network_policies": True}),
    "K8S-CNI-NO-POLICY-SUPPORT": prop("k8s.cni", {"supports_policies": False}, {}),
    "K8S-CNI-UNENCRYPTED": Case(
        {"elements": [el("t", "k8s.cni"), el("k", "k8s.kubelet")]},
        {"elements": [el("t", "k8s.cni", encrypted=True), el("k", "k8s.kubelet")]},
    ),
    "K8S-COREDNS-NO-LIMITS": prop("k8s.coredns", {"resource_limits": False}, {}),
    "K8S-POD-METADATA-ACCESS": Case(
        {"elements": [el("t", POD), el("c", "k8s.cloud_api")], "flows": [fl("f", "t", "c")]},
        {
            "elements": [el("t", POD, metadata_access_blocked=True), el("c", "k8s.cloud_api")],
            "flows": [fl("f", "t", "c")],
        },
    ),
    "K8S-CLOUD-METADATA-V1": prop("k8s.cloud_api", {}, {"metadata_v2_required": True}),
    # k8s-rbac-secrets.yaml
    "K8S-SA-CLUSTER-ADMIN": prop("k8s.service_account", {"cluster_admin": True}, {}),
    "K8S-SA-WILDCARD-RULES": prop("k8s.service_account", {"wildcard_rules": True}, {}),
    "K8S-SA-READ-SECRETS": prop("k8s.service_account", {"can_read_secrets": True}, {}),
    "K8S-SA-CREATE-PODS": prop("k8s.service_account", {"can_create_pods": True}, {}),
    "K8S-SA-DEFAULT-ACCOUNT": prop("k8s.service_account", {"default_account": True}, {}),
    "K8S-USER-CLUSTER-ADMIN": prop("k8s.user", {"cluster_admin": True}, {}),
    "K8S-USER-WEAK-AUTH": prop("k8s.user", {"auth_method": "token"}, {"auth_method": "oidc"}),
    "K8S-USER-CLIENT-CERT": prop(
        "k8s.user", {"auth_method": "client_cert"}, {"auth_method": "oidc"}
    ),
    "K8S-SECRET-AS-ENV": prop("k8s.secret", {"mounted_as_env": True}, {}),
    "K8S-SECRET-NO-EXTERNAL-STORE": prop("k8s.secret", {}, {"external_store": True}),
    # k8s-workloads.yaml
    "K8S-POD-PRIVILEGED": prop(POD, {"privileged": True}, {}),
    "K8S-POD-PRIVILEGED-SHARED-NODE": neighbours(
        "node", el("t", POD, "h", privileged=True), el("o", POD, "h"), el("o", "k8s.kubelet", "h")
    ),
    "K8S-POD-HOSTPATH": prop(POD, {"host_path": True}, {}),
    "K8S-POD-HOST-NETWORK": prop(POD, {"host_network": True}, {}),
    "K8S-POD-HOST-PID": prop(POD, {"host_pid": True}, {}),
    "K8S-POD-SA-TOKEN-AUTOMOUNT": prop(POD, {}, {"service_account_token": False}),
    # one hardened field each, so that K8S-POD-DEFAULT-SECURITY-CONTEXT does not fold them
    "K8S-POD-DEFAULT-SECURITY-CONTEXT": prop(POD, {}, {"run_as_non_root": True}),
    "K8S-POD-RUN-AS-ROOT": prop(
        POD, {"read_only_rootfs": True}, {"read_only_rootfs": True, "run_as_non_root": True}
    ),
    "K8S-POD-PRIVILEGE-ESCALATION": prop(
        POD,
        {"read_only_rootfs": True},
        {"read_only_rootfs": True, "allow_privilege_escalation": False},
    ),
    "K8S-POD-SECCOMP-UNCONFINED": prop(
        POD,
        {"read_only_rootfs": True},
        {"read_only_rootfs": True, "seccomp_profile": "RuntimeDefault"},
    ),
    "K8S-POD-NO-RESOURCE-LIMITS": prop(POD, {}, {"resource_limits": True}),
    "K8S-POD-WRITABLE-ROOTFS": prop(
        POD, {"run_as_non_root": True}, {"run_as_non_root": True, "read_only_rootfs": True}
    ),
    "K8S-POD-CAP-ADD": prop(POD, {"cap_add": ["NET_ADMIN"]}, {}),
    "K8S-POD-SECRETS-IN-ENV": prop(POD, {"secrets_in_env": True}, {}),
    "K8S-POD-UNVERIFIED-IMAGE": prop(POD, {}, {"image_signed": True}),
    "K8S-POD-DEFAULT-NAMESPACE": prop(POD, {}, {"namespace": "shop"}),
    "K8S-SERVICE-EXTERNALLY-EXPOSED": prop(
        "k8s.service", {"type": "LoadBalancer"}, {"type": "ClusterIP"}
    ),
    "K8S-INGRESS-NO-TLS": prop("k8s.ingress", {}, {"tls": True}),
    "K8S-INGRESS-NO-RATE-LIMIT": prop("k8s.ingress", {}, {"rate_limiting": True}),
    "K8S-INGRESS-SNIPPETS": prop("k8s.ingress", {"snippets_allowed": True}, {}),
    "K8S-CONFIGMAP-CREDENTIALS": prop("k8s.configmap", {"contains_secrets": True}, {}),
    "K8S-PV-HOSTPATH": prop("k8s.persistent_volume", {"host_path": True}, {}),
    "K8S-PV-UNENCRYPTED": prop("k8s.persistent_volume", {}, {"encrypted": True}),
    # k8s-control-plane.yaml (additions)
    "K8S-TLS-WEAK-CIPHERS": prop("k8s.kubelet", {}, {"strong_ciphers": True}),
    "K8S-CONTROL-PLANE-NO-MTLS": flow(
        el("", "k8s.scheduler"),
        el("", "k8s.apiserver"),
        {"encrypted": True, "authenticated": "token"},
        {"encrypted": True, "authenticated": "mtls"},
    ),
    "K8S-COMPONENT-ACCEPTS-HTTP": graph(
        [el("a", "k8s.apiserver"), el("t", "k8s.scheduler")],
        [fl("f", "a", "t", protocol="http", port=10251)],
        [fl("f", "a", "t", protocol="https", port=10259, encrypted=True)],
    ),
    "K8S-SCHEDULER-NO-QUOTAS": graph(
        [el("a", "k8s.apiserver"), el("t", "k8s.scheduler")],
        [fl("f", "t", "a")],
        [],
    ),
    "K8S-CONTROLLER-CREDENTIALS-IN-ENV": prop(
        "k8s.cloud_controller_manager", {"credentials_in_env": True}, {}
    ),
    "K8S-UNSUPPORTED-VERSION": prop("k8s.kubelet", {"version": "1.33.4"}, {"version": "1.36.1"}),
    # k8s-nodes.yaml (additions)
    "K8S-KUBELET-CONFIG-FILES": prop("k8s.kubelet", {"config_files_restricted": False}, {}),
    "K8S-NODE-LOGS-LOCAL": prop("k8s.kubelet", {}, {"remote_logging": True}),
    "K8S-KUBE-PROXY-IP-REUSE": graph(
        [el("t", "k8s.kube_proxy"), el("a", POD), el("b", POD)],
        [fl("f", "a", "b", **OPEN)],
        [fl("f", "a", "b", encrypted=True, authenticated="mtls")],
    ),
    "K8S-CNI-L2-SPOOFING": prop("k8s.cni", {"l2_bridge": True}, {}),
    "K8S-COREDNS-CONFIG-WRITABLE": prop("k8s.coredns", {"config_write_restricted": False}, {}),
    # k8s-rbac-secrets.yaml, k8s-workloads.yaml (additions)
    "K8S-USER-CLOUD-IAM": prop("k8s.user", {"auth_method": "cloud_iam"}, {"auth_method": "oidc"}),
    "K8S-POD-IMAGE-NOT-SCANNED": graph(
        [EXT, el("t", POD)], [fl("f", "x", "t")], [fl("f", "t", "x")]
    ),
    "K8S-PV-NO-BACKUP": prop("k8s.persistent_volume", {}, {"backed_up": True}),
    "CONTAINER-SSH-SERVER": prop(POD, {"sshd": True}, {}),
    # k8s-boundaries.yaml
    "K8S-NAMESPACE-NO-NETWORK-POLICY": Case(
        {"boundaries": [bd("t", "namespace")], "elements": [el("p", POD, "t")]},
        {
            "boundaries": [bd("t", "namespace")],
            "elements": [el("p", POD, "t", network_policy=True)],
        },
    ),
    "K8S-NODE-MIXED-TENANTS": Case(
        {
            "boundaries": [bd("t", "node")],
            "elements": [EXT, el("a", POD, "t", namespace="shop"), el("b", POD, "t")],
            "flows": [fl("f", "x", "a")],
        },
        {
            "boundaries": [bd("t", "node")],
            "elements": [EXT, el("a", POD, "t"), el("b", POD, "t")],
            "flows": [fl("f", "x", "a")],
        },
    ),
    "K8S-CONTROL-PLANE-EXPOSED": Case(
        {
            "boundaries": [bd("t", "node", 4)],
            "elements": [el("a", "k8s.apiserver", "t", publicly_exposed=True)],
        },
        {"boundaries": [bd("t", "node", 4)], "elements": [el("a", "k8s.apiserver", "t")]},
    ),
    "K8S-APISERVER-PUBLIC-ENDPOINT": prop("k8s.apiserver", {"publicly_exposed": True}, {}),
    # k8s-workload-identity.yaml: facts the importers read from RBAC objects and image tags
    "K8S-POD-RBAC-CLUSTER-ADMIN": prop(POD, {"rbac_cluster_admin": True}, {}),
    "K8S-POD-RBAC-WILDCARD": prop(POD, {"rbac_wildcard": True}, {}),
    "K8S-POD-RBAC-READ-SECRETS": prop(POD, {"rbac_read_secrets": True}, {}),
    "K8S-POD-RBAC-CREATE-PODS": prop(POD, {"rbac_create_pods": True}, {}),
    "K8S-POD-MUTABLE-IMAGE-TAG": prop(POD, {"image_mutable_tag": True}, {}),
}

LIBRARY_IDS = sorted(r.id for r in RULES if not Path(r.file).name.startswith("_"))


def _fired(rule_id: str, data: dict[str, Any], target: str) -> bool:
    # listed, or folded into the root-cause threat that carries it
    return f"{rule_id}@{target}" in threats_by_id(derive(_model(data), RULES))


def test_every_rule_has_a_case() -> None:
    assert sorted(set(LIBRARY_IDS) - set(CASES)) == []
    assert sorted(set(CASES) - set(LIBRARY_IDS)) == []


@pytest.mark.parametrize("rule_id", LIBRARY_IDS)
def test_rule_fires_when_its_condition_holds(rule_id: str) -> None:
    case = CASES[rule_id]
    assert _fired(rule_id, case.on, case.target), f"{rule_id} did not fire on {case.on}"


@pytest.mark.parametrize("rule_id", LIBRARY_IDS)
def test_rule_is_silent_when_its_condition_is_false(rule_id: str) -> None:
    case = CASES[rule_id]
    assert not _fired(rule_id, case.off, case.target), f"{rule_id} fired on {case.off}"


def test_rule_threat_carries_the_rule_text_for_its_target() -> None:
    threats = derive(_model(CASES["DOCKER-CONTAINER-PRIVILEGED"].on), RULES)
    threat = next(t for t in threats if t.rule == "DOCKER-CONTAINER-PRIVILEGED")
    assert threat.source == "rule" and threat.category == "Elevation of Privilege"
    assert "{name}" not in threat.title and "{name}" not in threat.description
    assert "CIS Docker 5.4: Ensure that privileged containers are not used" in threat.references


# -- a few conditions worth a second look ---------------------------------------------------
def test_daemon_tcp_threat_moves_to_a_drawn_tcp_endpoint() -> None:
    data = {
        "elements": [el("s", "docker.socket", transport="tcp"), el("t", DAEMON, tcp_listen=True)],
        "flows": [fl("f", "s", "t")],
    }
    ids = {t.id for t in derive(_model(data), RULES)}
    assert "DOCKER-SOCKET-TCP-NO-TLS@s" in ids and "DOCKER-DAEMON-TCP-NO-TLS@t" not in ids


def test_api_cleartext_rule_ignores_unix_socket_and_registry_pulls() -> None:
    unix = flow(el("", CONTAINER), el("", "docker.socket"), {"protocol": "unix"}, {}).on
    pull = flow(
        el("", "docker.registry"), el("", DAEMON), {"protocol": "http", "port": 5000}, {}
    ).on
    assert not _fired("DOCKER-API-FLOW-CLEARTEXT", unix, "t")
    assert not _fired("DOCKER-API-FLOW-CLEARTEXT", pull, "t")


def test_etcd_direct_access_also_fires_when_not_isolated() -> None:
    data = {"elements": [el("t", "k8s.etcd", network_isolated=False)]}
    assert _fired("K8S-ETCD-DIRECT-ACCESS", data, "t")
    isolated = {
        "elements": [el("a", "k8s.apiserver"), el("t", "k8s.etcd", network_isolated=True)],
        "flows": [fl("f", "a", "t")],
    }
    assert not _fired("K8S-ETCD-DIRECT-ACCESS", isolated, "t")


def test_container_new_privileges_silent_when_set_on_the_container() -> None:
    assert not _fired(
        "DOCKER-CONTAINER-NEW-PRIVILEGES",
        {"elements": [el("t", CONTAINER, no_new_privileges=True)]},
        "t",
    )


def test_pod_metadata_access_also_fires_inside_a_cloud_boundary() -> None:
    data = {"boundaries": [bd("c", "cloud", 1)], "elements": [el("t", POD, "c")]}
    assert _fired("K8S-POD-METADATA-ACCESS", data, "t")
    assert not _fired("K8S-POD-METADATA-ACCESS", {"elements": [el("t", POD)]}, "t")
