"""RBAC as facts about service accounts: what the workloads running as them may do.

A binding gives its subjects the rules of its role; a service account collects the rules of
every binding that names it (directly, or through the ``system:serviceaccounts`` groups). From
the rules come the facts the threat rules read: bound to cluster-admin, wildcards, can read
Secrets, can create pods (or exec into them). The built-in ClusterRoles the manifests cannot
contain (cluster-admin, admin, edit, view) are known by name; a binding to any other role
that is not in the files is a notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Notices
from .k8s_objects import K8sObject

READ = {"get", "list", "watch", "*"}
WORKLOADS = {"pods", "deployments", "daemonsets", "statefulsets", "replicasets", "jobs", "cronjobs"}
EXEC = {"pods/exec", "pods/attach", "pods/portforward"}


@dataclass
class Powers:
    cluster_admin: bool = False
    wildcard: bool = False
    read_secrets: bool = False
    create_pods: bool = False
    bound_by: tuple[str, ...] = ()  # the bindings, for the element's description

    def union(self, other: Powers, bound_by: tuple[str, ...] | None = None) -> Powers:
        return Powers(
            self.cluster_admin or other.cluster_admin,
            self.wildcard or other.wildcard,
            self.read_secrets or other.read_secrets,
            self.create_pods or other.create_pods,
            self.bound_by + (other.bound_by if bound_by is None else bound_by),
        )

    def properties(self) -> dict[str, bool]:
        flags = {
            "rbac_cluster_admin": self.cluster_admin,
            "rbac_wildcard": self.wildcard,
            "rbac_read_secrets": self.read_secrets,
            "rbac_create_pods": self.create_pods,
        }
        return {k: v for k, v in flags.items() if v}


BUILT_IN = {
    "cluster-admin": Powers(True, True, True, True),
    "admin": Powers(False, False, True, True),
    "edit": Powers(False, False, True, True),
    "view": Powers(),
}


def _strings(value: object) -> set[str]:
    return {str(v) for v in value} if isinstance(value, list) else set()


def rule_powers(rules: object) -> Powers:
    powers = Powers()
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict):
            continue
        verbs, resources = _strings(rule.get("verbs")), _strings(rule.get("resources"))
        groups = _strings(rule.get("apiGroups")) or {""}
        core = bool(groups & {"", "*"})
        if "*" in verbs or "*" in resources:
            powers.wildcard = True
        if core and resources & {"secrets", "*"} and verbs & READ:
            powers.read_secrets = True
        if resources & (WORKLOADS | {"*"}) and verbs & {"create", "*"}:
            powers.create_pods = True
        if resources & EXEC and verbs & {"create", "get", "*"}:
            powers.create_pods = True
    return powers


class Rbac:
    """Service account -> its powers, from the roles and bindings of the import."""

    def __init__(self, objects: list[K8sObject], notices: Notices) -> None:
        roles: dict[tuple[str, str | None, str], Powers] = {}
        for obj in objects:
            if obj.kind in ("Role", "ClusterRole"):
                roles[obj.key] = rule_powers(obj.body.get("rules"))
        self.accounts: dict[tuple[str, str], Powers] = {}
        self.groups: dict[str | None, Powers] = {}  # namespace (None: every one) -> powers
        for obj in objects:
            if obj.kind not in ("RoleBinding", "ClusterRoleBinding"):
                continue
            ref = obj.body.get("roleRef")
            if not isinstance(ref, dict) or not isinstance(ref.get("name"), str):
                notices.warn(
                    obj.doc.source,
                    "no roleRef name: binding ignored",
                    document=obj.doc.index,
                    what=obj.what,
                    path=obj.at("roleRef"),
                )
                continue
            kind, name = str(ref.get("kind") or "ClusterRole"), ref["name"]
            key = (kind, obj.namespace if kind == "Role" else None, name)
            if key in roles:
                powers = roles[key]
            elif kind == "ClusterRole" and name in BUILT_IN:
                powers = BUILT_IN[name]
            elif kind == "ClusterRole" and name.startswith("system:"):
                continue  # the cluster's own roles: not in any manifest, not ours to judge
            else:
                notices.warn(
                    obj.doc.source,
                    f"roleRef: {kind} '{name}' is not in the files: its rules are unknown",
                    document=obj.doc.index,
                    what=obj.what,
                    path=obj.at("roleRef"),
                )
                continue
            label = f"{obj.kind} {obj.name} -> {kind} {name}"
            self._grant(obj, powers, label)

    def _grant(self, binding: K8sObject, powers: Powers, label: str) -> None:
        for subject in binding.body.get("subjects") or []:
            if not isinstance(subject, dict):
                continue
            kind, name = subject.get("kind"), str(subject.get("name") or "")
            if kind == "ServiceAccount":
                namespace = str(subject.get("namespace") or binding.namespace or "default")
                key = (namespace, name)
                self.accounts[key] = self.accounts.get(key, Powers()).union(powers, (label,))
            elif kind == "Group" and name in ("system:serviceaccounts", "system:authenticated"):
                self.groups[None] = self.groups.get(None, Powers()).union(powers, (label,))
            elif kind == "Group" and name.startswith("system:serviceaccounts:"):
                namespace = name.split(":", 2)[2]
                self.groups[namespace] = self.groups.get(namespace, Powers()).union(
                    powers, (label,)
                )

    def powers(self, namespace: str, account: str) -> Powers:
        result = self.accounts.get((namespace, account), Powers())
        for scope in (None, namespace):
            if scope in self.groups:
                result = result.union(self.groups[scope])
        return result
