"""NetworkPolicies: which pods they isolate and which flows between pods they allow.

A pod selected by a policy of type Ingress accepts only what some such policy's ingress rules
allow; the same for Egress and what it sends. Label selectors (``matchLabels`` and
``matchExpressions``), namespace selectors and ports are evaluated; ipBlock rules concern
addresses outside the cluster and allow no pod.
"""

from __future__ import annotations

from typing import Any

from .k8s_objects import K8sObject


def selects(selector: Any, labels: dict[str, str]) -> bool:
    """Whether a label selector matches ``labels`` (an empty selector matches everything)."""
    if not isinstance(selector, dict):
        return False
    match = selector.get("matchLabels")
    if isinstance(match, dict) and any(labels.get(str(k)) != str(v) for k, v in match.items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        if not isinstance(expression, dict):
            return False
        key, op = str(expression.get("key")), expression.get("operator")
        values = {str(v) for v in expression.get("values") or []}
        present = key in labels
        if op == "In" and not (present and labels[key] in values):
            return False
        if op == "NotIn" and present and labels[key] in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def _types(policy: K8sObject) -> set[str]:
    spec = policy.spec()
    declared = spec.get("policyTypes")
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return {"Ingress"} | ({"Egress"} if "egress" in spec else set())


class Policies:
    def __init__(self, objects: list[K8sObject]) -> None:
        self.policies = [o for o in objects if o.kind == "NetworkPolicy"]
        self.namespace_labels: dict[str, dict[str, str]] = {}
        for obj in objects:
            if obj.kind == "Namespace":
                self.namespace_labels[obj.name] = obj.labels()

    def _ns_labels(self, namespace: str) -> dict[str, str]:
        labels = dict(self.namespace_labels.get(namespace, {}))
        labels.setdefault("kubernetes.io/metadata.name", namespace)
        return labels

    def _selecting(self, namespace: str, labels: dict[str, str], kind: str) -> list[K8sObject]:
        return [
            p
            for p in self.policies
            if p.namespace == namespace
            and kind in _types(p)
            and selects(p.spec().get("podSelector", {}), labels)
        ]

    def isolated(self, namespace: str, labels: dict[str, str], kind: str) -> bool:
        return bool(self._selecting(namespace, labels, kind))

    def _peer(self, peer: Any, policy_ns: str, ns: str, labels: dict[str, str]) -> bool:
        if not isinstance(peer, dict) or "ipBlock" in peer:
            return False
        if "namespaceSelector" in peer:
            if not selects(peer["namespaceSelector"], self._ns_labels(ns)):
                return False
        elif ns != policy_ns:
            return False
        return "podSelector" not in peer or selects(peer["podSelector"], labels)

    @staticmethod
    def _port_ok(rule: dict[str, Any], port: int | None) -> bool:
        ports = rule.get("ports")
        if not isinstance(ports, list) or not ports or port is None:
            return True
        for entry in ports:
            value = entry.get("port") if isinstance(entry, dict) else None
            end = entry.get("endPort") if isinstance(entry, dict) else None
            if value is None or isinstance(value, str):
                return True  # every port, or a named one: assume it is this one
            if value == port or (isinstance(end, int) and value <= port <= end):
                return True
        return False

    def _allowed(
        self,
        policies: list[K8sObject],
        direction: str,
        peer_key: str,
        peer_ns: str,
        peer_labels: dict[str, str],
        port: int | None,
    ) -> bool:
        for policy in policies:
            for rule in policy.spec().get(direction) or []:
                if not isinstance(rule, dict) or not self._port_ok(rule, port):
                    continue
                peers = rule.get(peer_key)
                if not peers or any(
                    self._peer(p, policy.namespace or "", peer_ns, peer_labels) for p in peers
                ):
                    return True  # no peers listed: every peer
        return False

    def allows(
        self,
        source: tuple[str, dict[str, str]],
        target: tuple[str, dict[str, str]],
        port: int | None,
    ) -> bool:
        """Whether traffic from pods (namespace, labels) ``source`` to ``target`` is allowed."""
        (src_ns, src_labels), (dst_ns, dst_labels) = source, target
        ingress = self._selecting(dst_ns, dst_labels, "Ingress")
        if ingress and not self._allowed(ingress, "ingress", "from", src_ns, src_labels, port):
            return False
        egress = self._selecting(src_ns, src_labels, "Egress")
        return not egress or self._allowed(egress, "egress", "to", dst_ns, dst_labels, port)
