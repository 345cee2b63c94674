"""The JSON Schema of the model format, generated from the catalog and the reader's enums.

The shipped copy is ``resources/schema/stride-model.schema.json``; a test checks it is current.
Regenerate with ``python -m stride_desktop.io.schema > resources/schema/stride-model.schema.json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..model import (
    AUTHENTICATION_VALUES,
    BOUNDARY_KINDS,
    CHANNELS,
    CLASSIFICATIONS,
    FINDING_STATUSES,
    PLAN_STATES,
    SEVERITY_LEVELS,
    STRIDE_CATEGORIES,
    TRIAGE_STATUSES,
)
from ..model.catalog import Catalog, PropertySpec
from .catalog import default_catalog
from .fields import ID_PATTERN, NOT_IN_NAMES
from .limits import MAX_COORDINATE, MAX_INT, MAX_NAME_CHARS, MAX_TEXT_CHARS, PORTS, TRUST_LEVELS
from .migrations import CURRENT_VERSION

_ID = {"type": "string", "pattern": ID_PATTERN.pattern}
_STR = {"type": "string", "maxLength": MAX_TEXT_CHARS}
_OPT_STR = {"type": ["string", "null"], "maxLength": MAX_TEXT_CHARS}
_NAME = {
    "type": "string",
    "maxLength": MAX_NAME_CHARS,
    "pattern": "^[^" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in NOT_IN_NAMES) + "]*$",
}
_INT = {"type": "integer", "minimum": -MAX_INT, "maximum": MAX_INT}
_COORD = {"type": "number", "minimum": -MAX_COORDINATE, "maximum": MAX_COORDINATE}


def _obj(properties: dict[str, Any], required: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _property_schema(spec: PropertySpec) -> dict[str, Any]:
    schema: dict[str, Any] = {"description": spec.label, "default": spec.default}
    by_type: dict[str, dict[str, Any]] = {
        "bool": {"type": "boolean"},
        "int": _INT,
        "str": _STR,
        "enum": {"enum": list(spec.values)},
        "list": {"type": "array", "items": _STR},
    }
    schema.update(by_type[spec.type])
    return schema


def _element_schema(catalog: Catalog) -> dict[str, Any]:
    base = _obj(
        {
            "id": _ID,
            "name": _NAME,
            "component": {"enum": sorted(catalog.components)},
            "boundary": _OPT_STR,
            "pos": {"type": "array", "items": _COORD, "minItems": 2, "maxItems": 2},
            "properties": {"type": "object"},
            "description": _STR,
        },
        ["id", "component"],
    )
    base["allOf"] = [
        {
            "if": {"properties": {"component": {"const": cid}}},
            "then": {
                "properties": {
                    "properties": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {p.name: _property_schema(p) for p in component.properties},
                    }
                }
            },
        }
        for cid, component in sorted(catalog.components.items())
    ]
    return base


def model_schema(catalog: Catalog | None = None) -> dict[str, Any]:
    catalog = catalog or default_catalog()
    finding = _obj(
        {
            "key": _STR,
            "check_id": _OPT_STR,
            "title": _STR,
            "status": {"enum": list(FINDING_STATUSES)},
            "raw_status": _STR,
            "section_id": _OPT_STR,
            "section_title": _OPT_STR,
            "group_id": _OPT_STR,
            "group_title": _OPT_STR,
            "automated": {"type": ["boolean", "null"]},
            "scored": {"type": ["boolean", "null"]},
            "deprecated": {"type": "boolean"},
            "severity": {"enum": ["low", "medium", "high", None]},
            "remediation": _STR,
            "remediation_impact": _STR,
            "evidence": {"type": "object", "additionalProperties": _STR},
            "affected": {
                "type": "array",
                "items": _obj(
                    {"kind": _STR, "name": _STR, "qualifier": _STR, "raw": _STR}, ["name"]
                ),
            },
            "component": _OPT_STR,
            "locator": _STR,
            "elements": {"type": "array", "items": _STR},
            "assigned_by_hand": {"type": "array", "items": _STR},
        },
        ["key", "status"],
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://stride-desktop.invalid/schema/stride-model.schema.json",
        "title": "STRIDE Desktop threat model",
        **_obj(
            {
                "stride_model": {
                    "enum": list(range(1, CURRENT_VERSION + 1)),
                    "description": "format version (older versions are migrated on load)",
                },
                "name": _NAME,
                "description": _STR,
                "author": _STR,
                "owner": _STR,
                "version": _STR,
                "rule_files": {"type": "array", "items": _STR},
                "boundaries": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _ID,
                            "name": _NAME,
                            "trust": {
                                "type": "integer",
                                "minimum": TRUST_LEVELS[0],
                                "maximum": TRUST_LEVELS[1],
                            },
                            "kind": {"enum": list(BOUNDARY_KINDS)},
                            "parent": _OPT_STR,
                            "rect": {
                                "type": "array",
                                "items": _COORD,
                                "minItems": 4,
                                "maxItems": 4,
                            },
                            "description": _STR,
                        },
                        ["id"],
                    ),
                },
                "elements": {"type": "array", "items": _element_schema(catalog)},
                "flows": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _ID,
                            "source": _STR,
                            "target": _STR,
                            "name": _NAME,
                            "protocol": _STR,
                            "channel": {"enum": list(CHANNELS)},
                            "port": {
                                "type": ["integer", "null"],
                                "minimum": PORTS[0],
                                "maximum": PORTS[1],
                            },
                            "encrypted": {"type": "boolean"},
                            "authenticated": {"enum": list(AUTHENTICATION_VALUES)},
                            "data": {"enum": list(CLASSIFICATIONS)},
                            "description": _STR,
                        },
                        ["id", "source", "target"],
                    ),
                },
                "triage": {
                    "type": "object",
                    "additionalProperties": _obj(
                        {
                            "status": {"enum": list(TRIAGE_STATUSES)},
                            "note": _STR,
                            "owner": _STR,
                            "ticket": _STR,
                        }
                    ),
                },
                "bench_runs": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _ID,
                            "tool": _STR,
                            "format": _STR,
                            "benchmark": _OPT_STR,
                            "tool_version": _OPT_STR,
                            "source_file": _STR,
                            "imported_at": _STR,
                            "scope": _OPT_STR,
                            "findings": {"type": "array", "items": finding},
                        },
                        ["id", "tool", "format"],
                    ),
                },
                "hardening": {
                    "type": "array",
                    "items": _obj(
                        {
                            "finding": _STR,
                            "note": _STR,
                            "threats": {"type": "array", "items": _STR},
                            "owner": _STR,
                            "due": {"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2})?$"},
                            "state": {"enum": list(PLAN_STATES)},
                        },
                        ["finding"],
                    ),
                },
                "custom_threats": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _ID,
                            "target": _STR,
                            "title": _STR,
                            "category": {"enum": list(STRIDE_CATEGORIES)},
                            "severity": {"enum": list(SEVERITY_LEVELS)},
                            "description": _STR,
                            "mitigation": _STR,
                            "finding": _STR,
                        },
                        ["id", "target", "title"],
                    ),
                },
            },
            ["stride_model"],
        ),
    }


def schema_text() -> str:
    return json.dumps(model_schema(), indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
