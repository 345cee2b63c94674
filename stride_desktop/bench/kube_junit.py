"""kube-bench JUnit XML (§2.5): <testsuites> (>= v0.6.4) or bare concatenated <testsuite>s.

Each testcase's ``system-out`` holds the full Check JSON, so the JSON path does the work; a
testcase without it falls back to its name ("<id> <title>") and its failure/skipped child.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model.findings import BenchRun
from . import normalize as nz
from .budget import json_decoder
from .errors import BenchError
from .kube_json import TOOL, check_finding, verify_totals
from .result import ParseResult

_NAME = re.compile(r"^(\d+(?:\.\d+)*[a-z]?|V-\d+)\s+(.*)$", re.S)


def _root(text: str, *, source: str) -> ET.Element:
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.I):
        raise BenchError("XML with a DOCTYPE or entity declarations is refused", file=source)
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.strip())
    if not re.match(r"<testsuites\b", body):
        body = f"<testsuites>{body}</testsuites>"  # before v0.6.4: concatenated <testsuite>s
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise BenchError(
            f"invalid or truncated XML ({exc})", file=source, place=f"line {line}" if line else None
        ) from None


def parse(text: str, *, source: str) -> ParseResult:
    root = _root(text, source=source)
    run = BenchRun(id="", tool=TOOL, format="kb-junit", source_file=source)
    result = ParseResult(run=run)
    used = nz.UniqueKeys()
    stated_tests = stated_fail = 0
    suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
    for s, suite in enumerate(suites, start=1):
        suite_name = suite.get("name", "")
        node_type = nz.kube_node_type(suite_name)
        stated_tests += _int(suite.get("tests"))
        stated_fail += _int(suite.get("failures"))
        for c, case in enumerate(suite.findall("testcase"), start=1):
            locator = f"testsuite {s} testcase {c}"
            group = (None, case.get("classname") or None)
            check = _check_json(case)
            if check is None:
                check = _from_case(case)
            if check is None:
                result.skipped.append(f"{locator}: no check id in '{case.get('name', '')[:60]}'")
                continue
            group_id = (
                str(check.get("test_number", "")).rsplit(".", 1)[0]
                if "." in str(check.get("test_number", ""))
                else None
            )
            key = nz.unique_key(str(check.get("test_number") or f"check-{len(used) + 1}"), used)
            run.findings.append(
                check_finding(
                    check,
                    key=key,
                    node_type=node_type,
                    section=(None, suite_name or None),
                    group=(group_id, group[1]),
                    locator=locator,
                )
            )
    if not suites:
        raise BenchError("JUnit XML without any <testsuite>", file=source)
    if not run.findings and not result.skipped:
        raise BenchError("JUnit XML without any kube-bench testcase", file=source)
    result.tool_totals = {"tests": stated_tests, "fail": stated_fail}
    if stated_tests != len(run.findings):
        result.warnings.append(
            f"the suites state {stated_tests} tests; {len(run.findings)} were read"
        )
    verify_totals(result)
    return result


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _check_json(case: ET.Element) -> dict | None:
    out = case.find("system-out")
    if out is None or not (out.text or "").strip():
        return None
    try:
        data = json_decoder().decode(out.text or "")
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("status") else None


def _from_case(case: ET.Element) -> dict | None:
    match = _NAME.match((case.get("name") or "").strip())
    if not match:
        return None
    failure = case.find("failure")
    status = (
        "FAIL" if failure is not None else "WARN" if case.find("skipped") is not None else "PASS"
    )
    return {
        "test_number": match.group(1),
        "test_desc": match.group(2),
        "status": status,
        "remediation": (failure.text or "").strip() if failure is not None else "",
    }
