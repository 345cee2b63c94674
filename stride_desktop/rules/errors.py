"""Errors of rules/: each names the rule file, the rule id and the path of the bad key."""

from __future__ import annotations


class RulesError(Exception):
    """Base of everything rules/ raises for bad input."""


class RuleError(RulesError):
    """A rule file that cannot be loaded.

    ``str(error)`` reads like ``rules/x.yaml: rules[3] (K8S-ETCD-TLS).when.all[1].property.name:
    unknown property 'tls_verfy' of k8s.etcd``.
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        rule_id: str | None = None,
        path: str = "",
        index: int | None = None,
    ):
        self.file = str(file)
        self.rule_id = rule_id
        self.path = path
        self.index = index
        self.message = message
        where = ""
        if index is not None:
            where = f"rules[{index}]" + (f" ({rule_id})" if rule_id else "")
        if path:
            where = f"{where}.{path}" if where else path
        super().__init__(f"{self.file}: {where}: {message}" if where else f"{self.file}: {message}")


class ConditionError(RulesError):
    """A bad key inside one rule; the loader adds the file and the rule id."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")
