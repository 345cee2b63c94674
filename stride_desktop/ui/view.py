"""The canvas view: zoom, pan (middle drag or space+drag), dotted grid, minimap, legend, the
zoomed-out labels, keyboard selection (Tab) and nudging (arrows), in-place rename."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView, QLineEdit, QToolTip, QWidget

from . import style
from .far_drawing import FarDrawing
from .items.badge import badge_tooltip
from .keyboard import ARROWS, nudge_selection, tab_target
from .legend import LegendOverlay
from .name_field import restrict_to_names
from .overview_sketch import wants_sketch
from .scene import DiagramScene
from .zoom_labels import ZoomLabels

MIN_ZOOM, MAX_ZOOM = 0.05, 6.0
OVERVIEW_KEY = "view/overview"


class DiagramView(QGraphicsView):
    zoomChanged = Signal(float)

    def __init__(self, scene: DiagramScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.show_grid = True
        self.fitted = True  # showing the whole diagram as fit left it
        self._fit_size = (0, 0)  # the viewport's size at the last fit
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(lambda: self.fitted and self.fit())
        self._space = False
        self._pan_from: QPointF | None = None
        self.minimap = MinimapView(self)
        self.legend = LegendOverlay(self)
        self.legend.resized.connect(lambda: self.fitted and self.fit())
        self.labels = ZoomLabels(self)
        self.far = FarDrawing(scene, self)  # a large diagram far zoomed out
        self.zoomChanged.connect(self.far.update_for)
        self.context_menu_handler: Callable[[QContextMenuEvent], None] | None = None
        self._editor: QLineEdit | None = None
        scene.renameRequested.connect(self.start_rename)

    @property
    def diagram(self) -> DiagramScene:
        return self.scene()  # type: ignore[return-value]

    # -- zoom -----------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, *, fitting: bool = False) -> None:
        self.fitted = fitting
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        scale = factor / self.zoom()
        self.scale(scale, scale)
        self.zoomChanged.emit(factor)
        self.minimap.follow_view()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * 1.25)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / 1.25)

    def zoom_reset(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        """Show the whole diagram (the zoomed-out names stay inside it), at 100 % at most, above
        the legend in the bottom corner."""
        rect = self.diagram.update_scene_rect()  # else centring stops at a rect it outgrew
        if rect.isEmpty():
            rect = QRectF(-400, -300, 800, 600)
        rect = rect.adjusted(-24, -24, 24, 24)
        # a margin on screen too: far out, 24 scene units are a few pixels, and the title tabs
        # standing on the outermost frames would touch the viewport's edge
        area = QRectF(self.viewport().rect()).adjusted(12, 12, -12, -12)
        if self.legend.wanted:
            area.setBottom(area.bottom() - self.legend.height())
        if area.width() < 20 or area.height() < 20:
            return
        zoom = min(area.width() / rect.width(), area.height() / rect.height(), 1.0)
        self.set_zoom(zoom, fitting=True)
        # the diagram's centre on the middle of the free area
        shift = QPointF(self.viewport().rect().center()) - area.center()
        QGraphicsView.centerOn(self, rect.center() + shift / zoom)
        self.fitted = True  # until the person zooms or scrolls, a resize fits again
        self._fit_size = self.viewport().size().toTuple()
        self.zoomChanged.emit(self.zoom())
        self.minimap.follow_view()

    @property
    def refit_pending(self) -> bool:
        """A resize asked for a fit that has not run yet (it runs once the layout settles)."""
        return self._refit.isActive()

    def centerOn(self, *args: object) -> None:  # type: ignore[override]
        self.fitted = False
        super().centerOn(*args)  # type: ignore[call-overload]

    def ensureVisible(self, *args: object) -> None:  # type: ignore[override]
        self.fitted = False
        super().ensureVisible(*args)  # type: ignore[call-overload]

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.fitted = False
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.set_zoom(self.zoom() * (1.15**steps))
            event.accept()
        else:
            super().wheelEvent(event)
            self.minimap.viewport().update()

    # -- pan ------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self._editor is None:
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if event.key() in ARROWS and self._editor is None and self.diagram.selectedItems():
            fine = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if nudge_selection(self.diagram, event.key(), fine=fine):
                self._reveal_selection()
                return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab walks through the diagram's items; past the last one it leaves the canvas."""
        if self._editor is None and self.hasFocus():
            item = tab_target(self.diagram, forward=forward)
            if item is not None:
                self.diagram.clearSelection()
                item.setSelected(True)
                self._reveal_selection()
                return True
        return super().focusNextPrevChild(forward)

    def _reveal_selection(self) -> None:
        items = self.diagram.selectedItems()
        if items:
            self.ensureVisible(items[0].sceneBoundingRect(), 40, 40)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().setCursor(self.diagram.tool.cursor)
            return
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space and event.button() == Qt.MouseButton.LeftButton
        ):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if self._pick_label(event):
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        label = self._label_under(event.position())
        if label is not None and event.button() == Qt.MouseButton.LeftButton:
            self.diagram.renameRequested.emit(label.obj_id)
            return
        super().mouseDoubleClickEvent(event)

    def _label_under(self, pos: QPointF) -> object | None:
        """A zoomed-out name label under ``pos`` where no item of the diagram is."""
        scene_pos = self.mapToScene(pos.toPoint())
        item = self.itemAt(pos.toPoint())
        if item is not None and not hasattr(item, "boundary_id"):
            return None  # the item itself (an element's box, a flow) takes the click
        return self.labels.label_at(scene_pos)

    def _pick_label(self, event: QMouseEvent) -> bool:
        """A click on a zoomed-out name selects what it names (Ctrl adds to the selection)."""
        if event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return False
        label = self._label_under(event.position())
        if label is None or self.diagram.tool.name != "select":
            return False
        self.setFocus()
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.diagram.select_ids([label.obj_id])
        else:
            self.diagram.select_ids(
                {label.obj_id, *(i for ids in self.diagram.selected_ids() for i in ids)}
            )
        event.accept()  # (a right click goes on to the context menu of what it selected)
        return True

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            badge = self.labels.label_at(self.mapToScene(event.pos()), badges=True)
            if badge is not None and badge.badge is not None:  # a zoomed-out count
                QToolTip.showText(event.globalPos(), badge_tooltip(*badge.badge), self.viewport())
                return True
            label = self._label_under(QPointF(event.pos()))
            if label is not None:
                item = self._item_of(label.obj_id)
                if item is not None and item.toolTip():
                    QToolTip.showText(event.globalPos(), item.toolTip(), self.viewport())
                    return True
        return super().viewportEvent(event)

    def _item_of(self, obj_id: str) -> object | None:
        scene = self.diagram
        for mapping in (scene.element_items, scene.flow_items, scene.boundary_items):
            if obj_id in mapping:
                return mapping[obj_id]
        return None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.context_menu_handler is not None:
            self.context_menu_handler(event)
            return
        super().contextMenuEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self.fitted = False
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            self.minimap.viewport().update()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if self._space else self.diagram.tool.cursor
            )
            return
        super().mouseReleaseEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.minimap.follow_view()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.minimap.place()
        self.legend.place()
        size = self.viewport().size()
        moved = abs(size.width() - self._fit_size[0]) + abs(size.height() - self._fit_size[1])
        if self.fitted and moved >= 8:  # the window settled or was resized before the person
            self._refit.start()  # zoomed: fit again, once the resizes of a layout pass are over

    # -- grid -----------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, style.CANVAS)
        if self.show_grid:
            self._draw_grid(painter, rect)
        if self.far.active:  # the items draw nothing: the view draws them, batched
            self.far.draw(painter)

    def _draw_grid(self, painter: QPainter, rect: QRectF) -> None:
        step = style.GRID
        while step * self.zoom() < 12:  # keep dots apart when zoomed out
            step *= 5
        left, top = int(rect.left() // step) * step, int(rect.top() // step) * step
        painter.setPen(QPen(style.GRID_DOT, 1.6 / max(self.zoom(), 0.2)))
        points = [
            QPointF(x, y)
            for x in range(left, int(rect.right()) + step, step)
            for y in range(top, int(rect.bottom()) + step, step)
        ]
        painter.drawPoints(points)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.far.active:
            self.far.draw_selected(painter)
        if self.diagram.element_items or self.diagram.boundary_items:
            self.labels.paint(painter, rect)  # (scene.items() would list every item per paint)
            return
        # an empty canvas says how to start
        painter.save()
        painter.resetTransform()
        area = QRectF(self.viewport().rect())
        painter.setPen(style.SUBTEXT)
        painter.setFont(style.ui_font(13, bold=True))
        painter.drawText(
            area.adjusted(0, -40, 0, -40),
            Qt.AlignmentFlag.AlignCenter,
            "Drag components from the palette to start",
        )
        painter.setFont(style.ui_font(9.5))
        painter.drawText(
            area.adjusted(0, 10, 0, 10),
            Qt.AlignmentFlag.AlignCenter,
            "B draws a trust boundary · drag from an element's dot (or C) connects · "
            "F2 renames · Ctrl+L arranges",
        )
        painter.restore()

    # -- rename in place ------------------------------------------------------------------
    def start_rename(self, obj_id: str) -> None:
        from .commands import EditFieldCommand

        scene, doc = self.diagram, self.diagram.document
        model = doc.model
        item, kind, obj = None, "", None
        if obj_id in scene.element_items:
            item, kind, obj = scene.element_items[obj_id], "element", model.element(obj_id)
            rect = item.sceneBoundingRect().adjusted(50, 16, -20, -40)
        elif obj_id in scene.flow_items:
            item, kind, obj = scene.flow_items[obj_id], "flow", model.flow(obj_id)
            rect = item.label_rect().adjusted(-30, 0, 30, 0)
        elif obj_id in scene.boundary_items:
            item, kind, obj = scene.boundary_items[obj_id], "boundary", model.boundary(obj_id)
            rect = item.tab_rect().translated(item.pos())
        if item is None or obj is None:
            return
        self.finish_rename()
        top_left = self.mapFromScene(rect.topLeft())
        editor = restrict_to_names(QLineEdit(obj.name, self.viewport()))
        editor.setObjectName("inlineRename")
        editor.setGeometry(
            top_left.x(), top_left.y(), max(140, int(rect.width() * self.zoom())), 26
        )
        editor.selectAll()
        editor.show()
        editor.setFocus()
        self._editor = editor

        def commit() -> None:
            if self._editor is not editor:
                return
            self._editor = None
            text = editor.text().strip()
            editor.deleteLater()
            if text and text != obj.name:
                doc.push(EditFieldCommand(doc, kind, obj_id, "name", text))
            self.setFocus()

        editor.editingFinished.connect(commit)
        editor.installEventFilter(self)
        self._commit_rename = commit

    def finish_rename(self) -> None:
        if self._editor is not None:
            self._commit_rename()

    def eventFilter(self, obj: object, event: object) -> bool:
        from PySide6.QtCore import QEvent

        if (
            obj is self._editor
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            editor, self._editor = self._editor, None
            editor.deleteLater()  # type: ignore[union-attr]
            self.setFocus()
            return True
        return super().eventFilter(obj, event)  # type: ignore[arg-type]


class MinimapView(QWidget):
    """An overview in the canvas corner; click or drag to move the main view.

    It paints a cached picture of the scene, re-rendered a moment after the scene changes, so
    large models do not pay for a second full repaint on every scroll or edit. It shows only
    while part of the diagram is out of view (when all of it is visible it would only cover
    it), slightly translucent until the pointer is over it.
    """

    def __init__(self, main: DiagramView) -> None:
        super().__init__(main)
        self.main = main
        self.setFixedSize(176, 112)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self._items_rect = QRectF()  # the diagram's extent, as of the last picture
        self.setToolTip("Overview: click or drag to move the view")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._picture = QPixmap()
        self._stale = False  # the scene changed while hidden: render when shown
        self._source = QRectF()
        self._target = QRectF()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refit)
        self.wanted = True  # the View > Overview toggle; an empty canvas hides it too
        self._settings: QSettings | None = None
        self.hide()  # until the first picture is rendered
        main.scene().changed.connect(self._scene_changed)  # a method: disconnected with us

    def use_settings(self, settings: QSettings) -> bool:
        """Remember the View > Overview choice in ``settings``; returns the remembered choice."""
        self._settings = settings
        self.wanted = bool(settings.value(OVERVIEW_KEY, True, type=bool))
        return self.wanted

    def set_wanted(self, on: bool) -> None:
        self.wanted = on
        if self._settings is not None:
            self._settings.setValue(OVERVIEW_KEY, on)
        self.refit()

    def diagram_fits(self) -> bool:
        """True when the whole diagram is inside the main view's visible area."""
        visible = self.main.mapToScene(self.main.viewport().rect()).boundingRect()
        return visible.contains(self._items_rect)

    def follow_view(self) -> None:
        """The main view scrolled or zoomed: show or hide, and move the visible-area frame."""
        self.setVisible(self.wanted and not self._items_rect.isEmpty() and not self.diagram_fits())
        if self._stale and self.isVisible():
            self._timer.start()  # its picture was skipped while hidden
        self.update()

    def _scene_changed(self, _regions: object) -> None:
        self._timer.start()

    def viewport(self) -> QWidget:  # the main view calls viewport().update() like on a view
        return self

    def place(self) -> None:
        margin = 14
        self.move(
            self.main.viewport().width() - self.width() - margin,
            self.main.viewport().height() - self.height() - margin,
        )
        self._timer.start()  # later: the first frame of the canvas comes first

    def refit(self) -> None:
        scene = self.main.scene()
        sketch = self.main.far.sketch() if wants_sketch(scene) else None
        if sketch is not None:  # the boxes' extent: asking every item for its bounds costs
            self._items_rect = sketch.extent
        else:
            self._items_rect = scene.itemsBoundingRect() if scene.items() else QRectF()
        source = self._items_rect.adjusted(-60, -60, 60, 60)
        self.follow_view()
        if self._items_rect.isEmpty():
            self._picture = QPixmap()
            return
        if not self.isVisible():  # rendering the scene costs a full repaint (seconds at 10,000
            self._stale = True  # elements): only for an overview someone can see
            return
        self._stale = False
        ratio = 2.0
        picture = QPixmap(int(self.width() * ratio), int(self.height() * ratio))
        picture.setDevicePixelRatio(ratio)
        picture.fill(QColor("white"))
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        target = QRectF(4, 4, self.width() - 8, self.height() - 8)
        if sketch is not None:
            sketch.draw(painter, target, source)
        else:
            scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
        scale = min(target.width() / source.width(), target.height() / source.height())
        w, h = source.width() * scale, source.height() * scale
        self._target = QRectF(target.center().x() - w / 2, target.center().y() - h / 2, w, h)
        self._source, self._picture = source, picture
        self.update()

    def _to_widget(self, rect: QRectF) -> QRectF:
        sx = self._target.width() / self._source.width()
        sy = self._target.height() / self._source.height()
        return QRectF(
            self._target.left() + (rect.left() - self._source.left()) * sx,
            self._target.top() + (rect.top() - self._source.top()) * sy,
            rect.width() * sx,
            rect.height() * sy,
        )

    def _to_scene(self, point: QPointF) -> QPointF:
        sx = self._source.width() / self._target.width()
        sy = self._source.height() / self._target.height()
        return QPointF(
            self._source.left() + (point.x() - self._target.left()) * sx,
            self._source.top() + (point.y() - self._target.top()) * sy,
        )

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.underMouse():  # the canvas shows through a little
            painter.setOpacity(0.9)
        painter.setPen(QPen(QColor("#C9D0DA"), 1))
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        if self._picture.isNull() or self._source.isEmpty():
            return
        painter.drawPixmap(0, 0, self._picture)
        visible = self.main.mapToScene(self.main.viewport().rect()).boundingRect()
        painter.setClipRect(QRectF(self.rect()).adjusted(2, 2, -2, -2))
        painter.setPen(QPen(style.SELECTION, 1.5))
        painter.setBrush(QColor(10, 132, 255, 28))
        painter.drawRect(self._to_widget(visible))

    def enterEvent(self, event: object) -> None:
        self.update()  # opaque under the pointer

    def leaveEvent(self, event: object) -> None:
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._source.isEmpty():
            self.main.centerOn(self._to_scene(event.position()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and not self._source.isEmpty():
            self.main.centerOn(self._to_scene(event.position()))
