"""Load rule files (YAML data) into a RuleSet, validating every key at load time.

Built-in rules come from ``resources/rules/*.yaml``; then user files or folders (``--rules DIR``);
then the model's ``rule_files``. A later rule with the id of an earlier one overrides it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io import YamlSafetyError, default_catalog
from ..io.safe_yaml import parse_yaml_text, read_yaml_file
from ..model import AUTHENTICATION_VALUES, Catalog, Model
from ..paths import ResourceError, resources_dir
from .conditions import TARGETS, ConditionCompiler, Pred, placeholder_problem, required_ends
from .errors import ConditionError, RuleError
from .references import reference_problem
from .texts import render
from .threat import CATEGORIES, SEVERITIES

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
ROOT_CAUSE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RULE_KEYS = (
    "id",
    "category",
    "severity",
    "target",
    "components",
    "when",
    "title",
    "description",
    "mitigations",
    "references",
    "evidence",
    "supersedes",
    "categories",
    "root_cause",
    "raise_impact",
    "way_in",
)
REQUIRED = ("id", "category", "severity", "target", "title", "description")
TOOLS = ("docker-bench-security", "kube-bench")


@dataclass(frozen=True)
class EvidenceSpec:
    """A bench check that corroborates (fail) or refutes (pass) a rule, named by its meaning."""

    tool: str
    title: re.Pattern[str]
    component: str | None = None

    def matches(self, tool: str, title: str, component: str | None) -> bool:
        if tool != self.tool or not self.title.search(title):
            return False
        return self.component is None or component == self.component


@dataclass(frozen=True)
class WayIn:
    """How an attacker gets at a rule's weakness when the drawn flows are not (all) the way.

    ``content=False``: only requests along the drawn flows count, not content fetched from a
    server on the internet (a public registry's image cannot call the Docker API).
    ``sources``: the weakness is an open door that no flow draws (a port on the node network, an
    API object): it is reached from the elements of these components (on the target's own host
    or node with ``same_host``), or with ``zone`` by anyone in the target's own zone (a registry
    port on the LAN), then through ``via`` (the door in words, its authentication included),
    which costs what a hop with ``authenticated`` costs; that replaces the path along the drawn
    flows."""

    content: bool = True
    sources: tuple[str, ...] = ()
    via: str = ""
    authenticated: str = "none"
    same_host: bool = False
    zone: bool = False
    # from ``host_networks``: anyone on the least trusted network that reaches the target's host
    # (a port published on every interface of the host)
    host_networks: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    target: str  # element | flow | boundary
    title: str
    description: str
    components: tuple[str, ...] = ()
    condition: Pred | None = None
    mitigations: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    evidence: tuple[EvidenceSpec, ...] = ()
    # rule ids (or generic ids such as INTERACTION-SNIFFING) this more specific rule folds, on its
    # target and its neighbourhood (see docs/rules.md "Root causes")
    supersedes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # further STRIDE categories its threat carries
    root_cause: str = ""  # rules with the same root cause on neighbouring targets are one threat
    # False: the impact is the rule's base severity whatever the target is worth (a profiling
    # endpoint of the API server does not hand over the cluster)
    raise_impact: bool = True
    way_in: WayIn | None = None
    file: str = ""
    # The raw ``when`` data the condition was compiled from (incremental re-derivation reads
    # which matchers a rule uses); None for rules built in code.
    when: Any = field(default=None, compare=False, repr=False)

    # The text interface DerivedThreat formats lazily (baseline.Generic has the same).
    def describe(self, values: dict[str, str]) -> str:
        return render(self.description, values)

    def mitigations_for(self, values: dict[str, str]) -> tuple[str, ...]:
        return self.mitigations


@dataclass
class RuleSet:
    """Rules by id (load order kept), indexed by what they can apply to."""

    rules: dict[str, Rule] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)  # rule id -> file that replaced it

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> RuleSet:
        return cls(rules={r.id: r for r in rules})

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return self.rules.get(rule_id)

    def by_target(self, target: str) -> list[Rule]:
        return sorted((r for r in self.rules.values() if r.target == target), key=lambda r: r.id)


class RuleIndex:
    """A rule set's rules by what they can apply to, made once per derivation: element rules by
    component; flow rules by the components of the flow's ends, where ``components`` names
    either end and the condition does not require other components of them
    (``conditions.required_ends``: no built-in flow rule lists its components); boundary rules.
    Each list keeps the rules in id order."""

    def __init__(self, rules: RuleSet):
        self._element = rules.by_target("element")
        # a rule built in code (no ``when``) may apply to any flow: (None, None)
        self._flow = [(rule, *required_ends(rule.when)) for rule in rules.by_target("flow")]
        self.boundary = rules.by_target("boundary")
        self._by_component: dict[str, list[Rule]] = {}
        self._by_ends: dict[tuple[str, str], list[Rule]] = {}

    def for_element(self, component: str) -> list[Rule]:
        if (hit := self._by_component.get(component)) is None:
            hit = self._by_component[component] = [
                r for r in self._element if not r.components or component in r.components
            ]
        return hit

    def for_flow(self, source: str, target: str) -> list[Rule]:
        if (hit := self._by_ends.get((source, target))) is None:
            hit = self._by_ends[source, target] = [
                rule
                for rule, sources, targets in self._flow
                if (not rule.components or source in rule.components or target in rule.components)
                and (sources is None or source in sources)
                and (targets is None or target in targets)
            ]
        return hit


class RuleFileReader:
    """Reads one rule file; every problem is a RuleError naming file, rule and key path."""

    def __init__(self, catalog: Catalog, *, strict_references: bool = False):
        self.catalog = catalog
        self.compiler = ConditionCompiler(catalog)
        # Built-in rules must cite entries of the reference list; user rules may also cite ids
        # of the catalogues the list holds only in part (CIS, ATT&CK, CWE).
        self.strict_references = strict_references

    def read_file(self, path: Path) -> list[Rule]:
        try:
            data = read_yaml_file(path)
        except YamlSafetyError as exc:
            raise RuleError(str(path), str(exc).removeprefix(f"{path}: ")) from None
        return self.read_data(data, str(path))

    def read_data(self, data: Any, file: str) -> list[Rule]:
        if (
            not isinstance(data, dict)
            or set(data) != {"rules"}
            or not isinstance(data["rules"], list)
        ):
            raise RuleError(
                file, "expected a mapping with one key, 'rules', holding a list of rules"
            )
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(data["rules"]):
            rule_id = (
                raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
            )
            try:
                rule = self.read_rule(raw, file)
            except ConditionError as exc:
                raise RuleError(
                    file, exc.message, rule_id=rule_id, path=exc.path, index=index
                ) from None
            if rule.id in seen:
                raise RuleError(
                    file,
                    f"duplicate rule id (first at rules[{seen[rule.id]}])",
                    rule_id=rule.id,
                    path="id",
                    index=index,
                )
            seen[rule.id] = index
            rules.append(rule)
        return rules

    def read_rule(self, raw: Any, file: str) -> Rule:
        if not isinstance(raw, dict):
            raise ConditionError("", "expected a mapping describing a rule")
        for key in raw:
            if key not in RULE_KEYS:
                raise ConditionError(
                    str(key), "unknown key; expected one of " + ", ".join(RULE_KEYS)
                )
        for key in REQUIRED:
            if key not in raw:
                raise ConditionError(key, "missing")
        rule_id = raw["id"]
        if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
            raise ConditionError(
                "id", f"expected upper-case letters, digits and dashes, got {rule_id!r}"
            )
        checks = (("category", CATEGORIES), ("severity", SEVERITIES), ("target", TARGETS))
        for key, choices in checks:
            if raw[key] not in choices:
                raise ConditionError(key, f"expected one of {', '.join(choices)}, got {raw[key]!r}")
        target = raw["target"]
        components = self._components(raw.get("components", []))
        for key in ("title", "description"):
            text = raw[key]
            if not isinstance(text, str) or not text.strip():
                raise ConditionError(key, "expected non-empty text")
            if (problem := placeholder_problem(text, target)) is not None:
                raise ConditionError(key, problem)
        condition = None
        if raw.get("when") is not None:
            condition = self.compiler.compile(raw["when"], "when", target, components)
        return Rule(
            id=rule_id,
            category=raw["category"],
            severity=raw["severity"],
            target=target,
            title=raw["title"].strip(),
            description=" ".join(raw["description"].split()),
            components=components,
            condition=condition,
            mitigations=self._texts(raw.get("mitigations", []), "mitigations"),
            references=self._references(raw.get("references", [])),
            evidence=self._evidence(raw.get("evidence", [])),
            supersedes=self._supersedes(raw.get("supersedes", [])),
            categories=self._categories(raw.get("categories", []), raw["category"]),
            root_cause=self._root_cause(raw.get("root_cause", "")),
            raise_impact=self._flag(raw.get("raise_impact", True), "raise_impact"),
            way_in=self._way_in(raw.get("way_in")),
            file=file,
            when=raw.get("when"),
        )

    def _components(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise ConditionError("components", "expected a list of component ids")
        for i, c in enumerate(value):
            if c not in self.catalog.components:
                raise ConditionError(
                    f"components[{i}]",
                    f"unknown component {c!r}; known: "
                    + ", ".join(sorted(self.catalog.components)),
                )
        return tuple(value)

    @staticmethod
    def _texts(value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise ConditionError(key, "expected a list of texts")
        for i, v in enumerate(value):
            if not isinstance(v, str) or not v.strip():
                raise ConditionError(f"{key}[{i}]", f"expected non-empty text, got {v!r}")
        return tuple(" ".join(v.split()) for v in value)

    def _references(self, value: Any) -> tuple[str, ...]:
        refs = self._texts(value, "references")
        for i, ref in enumerate(refs):
            if (problem := reference_problem(ref, strict=self.strict_references)) is not None:
                raise ConditionError(f"references[{i}]", problem)
        return refs

    def _supersedes(self, value: Any) -> tuple[str, ...]:
        ids = self._texts(value, "supersedes")
        for i, rid in enumerate(ids):
            if not RULE_ID.match(rid):
                raise ConditionError(f"supersedes[{i}]", f"expected a rule id, got {rid!r}")
        return ids

    @staticmethod
    def _categories(value: Any, primary: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise ConditionError("categories", "expected a list of STRIDE categories")
        for i, c in enumerate(value):
            if c not in CATEGORIES:
                raise ConditionError(
                    f"categories[{i}]", f"expected one of {', '.join(CATEGORIES)}, got {c!r}"
                )
        return tuple(sorted({c for c in value if c != primary}, key=CATEGORIES.index))

    @staticmethod
    def _root_cause(value: Any) -> str:
        if value == "":
            return ""
        if not isinstance(value, str) or not ROOT_CAUSE.match(value):
            raise ConditionError(
                "root_cause", f"expected a lower-case name with dashes, got {value!r}"
            )
        return value

    @staticmethod
    def _flag(value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise ConditionError(key, f"expected true or false, got {value!r}")
        return value

    def _way_in(self, value: Any) -> WayIn | None:
        if value is None:
            return None
        if value == "requests":
            return WayIn(content=False)
        keys = ("from", "via", "authenticated", "same_host")
        if not isinstance(value, dict) or not {"from", "via"} <= set(value):
            raise ConditionError(
                "way_in",
                "expected 'requests' or a mapping with from, via[, authenticated, same_host]",
            )
        for key in value:
            if key not in keys:
                raise ConditionError(f"way_in.{key}", "unknown key; expected " + ", ".join(keys))
        sources = value["from"]
        zone, host_networks = sources == "zone", sources == "host_networks"
        if zone or host_networks:
            sources = []
        elif not isinstance(sources, list) or not sources:
            raise ConditionError(
                "way_in.from",
                "expected 'zone', 'host_networks' or a non-empty list of component ids",
            )
        for i, c in enumerate(sources):
            if c not in self.catalog.components:
                raise ConditionError(f"way_in.from[{i}]", f"unknown component {c!r}")
        via = value["via"]
        if not isinstance(via, str) or not via.strip():
            raise ConditionError("way_in.via", "expected the door in words")
        auth = value.get("authenticated", "none")
        if auth not in AUTHENTICATION_VALUES:
            raise ConditionError(
                "way_in.authenticated",
                f"expected one of {', '.join(AUTHENTICATION_VALUES)}, got {auth!r}",
            )
        return WayIn(
            sources=tuple(sources),
            via=" ".join(via.split()),
            authenticated=auth,
            same_host=self._flag(value.get("same_host", False), "way_in.same_host"),
            zone=zone,
            host_networks=host_networks,
        )

    def _evidence(self, value: Any) -> tuple[EvidenceSpec, ...]:
        if not isinstance(value, list):
            raise ConditionError("evidence", "expected a list of {tool, title[, component]}")
        specs = []
        for i, raw in enumerate(value):
            where = f"evidence[{i}]"
            if not isinstance(raw, dict) or not {"tool", "title"} <= set(raw):
                raise ConditionError(where, "expected a mapping with tool and title")
            for key in raw:
                if key not in ("tool", "title", "component"):
                    raise ConditionError(
                        f"{where}.{key}", "unknown key; expected tool, title, component"
                    )
            if raw["tool"] not in TOOLS:
                raise ConditionError(
                    f"{where}.tool", f"expected one of {', '.join(TOOLS)}, got {raw['tool']!r}"
                )
            if not isinstance(raw["title"], str) or not raw["title"]:
                raise ConditionError(f"{where}.title", "expected a regular expression")
            try:
                pattern = re.compile(raw["title"], re.IGNORECASE)
            except re.error as exc:
                raise ConditionError(
                    f"{where}.title", f"invalid regular expression: {exc}"
                ) from None
            component = raw.get("component")
            if component is not None and not isinstance(component, str):
                raise ConditionError(f"{where}.component", "expected a bench component name")
            specs.append(EvidenceSpec(tool=raw["tool"], title=pattern, component=component))
        return tuple(specs)


def _rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
    if path.is_file():
        return [path]
    raise RuleError(str(path), "no such rule file or folder")


def builtin_rules_dir() -> Path | None:
    try:
        folder = resources_dir() / "rules"
    except ResourceError:
        return None
    return folder if folder.is_dir() else None


def load_rules(
    extra: Sequence[str | Path] = (),
    *,
    model: Model | None = None,
    model_path: str | Path | None = None,
    catalog: Catalog | None = None,
    builtin: bool = True,
) -> RuleSet:
    """Built-in rules, then ``extra`` files or folders, then the model's ``rule_files``.

    A rule whose id is already loaded replaces it (users override built-ins); the RuleSet records
    which file did. Raises RuleError naming the file, the rule and the bad key.
    """
    reader = RuleFileReader(catalog or default_catalog())
    ruleset = RuleSet()
    sources: list[tuple[Path, bool]] = []
    if builtin and (folder := builtin_rules_dir()) is not None:
        sources += [(p, True) for p in _rule_files(folder)]
    for item in extra:
        sources += [(p, False) for p in _rule_files(Path(item))]
    if model is not None and model.rule_files:
        base = Path(model_path).resolve().parent if model_path else Path.cwd()
        for name in model.rule_files:
            path = Path(name) if Path(name).is_absolute() else base / name
            if not path.exists():
                raise RuleError(str(path), f"rule file named by the model ({name}) does not exist")
            sources += [(p, False) for p in _rule_files(path)]
    builtin_ids: dict[str, str] = {}
    for path, is_builtin in sources:
        ruleset.files.append(str(path))
        reader.strict_references = is_builtin
        for rule in reader.read_file(path):
            if rule.id in ruleset.rules:
                if is_builtin:  # two shipped files defining one id is our bug, not an override
                    raise RuleError(
                        str(path),
                        f"rule id also defined in {builtin_ids[rule.id]}",
                        rule_id=rule.id,
                    )
                ruleset.overrides[rule.id] = str(path)
            elif is_builtin:
                builtin_ids[rule.id] = str(path)
            ruleset.rules[rule.id] = rule
    return ruleset


def loads_rules(text: str, *, source: str = "<rules>", catalog: Catalog | None = None) -> RuleSet:
    """Rules from YAML text (tests, the UI's rule editor)."""
    try:
        data = parse_yaml_text(text, source=source)
    except YamlSafetyError as exc:
        raise RuleError(source, str(exc).removeprefix(f"{source}: ")) from None
    return RuleSet.of(RuleFileReader(catalog or default_catalog()).read_data(data, source))
