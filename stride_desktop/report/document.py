"""Page templates, headings with bookmarks, and a one-pass table of contents.

Page numbers in the table of contents and the "of N" in the footer are PDF form XObjects that are
referenced while laying out and defined after the last page, so the document is laid out once
(reportlab's multiBuild would lay out a 1,000-element report twice).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from .fonts import FONT, clean, draw_text, fit, para
from .styles import BRAND, MUTED, RULE, styles

MARGIN = 18 * mm
HEADER_GAP = 10 * mm
PORTRAIT = A4
LANDSCAPE = landscape(A4)
LANDSCAPE_A3 = landscape(A3)  # the diagram of a model of up to ~40 elements, every name legible


def frame_size(pagesize: tuple[float, float]) -> tuple[float, float]:
    return pagesize[0] - 2 * MARGIN, pagesize[1] - 2 * MARGIN - HEADER_GAP


class Heading(Paragraph):
    """A heading that becomes a PDF outline entry. It never ends a page: ReportDoc moves it to
    the next page when less than KEEP points would follow it (keepWithNext cannot hold a table
    that splits)."""

    KEEP = 64.0

    def __init__(self, text: str, level: int, key: str, *, outline_title: str, toc: bool):
        style = styles()["h1" if level == 0 else "h2" if level == 1 else "h3"]
        super().__init__(f'<a name="{key}"/>{text}', style)
        self.level, self.key, self.outline_title, self.toc = level, key, outline_title, toc
        self.text_markup = text

    def getKeepWithNext(self) -> bool:
        """ReportDoc keeps KEEP points under a heading; reportlab's keepWithNext would move a
        heading and the whole table under it to the next page, leaving most of a page empty."""
        return False


class LeadIn(Paragraph):
    """A sentence that introduces the table under it: like a heading, it never ends a page."""

    KEEP = 40.0  # points of the following table that must fit under it

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = super().wrap(avail_width, avail_height)
        if avail_height < height + self.KEEP:
            return width, avail_height + 1  # does not fit: the frame moves it on
        return width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []


class TargetHeading(Flowable):
    """A light heading for one target (thousands of them): title and caption drawn directly.

    It moves itself to the next page when the first rows of its table would not follow it.
    """

    KEEP = 40.0  # points of the following table that must fit under the heading

    def __init__(self, title: str, caption: str, key: str):
        super().__init__()
        from .textcell import Span, span

        self.level, self.key, self.toc = 1, key, False
        self.outline_title = bmp_only(clean(title)[:120]).strip() or key
        self.title_spans = [span(title, limit=300, bold=True, color=BRAND)]
        self.caption_spans = [Span(caption[:600], color=MUTED)] if caption else []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        from .textcell import layout

        self._title = layout(self.title_spans, avail_width, size=10.5, max_lines=3)
        self._caption = (
            layout(self.caption_spans, avail_width, max_lines=4) if self.caption_spans else []
        )
        self.width = avail_width
        self.height = 14 + len(self._title) * 13.5 + len(self._caption) * 9.4 + 3
        if avail_height < self.height + self.KEEP:
            return avail_width, avail_height + 1  # does not fit: the frame moves it on
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        from .textcell import draw_lines

        text = self.canv.beginText()
        top = self.height - 14
        draw_lines(text, self._title, 0, top, size=10.5, leading=13.5)
        draw_lines(text, self._caption, 0, top - len(self._title) * 13.5 - 1)
        self.canv.drawText(text)


class ReportDoc(BaseDocTemplate):
    def __init__(
        self,
        out: Any,
        *,
        title: str,
        invariant: bool,
        on_flowable: Callable[[], None] | None = None,
    ):
        super().__init__(
            out,
            pagesize=PORTRAIT,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_GAP,
            bottomMargin=MARGIN,
            title=bmp_only(clean(title)[:200]),
            author="STRIDE Desktop",
            creator="STRIDE Desktop",
            invariant=1 if invariant else 0,
            allowSplitting=1,
            initialFontName=FONT,
            initialFontSize=9,
        )
        self.report_title = title
        self.pages: dict[str, int] = {}
        self.forms: dict[str, str] = {}
        self.toc_entries: list[tuple[int, str, str]] = []
        self._on_flowable = on_flowable
        templates = []
        for name, size in (
            ("cover", PORTRAIT),
            ("portrait", PORTRAIT),
            ("landscape", LANDSCAPE),
            ("a3", LANDSCAPE_A3),
        ):
            w, h = frame_size(size)
            frame = Frame(
                MARGIN,
                MARGIN,
                w,
                h,
                id=name,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            on_page = self._cover_page if name == "cover" else self._decorate
            templates.append(PageTemplate(id=name, frames=[frame], onPage=on_page, pagesize=size))
        self.addPageTemplates(templates)

    def form_for(self, key: str) -> str:
        return self.forms.setdefault(key, f"pg{len(self.forms)}")

    # -- page decoration --------------------------------------------------------------------------
    def _cover_page(self, canv: Any, doc: Any) -> None:
        from .decision import draw_cover_background

        draw_cover_background(canv, self.pagesize)

    def _decorate(self, canv: Any, doc: Any) -> None:
        width, height = canv._pagesize
        canv.saveState()
        top = height - MARGIN
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN, top - 4, width - MARGIN, top - 4)
        canv.setFillColor(BRAND)
        title = fit(self.report_title, width * 0.6, 8, bold=True)
        draw_text(canv, MARGIN, top + 1, title, 8, bold=True)
        canv.setFillColor(MUTED)
        draw_text(canv, width - MARGIN, top + 1, "STRIDE threat model report", 8, anchor="end")
        canv.line(MARGIN, MARGIN - 8, width - MARGIN, MARGIN - 8)
        canv.setFont(FONT, 8)
        label = f"Page {doc.page} of "
        # The total is a form drawn left-aligned after the label; reserve room for 4 digits.
        x = width - MARGIN - canv.stringWidth("0000", FONT, 8) - canv.stringWidth(label, FONT, 8)
        canv.drawString(x, MARGIN - 18, label)
        canv.translate(x + canv.stringWidth(label, FONT, 8), MARGIN - 18)
        canv.doForm(self.form_for("__total__"))
        canv.restoreState()

    # -- hooks ------------------------------------------------------------------------------------
    def handle_flowable(self, flowables: list[Flowable]) -> None:
        """A heading with less than Heading.KEEP points under it starts the next page."""
        first = flowables[0] if flowables else None
        frame = getattr(self, "frame", None)
        if isinstance(first, Heading) and frame is not None and not frame._atTop:
            room = frame._y - frame._y1p
            _, height = first.wrap(frame._width, room)
            if room < height + first.style.spaceBefore + Heading.KEEP:
                self.handle_frameEnd()
                return  # the heading is still first: laid out again at the top of a page
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, (Heading, TargetHeading)):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(
                flowable.outline_title,
                flowable.key,
                level=flowable.level,
                closed=flowable.level > 0,
            )
            self.pages[flowable.key] = self.page
        if self._on_flowable:
            self._on_flowable()

    def build_once(self, story: list[Flowable]) -> int:
        """Lay out, then define the page-number forms and save. Returns the page count."""
        self._doSave = 0
        self.build(story)
        self.pages["__total__"] = self.page
        canv = self.canv
        for key, form in self.forms.items():  # the "of N" of the footer
            canv.beginForm(form, lowerx=0, lowery=-3, upperx=60, uppery=12)
            canv.setFont(FONT, 8)
            canv.setFillColor(MUTED)
            canv.drawString(0, 0, str(self.pages.get(key, "–")))
            canv.endForm()
        canv.showOutline()
        canv.save()
        return self.pages["__total__"]


def switch_to(template: str) -> list[Flowable]:
    return [NextPageTemplate(template), PageBreak()]


def bmp_only(text: str) -> str:
    """PDF metadata and outline strings: reportlab mis-encodes characters beyond U+FFFF there."""
    return "".join(ch for ch in text if ord(ch) <= 0xFFFF)


def heading(text: str, level: int, key: str, *, toc: bool | None = None) -> Heading:
    """A heading from user or fixed text (escaped here)."""
    markup = para(text, limit=300, bold=True)
    title = bmp_only(fit(text, 10_000, 10)[:120]).strip() or key
    return Heading(markup, level, key, outline_title=title, toc=level == 0 if toc is None else toc)
