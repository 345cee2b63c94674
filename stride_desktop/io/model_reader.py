"""Build a Model from parsed YAML, collecting every problem with its path."""

from __future__ import annotations

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
    AffectedObject,
    BenchRun,
    Boundary,
    Catalog,
    CustomThreat,
    Element,
    Finding,
    Flow,
    HardeningEntry,
    Model,
    TriageEntry,
)
from .fields import (
    MISSING,
    FieldReader,
    describe,
    describe_key,
    int_in,
    is_bool,
    is_date,
    is_id,
    is_int,
    is_name,
    is_opt_bool,
    is_opt_str,
    is_record_list,
    is_record_map,
    is_str,
    number_list,
    one_of,
    str_list,
    str_map,
)
from .limits import MAX_COORDINATE, PORTS, TRUST_LEVELS

BOUNDARY_SPEC = {
    "id": (is_id, MISSING),
    "name": (is_name, ""),
    "trust": (int_in(*TRUST_LEVELS, what="a trust level"), 1),
    "kind": (one_of(*BOUNDARY_KINDS), "generic"),
    "parent": (is_opt_str, None),
    "rect": (number_list(4), [0, 0, 400, 300]),
    "description": (is_str, ""),
}
ELEMENT_SPEC = {
    "id": (is_id, MISSING),
    "name": (is_name, ""),
    "component": (is_str, MISSING),
    "boundary": (is_opt_str, None),
    "pos": (number_list(2), [0, 0]),
    "properties": (lambda v: None if isinstance(v, dict) else "a mapping", dict),
    "description": (is_str, ""),
}
FLOW_SPEC = {
    "id": (is_id, MISSING),
    "source": (is_str, MISSING),
    "target": (is_str, MISSING),
    "name": (is_name, ""),
    "protocol": (is_str, "tcp"),
    "channel": (one_of(*CHANNELS), "network"),
    "port": (int_in(*PORTS, what="a port number", nullable=True), None),
    "encrypted": (is_bool, False),
    "authenticated": (one_of(*AUTHENTICATION_VALUES), "none"),
    "data": (one_of(*CLASSIFICATIONS), "internal"),
    "description": (is_str, ""),
}
TRIAGE_SPEC = {
    "status": (one_of(*TRIAGE_STATUSES), "open"),
    "note": (is_str, ""),
    "owner": (is_str, ""),
    "ticket": (is_str, ""),
}
HARDENING_SPEC = {
    "finding": (is_str, MISSING),
    "note": (is_str, ""),
    "threats": (str_list, list),
    "owner": (is_str, ""),
    "due": (is_date, ""),
    "state": (one_of(*PLAN_STATES), "planned"),
}
CUSTOM_THREAT_SPEC = {
    "id": (is_id, MISSING),
    "target": (is_str, MISSING),
    "title": (is_str, MISSING),
    "category": (one_of(*STRIDE_CATEGORIES), "Tampering"),
    "severity": (one_of(*SEVERITY_LEVELS), "medium"),
    "description": (is_str, ""),
    "mitigation": (is_str, ""),
    "finding": (is_str, ""),
}
RUN_SPEC = {
    "id": (is_id, MISSING),
    "tool": (is_str, MISSING),
    "format": (is_str, MISSING),
    "benchmark": (is_opt_str, None),
    "tool_version": (is_opt_str, None),
    "source_file": (is_str, ""),
    "imported_at": (is_str, ""),
    "scope": (is_opt_str, None),
    "findings": (is_record_list, list),
}
FINDING_SPEC = {
    "key": (is_str, MISSING),
    "check_id": (is_opt_str, None),
    "title": (is_str, ""),
    "status": (one_of(*FINDING_STATUSES), MISSING),
    "raw_status": (is_str, ""),
    "section_id": (is_opt_str, None),
    "section_title": (is_opt_str, None),
    "group_id": (is_opt_str, None),
    "group_title": (is_opt_str, None),
    "automated": (is_opt_bool, None),
    "scored": (is_opt_bool, None),
    "deprecated": (is_bool, False),
    "severity": (
        lambda v: None if v in (None, "low", "medium", "high") else "low, medium, high or null",
        None,
    ),
    "remediation": (is_str, ""),
    "remediation_impact": (is_str, ""),
    "evidence": (str_map, dict),
    "affected": (is_record_list, list),
    "component": (is_opt_str, None),
    "locator": (is_str, ""),
    "elements": (str_list, list),
    "assigned_by_hand": (str_list, list),
}
AFFECTED_SPEC = {
    "kind": (is_str, "other"),
    "name": (is_str, MISSING),
    "qualifier": (is_str, ""),
    "raw": (is_str, ""),
}
TOP_SPEC = {
    "stride_model": (is_int, MISSING),
    "name": (is_name, "Untitled model"),
    "description": (is_str, ""),
    "author": (is_str, ""),
    "owner": (is_str, ""),
    "version": (is_str, ""),
    "boundaries": (is_record_list, list),
    "elements": (is_record_list, list),
    "flows": (is_record_list, list),
    "triage": (is_record_map, dict),
    "bench_runs": (is_record_list, list),
    "hardening": (is_record_list, list),
    "custom_threats": (is_record_list, list),
    "rule_files": (str_list, list),
}


class ModelReader:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.problems: list[str] = []
        self.fields = FieldReader(self.problems)

    def read(self, data: Any) -> Model:
        top = self.fields.read(data, "model", TOP_SPEC) or {}
        model = Model(
            **{
                k: top.get(k, Model.__dataclass_fields__[k].default)
                for k in ("name", "description", "author", "owner", "version")
            }
        )
        model.rule_files = list(top.get("rule_files") or [])
        model.boundaries = [
            b
            for i, raw in enumerate(top.get("boundaries") or [])
            if (b := self._boundary(raw, f"boundaries[{i}]"))
        ]
        model.elements = [
            e
            for i, raw in enumerate(top.get("elements") or [])
            if (e := self._element(raw, f"elements[{i}]"))
        ]
        model.flows = [
            f
            for i, raw in enumerate(top.get("flows") or [])
            if (f := self._flow(raw, f"flows[{i}]"))
        ]
        for threat_id, raw in (top.get("triage") or {}).items():
            values = self.fields.read(raw, f"triage[{describe(threat_id)}]", TRIAGE_SPEC)
            if not isinstance(threat_id, str):
                self.problems.append(f"triage: key {describe(threat_id)} is not a threat id")
            elif values is not None:
                model.triage[threat_id] = TriageEntry(**values)
        model.bench_runs = [
            r
            for i, raw in enumerate(top.get("bench_runs") or [])
            if (r := self._run(raw, f"bench_runs[{i}]"))
        ]
        model.hardening = [
            HardeningEntry(**v)
            for i, raw in enumerate(top.get("hardening") or [])
            if (v := self.fields.read(raw, f"hardening[{i}]", HARDENING_SPEC))
        ]
        model.custom_threats = [
            CustomThreat(**v)
            for i, raw in enumerate(top.get("custom_threats") or [])
            if (v := self.fields.read(raw, f"custom_threats[{i}]", CUSTOM_THREAT_SPEC))
        ]
        return model

    def _boundary(self, raw: Any, path: str) -> Boundary | None:
        values = self.fields.read(raw, path, BOUNDARY_SPEC)
        if values is None:
            return None
        values["rect"] = tuple(float(v) for v in values["rect"])
        if values["rect"][2] <= 0 or values["rect"][3] <= 0:
            self.problems.append(f"{path}.rect: width and height must be positive")
        elif (
            max(
                abs(values["rect"][0] + values["rect"][2]),
                abs(values["rect"][1] + values["rect"][3]),
            )
            > MAX_COORDINATE
        ):
            self.problems.append(
                f"{path}.rect: the rectangle reaches past {MAX_COORDINATE:,.0f} on the canvas"
            )
        return Boundary(**values)

    def _element(self, raw: Any, path: str) -> Element | None:
        values = self.fields.read(raw, path, ELEMENT_SPEC)
        if values is None:
            return None
        values["pos"] = tuple(float(v) for v in values["pos"])
        component = (
            self.catalog.components.get(values["component"]) if values["component"] else None
        )
        if values["component"] and component is None:
            self.problems.append(
                f"{path}.component: unknown component {describe(values['component'])}"
            )
        if component is not None:
            for name, value in values["properties"].items():
                spec = component.property(name) if isinstance(name, str) else None
                if spec is None:
                    known = ", ".join(p.name for p in component.properties) or "none"
                    self.problems.append(
                        f"{path}.properties.{describe_key(name)}: unknown property of "
                        f"{component.id} (known: {known})"
                    )
                elif (expected := spec.check(value)) is not None:
                    self.problems.append(
                        f"{path}.properties.{name}: expected {expected}, got {describe(value)}"
                    )
        return Element(**values)

    def _flow(self, raw: Any, path: str) -> Flow | None:
        values = self.fields.read(raw, path, FLOW_SPEC)
        return Flow(**values) if values is not None else None

    def _run(self, raw: Any, path: str) -> BenchRun | None:
        values = self.fields.read(raw, path, RUN_SPEC)
        if values is None:
            return None
        findings = []
        for i, item in enumerate(values.pop("findings")):
            fvalues = self.fields.read(item, f"{path}.findings[{i}]", FINDING_SPEC)
            if fvalues is None:
                continue
            affected = [
                AffectedObject(**a)
                for j, obj in enumerate(fvalues.pop("affected"))
                if (
                    a := self.fields.read(obj, f"{path}.findings[{i}].affected[{j}]", AFFECTED_SPEC)
                )
            ]
            findings.append(Finding(**fvalues, affected=affected))
        return BenchRun(**values, findings=findings)
