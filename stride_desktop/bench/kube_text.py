"""kube-bench plain-text output (§2.7): status lines, remediations, summaries."""

from __future__ import annotations

import re

from ..model.findings import BenchRun, Finding
from . import normalize as nz
from .errors import BenchError
from .kube_json import TOOL, verify_totals
from .result import ParseResult

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_ID = r"(?:\d+(?:\.\d+)*[a-z]?|V-\d+)"
_STATUS = re.compile(r"^\[(PASS|FAIL|WARN|INFO)\]\s+(" + _ID + r")\s+(.*)$")
_ENTRY = re.compile(r"^(" + _ID + r")\s+(.*)$")
_COUNT = re.compile(r"^(\d{1,18})\s+checks\s+(PASS|FAIL|WARN|INFO)\s*$")


def block_marker(line: str) -> tuple[str, str] | None:
    """``== Summary master ==`` -> ("Summary", "master"); ``== Remediations node ==`` likewise.
    (String operations: the regular expression it replaces was quadratic on runs of spaces.)"""
    line = line.strip()
    if len(line) < 4 or not line.startswith("==") or not line.endswith("=="):
        return None
    inner = line[2:-2].strip()
    for kind in ("Remediations", "Summary"):
        if not inner.startswith(kind):
            continue
        rest = inner[len(kind) :]
        if rest[:1].isalnum() or rest[:1] == "_":  # a word boundary: "Summaryx" is not one
            return None
        label = rest.strip()
        return (kind, label) if "=" not in label else None
    return None


_NOT_RUN = re.compile(r"^audit test did not run:\s*(.*)$", re.S)


class _Block:
    def __init__(self) -> None:
        self.rows: list[tuple[int, str, str, str]] = []  # line, status, id, text
        self.remediations: dict[str, list[str]] = {}
        self.node_type: str | None = None


def parse(text: str, *, source: str) -> ParseResult:
    lines = [_ANSI.sub("", line).rstrip("\r") for line in text.split("\n")]
    blocks: list[_Block] = [_Block()]
    totals_block: dict[str, int] = {}
    summed: dict[str, int] = {}
    mode = "checks"
    entry: list[str] | None = None
    ids: set[str] = set()
    summary_kind = ""
    for number, line in enumerate(lines, start=1):
        block = blocks[-1]
        if marker := block_marker(line):
            kind, label = marker[0], marker[1].lower()
            mode, entry = kind.lower(), None
            ids = {r[2] for r in block.rows}  # the checks a remediation may name
            if kind == "Summary":
                summary_kind = label
                if label != "total":
                    if label:
                        block.node_type = label
                    blocks.append(_Block())
            continue
        if mode == "remediations":
            if (start := _ENTRY.match(line)) and (not ids or start.group(1) in ids):
                entry = block.remediations.setdefault(start.group(1), [])
                entry.append(start.group(2))
            elif entry is not None:
                entry.append(line)
            continue
        if mode == "summary":
            if count := _COUNT.match(line.strip()):
                target = totals_block if summary_kind == "total" else summed
                key = count.group(2).lower()
                target[key] = target.get(key, 0) + int(count.group(1))
                continue
            if not _STATUS.match(line):
                continue
            mode = "checks"
        if status := _STATUS.match(line):
            if mode != "checks":
                mode = "checks"
            block.rows.append((number, status.group(1), status.group(2), status.group(3).strip()))
    run = BenchRun(id="", tool=TOOL, format="kb-text", source_file=source)
    result = ParseResult(run=run, tool_totals=totals_block or summed)
    used = nz.UniqueKeys()
    for block in blocks:
        _build_block(block, result, used)
    if not run.findings:
        raise BenchError("no kube-bench check found in the text", file=source)
    verify_totals(result)
    return result


def _is_header(rows: list[tuple[int, str, str, str]], i: int) -> bool:
    _, status, check_id, _ = rows[i]
    if status != "INFO":
        return False
    if i + 1 >= len(rows):
        return True  # "1 Control Plane Components" with no checks after it
    next_id = rows[i + 1][2]
    return next_id == check_id or next_id.startswith(check_id + ".") or "." not in check_id


def _build_block(block: _Block, result: ParseResult, used: nz.UniqueKeys) -> None:
    section: tuple[str | None, str | None] = (None, None)
    group: tuple[str | None, str | None] = (None, None)
    node_type = block.node_type
    if node_type is None:
        first = next((r for r in block.rows if "." not in r[2]), None)
        node_type = nz.kube_node_type(first[3]) if first else None
    for i, (number, status, check_id, text) in enumerate(block.rows):
        if _is_header(block.rows, i):
            if "." not in check_id and check_id != section[0]:
                section, group = (check_id, text), (None, None)  # "[INFO] 4 Worker Node ..."
            else:
                group = (check_id, text)  # "[INFO] 4.1 ...", or etcd's "[INFO] 2 ... Files"
            continue
        title = nz.split_title(text)
        lines = block.remediations.get(check_id, [])
        body = "\n".join(lines).strip()
        reason = ""
        if not_run := _NOT_RUN.match(body):
            reason, body = not_run.group(1).strip(), ""
        finding = Finding(
            key=nz.unique_key(check_id, used),
            check_id=check_id,
            title=title.text,
            status=nz.kube_status(
                status,
                check_type="manual"
                if status == "WARN" and title.automated is False and not reason
                else "",
                reason=reason,
            ),
            raw_status=status,
            section_id=section[0],
            section_title=section[1],
            group_id=group[0],
            group_title=group[1],
            automated=title.automated,
            scored=title.scored,
            deprecated=title.deprecated,
            remediation=body,
            evidence=nz.evidence(reason=reason),
            component=nz.kube_component(node_type, group[1], title.text),
            locator=f"line {number}",
        )
        finding.severity = nz.severity(finding, platform="kubernetes")
        result.run.findings.append(finding)
