"""Threat lists as JSON, CSV, Markdown and a terminal table (the CLI and the UI's export)."""

from __future__ import annotations

import csv
import io
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..model import Model
from ..model.elements import CLOSED_STATUSES
from .threat import CATEGORIES, SEVERITIES, SOURCES, DerivedThreat, Threat

FORMATS = ("table", "json", "csv", "markdown")
CSV_COLUMNS = (
    "id",
    "rule",
    "category",
    "categories",
    "target",
    "target_kind",
    "target_name",
    "title",
    "severity",
    "likelihood",
    "impact",
    "base_severity",
    "status",
    "source",
    "severity_reason",
    "path",
    "group",
    "references",
    "covers",
    "evidence",
    "note",
)


def threat_to_dict(threat: Threat) -> dict[str, Any]:
    return {
        "id": threat.id,
        "rule": threat.rule,
        "category": threat.category,
        "target": threat.target,
        "target_kind": threat.target_kind,
        "target_name": threat.target_name,
        "title": threat.title,
        "severity": threat.severity,
        "status": threat.status,
        "source": threat.source,
        "description": threat.description,
        "base_severity": threat.base_severity,
        "likelihood": threat.likelihood,
        "impact": threat.impact,
        "severity_reason": threat.severity_reason,
        "categories": list(threat.categories),
        "path": list(threat.path),
        "group": threat.group,
        "mitigations": list(threat.mitigations),
        "references": list(threat.references),
        "covers": list(threat.covers),
        "evidence": [
            {
                "finding": e.finding_id,
                "check": e.check_id,
                "title": e.title,
                "status": e.status,
                "tool": e.tool,
            }
            for e in threat.evidence
        ],
        "confirmed": threat.confirmed,
        "verified": threat.verified,
        "note": threat.note,
    }


# (severity, category, source, status, confirmed) -> how many threats: what summary() counts
Kinds = Counter[tuple[str, str, str, str, bool]]


def summary(threats: Sequence[Threat], stale: Sequence[str] = ()) -> dict[str, Any]:
    kinds: Kinds = Counter()  # one pass over ~100,000 threats at 10,000 elements
    covered = 0
    for t in threats:
        kinds[t.severity, t.category, t.source, t.status, t.confirmed] += 1
        if not isinstance(t, DerivedThreat) or t.has_covers():  # no empty list made
            covered += len(t.covers)
    return summary_of(kinds, covered, len(threats), stale)


def summary_of(kinds: Kinds, covered: int, total: int, stale: Sequence[str]) -> dict[str, Any]:
    """The summary from counted kinds (a writer that reads every threat anyway counts them)."""
    severities: Counter[str] = Counter()
    open_severities: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    open_count = confirmed_count = open_confirmed = 0
    for (severity, category, source, status, confirmed), n in kinds.items():
        is_open_ = status not in CLOSED_STATUSES
        severities[severity] += n
        categories[category] += n
        sources[source] += n
        statuses[status] += n
        if is_open_:
            open_severities[severity] += n
            open_count += n
        if confirmed:
            confirmed_count += n
            open_confirmed += n if is_open_ else 0
    return {
        "total": total,
        "open": open_count,
        "by_severity": {s: severities.get(s, 0) for s in SEVERITIES},
        "open_by_severity": {s: open_severities.get(s, 0) for s in SEVERITIES},
        "by_category": {c: categories.get(c, 0) for c in CATEGORIES},
        "by_source": {s: sources.get(s, 0) for s in SOURCES},
        "by_status": dict(sorted(statuses.items())),
        "covered": covered,
        "confirmed": confirmed_count,
        "open_confirmed": open_confirmed,
        "stale_triage": len(stale),
    }


def threats_to_json(
    model: Model, threats: Sequence[Threat], stale: Sequence[str] = ()
) -> dict[str, Any]:
    return {
        "model": model.name,
        "threats": [threat_to_dict(t) for t in threats],
        "stale_triage": stale_entries(model, stale),
        "summary": summary(threats, stale),
    }


def stale_entries(model: Model, stale: Sequence[str]) -> list[dict[str, str]]:
    """The stale triage decisions as the JSON export lists them."""
    return [
        {"id": tid, "status": model.triage[tid].status, "note": model.triage[tid].note}
        for tid in stale
        if tid in model.triage
    ]


def threats_to_csv(threats: Iterable[Threat]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in threats:
        writer.writerow(
            [
                _csv_safe(v)
                for v in (
                    t.id,
                    t.rule,
                    t.category,
                    "; ".join(t.categories),
                    t.target,
                    t.target_kind,
                    t.target_name,
                    t.title,
                    t.severity,
                    str(t.likelihood),
                    str(t.impact),
                    t.base_severity,
                    t.status,
                    t.source,
                    t.severity_reason,
                    " > ".join(t.path),
                    t.group,
                    "; ".join(t.references),
                    "; ".join(t.covers),
                    "; ".join(f"{e.finding_id} {e.status}" for e in t.evidence),
                    t.note,
                )
            ]
        )
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """Keep spreadsheets from running user text as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def threats_to_markdown(model: Model, threats: Sequence[Threat], stale: Sequence[str] = ()) -> str:
    lines = [f"# Threats of {_md(model.name)}", ""]
    s = summary(threats, stale)
    lines.append(
        f"{s['total']} threats, {s['open']} open: "
        + ", ".join(f"{n} {sev}" for sev, n in s["by_severity"].items() if n)
        + "."
    )
    lines += [
        "",
        "| Severity | Category | Target | Threat | Status | Id |",
        "|---|---|---|---|---|---|",
    ]
    for t in threats:
        lines.append(
            f"| {t.severity} | {t.category} | {_md(t.target_name)} ({t.target_kind}) | "
            f"{_md(t.title)} | {t.status} | `{t.id}` |"
        )
    if stale:
        lines += ["", "## Stale triage", "", "Decisions whose threat no longer arises:", ""]
        lines += [f"- `{tid}`" for tid in stale]
    return "\n".join(lines) + "\n"


def threats_to_table(
    model: Model, threats: Sequence[Threat], stale: Sequence[str] = (), *, width: int = 100
) -> str:
    """Grouped by target: per threat its severity, category and whole title with its id in
    brackets, wrapped (never cut) to ``width`` columns under the title column, so that a
    100-column terminal and a pipe read the same."""
    lines = [f"Threats of {model.name}"]
    current = None
    indent = " " * (2 + 9 + 24)  # "  SEVERITY CATEGORY                "
    wrap = textwrap.TextWrapper(
        width=max(30, width - len(indent)), break_long_words=False, break_on_hyphens=False
    )
    for t in threats:
        if t.target != current:
            current = t.target
            lines += ["", f"{t.target_name} [{t.target_kind} {t.target}]"]
        status = "" if t.status == "open" else f"({t.status}) "  # first: read before the title
        head = f"  {t.severity.upper():<8} {t.category:<22}  "
        first, *rest = wrap.wrap(f"{status}{t.title}  [{t.id}]")
        lines.append(head + first)
        lines += [indent + line for line in rest]
    s = summary(threats, stale)
    lines += [
        "",
        f"{s['total']} threats ({s['open']} open): "
        + ", ".join(f"{n} {sev}" for sev, n in s["by_severity"].items())
        + f"; {s['covered']} generic threats folded",
    ]
    if stale:
        lines.append(f"Stale triage ({len(stale)}): " + ", ".join(stale))
    return "\n".join(lines) + "\n"
