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

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .builder import ModelBuilder
from .compose_props import DATA_PROTOCOLS, PORT_PROTOCOLS, SECRET_WORDS, holds_data
from .errors import ImporterError, Notices
from .hosts import HostRef, host_refs, is_host_key, looks_internal, sibling_port
from .k8s_netpol import Policies
from .k8s_objects import WORKLOAD_KINDS, K8sObject, collect
from .k8s_pods import PodFacts, analyze_pod
from .k8s_rbac import Rbac
from .sources import parse_documents, read_text

INTERNET, CLUSTER, USERS = "internet", "cluster", "users"
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
STORES = {"ConfigMap": ("cm", "k8s.configmap"), "Secret": ("secret", "k8s.secret")}
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
SNIPPETS = ("configuration-snippet", "server-snippet", "auth-snippet", "stream-snippet")
RATE_LIMITS = ("limit-rps", "limit-rpm", "limit-connections", "rate-limit")


@dataclass
class _Workload:
    obj: K8sObject
    id: str
    facts: PodFacts


def _port_style(name: str, number: int | None) -> tuple[str, bool]:
    lowered = name.lower()
    for word, style in (
        ("https", ("https", True)),
        ("grpc", ("grpc", False)),
        ("http", ("http", False)),
        ("redis", ("redis", False)),
        ("mysql", ("mysql", False)),
        ("postgres", ("postgresql", False)),
        ("mongo", ("mongodb", False)),
        ("amqp", ("amqp", False)),
        ("tls", ("tls", True)),
    ):
        if word in lowered:
            return style
    return PORT_PROTOCOLS.get(number, ("tcp", False)) if number else ("tcp", False)


class _K8sImport:
    def __init__(
        self, objects: list[K8sObject], notices: Notices, name: str | None, source: str
    ) -> None:
        self.objects = objects
        self.notices = notices
        self.source = source
        self.b = ModelBuilder(
            name or f"{Path(source).stem} (Kubernetes)", f"Imported from {Path(source).name}."
        )
        self.by_key = {o.key: o for o in objects}
        self.workloads: list[_Workload] = []
        self.services: dict[tuple[str, str], str] = {}  # (namespace, name) -> element id
        self.backends: dict[str, list[_Workload]] = defaultdict(list)  # service id -> workloads
        self.service_ports: dict[str, list[tuple[str, int | None, int | None]]] = {}
        self.policies = Policies(objects)
        self.exposed: set[str] = set()

    def warn(self, obj: K8sObject, message: str, path: str = "") -> None:
        self.notices.warn(
            obj.doc.source,
            message,
            document=obj.doc.index,
            what=obj.what,
            path=obj.at(path) if path else obj.path,
        )

    def namespace(self, name: str) -> str:
        self.b.boundary(CLUSTER, "Kubernetes cluster", kind="cluster", trust=2)
        ns = self.by_key.get(("Namespace", None, name))
        return self.b.boundary(
            self.b.new_id("ns", name),
            f"{name} namespace",
            kind="namespace",
            trust=3,
            parent=CLUSTER,
            description="" if ns else "Namespace named by the objects (not defined in the files).",
        )

    def users(self) -> str:
        self.b.boundary(INTERNET, "Internet", kind="internet", trust=0)
        return self.b.element(USERS, "Users", "generic.external_entity", boundary=INTERNET)

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
            self.workloads.append(_Workload(obj, element, facts))

    # -- services and ingresses -----------------------------------------------------------
    def add_services(self) -> None:
        for obj in self.objects:
            if obj.kind != "Service":
                continue
            namespace = obj.namespace or "default"
            spec = obj.spec()
            kind = (
                spec.get("type")
                if spec.get("type") in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
                else "ClusterIP"
            )
            element = self.b.element(
                self.b.new_id("svc", namespace, obj.name),
                obj.name,
                "k8s.service",
                boundary=self.namespace(namespace),
                properties={"type": kind} if kind != "ClusterIP" else {},
                description=f"Service {namespace}/{obj.name} ({kind})",
            )
            self.services[(namespace, obj.name)] = element
            ports = []
            for entry in spec.get("ports") or []:
                if isinstance(entry, dict):
                    port = entry.get("port") if isinstance(entry.get("port"), int) else None
                    ports.append(
                        (
                            str(entry.get("name") or entry.get("appProtocol") or ""),
                            port,
                            entry.get("targetPort", port),
                        )
                    )
            self.service_ports[element] = ports
            selector = spec.get("selector")
            if isinstance(selector, dict) and selector:
                matched = [
                    w
                    for w in self.workloads
                    if (w.obj.namespace or "default") == namespace
                    and all(w.facts.labels.get(str(k)) == str(v) for k, v in selector.items())
                ]
                if not matched:
                    shown = ", ".join(f"{k}={v}" for k, v in selector.items())
                    self.warn(
                        obj, f"selector {shown} matches no workload in the files", "spec.selector"
                    )
                for workload in matched:
                    self.backends[element].append(workload)
                    self._service_to_pods(element, workload, ports)
            elif kind == "ExternalName":
                self.b.elements[element].description += f"; points to {spec.get('externalName')}"
            if kind in ("NodePort", "LoadBalancer"):
                for name, port, _ in ports or [("", None, None)]:
                    protocol, encrypted = _port_style(name, port)
                    self.b.flow(
                        self.users(),
                        element,
                        name=f"{protocol.upper()} :{port}",
                        protocol=protocol,
                        port=port,
                        encrypted=encrypted,
                        data="public",
                        reason=f"{kind} Service",
                        key=str(port or ""),
                    )
                self.exposed.add(element)

    def _service_to_pods(self, service: str, workload: _Workload, ports: list) -> None:
        for name, port, target in ports or [("", None, None)]:
            number = workload.facts.named_ports.get(target) if isinstance(target, str) else target
            protocol, encrypted = _port_style(name, number or port)
            self.b.flow(
                service,
                workload.id,
                name=protocol,
                protocol=protocol,
                port=number or port,
                encrypted=encrypted,
                data=self._data(workload),
                reason="Service selector",
            )

    def _data(self, workload: _Workload) -> str:
        return (
            "confidential" if holds_data(workload.facts.properties.get("image", "")) else "internal"
        )

    def add_ingresses(self) -> None:
        for obj in self.objects:
            if obj.kind != "Ingress":
                continue
            namespace = obj.namespace or "default"
            spec, notes = obj.spec(), obj.annotations()
            tls = [t for t in spec.get("tls") or [] if isinstance(t, dict)]
            props: dict[str, Any] = {}
            if tls:
                props["tls"] = True
            if any(k.endswith(SNIPPETS) for k in notes):
                props["snippets_allowed"] = True
            if any(any(r in k for r in RATE_LIMITS) for k in notes):
                props["rate_limiting"] = True
            if any(k.endswith("enable-modsecurity") and v == "true" for k, v in notes.items()):
                props["waf"] = True
            element = self.b.element(
                self.b.new_id("ing", namespace, obj.name),
                obj.name,
                "k8s.ingress",
                boundary=self.namespace(namespace),
                properties=props,
                description=f"Ingress {namespace}/{obj.name}",
            )
            self.b.flow(
                self.users(),
                element,
                name="HTTPS" if tls else "HTTP",
                protocol="https" if tls else "http",
                port=443 if tls else 80,
                encrypted=bool(tls),
                data="public",
                reason="Ingress",
            )
            for path, backend in self._backends(spec):
                name, port = backend
                target = self.services.get((namespace, name))
                if target is None:
                    self.warn(obj, f"backend Service '{name}' is not in the files", path)
                    continue
                number = port if isinstance(port, int) else None
                protocol, encrypted = _port_style(port if isinstance(port, str) else "", number)
                self.b.flow(
                    element,
                    target,
                    name=protocol,
                    protocol=protocol,
                    port=number,
                    encrypted=encrypted,
                    reason="Ingress backend",
                )
                self.exposed.add(target)
            for i, entry in enumerate(tls):
                if isinstance(entry.get("secretName"), str):
                    store = self.store(
                        "Secret",
                        namespace,
                        entry["secretName"],
                        obj,
                        f"spec.tls[{i}].secretName",
                        optional=True,
                    )
                    self.b.flow(
                        store, element, name="TLS certificate", protocol="file", data="secret"
                    )

    @staticmethod
    def _backends(spec: dict[str, Any]) -> list[tuple[str, tuple[str, Any]]]:
        found = []

        def backend(value: Any, path: str) -> None:
            if not isinstance(value, dict):
                return
            service = value.get("service")
            if isinstance(service, dict) and isinstance(service.get("name"), str):
                port = service.get("port") or {}
                found.append((path, (service["name"], port.get("number") or port.get("name"))))
            elif isinstance(value.get("serviceName"), str):  # extensions/v1beta1
                found.append((path, (value["serviceName"], value.get("servicePort"))))

        for key in ("defaultBackend", "backend"):
            backend(spec.get(key), f"spec.{key}")
        for i, rule in enumerate(spec.get("rules") or []):
            paths = (
                ((rule or {}).get("http") or {}).get("paths") if isinstance(rule, dict) else None
            )
            for j, entry in enumerate(paths or []):
                if isinstance(entry, dict):
                    backend(entry.get("backend"), f"spec.rules[{i}].http.paths[{j}].backend")
        return found

    # -- stores ---------------------------------------------------------------------------
    def store(
        self, kind: str, namespace: str, name: str, user: K8sObject, path: str, *, optional: bool
    ) -> str:
        obj = self.by_key.get((kind, namespace, name))
        if obj is None and not optional:
            self.warn(user, f"{kind} '{name}' is not in the files (drawn all the same)", path)
        prefix, component = STORES.get(kind, ("pvc", "k8s.persistent_volume"))
        props: dict[str, Any] = {}
        if kind == "ConfigMap" and obj is not None:
            data = obj.body.get("data")
            if isinstance(data, dict) and any(
                SECRET_WORDS.search(str(k).upper()) and v for k, v in data.items()
            ):
                props["contains_secrets"] = True
        if kind == "PersistentVolumeClaim" and self._host_path_claim(namespace, name, obj):
            props["host_path"] = True
        return self.b.element(
            self.b.new_id(prefix, namespace, name),
            name,
            component,
            boundary=self.namespace(namespace),
            properties=props,
            description=f"{kind} {namespace}/{name}" + ("" if obj else " (not in the files)"),
        )

    def _host_path_claim(self, namespace: str, name: str, claim: K8sObject | None) -> bool:
        volume = claim.spec().get("volumeName") if claim else None
        for obj in self.objects:
            if obj.kind != "PersistentVolume" or not isinstance(obj.spec().get("hostPath"), dict):
                continue
            ref = obj.spec().get("claimRef") or {}
            if obj.name == volume or (
                ref.get("namespace") == namespace and ref.get("name") == name
            ):
                return True
        return False

    def add_stores(self) -> None:
        for w in self.workloads:
            namespace = w.obj.namespace or "default"
            for ref in w.facts.configmaps:
                store = self.store(
                    "ConfigMap", namespace, ref.name, w.obj, ref.path, optional=ref.optional
                )
                self.b.flow(store, w.id, name=ref.mount or "environment", protocol="file")
            for ref in w.facts.secrets:
                store = self.store(
                    "Secret", namespace, ref.name, w.obj, ref.path, optional=ref.optional
                )
                if ref.as_env:
                    self.b.elements[store].properties["mounted_as_env"] = True
                self.b.flow(
                    store, w.id, name=ref.mount or "environment", protocol="file", data="secret"
                )
            for ref in w.facts.claims:
                store = self.store(
                    "PersistentVolumeClaim", namespace, ref.name, w.obj, ref.path, optional=False
                )
                self._mount(w, store, ref.mount, ref.read_only)
            if w.obj.kind == "StatefulSet":
                for i, template in enumerate(w.obj.spec().get("volumeClaimTemplates") or []):
                    name = (
                        ((template or {}).get("metadata") or {}).get("name")
                        if isinstance(template, dict)
                        else None
                    )
                    if isinstance(name, str):
                        claim = f"{name}-{w.obj.name}"
                        store = self.store(
                            "PersistentVolumeClaim",
                            namespace,
                            claim,
                            w.obj,
                            f"spec.volumeClaimTemplates[{i}]",
                            optional=True,
                        )
                        self._mount(w, store, "", False)

    def _mount(self, w: _Workload, store: str, mount: str, read_only: bool) -> None:
        data = self._data(w)
        if read_only:
            self.b.flow(store, w.id, name=f"read {mount}".strip(), protocol="file", data=data)
        else:
            self.b.flow(w.id, store, name=f"mount {mount}".strip(), protocol="file", data=data)

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

    def _workload_to_service(self, w: _Workload, service: str, ref: HostRef, reason: str) -> None:
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
            (ref.protocol, ref.encrypted) if ref.protocol != "tcp" else _port_style(name, port)
        )
        data = (
            "confidential"
            if protocol in DATA_PROTOCOLS or any(self._data(b) == "confidential" for b in backends)
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

    def mark_exposed(self) -> None:
        for service in self.exposed:
            for w in self.backends.get(service, []):
                self.b.elements[w.id].properties["exposed_to_internet"] = True

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
