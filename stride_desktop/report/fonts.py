"""Embedded fonts and safe text: every piece of user text goes through ``para`` or ``draw_text``.

DejaVu Sans covers Latin (Vietnamese included), Greek and Cyrillic; a subset of Droid Sans Fallback
covers Chinese, Japanese and Korean; a subset of Symbola covers symbols and emoji. reportlab does no
glyph fallback itself, so text is cut into runs by the first font that has each character.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..paths import resource

FONT = "StrideSans"
FONT_BOLD = "StrideSans-Bold"
FONT_CJK = "StrideCJK"
FONT_SYMBOLS = "StrideSymbols"
_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_CJK: "DroidSansFallback-CJK.ttf",
    FONT_SYMBOLS: "Symbola-Symbols.ttf",
}
_lock = threading.Lock()
_cmaps: list[tuple[str, frozenset[int]]] = []  # fallback order after the primary font
_primary: frozenset[int] = frozenset()
_primary_bold: frozenset[int] = frozenset()

# Characters that shape text invisibly (variation selectors, joiners) or break PDF text.
_DROP = {0x200D, 0xFE0E, 0xFE0F, 0x200B, 0xFEFF}


class _CachedTTFont(TTFont):
    """Remembers how short strings split into subsets, per document.

    Category, status and severity labels repeat on every one of thousands of rows; splitting
    them again each time was a tenth of the build. The cache lives in reportlab's per-document
    state, so a string's subset codes are only reused within the document that assigned them.
    """

    def splitString(self, text, doc, encoding="utf-8"):
        if len(text) > 32:
            return super().splitString(text, doc, encoding)
        state = self.state.get(doc)
        cache = getattr(state, "stride_cache", None) if state is not None else None
        if cache is None:
            result = super().splitString(text, doc, encoding)
            self.state[doc].stride_cache = {text: result}
            return result
        result = cache.get(text)
        if result is None:
            result = cache[text] = super().splitString(text, doc, encoding)
        return result


def register_fonts() -> None:
    """Register the embedded TrueType fonts once per process (safe from worker threads)."""
    global _primary, _primary_bold
    with _lock:
        if _cmaps:
            return
        faces = {}
        for name, file_name in _FILES.items():
            font = _CachedTTFont(name, str(resource("fonts", file_name)))
            pdfmetrics.registerFont(font)
            faces[name] = frozenset(font.face.charToGlyph)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT, bold, italic, FONT_BOLD if bold else FONT)
        _primary = faces[FONT]
        _primary_bold = faces[FONT_BOLD]
        _cmaps.extend([(FONT_CJK, faces[FONT_CJK]), (FONT_SYMBOLS, faces[FONT_SYMBOLS])])


def clean(text: object) -> str:
    """User text as one line of printable characters (control characters become spaces)."""
    text = "" if text is None else str(text)
    if text.isascii() and text.isprintable():
        return text
    out = []
    for ch in text:
        cp = ord(ch)
        if cp in _DROP:
            continue
        if ch in "\r\n\t" or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def shorten(text: str, limit: int) -> str:
    """A name cut to ``limit`` characters with an ellipsis, for lists of names (the full name
    is in the appendix and the model)."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters; says how much was left out so a reader is never misled."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit:,} more characters]"


@lru_cache(maxsize=65536)
def _font_of(ch: str, bold: bool) -> str | None:
    """None for the primary font, else the fallback font that has the glyph."""
    cp = ord(ch)
    if cp in (_primary_bold if bold else _primary):
        return None
    for name, cmap in _cmaps:
        if cp in cmap:
            return name
    return None


def runs(text: str, *, bold: bool = False) -> list[tuple[str | None, str]]:
    """Split cleaned text into (fallback font or None, chunk) runs."""
    if text.isascii():
        return [(None, text)]
    if len(text) <= 48:  # short labels repeat on every row: "—", "● High", names
        return _short_runs(text, bold)
    return _runs(text, bold)


@lru_cache(maxsize=8192)
def _short_runs(text: str, bold: bool) -> list[tuple[str | None, str]]:
    return _runs(text, bold)


def _runs(text: str, bold: bool) -> list[tuple[str | None, str]]:
    register_fonts()
    out: list[tuple[str | None, str]] = []
    current: str | None = None
    start = 0
    for i, ch in enumerate(text):
        font = None if ord(ch) < 0x250 else _font_of(ch, bold)
        if font != current and i > start:
            out.append((current, text[start:i]))
            start = i
        current = font
    if start < len(text):
        out.append((current, text[start:]))
    return out


def para(text: object, *, limit: int = 2000, bold: bool = False) -> str:
    """Paragraph markup for user text: cleaned, truncated, escaped, with font fallback tags."""
    cleaned = truncate(clean(text), limit)
    parts = []
    for font, chunk in runs(cleaned, bold=bold):
        chunk = escape(chunk)
        parts.append(chunk if font is None else f'<font face="{font}">{chunk}</font>')
    return "".join(parts)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    base = FONT_BOLD if bold else FONT
    return sum(
        pdfmetrics.stringWidth(chunk, font or base, size) for font, chunk in runs(text, bold=bold)
    )


def fit(text: object, width: float, size: float, *, bold: bool = False) -> str:
    """Cleaned text shortened with an ellipsis to fit ``width`` points."""
    return _fit(clean(text)[:400], round(width, 1), size, bold)


@lru_cache(maxsize=16384)
def _fit(text: str, width: float, size: float, bold: bool) -> str:
    if text_width(text, size, bold=bold) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid] + "…", size, bold=bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


def draw_text(
    canv: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    anchor: str = "start",
) -> float:
    """Draw cleaned text with font fallback on a canvas; returns its width."""
    width = text_width(text, size, bold=bold)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    base = FONT_BOLD if bold else FONT
    for font, chunk in runs(text, bold=bold):
        name = font or base
        canv.setFont(name, size)
        canv.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, name, size)
    return width
