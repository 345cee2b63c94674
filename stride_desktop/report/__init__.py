"""PDF report for stakeholders, with reportlab only (no Qt: it runs headless and in worker threads).

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

from reportlab.platypus import Flowable, PageBreak, Paragraph

from ..io import default_catalog, write_atomic
from ..model import Model
from ..rules.threat import Threat
from .appendix import appendix_story
from .bench_section import bench_story, hardening_story
from .cover import CoverBlock
from .data import ReportData, build_data
from .document import PORTRAIT, Heading, ReportDoc, frame_size, switch_to, toc_table
from .fonts import register_fonts
from .styles import styles
from .summary import diagram_story, summary_story
from .threats_section import catalogue_story, threats_story

__all__ = ["ReportOptions", "ReportStats", "build_report", "render_report_bytes"]

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ReportOptions:
    include_closed: bool = False  # list mitigated / accepted / not-applicable threats too
    summary_only: bool = False  # cover, summary, diagram, bench overview, plan, appendix
    invariant: bool = False  # byte-identical output for identical input (reportlab invariant)
    generated_on: date | None = None  # the date printed; today when None


@dataclass(frozen=True)
class ReportStats:
    pages: int
    threats: int  # threats listed (after include_closed)
    elements: int
    size_bytes: int


def _story(data: ReportData, doc: ReportDoc, options: ReportOptions) -> list[Flowable]:
    width = frame_size(PORTRAIT)[0]
    full = not options.summary_only
    rule_index = {rule_id: i for i, rule_id in enumerate(data.rules)}
    body: list[Flowable] = []
    body += summary_story(data, width)
    body += diagram_story(data)
    if full:
        body += threats_story(data, width, rule_index)
        body += [PageBreak()] + catalogue_story(data, width, rule_index)
    body += [PageBreak()] + bench_story(data, width, full=full)
    body += hardening_story(data, width)
    body += [PageBreak()] + appendix_story(data, width, rule_index, full=full)
    entries = [(f.level, f.text_markup, f.key) for f in body if isinstance(f, Heading) and f.toc]
    story: list[Flowable] = [CoverBlock(data, options.generated_on or date.today())]
    story += switch_to("portrait")
    story.append(Paragraph("Contents", styles()["h1"]))
    story.append(toc_table(doc, entries, width))
    story.append(PageBreak())
    return story + body


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
    story = _story(data, doc, options)
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
    return ReportStats(
        pages=pages, threats=len(data.shown), elements=len(model.elements), size_bytes=size
    )


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
