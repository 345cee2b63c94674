"""An element drawn by DFD kind: external entity (box), process (pill), data store (open sides)."""

from __future__ import annotations

import html
import math
from functools import cache
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ...io.limits import MAX_NAME_CHARS
from ...model import ComponentType, Element
from .. import style
from ..icons import icon_pixmap
from .badge import draw_badge

PORT_RADIUS = 5.0
BADGE_R = 11.0
ICON_LOD = 0.3  # below, the icon in the box would be a few pixels (and costs every repaint)
MAX_W = 272.0  # wider than this, a name wraps onto two lines (and is elided only past that)
ONE_LINE_GROW = 32.0  # a name this much wider than the default text room widens the box instead
BREAKS_AFTER = " -/_.:"  # where a name may wrap: "kube-controller-" / "manager"
PUNCT_PENALTY = 16.0  # a split at a space reads better than a narrower one inside a word
# run-together names ("productcatalogservice") may wrap before a common last word
SUFFIXES = (
    "service",
    "server",
    "controller",
    "manager",
    "provider",
    "gateway",
    "registry",
    "worker",
    "agent",
    "proxy",
    "store",
    "cache",
    "exporter",
    "operator",
    "scheduler",
)


_LONGEST_SUFFIX = max(len(s) for s in SUFFIXES)
EXACT_CANDIDATES = 64  # splits measured exactly: all of a usual name, the best few of a long one


def _can_break(name: str, i: int) -> bool:
    before, after = name[i - 1], name[i]
    if before in ":/" and after == "/":
        return False  # never inside "tcp://"
    if before in BREAKS_AFTER or after == "(":
        return True
    return (
        i >= 3
        and before.isalpha()
        and len(name) - i <= _LONGEST_SUFFIX
        and name[i:].lower() in SUFFIXES
    )


def wrap_two(name: str, fm: QFontMetricsF) -> tuple[float, list[str]]:
    """The narrowest two-line split of ``name``, at a space or else punctuation: (width, lines).

    Linear in the name: each split's line widths are first estimated from running sums of the
    characters' advances, and only the best EXACT_CANDIDATES are measured (every split of a name
    of usual length). Measuring every split of a long name exactly was quadratic.
    """
    whole = fm.horizontalAdvance(name)
    best, best_score = (whole, [name]), whole
    advance: dict[str, float] = {}
    running = [0.0]  # running[i]: estimated width of name[:i]
    for ch in name:
        if (w := advance.get(ch)) is None:
            w = advance[ch] = fm.horizontalAdvance(ch)
        running.append(running[-1] + w)
    left_end = list(range(len(name) + 1))  # name[:i].rstrip() ends at left_end[i]
    for i in range(1, len(name) + 1):
        if name[i - 1] == " ":
            left_end[i] = left_end[i - 1]
    right_start = list(range(len(name) + 1))  # name[i:].lstrip() starts at right_start[i]
    for i in range(len(name) - 1, -1, -1):
        if name[i] == " ":
            right_start[i] = right_start[i + 1]
    estimates = []
    for i in range(1, len(name)):
        if not _can_break(name, i):
            continue
        end, start = left_end[i], right_start[i]
        if end == 0 or start == len(name):
            continue  # a line would be empty
        penalty = 0 if " " in name[i - 1 : i + 1] else PUNCT_PENALTY
        width = max(running[end], running[-1] - running[start])
        estimates.append((width + penalty, i))
    chosen = sorted(i for _, i in sorted(estimates)[:EXACT_CANDIDATES])
    for i in chosen:
        lines = [name[:i].rstrip(), name[i:].lstrip()]
        width = max(fm.horizontalAdvance(line) for line in lines)
        score = width + (0 if " " in name[i - 1 : i + 1] else PUNCT_PENALTY)
        if score < best_score:
            best, best_score = (width, lines), score
    return best


@cache
def name_font() -> QFont:  # made on first use: fonts need the QApplication
    return style.ui_font(9.5, bold=True)


@cache
def sub_font() -> QFont:  # made on first use: fonts need the QApplication
    return style.ui_font(7.5)


@cache
def line_heights() -> tuple[float, float]:
    return QFontMetricsF(name_font()).height(), QFontMetricsF(sub_font()).height()


@cache
def _subtitle(text: str, room: float) -> tuple[float, str]:
    """Width and elided form of a subtitle (component names repeat across a big model)."""
    fm = QFontMetricsF(sub_font())
    return fm.horizontalAdvance(text), fm.elidedText(text, Qt.TextElideMode.ElideRight, room)


class ElementItem(QGraphicsItem):
    """Position is the element's centre; the shape is centred on (0, 0)."""

    def __init__(self, element: Element, component: ComponentType | None, kind: str) -> None:
        super().__init__()
        self.element_id = element.id
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setZValue(100)
        self._hover = False
        self._badge: tuple[int, str | None, bool] | None = None
        self.sync(element, component, kind)

    # -- model mirror ---------------------------------------------------------------------
    def sync(self, element: Element, component: ComponentType | None, kind: str) -> None:
        self.name = element.name or element.id
        self.component = component
        self.kind = kind
        self.subtitle = component.name if component else element.component
        if self.subtitle == self.name:
            self.subtitle = kind.replace("_", " ")
        self.setToolTip(  # rich text: what the model says is escaped, never markup
            f"<b>{html.escape(self.name[:MAX_NAME_CHARS])}</b><br>{html.escape(self.subtitle)}"
            f" · {kind.replace('_', ' ')}"
            + (f"<br>{html.escape(element.description[:2000])}" if element.description else "")
        )
        self.prepareGeometryChange()  # the width follows the name
        self._text: tuple[float, list[str], str] | None = None  # (width, name lines, subtitle)
        self._body: QRectF | None = (
            None  # follows the text: asked for on every paint and index query
        )
        self._outer: QRectF | None = None  # the bounding rect, the same
        if self.pos() != QPointF(*element.pos):
            self.setPos(QPointF(*element.pos))
        self.update()

    def set_badge(self, count: int, severity: str | None, confirmed: bool = False) -> None:
        """Threat badge: ``count`` threats, highest ``severity``, ``confirmed`` by bench evidence."""
        self._badge = (count, severity, confirmed) if count > 0 else None
        self.update()

    def badge_count(self) -> int:
        return self._badge[0] if self._badge else 0

    def badge_state(self) -> tuple[int, str | None, bool] | None:
        """(count, highest severity, confirmed) of the badge shown; None: no badge."""
        return self._badge

    # -- geometry -------------------------------------------------------------------------
    def _text_inset(self) -> float:
        """Horizontal room the icon and paddings take: left pad, icon, gap, right pad."""
        return 12 + style.ICON_SIZE + 8 + 12 + (16 if self.kind == "process" else 0)

    def text_layout(self) -> tuple[float, list[str], str]:
        """(body width, name lines, subtitle): the box grows with the name, then wraps it."""
        if self._text is None:  # measured once per name: eliding per paint costs too much
            fm, inset = QFontMetricsF(name_font()), self._text_inset()
            room = style.ELEMENT_W - inset
            name = self.name  # two elided lines show far less than a model's longest name
            if len(name) > MAX_NAME_CHARS:
                name = name[:MAX_NAME_CHARS] + "…"
            text_w, lines = fm.horizontalAdvance(name), [name]
            if text_w > room + ONE_LINE_GROW:
                text_w, lines = wrap_two(name, fm)
            sub_w = _subtitle(self.subtitle, room)[0]
            text_w = max(text_w, min(sub_w, room + ONE_LINE_GROW / 2))  # a little room for it too
            width = min(MAX_W, max(style.ELEMENT_W, math.ceil((text_w + inset + 1) / 8) * 8))
            room = width - inset
            lines = [fm.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in lines]
            self._text = (width, lines, _subtitle(self.subtitle, room)[1])
        return self._text

    def body_rect(self) -> QRectF:
        if self._body is None:
            h = style.ELEMENT_H if self.kind != "data_store" else style.ELEMENT_H - 6
            w = self.text_layout()[0]
            self._body = QRectF(-w / 2, -h / 2, w, h)
        return QRectF(self._body)

    def boundingRect(self) -> QRectF:
        if self._outer is None:  # (Qt asks 20,000 items for theirs to build its index)
            self._outer = self.body_rect().adjusted(-10, -14, 14, 10)
        return QRectF(self._outer)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(
            self.body_rect().adjusted(-PORT_RADIUS, -PORT_RADIUS, PORT_RADIUS, PORT_RADIUS)
        )
        return path

    def ports(self) -> list[QPointF]:
        r = self.body_rect()
        return [
            QPointF(r.center().x(), r.top()),
            QPointF(r.right(), r.center().y()),
            QPointF(r.center().x(), r.bottom()),
            QPointF(r.left(), r.center().y()),
        ]

    def port_at(self, local: QPointF) -> bool:
        """True on a connection port (the dots shown on hover): pressing there starts a flow."""
        return any((p - local).manhattanLength() <= PORT_RADIUS * 2.4 for p in self.ports())

    def edge_point(self, towards: QPointF) -> QPointF:
        """Where the line from the centre to ``towards`` (scene) leaves the body."""
        r = self.body_rect()
        d = towards - self.pos()
        if abs(d.x()) < 1e-6 and abs(d.y()) < 1e-6:
            return self.pos()
        sx = (r.width() / 2) / abs(d.x()) if abs(d.x()) > 1e-6 else float("inf")
        sy = (r.height() / 2) / abs(d.y()) if abs(d.y()) > 1e-6 else float("inf")
        return self.pos() + d * min(sx, sy, 1.0)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and self.scene():
            notify = getattr(self.scene(), "element_item_moved", None)
            if notify:
                notify(self)
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event: Any) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event: Any) -> None:
        self._hover = False
        self.update()

    # -- painting -------------------------------------------------------------------------
    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, lod >= style.TINY_LOD)
        r = self.body_rect()
        border = style.KIND_BORDER.get(self.kind, style.FLOW)
        fill = style.KIND_FILL.get(self.kind, QColor("white"))
        selected = self.isSelected()
        if lod >= 0.5:  # soft shadow, only where it can be seen
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 22))
            self._draw_body(painter, r.translated(2, 3), fill_only=True)
        painter.setBrush(fill)
        colour = style.SELECTION if selected else border
        if lod >= 1.0:
            painter.setPen(style.pen(colour, 2.6 if selected else 1.6))
        else:  # a pixel or two on screen, so a selection shows at any zoom
            painter.setPen(style.pen(colour, 2.2 if selected else 1.0, cosmetic=True))
        self._draw_body(painter, r, lod=lod)
        icon = self.component.icon if self.component else ""
        if lod < style.TEXT_LOD:  # the view draws the name (and badge) at a readable size
            if lod >= ICON_LOD:  # the icon says what it is where the name cannot show
                size = min(r.height() - 8, style.ICON_SIZE * 1.25)
                painter.drawPixmap(
                    QRectF(-size / 2, -size / 2, size, size).toRect(),
                    icon_pixmap(icon, self.kind, style.ICON_SIZE, 1.0),
                )
            return
        icon_rect = QRectF(r.left() + 12, -style.ICON_SIZE / 2, style.ICON_SIZE, style.ICON_SIZE)
        if self.kind == "process":
            icon_rect.translate(8, 0)
        ratio = 2.0 if lod > 1.2 else 1.0
        painter.drawPixmap(
            icon_rect.topLeft(), icon_pixmap(icon, self.kind, style.ICON_SIZE, ratio)
        )
        text_left = icon_rect.right() + 8
        _, lines, sub = self.text_layout()
        name_h, sub_h = line_heights()
        y = -(name_h * len(lines) + sub_h) / 2  # the name block and subtitle, centred together
        width = r.right() - text_left
        painter.setFont(name_font())
        painter.setPen(style.TEXT)
        for line in lines:
            painter.drawText(
                QRectF(text_left, y, width, name_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
            y += name_h
        painter.setFont(sub_font())
        painter.setPen(style.SUBTEXT)
        painter.drawText(
            QRectF(text_left, y, width, sub_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            sub,
        )
        if self._hover or selected:
            painter.setPen(QPen(style.SELECTION, 1.2))
            painter.setBrush(QColor("white"))
            for p in self.ports():
                painter.drawEllipse(p, PORT_RADIUS, PORT_RADIUS)
        if self._badge and lod >= style.BADGE_LOD:  # below, the view draws it (zoom_labels)
            self._draw_badge(painter, r)

    def _draw_body(
        self, painter: QPainter, r: QRectF, *, fill_only: bool = False, lod: float = 1.0
    ) -> None:
        if self.kind == "process" and r.height() * lod < 4:  # round ends under a pixel or two
            painter.drawRect(r)
        elif self.kind == "process":
            painter.drawRoundedRect(r, r.height() / 2, r.height() / 2)
        elif self.kind == "data_store":
            pen = painter.pen()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRect(r)
            if not fill_only:  # a data store is open on the left and right (DFD convention)
                painter.setPen(pen)
                painter.drawLine(r.topLeft(), r.topRight())
                painter.drawLine(r.bottomLeft(), r.bottomRight())
                painter.drawLine(r.topLeft() + QPointF(5, 0), r.bottomLeft() + QPointF(5, 0))
        else:
            painter.drawRect(r)

    def badge_rect(self) -> QRectF:
        """Where the threat badge is drawn (item coordinates), at the body's top-right."""
        r = self.body_rect()
        return QRectF(r.right() - 4 - BADGE_R, r.top() - 2 - BADGE_R, 2 * BADGE_R, 2 * BADGE_R)

    def _draw_badge(self, painter: QPainter, r: QRectF) -> None:
        draw_badge(painter, QPointF(r.right() - 4, r.top() - 2), BADGE_R, self._badge)
