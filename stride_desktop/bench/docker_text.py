"""docker-bench-security text log (§1.6): ANSI colours, appended runs, Section B remediations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from ..io.limits import MAX_AFFECTED
from ..model.findings import BenchRun, Finding
from . import normalize as nz
from .docker_items import detail_objects
from .errors import BenchError
from .result import ParseResult

TOOL = "docker-bench-security"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CHECK = re.compile(r"^\[(PASS|WARN|INFO|NOTE)\]\s+((?:C\.)?\d+(?:\.\d+)*)\s+-\s+(.*)$")
_DETAIL = re.compile(r"^\[(PASS|WARN|INFO|NOTE)\]\s+\*\s+(.*)$")
_TAGGED = re.compile(r"^\[(PASS|WARN|INFO|NOTE)\]\s+(.*)$")
_TOTAL = re.compile(r"^\[INFO\]\s+(Checks|Score):\s*(-?\d{1,18})\s*$")
_SKIPPED_SECTION = re.compile(r"skipping section", re.I)
_IMPACT = re.compile(r"Remediation Impact:", re.I)  # no \s* around it: quadratic on spaces
_CONTINUATION = -(10**9)  # details-dict keys below this hold title continuations


@dataclass
class _Run:
    start: int  # index in the log's lines of the run's first line after "Initializing"
    end: int = 0  # index after its last line
    header: str = ""
    log: list[str] = field(default_factory=list, repr=False)  # every line of the log

    @property
    def lines(self) -> Iterator[tuple[int, str]]:
        """(1-based line number, text) of each line of the run."""
        return zip(range(self.start + 1, self.end + 1), islice(self.log, self.start, self.end))


def clean_lines(text: str) -> list[str]:
    return [ANSI.sub("", line).rstrip("\r") for line in text.split("\n")]


def split_runs(lines: list[str]) -> tuple[list[str], list[_Run]]:
    """Preamble lines and runs, split at lines starting ``Initializing`` (a run holds the range
    of its lines, not a copy: a log of a million lines stays one list)."""
    runs: list[_Run] = []
    for index, line in enumerate(lines):
        if line.startswith("Initializing"):
            if runs:
                runs[-1].end = index
            runs.append(_Run(index + 1, header=line[len("Initializing") :].strip(), log=lines))
    if not runs:  # a stdout capture or a log without its first line: one run
        return [], [_Run(0, len(lines), log=lines)]
    runs[-1].end = len(lines)
    return lines[: runs[0].start - 1], runs


def parse(text: str, *, source: str, run: int | None = None) -> ParseResult:
    preamble, runs = split_runs(clean_lines(text))
    if run is None:
        index = len(runs)
    elif 1 <= run <= len(runs):
        index = run
    elif -len(runs) <= run <= -1:
        index = len(runs) + 1 + run
    else:
        raise BenchError(
            f"run {run} does not exist: the log holds {len(runs)} run(s), "
            f"numbered 1 to {len(runs)}",
            file=source,
        )
    chosen = runs[index - 1]
    bench_run = BenchRun(
        id="", tool=TOOL, format="dbs-text", benchmark="CIS Docker", source_file=source
    )
    result = ParseResult(run=bench_run, runs_available=len(runs), run_index=index)
    if chosen.header:
        result.warnings.append(f"run {index} of {len(runs)} started {chosen.header}")
    if any(line.startswith("[WARN]") for line in preamble):
        result.warnings.extend(line for line in preamble if _TAGGED.match(line))
    _parse_run(chosen, result, where=f"run {index} of {len(runs)}")
    if not bench_run.findings:
        raise BenchError(
            f"no docker-bench check found in {'run ' + str(index) if len(runs) > 1 else 'the log'}",
            file=source,
        )
    return result


def _parse_run(chosen: _Run, result: ParseResult, *, where: str) -> None:
    rows = chosen.lines
    part = "A"
    checks: list[tuple[int, re.Match[str]]] = []
    remediation: dict[str, tuple[str, str]] = {}
    details: dict[int, list[tuple[str, str]]] = {}
    idless: list[tuple[int, str, str]] = []
    last: int | None = None  # index in checks (or -line for id-less) that details attach to
    for number, line in rows:
        if line.startswith("Section B"):
            part = "B"
            continue
        if line.startswith("Section C"):
            part = "C"
            continue
        if line.startswith("Section "):
            part = "A"
            continue
        if part == "C":
            if total := _TOTAL.match(line):
                result.tool_totals[total.group(1).lower()] = int(total.group(2))
            continue
        if part == "B":
            if match := _CHECK.match(line):
                parts = _IMPACT.split(match.group(3), maxsplit=1)
                remediation[match.group(2)] = (
                    parts[0].strip(),
                    parts[1].strip() if len(parts) > 1 else "",
                )
            continue
        if match := _CHECK.match(line):
            checks.append((number, match))
            last = len(checks) - 1
        elif match := _DETAIL.match(line):
            if _SKIPPED_SECTION.search(match.group(2)):
                result.warnings.append(f"line {number}: {match.group(2).strip()}")
            elif last is not None:
                lines = details.setdefault(last, [])
                if len(lines) < MAX_AFFECTED:  # one object a line: the most a finding keeps
                    lines.append((match.group(1), match.group(2).strip()))
                elif len(lines) == MAX_AFFECTED:
                    lines.append(
                        ("", f"… (more than {MAX_AFFECTED:,} detail lines; the rest ignored)")
                    )
        elif match := _TAGGED.match(line):
            body = match.group(2).strip()
            if _TOTAL.match(line):
                continue
            if re.search(r"\((Automated|Manual|Scored|Not Scored|Deprecated)\)\s*$", body, re.I):
                idless.append((number, match.group(1), body))
                last = -number
            else:
                result.warnings.append(f"line {number}: {match.group(0).strip()}")
                last = None
        elif line.strip() and last is not None and last >= 0:
            # untagged continuation of a wrapped desc (forks): appended to that check's title
            lines = details.setdefault(_CONTINUATION - last, [])
            if len(lines) < MAX_AFFECTED:
                lines.append(("", line.strip()))
    _build(result, checks, details, remediation, idless, where=where)


def _is_header(checks: list[tuple[int, re.Match[str]]], i: int) -> bool:
    check_id = checks[i][1].group(2)
    if "." not in check_id.removeprefix("C."):
        return True  # "1 - Host Configuration"
    if checks[i][1].group(1) != "INFO" or i + 1 >= len(checks):
        return False
    return checks[i + 1][1].group(2).startswith(check_id + ".")


def _build(
    result: ParseResult,
    checks: list[tuple[int, re.Match[str]]],
    details: dict[int, list[tuple[str, str]]],
    remediation: dict[str, tuple[str, str]],
    idless: list[tuple[int, str, str]],
    *,
    where: str,
) -> None:
    run = result.run
    used = nz.UniqueKeys()
    sections: dict[str, str] = {}
    groups: dict[str, str] = {}
    entries: list[tuple[int, str, str | None, str, list[tuple[str, str]]]] = []
    for i, (number, match) in enumerate(checks):
        tag, check_id, desc = match.groups()
        if _is_header(checks, i):
            (groups if "." in check_id.removeprefix("C.") else sections)[check_id] = desc.strip()
            continue
        extra = [text for _, text in details.get(_CONTINUATION - i, [])]
        entries.append((number, tag, check_id, " ".join([desc, *extra]), details.get(i, [])))
    for number, tag, body in idless:
        entries.append((number, tag, None, body, details.get(-number, [])))
    entries.sort(key=lambda e: e[0])
    for number, tag, check_id, desc, lines in entries:
        title = nz.split_title(desc, check_id=check_id)
        section = nz.docker_section_of(check_id)
        group_id = check_id.rsplit(".", 1)[0] if check_id and check_id.count(".") >= 2 else None
        texts = [text for _, text in lines]
        kind = nz.docker_item_kind(section, title.text, " ".join(texts))
        items = [obj for text in texts for obj in detail_objects(text, kind, labelled=True)]
        rem, impact = remediation.get(check_id or "", ("", ""))
        finding = Finding(
            key=nz.unique_key(check_id or f"L{number}", used),
            check_id=check_id,
            title=title.text,
            status=nz.docker_status(tag),
            raw_status=tag,
            section_id=section,
            section_title=sections.get(section or ""),
            group_id=group_id,
            group_title=groups.get(group_id or ""),
            automated=title.automated,
            scored=title.scored,
            deprecated=title.deprecated,
            remediation=rem,
            remediation_impact=impact,
            evidence=nz.evidence(details="\n".join(texts)),
            affected=items,
            component=nz.docker_component(section, check_id, title.text)
            if check_id
            else _idless_component(title.text),
            locator=f"line {number} ({where})",
        )
        if tag == "INFO" and title.automated is False:
            finding.status = "manual"
        finding.severity = nz.severity(finding, platform="docker")
        run.findings.append(finding)


def _idless_component(title: str) -> str | None:
    return nz.docker_component(None, None, title) or (
        "docker-daemon" if "experimental" in title.lower() else None
    )
