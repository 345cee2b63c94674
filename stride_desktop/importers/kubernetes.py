"""Kubernetes manifests -> a data-flow diagram of the cluster they describe.

Workloads (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicaSets, Pods) become pod
elements inside their namespace's boundary, with the risky settings of their pod template and
the RBAC powers of their service account as properties. Services connect to the workloads
their selector matches; LoadBalancer and NodePort Services, and Ingresses, are reached by users
from the internet. ConfigMaps, Secrets and claims the pods use become stores they read or write.
Workloads reach Services named in their environment (or in the ConfigMap keys they load, or
their arguments), unless a NetworkPolicy forbids it. References to nothing are notices.
"""

from __future__ import annotations

from pathlib import Path

from .builder import ModelBuilder
from .compose_props import DATA_PROTOCOLS, SECRET_WORDS
from .errors import ImporterError, Notices
from .hosts import HostRef, host_refs, is_host_key, looks_internal, sibling_port
from .k8s_context import CLUSTER, INTERNET, USERS, Workload, port_style
from .k8s_objects import WORKLOAD_KINDS, collect
from .k8s_pods import analyze_pod
from .k8s_rbac import Rbac
from .k8s_services import ServicesMixin
from .sources import parse_documents, read_text

KIND_PREFIX = {
    "Deployment": "deploy",
    "StatefulSet": "sts",
    "DaemonSet": "ds",
    "Job": "job",
    "CronJob": "cronjob",
    "ReplicaSet": "rs",
    "ReplicationController": "rc",
    "Pod": "pod",
    "DeploymentConfig": "dc",
}
PREFIXES = (
    *(f"{p}." for p in KIND_PREFIX.values()),
    "svc.",
    "ing.",
    "cm.",
    "secret.",
    "pvc.",
    "ns.",
    "f.",
    "k8s.",
    INTERNET,
    CLUSTER,
    USERS,
)
POD_MANAGED = frozenset(
    {
        "namespace",
        "image",
        "privileged",
        "host_path",
        "host_network",
        "host_pid",
        "service_account_token",
        "run_as_non_root",
        "allow_privilege_escalation",
        "read_only_rootfs",
        "resource_limits",
        "cap_add",
        "seccomp_profile",
        "secrets_in_env",
        "exposed_to_internet",
        "workload",
        "replicas",
        "image_mutable_tag",
        "service_account",
        "rbac_cluster_admin",
        "rbac_wildcard",
        "rbac_read_secrets",
        "rbac_create_pods",
        "network_policy",
        "network_policy_egress",
    }
)
MANAGED: dict[str, frozenset[str]] = {
    "k8s.pod": POD_MANAGED,
    "k8s.service": frozenset({"type"}),
    "k8s.ingress": frozenset({"tls", "waf", "rate_limiting", "snippets_allowed"}),
    "k8s.configmap": frozenset({"contains_secrets"}),
    "k8s.secret": frozenset({"mounted_as_env"}),
    "k8s.persistent_volume": frozenset({"host_path"}),
}


class _K8sImport(ServicesMixin):
    # -- workloads ------------------------------------------------------------------------
    def add_workloads(self, rbac: Rbac) -> None:
        for obj in self.objects:
            if obj.kind not in WORKLOAD_KINDS:
                continue
            facts = analyze_pod(obj)
            if facts is None:
                self.warn(obj, "no pod template: not drawn", "spec")
                continue
            namespace = obj.namespace or "default"
            props = dict(facts.properties)
            props["namespace"] = namespace
            props["workload"] = obj.kind
            replicas = obj.spec().get("replicas")
            if isinstance(replicas, int) and not isinstance(replicas, bool) and replicas != 1:
                props["replicas"] = replicas
            props["service_account"] = facts.service_account
            account = self.by_key.get(("ServiceAccount", namespace, facts.service_account))
            automount = facts.automount
            if automount is None and account is not None:
                flag = account.body.get("automountServiceAccountToken")
                automount = flag if isinstance(flag, bool) else None
            if automount is False:
                props["service_account_token"] = False
            powers = rbac.powers(namespace, facts.service_account)
            props.update(powers.properties())
            if self.policies.isolated(namespace, facts.labels, "Ingress"):
                props["network_policy"] = True
            if self.policies.isolated(namespace, facts.labels, "Egress"):
                props["network_policy_egress"] = True
            element = self.b.element(
                self.b.new_id(KIND_PREFIX[obj.kind], namespace, obj.name),
                obj.name,
                "k8s.pod",
                boundary=self.namespace(namespace),
                properties=props,
                description=f"{obj.kind} {namespace}/{obj.name}"
                + (f"; RBAC: {', '.join(powers.bound_by)}" if powers.bound_by else ""),
            )
            self.workloads.append(Workload(obj, element, facts))

    # -- flows between workloads ------------------------------------------------------------
    def _resolve(self, host: str, namespace: str) -> str | None:
        parts = host.removesuffix(".cluster.local").removesuffix(".svc").split(".")
        if len(parts) == 1:
            return self.services.get((namespace, parts[0]))
        if len(parts) == 2:
            return self.services.get((parts[1], parts[0]))
        return None

    def add_env_flows(self) -> None:
        configs = {o.key: o.body.get("data") for o in self.objects if o.kind == "ConfigMap"}
        for w in self.workloads:
            namespace = w.obj.namespace or "default"
            env: dict[str, str | None] = {}
            candidates: list[tuple[str, str, str, bool]] = []  # (key, value, path, report)
            for item in w.facts.env:
                if item.config is None:
                    env[item.key] = item.value
                    candidates.append((item.key, item.value or "", item.path, True))
                    continue
                data = configs.get(("ConfigMap", namespace, item.config[0]))
                data = data if isinstance(data, dict) else {}
                pairs = (
                    data.items()
                    if item.config[1] == "*"
                    else [(item.key, data.get(item.config[1]))]
                )
                for key, value in pairs:
                    if isinstance(value, str):
                        env[str(key)] = value
                        candidates.append((str(key), value, item.path, True))
                        if value and SECRET_WORDS.search(
                            str(key).upper()
                        ):  # a password from a ConfigMap
                            self.b.elements[w.id].properties["secrets_in_env"] = True
            for _, arg in w.facts.args:
                candidates.append(("", arg, "", False))
            for key, value, path, report in candidates:
                for ref in host_refs(key, value):
                    if ref.port is None and key:
                        ref = HostRef(
                            ref.host,
                            sibling_port(key, env),
                            ref.protocol,
                            ref.encrypted,
                            ref.credentials,
                        )
                    target = self._resolve(ref.host, namespace)
                    if target is None:
                        if (
                            report
                            and looks_internal(ref.host)
                            and (is_host_key(key) or "://" in value)
                        ):
                            self.warn(
                                w.obj,
                                f"{key} names host '{ref.host}' but no Service is called so",
                                path,
                            )
                        continue
                    self._workload_to_service(
                        w, target, ref, f"environment {key}" if key else f"argument {value}"
                    )

    def _workload_to_service(self, w: Workload, service: str, ref: HostRef, reason: str) -> None:
        src = (w.obj.namespace or "default", w.facts.labels)
        backends = self.backends.get(service, [])
        blocked = [
            b
            for b in backends
            if not self.policies.allows(
                src, (b.obj.namespace or "default", b.facts.labels), ref.port
            )
        ]
        if backends and len(blocked) == len(backends):
            self.notices.warn(
                w.obj.doc.source,
                f"{reason} reaches Service {self.b.elements[service].name}, but NetworkPolicies deny it: flow left out",
                document=w.obj.doc.index,
                what=w.obj.what,
            )
            return
        ports = self.service_ports.get(service) or []
        port = ref.port or (ports[0][1] if len(ports) == 1 else None)
        name = ports[0][0] if len(ports) == 1 else ""
        protocol, encrypted = (
            (ref.protocol, ref.encrypted) if ref.protocol != "tcp" else port_style(name, port)
        )
        data = (
            "confidential"
            if protocol in DATA_PROTOCOLS or any(self.data(b) == "confidential" for b in backends)
            else "internal"
        )
        self.b.flow(
            w.id,
            service,
            name=protocol,
            protocol=protocol,
            port=port,
            encrypted=encrypted,
            authenticated="basic" if ref.credentials else "none",
            data=data,
            reason=reason,
        )

    def build(self, with_cluster: bool) -> ModelBuilder:
        rbac = Rbac(self.objects, self.notices)
        self.add_workloads(rbac)
        self.add_services()
        self.add_ingresses()
        self.add_stores()
        self.add_env_flows()
        self.mark_exposed()
        if with_cluster:
            from .k8s_cluster import add_cluster

            add_cluster(self.b, [w.id for w in self.workloads], CLUSTER)
        return self.b


def import_manifests(
    paths: list[Path], *, name: str | None = None, with_cluster: bool = False, notices: Notices
) -> ModelBuilder:
    """The model of the Kubernetes objects in ``paths``."""
    documents = []
    for path in paths:
        found = parse_documents(read_text(path), source=str(path), notices=notices)
        if not found:
            notices.warn(str(path), "no YAML document with content")
        documents += found
    objects = collect(documents, notices) if documents else []
    if not any(o.kind in WORKLOAD_KINDS or o.kind in ("Service", "Ingress") for o in objects):
        reasons = [str(n) for n in notices if n.level == "warning"][:20]  # why, when it says
        raise ImporterError([f"{paths[0]}: no workloads, Services or Ingresses to draw", *reasons])
    return _K8sImport(objects, notices, name, str(paths[0])).build(with_cluster)
