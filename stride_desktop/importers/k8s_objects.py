"""Kubernetes objects out of YAML documents: Lists unpacked, runtime noise left out.

Plain manifests, ``helm template`` and kustomize output are documents of objects; ``kubectl get
-o yaml`` output is a ``List`` whose ``items`` are objects with ``status``, ``managedFields`` and
the like (which nothing here reads). Objects created by a controller that is imported too (the
ReplicaSets and Pods of a Deployment) are left out: the Deployment stands for them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .errors import Notices
from .sources import Document

WORKLOAD_KINDS = (
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DeploymentConfig",
)
DRAWN_KINDS = frozenset(
    {
        *WORKLOAD_KINDS,
        "Service",
        "Ingress",
        "ConfigMap",
        "Secret",
        "PersistentVolumeClaim",
        "PersistentVolume",
        "ServiceAccount",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "NetworkPolicy",
        "Namespace",
    }
)
# Kinds with no data flow of their own: read nowhere, reported nowhere.
QUIET_KINDS = frozenset(
    {
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "VerticalPodAutoscaler",
        "LimitRange",
        "ResourceQuota",
        "PriorityClass",
        "StorageClass",
        "CustomResourceDefinition",
        "IngressClass",
        "RuntimeClass",
        "PodSecurityPolicy",
        "CSIDriver",
        "APIService",
        "Event",
        "Endpoints",
        "EndpointSlice",
        "ControllerRevision",
        "Lease",
        "Node",
        "ComponentStatus",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "PodTemplate",
        "CSINode",
        "VolumeAttachment",
        "CertificateSigningRequest",
        "FlowSchema",
        "PriorityLevelConfiguration",
    }
)
CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "PersistentVolume",
        "StorageClass",
        "IngressClass",
        "CustomResourceDefinition",
        "PriorityClass",
        "Node",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "RuntimeClass",
        "PodSecurityPolicy",
        "APIService",
    }
)
MAX_LIST_DEPTH = 3


@dataclass
class K8sObject:
    kind: str
    api_version: str
    name: str
    namespace: str | None  # None for cluster-scoped kinds
    body: dict[str, Any]
    doc: Document
    path: str  # where in the document: "" or "items[3]"

    @property
    def what(self) -> str:
        return (
            f"{self.kind} {self.namespace}/{self.name}"
            if self.namespace
            else f"{self.kind} {self.name}"
        )

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.kind, self.namespace, self.name)

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.body.get("metadata")
        return meta if isinstance(meta, dict) else {}

    def labels(self) -> dict[str, str]:
        labels = self.metadata.get("labels")
        return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}

    def annotations(self) -> dict[str, str]:
        notes = self.metadata.get("annotations")
        return {str(k): str(v) for k, v in notes.items()} if isinstance(notes, dict) else {}

    def spec(self) -> dict[str, Any]:
        spec = self.body.get("spec")
        return spec if isinstance(spec, dict) else {}

    def at(self, path: str) -> str:
        """A path inside this object, prefixed with where the object is in its document."""
        return f"{self.path}.{path}" if self.path and path else self.path or path


def _objects(data: Any, doc: Document, path: str, depth: int, notices: Notices) -> list[K8sObject]:
    if isinstance(data, list):
        notices.warn(
            doc.source,
            "a list at the top level, not a Kubernetes object (kind: List holds items): its entries are read as objects",
            document=doc.index,
        )
        data = {"kind": "List", "items": data}
    if not isinstance(data, dict):
        notices.warn(
            doc.source,
            f"not a Kubernetes object (a {type(data).__name__}): skipped",
            document=doc.index,
            path=path,
        )
        return []
    kind = data.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list):
        if depth >= MAX_LIST_DEPTH:
            notices.warn(
                doc.source, "Lists nested too deep: skipped", document=doc.index, path=path
            )
            return []
        found = []
        for i, item in enumerate(data["items"]):
            sub = f"{path}.items[{i}]" if path else f"items[{i}]"
            found += _objects(item, doc, sub, depth + 1, notices)
        return found
    api_version = data.get("apiVersion")
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if not isinstance(kind, str) or not kind or not isinstance(api_version, str):
        notices.warn(
            doc.source,
            "no apiVersion and kind: not a Kubernetes object, skipped",
            document=doc.index,
            path=path,
        )
        return []
    if not isinstance(name, str) or not name:
        notices.warn(
            doc.source, f"{kind} without metadata.name: skipped", document=doc.index, path=path
        )
        return []
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    if kind in CLUSTER_SCOPED:
        namespace = None
    elif not isinstance(namespace, str) or not namespace:
        namespace = ""  # decided later: the namespace kubectl would use
    return [K8sObject(kind, api_version, name, namespace, data, doc, path)]


def collect(documents: list[Document], notices: Notices) -> list[K8sObject]:
    """Every object of ``documents`` the importer reads, in file order, without duplicates and
    without objects owned by another imported object."""
    objects: list[K8sObject] = []
    for doc in documents:
        objects += _objects(doc.data, doc, "", 0, notices)
    unnamed = [o for o in objects if o.namespace == ""]
    for obj in unnamed:
        obj.namespace = "default"
    if unnamed:
        first = unnamed[0]
        notices.info(
            first.doc.source,
            f"{len(unnamed)} object(s) name no namespace: drawn in 'default', where kubectl would create them",
            document=first.doc.index,
        )
    keys = {(o.kind, o.namespace, o.name) for o in objects}
    by_key: dict[tuple[str, str | None, str], K8sObject] = {}
    owned = 0
    for obj in objects:
        if _owned(obj, keys):
            owned += 1
            continue
        if obj.key in by_key:
            notices.warn(
                obj.doc.source,
                f"{obj.what} is defined twice: the later one is used",
                document=obj.doc.index,
                path=obj.path,
            )
        by_key[obj.key] = obj
    if owned:
        notices.info(
            documents[0].source,
            f"{owned} object(s) created by an imported controller left out (the controller stands for them)",
        )
    unknown = Counter(o.kind for o in by_key.values() if o.kind not in DRAWN_KINDS | QUIET_KINDS)
    for kind, count in sorted(unknown.items()):
        first = next(o for o in by_key.values() if o.kind == kind)
        notices.warn(
            first.doc.source,
            f"{count} {kind} object(s) ({first.api_version}) not drawn: the importer does not know this kind",
            document=first.doc.index,
        )
    return list(by_key.values())


def _owned(obj: K8sObject, keys: set[tuple[str, str | None, str]]) -> bool:
    owners = obj.metadata.get("ownerReferences")
    if not isinstance(owners, list):
        return False
    for ref in owners:
        if isinstance(ref, dict) and ref.get("controller") and isinstance(ref.get("kind"), str):
            namespace = None if ref["kind"] in CLUSTER_SCOPED else obj.namespace
            if (ref["kind"], namespace, ref.get("name")) in keys:
                return True
    return False
