"""Component catalog types: what kinds of element exist and which typed properties they carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any


class DfdKind(str, Enum):
    EXTERNAL_ENTITY = "external_entity"
    PROCESS = "process"
    DATA_STORE = "data_store"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


PROPERTY_TYPES = ("bool", "int", "str", "enum", "list")


@dataclass(frozen=True)
class PropertySpec:
    name: str
    type: str  # one of PROPERTY_TYPES
    default: Any
    label: str = ""
    description: str = ""
    values: tuple[str, ...] = ()  # for enum

    def check(self, value: Any) -> str | None:
        """None when ``value`` fits this property, else what was expected."""
        if self.type == "bool":
            return None if isinstance(value, bool) else "a boolean (true or false)"
        if self.type == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
            return None if ok else "an integer"
        if self.type == "str":
            return None if isinstance(value, str) else "a string"
        if self.type == "enum":
            return None if value in self.values else "one of " + ", ".join(self.values)
        if self.type == "list":
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            return None if ok else "a list of strings"
        return f"a value of type {self.type}"


@dataclass(frozen=True)
class ComponentType:
    id: str  # "docker.daemon"
    name: str
    kind: DfdKind
    platform: str  # docker | kubernetes | generic
    description: str = ""
    icon: str = ""
    bench_components: tuple[str, ...] = ()  # canonical bench component hints it answers to
    properties: tuple[PropertySpec, ...] = ()

    def property(self, name: str) -> PropertySpec | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, PropertySpec]:
        """The properties by name (the loader asks once per property of every element)."""
        by_name: dict[str, PropertySpec] = {}
        for p in self.properties:
            by_name.setdefault(p.name, p)  # the first of a name, as a search in order finds
        return by_name

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.properties}


@dataclass
class Catalog:
    components: dict[str, ComponentType] = field(default_factory=dict)

    def get(self, component_id: str) -> ComponentType:
        try:
            return self.components[component_id]
        except KeyError:
            known = ", ".join(sorted(self.components))
            raise KeyError(f"unknown component '{component_id}'; known: {known}") from None

    def kind_of(self, component_id: str) -> DfdKind:
        return self.get(component_id).kind

    def by_platform(self, platform: str) -> list[ComponentType]:
        return [c for c in self.components.values() if c.platform == platform]

    def property_value(self, element_component: str, properties: dict[str, Any], name: str) -> Any:
        """A property's value on an element, falling back to the catalog default."""
        if name in properties:
            return properties[name]
        spec = self.components.get(element_component)
        prop = spec.property(name) if spec else None
        return prop.default if prop else None
