"""Bench results that contradict the model: flag the element, offer the one-click fix.

A check that passed says its control is in place; the model may say the opposite
(``privileged: true`` while docker-bench 5.4 "privileged containers are not used" passed on that
container; TLS off while the TLS check passed). What each check means for which property is data,
``resources/bench/contradictions.yaml``, matched by the check's title like rule evidence.

``find_contradictions(model)`` lists them; each carries the property value the check implies,
which the editor sets (as an undoable command) when the person chooses "Fix model".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..io import default_catalog
from ..io.safe_yaml import read_yaml_file
from ..model import BenchRun, Catalog, Finding, Model
from ..paths import resource
from .errors import RulesError

TOOLS = ("docker-bench-security", "kube-bench")
# Components with one element per object (a container): a failing check speaks about one only
# when it names it (docker-bench lists the offending containers).
PER_OBJECT = frozenset({"docker.container", "docker.image", "k8s.pod"})


class ContradictionTableError(RulesError):
    """A malformed check-meaning table; the message names the file and the entry."""


@dataclass(frozen=True)
class Implication:
    """The value a check result implies: ``value``, or anything but ``not_value`` (fix: value)."""

    value: Any
    not_value: Any = None
    negated: bool = False

    def holds(self, actual: Any) -> bool:
        return actual != self.not_value if self.negated else actual == self.value


@dataclass(frozen=True)
class CheckMeaning:
    tool: str
    title: re.Pattern[str]
    components: frozenset[str]
    property_name: str
    on_pass: Implication | None
    on_fail: Implication | None

    def matches(self, tool: str, title: str) -> bool:
        return tool == self.tool and bool(self.title.search(title))


@dataclass(frozen=True)
class Contradiction:
    """The model says ``model_value``; a bench result says the property should be ``fix``."""

    element: str
    element_name: str
    property_name: str
    label: str  # the property's label in the catalog
    model_value: Any
    fix: Any
    finding_id: str
    check: str  # the check id, or its title when it has none
    check_title: str
    status: str  # pass | fail
    tool: str

    @property
    def message(self) -> str:
        verb = "passed" if self.status == "pass" else "failed"
        return (
            f"The model says {self.property_name}: {_show(self.model_value)}, but {self.tool} "
            f"{self.check} ({self.check_title}) {verb} on {self.element_name}: "
            f"it should be {_show(self.fix)}."
        )


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _implication(raw: Any, where: str) -> Implication | None:
    if raw is None:
        return None
    if isinstance(raw, dict):
        if set(raw) != {"not", "fix"}:
            raise ContradictionTableError(f"{where}: expected a value or {{not: V, fix: V}}")
        return Implication(value=raw["fix"], not_value=raw["not"], negated=True)
    return Implication(value=raw)


def load_check_meanings(path: Path, catalog: Catalog) -> list[CheckMeaning]:
    """Read and check the table against the catalog; errors name the file and the entry."""
    data = read_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        raise ContradictionTableError(f"{path}: expected a mapping with a list 'checks'")
    out = []
    for i, raw in enumerate(data["checks"]):
        where = f"{path}: checks[{i}]"
        if not isinstance(raw, dict) or not {"tool", "title", "components", "property"} <= set(raw):
            raise ContradictionTableError(f"{where}: expected tool, title, components, property")
        if raw["tool"] not in TOOLS:
            raise ContradictionTableError(f"{where}.tool: expected one of {', '.join(TOOLS)}")
        try:
            title = re.compile(str(raw["title"]), re.IGNORECASE)
        except re.error as exc:
            raise ContradictionTableError(f"{where}.title: {exc}") from None
        on_pass = _implication(raw.get("pass"), f"{where}.pass")
        on_fail = _implication(raw.get("fail"), f"{where}.fail")
        if on_pass is None and on_fail is None:
            raise ContradictionTableError(f"{where}: needs pass or fail")
        name = raw["property"]
        for component in raw["components"]:
            spec = catalog.components.get(component)
            prop = spec.property(name) if spec else None
            if prop is None:
                raise ContradictionTableError(
                    f"{where}.property: {component} has no property {name!r}"
                )
            for imp in (on_pass, on_fail):
                if imp is not None and (problem := prop.check(imp.value)) is not None:
                    raise ContradictionTableError(f"{where}: {name} expects {problem}")
        out.append(
            CheckMeaning(
                tool=raw["tool"],
                title=title,
                components=frozenset(raw["components"]),
                property_name=name,
                on_pass=on_pass,
                on_fail=on_fail,
            )
        )
    return out


@cache
def default_check_meanings() -> list[CheckMeaning]:
    return load_check_meanings(resource("bench", "contradictions.yaml"), default_catalog())


def _implied(meaning: CheckMeaning, finding: Finding, component: str) -> Implication | None:
    if finding.status == "pass":
        return meaning.on_pass
    if finding.status == "fail" and (component not in PER_OBJECT or finding.affected):
        return meaning.on_fail
    return None


def find_contradictions(
    model: Model,
    runs: Iterable[BenchRun] = (),
    *,
    catalog: Catalog | None = None,
    meanings: list[CheckMeaning] | None = None,
) -> list[Contradiction]:
    """Every (element, property, finding) where a bench result contradicts the model, ordered
    by element and property; the model's own runs and ``runs`` count."""
    catalog = catalog or default_catalog()
    meanings = default_check_meanings() if meanings is None else meanings
    elements = model.elements_by_id()
    out: list[Contradiction] = []
    for run in [*model.bench_runs, *runs]:
        for finding in run.findings:
            if finding.status not in ("pass", "fail"):
                continue
            for meaning in meanings:
                if not meaning.matches(run.tool, finding.title):
                    continue
                for eid in finding.elements:
                    element = elements.get(eid)
                    if element is None or element.component not in meaning.components:
                        continue
                    implied = _implied(meaning, finding, element.component)
                    if implied is None:
                        continue
                    actual = catalog.property_value(
                        element.component, element.properties, meaning.property_name
                    )
                    if implied.holds(actual):
                        continue
                    spec = catalog.components[element.component].property(meaning.property_name)
                    out.append(
                        Contradiction(
                            element=eid,
                            element_name=element.name or eid,
                            property_name=meaning.property_name,
                            label=(spec.label if spec else "") or meaning.property_name,
                            model_value=actual,
                            fix=implied.value,
                            finding_id=run.finding_id(finding),
                            check=finding.check_id or finding.title,
                            check_title=finding.title,
                            status=finding.status,
                            tool=run.tool,
                        )
                    )
    out.sort(key=lambda c: (c.element, c.property_name, c.finding_id))
    return out


def contradictions_of(model: Model, element_id: str, **kwargs: Any) -> list[Contradiction]:
    """The contradictions flagged on one element."""
    return [c for c in find_contradictions(model, **kwargs) if c.element == element_id]
