"""PDF report for stakeholders, with reportlab only (no Qt: it runs headless and in worker threads).

The body is what a CISO reads: page 1 is the decision (rating, top actions, risk after the plan),
then the summary, one legible diagram, the threats that matter, benchmark results and the
hardening plan. ``ReportOptions(appendix=True)`` adds every threat of every target, the rule
catalogue, full check lists and stale triage. A section with nothing to say is left out.

Public API::

    build_report(model, threats, stale, out, *, options=ReportOptions(), progress=None) -> ReportStats
    render_report_bytes(model, threats, stale, *, options=ReportOptions(), progress=None) -> bytes
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak

from ..io import default_catalog, write_atomic
from ..model import Model
from ..rules.threat import Threat
from .appendix import methodology_story, rules_story, stale_story
from .bench_section import bench_story
from .data import ReportData, build_data
from .decision import decision_story
from .document import PORTRAIT, ReportDoc, frame_size
from .fonts import register_fonts
from .matters import matters_story
from .plan_section import hardening_story
from .summary import diagram_section, summary_story
from .threats_section import catalogue_story, threats_story

__all__ = ["ReportOptions", "ReportStats", "build_report", "render_report_bytes"]

Progress = Callable[[float, str], None]
Section = tuple[str, list[Flowable]]  # page template, flowables


@dataclass(frozen=True)
class ReportOptions:
    include_closed: bool = False  # list mitigated / accepted / not-applicable threats too
    appendix: bool = False  # every threat, the rule catalogue, full check lists, stale triage
    invariant: bool = False  # byte-identical output for identical input (reportlab invariant)
    generated_on: date | None = None  # the date printed; today when None


@dataclass(frozen=True)
class ReportStats:
    pages: int
    threats: int  # threats listed (after include_closed)
    elements: int
    size_bytes: int


def _sections(data: ReportData, options: ReportOptions) -> list[Section]:
    width = frame_size(PORTRAIT)[0]
    sections: list[Section] = [
        ("cover", decision_story(data, width, options.generated_on or date.today())),
        ("portrait", summary_story(data, width)),
        diagram_section(data),
        ("portrait", matters_story(data, width)),
        ("portrait", bench_story(data, width, full=False) + hardening_story(data, width)),
    ]
    if options.appendix:
        rule_index = {rule_id: i for i, rule_id in enumerate(data.rules)}
        sections += [
            ("portrait", methodology_story()),
            ("portrait", threats_story(data, width, rule_index)),
            ("portrait", catalogue_story(data, width, rule_index)),
            ("portrait", bench_story(data, width, full=True)),
            ("portrait", rules_story(data, width, rule_index) + stale_story(data, width)),
        ]
    return sections


SHARE_PAGE = 0.4  # a section goes on under the last one when this much of a portrait page is left


def _story(sections: list[Section]) -> list[Flowable]:
    """Each non-empty section starts a page of its template, or goes on under the previous
    portrait section when much of its last page is left (an appendix section of four lines no
    longer leaves a page four-fifths empty); no page is ever left blank."""
    story: list[Flowable] = []
    previous = None
    for template, flowables in sections:
        if not flowables:
            continue
        if story and template == previous == "portrait":
            story.append(CondPageBreak(frame_size(PORTRAIT)[1] * SHARE_PAGE))
        elif story:
            story += [NextPageTemplate(template), PageBreak()]
        story += flowables
        previous = template
    return story


def build_report(
    model: Model,
    threats: Iterable[Threat],
    stale: Any,
    out: str | Path | BinaryIO,
    *,
    options: ReportOptions = ReportOptions(),
    progress: Progress | None = None,
) -> ReportStats:
    """Write the PDF report to a path (atomically) or a binary stream.

    ``threats`` come from ``rules.derive``; ``stale`` from ``rules.stale_triage`` (ids), or a
    mapping of threat id to TriageEntry.
    """
    report = lambda fraction, message: progress(fraction, message) if progress else None
    report(0.0, "Preparing the report")
    register_fonts()
    data = build_data(
        model, threats, stale, include_closed=options.include_closed, catalog=default_catalog()
    )
    buffer: BinaryIO = io.BytesIO() if isinstance(out, (str, Path)) else out
    state = {"done": 0, "total": 1}

    def on_flowable() -> None:
        state["done"] += 1
        if progress and state["done"] % 25 == 0:
            report(min(0.95, 0.1 + 0.85 * state["done"] / state["total"]), "Laying out pages")

    doc = ReportDoc(
        buffer,
        title=f"{model.name} — threat model report",
        invariant=options.invariant,
        on_flowable=on_flowable,
    )
    story = _story(_sections(data, options))
    state["total"] = len(story)
    report(0.1, "Laying out pages")
    pages = doc.build_once(story)
    size = 0
    if isinstance(out, (str, Path)):
        assert isinstance(buffer, io.BytesIO)
        payload = buffer.getvalue()
        size = len(payload)
        report(0.97, "Writing the file")
        write_atomic(out, payload)
    else:
        size = out.tell() if hasattr(out, "tell") else 0
    report(1.0, "Done")
    listed = len(data.shown) if options.appendix else len(data.matters())
    return ReportStats(pages=pages, threats=listed, elements=len(model.elements), size_bytes=size)


def render_report_bytes(
    model: Model,
    threats: Iterable[Threat],
    stale: Any,
    *,
    options: ReportOptions = ReportOptions(),
    progress: Progress | None = None,
) -> bytes:
    buffer = io.BytesIO()
    build_report(model, threats, stale, buffer, options=options, progress=progress)
    return buffer.getvalue()
