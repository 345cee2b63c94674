"""Threat tables per element and per boundary crossing, and the threat catalogue they refer to."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from ..rules.threat import Threat
from .cells import CATEGORY_CELL, evidence_spans, rule_anchor, severity_spans, status_label
from .data import ReportData
from .document import TargetHeading, heading
from .fasttable import FastTable, cell_spans, compact_columns
from .fonts import clean, para
from .styles import ACCENT, STATUS_COLORS, styles
from .textcell import Span, span

HEADER = ["Threat", "Category", "Severity", "Status", "Evidence", "Triage note"]


def _columns(width: float) -> list[float]:
    """The threat title gets what the fixed columns leave (and those dropped when empty)."""
    fixed = [60, 54, 50, 80, 100]
    return [width - sum(fixed)] + fixed


def threat_table(
    data: ReportData, threats: list[Threat], width: float, rule_index: dict[str, int]
) -> FastTable:
    """One row per threat; the rule id links to its catalogue entry, where its text lives."""
    rows = []
    for t in threats:
        title = [span(t.title, limit=240, bold=True)]
        if t.confirmed:
            title.append(Span("· confirmed", color=STATUS_COLORS["fail"]))
        elif t.verified:
            title.append(Span("· control verified", color=STATUS_COLORS["pass"]))
        # No per-row link to the catalogue: 10,000 link annotations cost more than they give;
        # the catalogue is sorted by rule id, the first part of the threat id.
        title.append(span(t.id, limit=200, color=ACCENT, newline=True))
        rows.append(
            [
                title,
                cell_spans(CATEGORY_CELL.get(t.category, t.category[:24])),
                severity_spans(t.severity),
                cell_spans(status_label(t.status)),
                evidence_spans(t),
                [span(t.note, limit=1200)] if t.note else [],
            ]
        )
    return compact_columns(HEADER, rows, _columns(width), grow=0)


def _element_caption(data: ReportData, target: str) -> str:
    element = data.elements.get(target)
    if element is None:
        return ""
    kind = data.kinds.get(target)
    parts = [data.component_names.get(target, element.component), kind.label if kind else ""]
    chain = data.chain(element.boundary)
    parts.append(
        "in " + " › ".join(data.name_of(b) for b in reversed(chain))
        if chain
        else "outside every boundary (trust 0)"
    )
    return " · ".join(clean(p)[:200] for p in parts if p)


def _flow_caption(data: ReportData, target: str) -> str:
    flow = data.flows.get(target)
    if flow is None:
        return ""
    crossing = data.crossing(target)
    bits = []
    if crossing:
        left, entered = crossing
        trust = {b.id: b.trust for b in data.model.boundaries}
        if left:
            bits.append(
                "leaves "
                + ", ".join(f"{clean(data.name_of(b))[:80]} (trust {trust[b]})" for b in left)
            )
        if entered:
            bits.append(
                "enters "
                + ", ".join(f"{clean(data.name_of(b))[:80]} (trust {trust[b]})" for b in entered)
            )
    else:
        bits.append("within one boundary")
    port = f"/{flow.port}" if flow.port is not None else ""
    bits.append(
        f"{clean(flow.protocol)[:30]}{port}, "
        f"{'encrypted' if flow.encrypted else 'not encrypted'}, "
        f"authentication {clean(flow.authenticated)[:20]}, {clean(flow.data)[:20]} data"
    )
    return " · ".join(bits)


def _block(
    data: ReportData,
    target: str,
    title: str,
    caption: str,
    width: float,
    rule_index: dict[str, int],
    key: str,
) -> list[Flowable]:
    threats = [t for t in data.by_target.get(target, []) if t.id in data.shown_ids]
    if not threats:
        return []
    caption = f"{caption} · {len(threats)} threat{'s' if len(threats) != 1 else ''}"
    return [
        TargetHeading(title, caption.removeprefix(" · "), key),
        threat_table(data, threats, width, rule_index),
    ]


def threats_story(data: ReportData, width: float, rule_index: dict[str, int]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading("Appendix — threats by element", 0, "sec-by-element")]
    story.append(
        Paragraph(
            "Each table lists the threats of one element, most severe first. The threat id under "
            "each title starts with its rule id; the threat catalogue, sorted by rule id, gives each "
            "rule's description, mitigations and references once. <i>Confirmed</i> means a failed benchmark check corroborates the threat; "
            "<i>control verified</i> means a passing check shows the control is in place.",
            s["small"],
        )
    )
    for n, element in enumerate(data.model.elements, 1):
        title = f"{element.name}"
        story += _block(
            data,
            element.id,
            title,
            _element_caption(data, element.id),
            width,
            rule_index,
            f"el-{n}",
        )
    story.append(heading("Appendix — threats of flows and boundaries", 0, "sec-by-flow"))
    story.append(
        Paragraph(
            "Threats of data flows, starting with the flows that cross a trust boundary (the dangerous "
            "direction enters a boundary of higher trust), then of the boundaries themselves.",
            s["small"],
        )
    )
    flows = sorted(
        (f for f in data.model.flows if f.id in data.by_target),
        key=lambda f: data.crossing(f.id) is None,
    )
    names = {e.id: e.name for e in data.model.elements}
    for i, flow in enumerate(flows):
        title = (
            f"{flow.name or flow.id}: {names.get(flow.source, flow.source)} → "
            f"{names.get(flow.target, flow.target)}"
        )
        story += _block(
            data, flow.id, title, _flow_caption(data, flow.id), width, rule_index, f"fl-{i}"
        )
    for i, b in enumerate(data.model.boundaries):
        caption = f"trust boundary · {clean(b.kind)[:40]} · trust {b.trust}"
        story += _block(data, b.id, f"Boundary {b.name}", caption, width, rule_index, f"bd-{i}")
    known = data.model.all_ids()
    orphans = sorted(t for t in data.by_target if t not in known)
    for i, target in enumerate(orphans):  # threats whose target the model no longer has
        story += _block(
            data,
            target,
            f"{data.name_of(target)} (not in the model)",
            "",
            width,
            rule_index,
            f"or-{i}",
        )
    return story


def catalogue_story(data: ReportData, width: float, rule_index: dict[str, int]) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading("Appendix — threat catalogue", 0, "sec-catalogue")]
    story.append(
        Paragraph(
            f"The {len(data.rules)} rules that produced threats in this model, each described once. "
            "Severity is the rule's base severity; a threat's own severity may be raised by its "
            "exposure (reachable from an untrusted zone) or by failed benchmark checks.",
            s["small"],
        )
    )
    for rule_id, rule in data.rules.items():
        key = rule_anchor(rule_index[rule_id])
        block: list[Flowable] = [heading(f"{rule_id} — {rule.title}", 1, key, toc=False)]
        block.append(
            Paragraph(
                f"{para(rule.category, limit=40)} · base severity {para(rule.base_severity, limit=20)}"
                f" · applies to {rule.count} target{'s' if rule.count != 1 else ''}, "
                f"{rule.open_count} open"
                + (
                    f" · wording shown for {para(rule.example, limit=80)}" if rule.count > 1 else ""
                ),
                s["muted"],
            )
        )
        if rule.description:
            block.append(Paragraph(para(rule.description, limit=4000), s["body"]))
        story.append(KeepTogether(block))
        for label, items, mark, limit in (
            ("Mitigations", rule.mitigations, "•", 2000),
            ("References", rule.references, "–", 500),
        ):
            bullets = [
                Paragraph(para(item, limit=limit), s["bullet"], bulletText=mark)
                for item in items[:40]
            ]
            if bullets:  # the label never ends a page without its first item
                story.append(KeepTogether([Paragraph(f"<b>{label}</b>", s["small"]), bullets[0]]))
                story += bullets[1:]
    return story
