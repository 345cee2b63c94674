"""Normalization shared by the parsers: titles, statuses, severity, component hints, evidence.

The mappings are data in ``resources/bench/`` (docker.yaml, kubernetes.yaml, severity.yaml);
this module only applies them. See bench-formats.md §1.5, §1.7, §2.4, §2.9 and §4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from ..io.limits import MAX_FINDINGS
from ..model.findings import Finding
from ..paths import resource


def list_value(mapping: dict[str, Any], key: str) -> list[Any]:
    """``mapping[key]`` when it is a list, else an empty list: outputs are not trusted to be well formed."""
    value = mapping.get(key)
    return value if isinstance(value, list) else []


EVIDENCE_LIMIT = 2000  # characters kept per evidence value (kubelet configs can be KBs)
MATCH_CHARS = 2000  # the mapping patterns look at this much of a title (real ones: < 300)

_MARKERS = {"automated", "manual", "scored", "not scored", "deprecated"}
_DEPRECATED = re.compile(r"\s*\[DEPRECATED\]\s*", re.I)


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    value: Any
    sections: frozenset[str] = frozenset()
    node_types: frozenset[str] = frozenset()
    keywords_first: bool = False

    def applies(
        self, text: str, *, section: str | None = None, node_type: str | None = None
    ) -> bool:
        if self.sections and section not in self.sections:
            return False
        if self.node_types and node_type not in self.node_types:
            return False
        return bool(self.pattern.search(text[:MATCH_CHARS]))


def _rules(raw: list[dict[str, Any]] | None, value_key: str) -> tuple[Rule, ...]:
    return tuple(
        Rule(
            re.compile(r["pattern"], re.I),
            r.get(value_key),
            frozenset(str(s) for s in r.get("sections") or ()),
            frozenset(r.get("node_types") or ()),
            bool(r.get("keywords_first")),
        )
        for r in raw or ()
    )


def _load(name: str) -> dict[str, Any]:
    with open(resource("bench", name), encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@cache
def docker_data() -> dict[str, Any]:
    raw = _load("docker.yaml")
    return {
        "sections": {str(k): v for k, v in (raw.get("sections") or {}).items()},
        "prefixes": {str(k): v for k, v in (raw.get("prefixes") or {}).items()},
        "keywords": _rules(raw.get("keyword_rules"), "component"),
        "secondary": _rules(raw.get("secondary_rules"), "component"),
        "item_kinds": _rules(raw.get("item_kind_rules"), "kind"),
    }


@cache
def docker_flat_titles() -> tuple[dict[str, str], dict[str, str]]:
    """(check id -> title, section id -> title) for docker-bench <= 1.3.4 (CIS Docker 1.1.0),
    whose flat JSON carries no titles (cis-docker-1.1.0-titles.yaml)."""
    raw = _load("cis-docker-1.1.0-titles.yaml")
    return (
        {str(k): str(v) for k, v in (raw.get("checks") or {}).items()},
        {str(k): str(v) for k, v in (raw.get("sections") or {}).items()},
    )


@cache
def kube_data() -> dict[str, Any]:
    raw = _load("kubernetes.yaml")
    return {
        "node_types": dict(raw.get("node_types") or {}),
        "titles": _rules(raw.get("title_node_types"), "node_type"),
        "groups": _rules(raw.get("group_rules"), "component"),
        "keywords": _rules(raw.get("keyword_rules"), "component"),
    }


@cache
def severity_data() -> dict[str, Any]:
    raw = _load("severity.yaml")
    high = raw.get("high") or {}
    return {
        "docker": tuple(re.compile(p, re.I) for p in high.get("docker") or ()),
        "kubernetes": tuple(re.compile(p, re.I) for p in high.get("kubernetes") or ()),
        "stig": tuple(
            (re.compile(p, re.I), v) for p, v in (raw.get("stig_categories") or {}).items()
        ),
    }


@cache
def component_map() -> dict[str, tuple[str, ...]]:
    """Canonical hint key -> catalog component ids (resources/bench/components.yaml)."""
    return {str(k): tuple(v or ()) for k, v in _load("components.yaml").items()}


# -- titles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str
    automated: bool | None
    scored: bool | None
    deprecated: bool


def split_title(desc: str, *, check_id: str | None = None) -> Title:
    """Strip the trailing (Automated)/(Manual)/(Scored)/(Not Scored)/(Deprecated) markers."""
    text = " ".join(str(desc).split())
    automated = scored = None
    deprecated = False
    if _DEPRECATED.search(text):
        deprecated = True
        text = _DEPRECATED.sub(" ", text).strip()
    # trailing "(Manual)" markers, from the end: each is looked at once, and the text is cut
    # once (a search, or a slice, per marker would be quadratic in a title made of markers)
    end = len(text)
    while end and text[end - 1] == ")" and (start := text.rfind("(", 0, end)) >= 0:
        word = text[start + 1 : end - 1].lower()
        if word not in _MARKERS:
            break
        if word == "deprecated":
            deprecated = True
        elif word in ("automated", "scored"):
            automated = scored = True if automated is None else automated
        else:
            automated = scored = False if automated is None else automated
        end = start
        while end and text[end - 1].isspace():
            end -= 1
    text = text[:end]
    if check_id and text.startswith(check_id + " "):  # docker-bench 1.6.0's "1.1.12 1.1.12 Ensure"
        text = text[len(check_id) + 1 :].lstrip()
    return Title(text, automated, scored, deprecated)


# -- statuses ---------------------------------------------------------------------------------

DOCKER_STATUSES = {"PASS": "pass", "WARN": "fail", "INFO": "info", "NOTE": "manual"}


def docker_status(raw: str) -> str:
    return DOCKER_STATUSES.get(raw.upper(), "info")


def kube_status(raw: str, *, check_type: str = "", reason: str = "") -> str:
    raw = raw.upper()
    failed_to_run = reason.strip().lower().startswith("failed to run")
    if raw == "PASS":
        return "pass"
    if raw == "FAIL":
        return "error" if failed_to_run else "fail"
    if raw == "WARN":
        if check_type == "manual":
            return "manual"
        return "error" if failed_to_run else "warn"
    if raw == "INFO":
        return "skip" if "marked as skip" in reason.lower() or check_type == "skip" else "info"
    return "info"


def severity(finding: Finding, *, platform: str) -> str | None:
    """Derived severity (bench-formats.md §4); None for pass, info and skip."""
    if finding.status in ("pass", "info", "skip"):
        return None
    data = severity_data()
    group = (finding.group_title or "")[:MATCH_CHARS]
    title = finding.title[:MATCH_CHARS]
    for pattern, value in data["stig"]:
        if pattern.search(group):
            return value
    if finding.status in ("fail", "warn") and any(p.search(title) for p in data[platform]):
        return "high"
    if finding.status == "fail" and (finding.scored or finding.automated):
        return "medium"
    return "low"


# -- component hints --------------------------------------------------------------------------


def docker_section_of(check_id: str | None) -> str | None:
    if not check_id:
        return None
    if check_id.startswith("C."):
        return "99"
    return check_id.split(".", 1)[0]


def docker_component(section: str | None, check_id: str | None, title: str) -> str | None:
    data = docker_data()
    lowered = title.lower()
    for rule in data["keywords"]:
        if rule.applies(lowered, section=section):
            return rule.value
    if check_id:
        for prefix, component in sorted(data["prefixes"].items(), key=lambda kv: -len(kv[0])):
            if check_id == prefix or check_id.startswith(prefix + "."):
                return component
    spec = data["sections"].get(section or "")
    return spec.get("component") if spec else None


def docker_secondary(title: str) -> list[str]:
    lowered = title.lower()
    return [rule.value for rule in docker_data()["secondary"] if rule.applies(lowered)]


def docker_item_kind(section: str | None, title: str, details: str = "") -> str:
    text = f"{title[:MATCH_CHARS]} {details[:MATCH_CHARS]}".lower()
    for rule in docker_data()["item_kinds"]:
        if rule.applies(text, section=section):
            return rule.value
    spec = docker_data()["sections"].get(section or "")
    return (spec or {}).get("items") or "other"


def kube_node_type(title: str) -> str | None:
    for rule in kube_data()["titles"]:
        if rule.applies(title):
            return rule.value
    return None


def kube_component(node_type: str | None, group_title: str | None, title: str) -> str | None:
    data = kube_data()
    group = (group_title or "").strip()
    lowered = title.lower()
    keywords_first = not group
    chosen: str | None = None
    for rule in data["groups"]:
        if rule.applies(group, node_type=node_type):
            keywords_first = keywords_first or rule.keywords_first
            chosen = rule.value
            break
    else:
        keywords_first = True
    if keywords_first:
        for rule in data["keywords"]:
            if rule.applies(lowered):
                return rule.value
    if chosen:
        return chosen
    return data["node_types"].get(node_type or "")


# -- evidence ---------------------------------------------------------------------------------


def clip(value: Any) -> str:
    text = str(value)
    if len(text) <= EVIDENCE_LIMIT:
        return text
    return text[:EVIDENCE_LIMIT] + f" … (truncated, {len(text)} characters)"


def evidence(**values: Any) -> dict[str, str]:
    return {k: clip(v) for k, v in values.items() if v not in (None, "", [])}


class TooManyFindingsError(Exception):
    """A run with more checks than MAX_FINDINGS (real runs have a few hundred)."""


class UniqueKeys:
    """Finding keys of one run: the check id, then ``id#2``, ``id#3``... for repeats. Remembers
    the next number per id, so a file that repeats one id 100,000 times costs linear time.
    Every finding takes a key, so this is also where MAX_FINDINGS is enforced."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.used)

    def __contains__(self, key: object) -> bool:
        return key in self.used

    def take(self, base: str) -> str:
        if len(self.used) >= MAX_FINDINGS:
            raise TooManyFindingsError(f"more than {MAX_FINDINGS:,} checks in one run")
        key, n = base, self.next_suffix.get(base, 2)
        if key in self.used:
            while (key := f"{base}#{n}") in self.used:
                n += 1
            self.next_suffix[base] = n + 1
        self.used.add(key)
        return key


def unique_key(base: str, used: UniqueKeys) -> str:
    return used.take(base)
