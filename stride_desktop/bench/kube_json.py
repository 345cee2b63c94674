"""kube-bench JSON (§2.2-2.3, §2.8): {"Controls","Totals"}, bare array, concatenated objects,
v0.0.x Go field names, log lines before the JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from ..model.findings import BenchRun, Finding
from . import normalize as nz
from .budget import json_decoder
from .errors import BenchError
from .result import ParseResult

TOOL = "kube-bench"
TOTAL_KEYS = ("pass", "fail", "warn", "info")
_JSON_START = re.compile(r"^[ \t]*[\[{]", re.M)
_BLANK = re.compile(r"[ \t\r\n]*")


def decode_documents(text: str, *, source: str) -> tuple[list[Any], list[str]]:
    """Every JSON value in the text, skipping leading non-JSON lines (glog, kubectl)."""
    decoder = json_decoder()
    notes: list[str] = []
    start = _JSON_START.search(text)
    if start is None:
        raise BenchError("no JSON found", file=source)
    if start.start() > 0:
        skipped = text[: start.start()].count("\n")
        notes.append(f"skipped {skipped} line(s) before the JSON")
    pos = start.start()
    docs: list[Any] = []
    while True:
        pos = _BLANK.match(text, pos).end()  # type: ignore[union-attr]  # always matches
        if pos >= len(text):
            break
        try:
            doc, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            if not docs:
                raise BenchError(
                    f"invalid or truncated JSON ({exc.msg})",
                    file=source,
                    place=f"line {exc.lineno} column {exc.colno}",
                ) from None
            line = text.count("\n", 0, pos) + 1
            notes.append(f"ignored text after the JSON from line {line}")
            break
        except RecursionError:
            raise BenchError("JSON nested too deeply", file=source) from None
        docs.append(doc)
    return docs, notes


def controls_of(
    docs: list[Any],
) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, int] | None, str]:
    """(pointer, Controls) pairs, the stated Totals (if any) and the shape name."""
    controls: list[tuple[str, dict[str, Any]]] = []
    totals: dict[str, int] | None = None
    shapes = []
    for d, doc in enumerate(docs):
        prefix = f"/{d}" if len(docs) > 1 else ""
        if isinstance(doc, dict) and isinstance(doc.get("Controls"), list):
            shapes.append("controls")
            controls += [(f"{prefix}/Controls/{i}", c) for i, c in enumerate(doc["Controls"])]
            if isinstance(doc.get("Totals"), dict):
                totals = _sum(totals, {k: doc["Totals"].get(f"total_{k}") for k in TOTAL_KEYS})
        elif isinstance(doc, list):
            shapes.append("array")
            controls += [(f"{prefix}/{i}", c) for i, c in enumerate(doc)]
        elif isinstance(doc, dict):
            shapes.append("object")
            controls.append((prefix or "", doc))
    shape = shapes[0] if len(set(shapes)) == 1 else "mixed"
    if shape == "object" and len(docs) > 1:
        shape = "concatenated"
    return controls, totals, shape


def _sum(into: dict[str, int] | None, add: dict[str, Any]) -> dict[str, int]:
    result = dict(into or {})
    for key, value in add.items():
        if isinstance(value, int) and not isinstance(value, bool):
            result[key] = result.get(key, 0) + value
    return result


def is_controls(obj: Any) -> bool:
    return isinstance(obj, dict) and (
        "node_type" in obj
        or isinstance(obj.get("tests"), list)
        or isinstance(obj.get("Groups"), list)
    )


def check_finding(
    raw: dict[str, Any],
    *,
    key: str,
    node_type: str | None,
    section: tuple[str | None, str | None],
    group: tuple[str | None, str | None],
    locator: str,
) -> Finding:
    """One kube-bench Check object (current snake_case or v0.0.x Go names) -> Finding."""
    check_id = str(raw.get("test_number", raw.get("id", "")) or "").strip() or None
    desc = str(raw.get("test_desc", raw.get("Text", "")) or "")
    title = nz.split_title(desc)
    raw_status = str(raw.get("status", raw.get("State", "")) or "").upper()
    check_type = str(raw.get("type", "") or "")
    reason = str(raw.get("reason", "") or "")
    remediation = raw.get("remediation", raw.get("Remediation"))
    if not remediation and isinstance(raw.get("test_info"), list):
        remediation = "\n".join(str(x) for x in raw["test_info"])
    scored = raw.get("scored") if isinstance(raw.get("scored"), bool) else title.scored
    finding = Finding(
        key=key,
        check_id=check_id,
        title=title.text,
        status=nz.kube_status(raw_status, check_type=check_type, reason=reason),
        raw_status=raw_status,
        section_id=section[0],
        section_title=section[1],
        group_id=group[0],
        group_title=group[1],
        automated=title.automated
        if title.automated is not None
        else (False if check_type == "manual" else None),
        scored=scored,
        deprecated=title.deprecated,
        remediation=str(remediation or "").strip(),
        evidence=nz.evidence(
            actual_value=raw.get("actual_value"),
            expected_result=raw.get("expected_result"),
            reason=reason,
            audit=raw.get("audit"),
        ),
        component=nz.kube_component(node_type, group[1], title.text),
        locator=locator,
    )
    finding.severity = nz.severity(finding, platform="kubernetes")
    return finding


def build(controls: list[tuple[str, dict[str, Any]]], *, source: str, fmt: str) -> ParseResult:
    run = BenchRun(id="", tool=TOOL, format=fmt, source_file=source)
    result = ParseResult(run=run)
    used = nz.UniqueKeys()
    versions: dict[str, None] = {}  # in order, each once
    for pointer, ctrl in controls:
        if not is_controls(ctrl):
            result.skipped.append(f"{pointer or '/'}: not a kube-bench Controls object")
            continue
        version = str(ctrl.get("version", ctrl.get("Version", "")) or "")
        if version:
            versions.setdefault(version)
        text = str(ctrl.get("text", ctrl.get("Text", "")) or "")
        node_type = str(ctrl.get("node_type", ctrl.get("Type", "")) or "") or nz.kube_node_type(
            text
        )
        section = (str(ctrl.get("id", ctrl.get("ID", "")) or "") or None, text or None)
        groups_key = "tests" if "tests" in ctrl else "Groups"
        groups = nz.list_value(ctrl, groups_key)
        for g, group in enumerate(groups):
            gpointer = f"{pointer}/{groups_key}/{g}"
            if not isinstance(group, dict):
                result.skipped.append(f"{gpointer}: not a group object")
                continue
            gid = str(group.get("section", group.get("ID", "")) or "") or None
            gdesc = str(group.get("desc", group.get("Text", "")) or "") or None
            results_key = "results" if "results" in group else "Checks"
            checks = nz.list_value(group, results_key)
            for c, check in enumerate(checks):
                cpointer = f"{gpointer}/{results_key}/{c}"
                if not isinstance(check, dict) or not (check.get("status") or check.get("State")):
                    result.skipped.append(f"{cpointer}: not a check result")
                    continue
                base = (
                    str(check.get("test_number", check.get("id", "")) or "").strip()
                    or f"check-{len(used) + 1}"
                )
                key = nz.unique_key(base, used)
                run.findings.append(
                    check_finding(
                        check,
                        key=key,
                        node_type=node_type,
                        section=section,
                        group=(gid, gdesc),
                        locator=cpointer,
                    )
                )
    run.benchmark = ", ".join(versions) or None
    if not run.findings and not result.skipped and not controls:
        raise BenchError("kube-bench JSON without any Controls", file=source)
    return result


def parse(text: str, *, source: str) -> ParseResult:
    docs, notes = decode_documents(text, source=source)
    controls, totals, shape = controls_of(docs)
    if not controls:
        raise BenchError("no kube-bench Controls in the JSON", file=source)
    result = build(controls, source=source, fmt="kb-json")
    result.warnings[:0] = notes
    if totals is None:  # bare array / objects: the embedded per-Controls totals
        totals = {}
        for _, ctrl in controls:
            if isinstance(ctrl, dict):
                totals = _sum(
                    totals,
                    {k: ctrl.get(f"total_{k}", ctrl.get(k.capitalize())) for k in TOTAL_KEYS},
                )
    result.tool_totals = totals or {}
    verify_totals(result)
    if shape != "controls":
        result.warnings.append(f"kube-bench JSON shape: {shape}")
    return result


def verify_totals(result: ParseResult) -> None:
    raw = result.raw_counts
    for key, stated in result.tool_totals.items():
        if key in TOTAL_KEYS and raw.get(key, 0) != stated:
            result.warnings.append(
                f"the file's own totals say {stated} {key.upper()}, "
                f"{raw.get(key, 0)} such checks were read"
            )
