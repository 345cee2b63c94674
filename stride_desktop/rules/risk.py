"""The numbers behind severity = likelihood x impact, read from ``resources/risk/severity.yaml``.

Kept as data so they can be tuned and documented in one place (docs/rules.md "Severity"). A
``RiskTable`` is immutable; ``default_risk()`` loads the shipped file once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..io.safe_yaml import read_yaml_file
from ..model import AUTHENTICATION_VALUES, CLASSIFICATIONS
from ..paths import resource
from .errors import RulesError
from .threat import CATEGORIES, SEVERITIES

LEVELS = (1, 2, 3, 4)


class RiskTableError(RulesError):
    """A malformed severity table; the message names the file and the key."""


@dataclass(frozen=True)
class RiskTable:
    severity_limits: tuple[tuple[int, str], ...]  # (largest product, severity), ascending
    likelihood_names: dict[int, str]
    likelihood_by_cost: tuple[tuple[int, int], ...]  # (largest cost, likelihood), ascending
    hop: dict[str, int]  # authentication -> cost of a hop
    start_attacker: int
    start_untrusted_entity: int
    start_untrusted_service: int
    servers: frozenset[str]
    exposure_properties: tuple[str, ...]
    exposed: int
    # the property listing published ports, and the pattern of one published on every interface
    published_property: str
    published_every_interface: re.Pattern[str] | None
    isolation_properties: tuple[str, ...]
    isolated: int
    impact_names: dict[int, str]
    data_worth: dict[str, int]
    external_worth: int
    default_worth: int
    component_worth: dict[str, int]
    generic_min_likelihood: int
    generic_impact_cap: dict[str, int]  # STRIDE category -> highest impact of a generic threat
    generic_max_severity: str

    def severity(self, likelihood: int, impact: int) -> str:
        product = likelihood * impact
        for limit, name in self.severity_limits:
            if product <= limit:
                return name
        return self.severity_limits[-1][1]

    def publishes_everywhere(self, props: dict[str, Any]) -> bool:
        """Whether an element's properties publish a port on every interface of its host."""
        pattern = self.published_every_interface
        if pattern is None or not (value := props.get(self.published_property)):
            return False
        items = value if isinstance(value, list) else [value]
        return any(isinstance(i, str) and pattern.fullmatch(i) for i in items)

    def likelihood(self, cost: float) -> int:
        for limit, level in self.likelihood_by_cost:
            if cost <= limit:
                return level
        return 1


def _fail(path: Path, key: str, expected: str, got: Any) -> RiskTableError:
    return RiskTableError(f"{path}: {key}: expected {expected}, got {got!r}")


def _level_map(path: Path, key: str, raw: Any, values: tuple[Any, ...] | None = None) -> dict:
    if not isinstance(raw, dict):
        raise _fail(path, key, "a mapping", raw)
    out = {}
    for k, v in raw.items():
        if values is not None and k not in values:
            raise _fail(path, f"{key}.{k}", "one of " + ", ".join(map(str, values)), k)
        out[k] = v
    return out


def _int(path: Path, key: str, raw: Any, *, low: int = 0, high: int = 100) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise _fail(path, key, f"an integer from {low} to {high}", raw)
    return raw


def _severity(path: Path, key: str, raw: Any) -> str:
    if raw not in SEVERITIES:
        raise _fail(path, key, "one of " + ", ".join(SEVERITIES), raw)
    return str(raw)


def _names(path: Path, key: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise _fail(path, key, "a list of names", raw)
    return tuple(raw)


def _published(path: Path, raw: Any) -> tuple[str, re.Pattern[str] | None]:
    """``attack_paths.published_ports``: the property and the every-interface pattern."""
    if raw is None:
        return "", None
    key = "attack_paths.published_ports"
    if not isinstance(raw, dict) or not isinstance(raw.get("property"), str):
        raise _fail(path, key, "a mapping with property and every_interface", raw)
    pattern = raw.get("every_interface")
    if not isinstance(pattern, str) or not pattern:
        raise _fail(path, f"{key}.every_interface", "a regular expression", pattern)
    try:
        return raw["property"], re.compile(pattern)
    except re.error as exc:
        raise _fail(
            path, f"{key}.every_interface", "a valid regular expression", str(exc)
        ) from None


def load_risk_table(path: Path) -> RiskTable:
    """Read and check a severity table; every problem names the file and the key."""
    data = read_yaml_file(path)
    if not isinstance(data, dict):
        raise _fail(path, "(top)", "a mapping", data)
    try:
        limits = _level_map(path, "severity", data["severity"], SEVERITIES)
        likelihood = data["likelihood"]
        paths = data["attack_paths"]
        start = paths["start"]
        impact = data["impact"]
        generics = data["generics"]
    except (KeyError, TypeError) as exc:
        raise RiskTableError(f"{path}: missing key {exc}") from None
    if set(limits) != set(SEVERITIES):
        raise _fail(path, "severity", "a limit for each of " + ", ".join(SEVERITIES), limits)
    severity_limits = tuple(
        sorted((_int(path, f"severity.{s}", n, high=16), s) for s, n in limits.items())
    )
    by_cost = _level_map(path, "likelihood.by_cost", likelihood.get("by_cost"))
    hop = _level_map(path, "attack_paths.hop", paths.get("hop"), AUTHENTICATION_VALUES)
    if set(hop) != set(AUTHENTICATION_VALUES):
        raise _fail(path, "attack_paths.hop", "a cost for each authentication", hop)
    data_worth = _level_map(path, "impact.data", impact.get("data"), CLASSIFICATIONS)
    published_property, published_pattern = _published(path, paths.get("published_ports"))
    return RiskTable(
        severity_limits=severity_limits,
        likelihood_names={
            _int(path, "likelihood.names", k, low=1, high=4): str(v)
            for k, v in _level_map(path, "likelihood.names", likelihood.get("names")).items()
        },
        likelihood_by_cost=tuple(
            sorted(
                (_int(path, "likelihood.by_cost", c), _int(path, f"by_cost.{c}", v, low=1, high=4))
                for c, v in by_cost.items()
            )
        ),
        hop={k: _int(path, f"attack_paths.hop.{k}", v) for k, v in hop.items()},
        start_attacker=_int(path, "start.attacker", start.get("attacker")),
        start_untrusted_entity=_int(path, "start.untrusted_entity", start.get("untrusted_entity")),
        start_untrusted_service=_int(
            path, "start.untrusted_service", start.get("untrusted_service")
        ),
        servers=frozenset(_names(path, "attack_paths.servers", paths.get("servers", []))),
        exposure_properties=_names(
            path, "attack_paths.exposure_properties", paths.get("exposure_properties", [])
        ),
        exposed=_int(path, "attack_paths.exposed", paths.get("exposed")),
        published_property=published_property,
        published_every_interface=published_pattern,
        isolation_properties=_names(
            path, "attack_paths.isolation_properties", paths.get("isolation_properties", [])
        ),
        isolated=_int(path, "attack_paths.isolated", paths.get("isolated")),
        impact_names={
            _int(path, "impact.names", k, low=1, high=4): str(v)
            for k, v in _level_map(path, "impact.names", impact.get("names")).items()
        },
        data_worth={
            k: _int(path, f"impact.data.{k}", v, low=1, high=4) for k, v in data_worth.items()
        },
        external_worth=_int(
            path, "impact.external_entity", impact.get("external_entity"), low=1, high=4
        ),
        default_worth=_int(path, "impact.default", impact.get("default"), low=1, high=4),
        component_worth={
            str(k): _int(path, f"impact.components.{k}", v, low=1, high=4)
            for k, v in _level_map(path, "impact.components", impact.get("components", {})).items()
        },
        generic_min_likelihood=_int(
            path, "generics.min_likelihood", generics.get("min_likelihood"), low=1, high=4
        ),
        generic_max_severity=_severity(path, "generics.max_severity", generics.get("max_severity")),
        generic_impact_cap={
            k: _int(path, f"generics.impact_cap.{k}", v, low=1, high=4)
            for k, v in _level_map(
                path, "generics.impact_cap", generics.get("impact_cap", {}), CATEGORIES
            ).items()
        },
    )


@cache
def default_risk() -> RiskTable:
    """The shipped table, loaded once."""
    return load_risk_table(resource("risk", "severity.yaml"))
