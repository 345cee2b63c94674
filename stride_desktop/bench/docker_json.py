"""docker-bench-security JSON: structured (``tests[]``), flat (duplicate keys), broken (§1.2-1.4)."""

from __future__ import annotations

import bisect
import itertools
import json
import re
from typing import Any

from ..io.limits import MAX_FINDINGS
from ..model.findings import BenchRun, Finding
from . import normalize as nz
from .budget import json_decoder
from .docker_items import affected_objects, detail_objects
from .errors import BenchError
from .result import ParseResult

TOOL = "docker-bench-security"
_META_KEYS = {"dockerbenchsecurity", "start", "end", "checks", "score", "tests"}
_STATUS_VALUE = re.compile(r"^(PASS|WARN|INFO|NOTE)(?::\s*(.*))?$", re.S)
_OBJ_START = re.compile(r'\{\s*"id"\s*:\s*"')
_RESULT = re.compile(
    r'\{\s*"id"\s*:\s*"([^"\n]+)"\s*,\s*"desc"\s*:\s*"([\s\S]*?)"\s*,\s*'
    r'"result"\s*:\s*"(PASS|WARN|INFO|NOTE)"'
)
_SECTION = re.compile(r'\{\s*"id"\s*:\s*"([^"\n]+)"\s*,\s*"desc"\s*:\s*"([^"\n]*)"\s*,\s*"results"')
# A string value ends at the first quote followed by the next field, "}", "]" or the end: in
# broken JSON a value may hold unescaped quotes. Found with two searches (the field's start, then
# its end): one lazy pattern for both is retried from every later start, quadratic in the text.
_FIELD_END = re.compile(r'"(?=\s*(?:,\s*"[a-z-]+"\s*:|\}|\]|$))')
_FIELD_STARTS = {
    name: re.compile(rf'"{name}"\s*:\s*"')
    for name in ("details", "remediation", "remediation-impact")
}
_ITEMS = re.compile(r'"items"\s*:\s*\[')
_QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_INT_FIELD = r'"{}"\s*:\s*(-?\d{{1,18}})(?!\d)'
_KEY = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*:')


class _Obj(dict):
    """A JSON object that also remembers its key/value pairs in order (duplicates kept)."""

    pairs: list[tuple[str, Any]]


def _hook(pairs: list[tuple[str, Any]]) -> _Obj:
    obj = _Obj(pairs)
    obj.pairs = pairs
    return obj


def loads(text: str) -> Any:
    return json_decoder(object_pairs_hook=_hook).decode(text)


def _string_field(text: str, name: str) -> str | None:
    start = _FIELD_STARTS[name].search(text)
    end = _FIELD_END.search(text, start.end()) if start else None
    return text[start.end() : end.start()] if start and end else None


def _finding(
    raw: dict[str, Any],
    *,
    key: str,
    section: str | None,
    section_title: str | None,
    locator: str,
    flat_details: list[str] | None = None,
) -> Finding:
    check_id = str(raw.get("id", "")).strip() or None
    title = nz.split_title(str(raw.get("desc", "")), check_id=check_id)
    raw_status = str(raw.get("result", "")).upper()
    details = raw.get("details")
    section = section or nz.docker_section_of(check_id)
    items = nz.list_value(raw, "items")
    kind = nz.docker_item_kind(section, title.text, str(details or ""))
    affected, truncated = affected_objects((str(i) for i in items), kind)
    if flat_details is not None:  # flat JSON: one value per affected object, typed by the title
        affected = [obj for d in flat_details for obj in detail_objects(d, kind, labelled=False)]
    finding = Finding(
        key=key,
        check_id=check_id,
        title=title.text,
        status=nz.docker_status(raw_status),
        raw_status=raw_status,
        section_id=section,
        section_title=section_title,
        automated=title.automated,
        scored=title.scored,
        deprecated=title.deprecated,
        remediation=str(raw.get("remediation") or ""),
        remediation_impact=str(raw.get("remediation-impact") or ""),
        evidence=nz.evidence(details=details, items="truncated by -n" if truncated else None),
        affected=affected,
        component=nz.docker_component(section, check_id, title.text),
        locator=locator,
    )
    if raw_status == "INFO" and title.automated is False:  # §1.5: info, or manual when "(Manual)"
        finding.status = "manual"
    finding.severity = nz.severity(finding, platform="docker")
    return finding


def _new_run(fmt: str, version: Any, source: str) -> BenchRun:
    version = str(version) if version not in (None, "") else None
    return BenchRun(
        id="",
        tool=TOOL,
        format=fmt,
        tool_version=version,
        source_file=source,
        benchmark=f"CIS Docker (script {version})" if version else "CIS Docker",
    )


def _totals(doc: dict[str, Any]) -> dict[str, int]:
    return {
        k: doc[k]
        for k in ("checks", "score")
        if isinstance(doc.get(k), int) and not isinstance(doc.get(k), bool)
    }


def parse_structured(doc: dict[str, Any], *, source: str) -> ParseResult:
    run = _new_run("dbs-json-structured", doc.get("dockerbenchsecurity"), source)
    result = ParseResult(run=run, tool_totals=_totals(doc))
    used = nz.UniqueKeys()
    tests = nz.list_value(doc, "tests")
    for i, section in enumerate(tests):
        if not isinstance(section, dict):
            result.skipped.append(f"/tests/{i}: not an object")
            continue
        if (
            "result" in section and "results" not in section
        ):  # -c check_x: results straight in tests[]
            entries: list[tuple[str, Any, str | None, str | None]] = [
                (f"/tests/{i}", section, None, None)
            ]
        else:
            sid = str(section.get("id", "")) or None
            stitle = str(section.get("desc", "")) or None
            results = nz.list_value(section, "results")
            entries = [(f"/tests/{i}/results/{j}", r, sid, stitle) for j, r in enumerate(results)]
        for pointer, raw, sid, stitle in entries:
            if not isinstance(raw, dict) or not raw.get("id") or not raw.get("result"):
                result.skipped.append(f"{pointer}: not a check result")
                continue
            key = nz.unique_key(str(raw["id"]).strip(), used)
            run.findings.append(
                _finding(raw, key=key, section=sid, section_title=stitle, locator=pointer)
            )
    _check_total(result)
    return result


def _check_total(result: ParseResult) -> None:
    stated = result.tool_totals.get("checks")
    if stated is not None and stated != len(result.run.findings):
        result.warnings.append(
            f"the file states {stated} checks; {len(result.run.findings)} were read"
        )


def parse_flat(doc: _Obj, *, source: str, text: str) -> ParseResult:
    """1.3.4 flat JSON: ``"<id>": "STATUS[: detail]"``, one duplicate key per affected object."""
    run = _new_run("dbs-json-flat", doc.get("dockerbenchsecurity"), source)
    run.benchmark = "CIS Docker 1.1.0" + (
        f" (script {run.tool_version})" if run.tool_version else ""
    )
    result = ParseResult(run=run, tool_totals=_totals(doc))
    titles, section_titles = nz.docker_flat_titles()
    merged: dict[str, list[str]] = {}
    for key, value in doc.pairs:
        if key in _META_KEYS:
            continue
        merged.setdefault(str(key), []).append(str(value))
    if len(merged) > MAX_FINDINGS:
        raise BenchError(f"more than {MAX_FINDINGS:,} checks: not a real bench output", file=source)
    rank = {"WARN": 3, "NOTE": 2, "PASS": 1, "INFO": 0}
    lines = _LineIndex(text)
    places: dict[str, int] = {}  # each key's first place in the text, found in one pass
    for found in _KEY.finditer(text):
        places.setdefault(found.group(1), found.start())
    for check_id, values in merged.items():
        statuses, details = [], []
        for value in values:
            match = _STATUS_VALUE.match(value.strip())
            status, detail = (match.group(1), match.group(2)) if match else ("INFO", value.strip())
            statuses.append(status)
            if detail:
                details.append(detail.strip())
        raw_status = max(statuses, key=lambda s: rank[s])
        section = nz.docker_section_of(check_id)
        place = places.get(check_id)
        raw = {
            "id": check_id,
            "desc": titles.get(check_id, f"Check {check_id}"),
            "result": raw_status,
            "details": "\n".join(details) or None,
        }
        locator = f"line {lines.line(place)}" if place is not None else ""
        run.findings.append(
            _finding(
                raw,
                key=check_id,
                section=section,
                locator=locator,
                section_title=section_titles.get(section or ""),
                flat_details=details,
            )
        )
    unknown = [c for c in merged if c not in titles]
    if unknown:
        more = f" and {len(unknown) - 20:,} more" if len(unknown) > 20 else ""
        result.warnings.append(
            "flat docker-bench JSON carries no check titles and these ids are not in "
            "the CIS Docker 1.1.0 table, so they keep a placeholder title: "
            + ", ".join(unknown[:20])
            + more
        )
    return result


class _LineIndex:
    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos)


def recover(text: str, *, source: str, error: json.JSONDecodeError | None) -> ParseResult:
    """Regex fallback for broken structured JSON (§1.4): keep what can be read, list the rest."""
    version = re.search(r'"dockerbenchsecurity"\s*:\s*"([^"\n]*)"', text)
    run = _new_run("dbs-json-structured", version.group(1) if version else None, source)
    totals = {
        k: int(m.group(1))
        for k in ("checks", "score")
        if (m := re.search(_INT_FIELD.format(k), text))
    }
    result = ParseResult(run=run, tool_totals=totals)
    lines = _LineIndex(text)
    if error is not None:
        result.warnings.append(
            f"invalid JSON at line {error.lineno} column {error.colno} "
            f"({error.msg}); recovered what could be read"
        )
    starts = [m.start() for m in _OBJ_START.finditer(text)] + [len(text)]
    used = nz.UniqueKeys()
    section_titles: dict[str, str] = {}
    for start, end in itertools.pairwise(starts):
        chunk = text[start:end]
        if sec := _SECTION.match(chunk):
            section_titles[sec.group(1)] = sec.group(2)
            continue
        line = lines.line(start)
        match = _RESULT.match(chunk)
        if not match:
            result.skipped.append(f"line {line}: a check object that could not be read")
            continue
        raw: dict[str, Any] = {
            "id": match.group(1),
            "desc": match.group(2),
            "result": match.group(3),
        }
        rest = chunk[match.end() :]
        for name in _FIELD_STARTS:
            if (found := _string_field(rest, name)) is not None:
                raw[name] = found
        if items := _ITEMS.search(rest):
            tail = rest[items.end() :]
            stop = re.search(r'\]\s*(?:,\s*"remediation|\})', tail)
            raw["items"] = _QUOTED.findall(tail[: stop.start()] if stop else tail)
        section = nz.docker_section_of(raw["id"])
        key = nz.unique_key(raw["id"], used)
        run.findings.append(
            _finding(
                raw,
                key=key,
                section=section,
                section_title=section_titles.get(section or ""),
                locator=f"line {line}",
            )
        )
    if not run.findings:
        raise BenchError(
            "docker-bench JSON is broken or truncated beyond recovery: no check could be read",
            file=source,
            place=f"line {error.lineno}" if error else None,
        )
    return result


def parse(text: str, *, source: str) -> ParseResult:
    try:
        doc = loads(text)
    except json.JSONDecodeError as exc:
        return recover(text, source=source, error=exc)
    except RecursionError:
        raise BenchError("JSON nested too deeply", file=source) from None
    if not isinstance(doc, _Obj):  # every object is an _Obj (object_pairs_hook)
        raise BenchError("not a docker-bench-security JSON object", file=source)
    if isinstance(doc.get("tests"), list):
        return parse_structured(doc, source=source)
    return parse_flat(doc, source=source, text=text)
