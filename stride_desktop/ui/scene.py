"""The canvas scene: mirrors the Document's model as items; gestures come from the active tool."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneDragDropEvent, QGraphicsSceneMouseEvent

from ..model import Change, Element
from . import style
from .commands import AddItemsCommand
from .document import Document
from .items import BoundaryItem, ElementItem, FlowItem
from .items.label_placement import place_labels
from .tools import SelectTool, Tool

COMPONENT_MIME = "application/x-stride-component"
MODEL_SUFFIXES = (".yaml", ".yml")
BSP_DEPTH = 12  # the deepest index of a large diagram (see rebuild)


class DiagramScene(QGraphicsScene):
    modelFileDropped = Signal(str)
    toolFinished = Signal()  # a one-shot tool (boundary) is done: go back to select
    renameRequested = Signal(str)  # double-click: edit the name in place
    flowsRouted = Signal(object)  # ids of the flows whose route and label were placed again

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self.element_items: dict[str, ElementItem] = {}
        self.flow_items: dict[str, FlowItem] = {}
        self.boundary_items: dict[str, BoundaryItem] = {}
        self.snap_to_grid = True
        self.tool: Tool = SelectTool(self)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        # flows re-routed while several items move (auto-layout, undo, a dragged group): their
        # labels are placed again once everything has arrived, among the final positions
        self._moved_flows: set[str] = set()
        self._replace = QTimer(self)
        self._replace.setSingleShot(True)
        self._replace.setInterval(0)
        self._replace.timeout.connect(self._place_moved_labels)
        # the scroll area follows the diagram once a batch of changes is over (an auto-layout
        # can double its size; a view cannot scroll or centre beyond its scene rect)
        self._regrow = QTimer(self)
        self._regrow.setSingleShot(True)
        self._regrow.setInterval(0)
        self._regrow.timeout.connect(self.update_scene_rect)
        document.changed.connect(self._on_change)
        self.rebuild()

    # -- mirror ---------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.is_reset:
            self.rebuild()
        elif change.kind == "element":  # membership decides which flows cross a boundary
            self.sync_elements(
                list(change.ids), reroute=change.action != "edit" or "boundary" in change.fields
            )
            self._regrow_if_outgrown(self.element_items, change.ids)
        elif change.kind == "flow":
            self.sync_flows(list(change.ids))
        elif change.kind == "boundary":
            self.sync_boundaries(list(change.ids))
            self._regrow_if_outgrown(self.boundary_items, change.ids)

    def _regrow_if_outgrown(self, items: dict[str, Any], ids: Iterable[str]) -> None:
        """The scene rect follows (once the batch is over) when a changed item comes near
        its edge: measuring every item's bounds after each move would cost more."""
        if self._regrow.isActive():
            return
        inner = self.sceneRect().adjusted(500, 500, -500, -500)
        if any(i in items and not inner.contains(items[i].sceneBoundingRect()) for i in ids):
            self._regrow.start()

    def rebuild(self) -> None:
        self.clear()
        self.element_items.clear()
        self.flow_items.clear()
        self.boundary_items.clear()
        model = self.document.model
        items = len(model.elements) + len(model.flows) + len(model.boundaries)
        # Qt's index would be log2(items) levels deep: 15 at 10,000 elements, whose first
        # build (every long flow in many cells) cost ~1 s of the first paint; 12 builds in a
        # third of that, and repaints and item lookups stay as quick
        self.setBspTreeDepth(BSP_DEPTH if items >= 2**BSP_DEPTH else 0)  # 0: Qt's own
        self.sync_boundaries([b.id for b in model.boundaries])
        self.sync_elements([e.id for e in model.elements], reroute=False)
        self.sync_flows([f.id for f in model.flows])
        self.update_scene_rect()

    def update_scene_rect(self) -> QRectF:
        """The scroll area follows the items; returns their bounds (asking 20,000 items for
        theirs takes ~80 ms: callers that need them too should not ask again)."""
        items = self.itemsBoundingRect()
        bounds = items.adjusted(-2000, -2000, 2000, 2000)
        self.setSceneRect(bounds.united(QRectF(-2000, -2000, 5000, 4000)))
        return items

    def sync_elements(self, ids: list[str], *, reroute: bool = True) -> None:
        """Mirror these elements; ``reroute=False``: their flows are re-routed only where a box
        changed size (a move re-routes as the item moves, see ``element_item_moved``)."""
        by_id = self.document.model.elements_by_id()
        catalog = self.document.catalog
        resized: set[str] = set()
        for element_id in ids:
            element = by_id.get(element_id)
            item = self.element_items.get(element_id)
            if element is None:
                if item is not None:
                    self.removeItem(self.element_items.pop(element_id))
                continue
            component = catalog.components.get(element.component)
            kind = self.document.kind_of(element)
            if item is None:
                item = ElementItem(element, component, kind)
                self.element_items[element_id] = item
                self.addItem(item)
            else:
                size = item.boundingRect().size()
                item.sync(element, component, kind)
                if item.boundingRect().size() != size:
                    resized.add(element_id)
        self.route_flows(self._flows_touching(set(ids) if reroute else resized))

    def sync_flows(self, ids: list[str]) -> None:
        model = self.document.model
        # one index per sync: model.flow() scans the list, which made opening 10,000 flows
        # quadratic (a quarter of the time to the first frame)
        flows = {f.id: f for f in model.flows} if len(ids) > 8 else None
        for flow_id in ids:
            flow = flows.get(flow_id) if flows is not None else model.flow(flow_id)
            item = self.flow_items.get(flow_id)
            if flow is None:
                if item is not None:
                    self.removeItem(self.flow_items.pop(flow_id))
                continue
            if item is None:
                item = FlowItem(flow)
                self.flow_items[flow_id] = item
                self.addItem(item)
            else:
                item.sync(flow)
        # a pair's offsets depend on every flow of the pair
        self.route_flows(
            self._flows_touching(
                {i.source_id for i in self._items(ids)} | {i.target_id for i in self._items(ids)}
            )
            | set(ids)
        )

    def _items(self, flow_ids: list[str]) -> list[FlowItem]:
        return [self.flow_items[i] for i in flow_ids if i in self.flow_items]

    def sync_boundaries(self, ids: list[str]) -> None:
        model = self.document.model
        by_id = model.boundaries_by_id()
        for boundary_id in ids:
            if boundary_id not in by_id and boundary_id in self.boundary_items:
                self.removeItem(self.boundary_items.pop(boundary_id))
        for boundary in model.boundaries:  # depths may change for any of them
            depth = len(model.boundary_chain(boundary.id, index=by_id))
            item = self.boundary_items.get(boundary.id)
            if item is None:
                item = BoundaryItem(boundary, depth)
                self.boundary_items[boundary.id] = item
                self.addItem(item)
            elif boundary.id in ids or item.zValue() != depth:
                item.sync(boundary, depth)
        if self.flow_items:
            self.route_flows(set(self.flow_items))  # crossings may change

    def _flows_touching(self, element_ids: set[str]) -> set[str]:
        return {
            fid
            for fid, item in self.flow_items.items()
            if item.source_id in element_ids or item.target_id in element_ids
        }

    def route_flows(self, flow_ids: set[str], *, place: bool = True) -> None:
        """Lines of these flows between their boxes; ``place=False``: their labels are placed by
        the caller (once a batch of moves is over)."""
        if not flow_ids:
            return
        model = self.document.model
        elements = model.elements_by_id()
        pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
        touched_pairs = {
            tuple(sorted((self.flow_items[f].source_id, self.flow_items[f].target_id)))
            for f in flow_ids
            if f in self.flow_items
        }
        for fid, item in self.flow_items.items():
            key = tuple(sorted((item.source_id, item.target_id)))
            if key in touched_pairs:
                pairs[key].append(fid)  # type: ignore[index]
        chains: dict[str | None, tuple[str, ...]] = {}
        boundaries = model.boundaries_by_id()

        def chain(boundary_id: str | None) -> tuple[str, ...]:
            if boundary_id not in chains:
                chains[boundary_id] = tuple(model.boundary_chain(boundary_id, index=boundaries))
            return chains[boundary_id]

        bodies: dict[str, QRectF] = {}  # each end once (an element has a few flows)

        def body(element_id: str) -> QRectF:
            rect = bodies.get(element_id)
            if rect is None:
                item = self.element_items[element_id]
                rect = bodies[element_id] = item.sceneBoundingRect().adjusted(10, 14, -14, -10)
            return rect

        for (a, b), fids in pairs.items():
            src_item, tgt_item = self.element_items.get(a), self.element_items.get(b)
            if src_item is None or tgt_item is None:
                continue
            fids.sort()
            n = len(fids)
            for i, fid in enumerate(fids):
                item = self.flow_items[fid]
                # offsets are on the a->b normal; a b->a flow's own normal points the other way
                offset = (i - (n - 1) / 2) * 18.0
                if item.source_id != a:
                    offset = -offset
                s_el, t_el = elements.get(item.source_id), elements.get(item.target_id)
                crossing = bool(s_el and t_el and chain(s_el.boundary) != chain(t_el.boundary))
                item.set_route(
                    body(item.source_id), body(item.target_id), offset, crossing=crossing
                )
        placed = [f for fids in pairs.values() for f in fids]
        if place:
            place_labels(self, [self.flow_items[f] for f in placed])
        self.flowsRouted.emit(placed)

    def element_item_moved(self, item: ElementItem) -> None:
        """Live re-routing while a drag moves items ahead of the model."""
        flows = self._flows_touching({item.element_id})
        self.route_flows(flows, place=False)  # placed once, when the moves are over
        self._moved_flows |= flows
        self._replace.start()

    @property
    def labels_pending(self) -> bool:
        """Moved flows whose labels are placed again once the moves are over."""
        return self._replace.isActive()

    def _place_moved_labels(self) -> None:
        flows = [self.flow_items[f] for f in self._moved_flows if f in self.flow_items]
        self._moved_flows = set()
        if flows:
            place_labels(self, flows)
            self.flowsRouted.emit([f.flow_id for f in flows])

    # -- queries --------------------------------------------------------------------------
    def innermost_boundary_at(
        self, point: QPointF, *, exclude: set[str] = frozenset()
    ) -> str | None:
        best: tuple[float, str] | None = None
        for bid, item in self.boundary_items.items():
            if bid in exclude:
                continue
            rect = item.sceneBoundingRect().adjusted(2, 2, -12, -12)
            if rect.contains(point):
                area = rect.width() * rect.height()
                if best is None or area < best[0]:
                    best = (area, bid)
        return best[1] if best else None

    def innermost_boundary_around(
        self, rect: QRectF, *, exclude: set[str] = frozenset()
    ) -> str | None:
        best: tuple[float, str] | None = None
        for bid, item in self.boundary_items.items():
            outer = QRectF(*item.scene_rect_tuple())
            if bid not in exclude and outer.contains(rect) and outer != rect:
                area = outer.width() * outer.height()
                if best is None or area < best[0]:
                    best = (area, bid)
        return best[1] if best else None

    def selected_ids(self) -> tuple[list[str], list[str], list[str]]:
        elements, flows, boundaries = [], [], []
        for item in self.selectedItems():
            if isinstance(item, ElementItem):
                elements.append(item.element_id)
            elif isinstance(item, FlowItem):
                flows.append(item.flow_id)
            elif isinstance(item, BoundaryItem):
                boundaries.append(item.boundary_id)
        return elements, flows, boundaries

    def select_ids(self, ids: set[str] | list[str]) -> None:
        self.clearSelection()
        for mapping in (self.element_items, self.flow_items, self.boundary_items):
            for obj_id in ids:
                if obj_id in mapping:
                    mapping[obj_id].setSelected(True)

    def snap(self, point: QPointF) -> QPointF:
        return QPointF(self.snap_value(point.x()), self.snap_value(point.y()))

    def snap_value(self, value: float) -> float:
        if not self.snap_to_grid:
            return value
        return round(value / style.GRID) * style.GRID

    # -- adding ---------------------------------------------------------------------------
    def add_component(self, component_id: str, pos: QPointF) -> str:
        """Add an element of ``component_id`` centred at ``pos``; inside the boundary under it."""
        component = self.document.catalog.get(component_id)
        slug = re.sub(r"[^a-z0-9]+", "-", component_id.rsplit(".", maxsplit=1)[-1].lower()).strip(
            "-"
        )
        element_id = self.document.new_id(slug or "element")
        pos = self.snap(pos)
        element = Element(
            id=element_id,
            name=component.name,
            component=component_id,
            boundary=self.innermost_boundary_at(pos),
            pos=(pos.x(), pos.y()),
        )
        self.document.push(AddItemsCommand(self.document, elements=[element]))
        self.select_ids([element_id])
        return element_id

    # -- events ---------------------------------------------------------------------------
    def set_tool(self, tool: Tool) -> None:
        self.tool.deactivate()
        self.tool = tool
        tool.activate()

    def default_press(self, event: QGraphicsSceneMouseEvent) -> None:
        """Qt's own press handling (selection with Ctrl toggling), for tools to call."""
        super().mousePressEvent(event)

    def default_release(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.tool.press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.tool.move(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.tool.release(event):
            super().mouseReleaseEvent(event)

    def event(self, event: QEvent) -> bool:
        # during a gesture Escape is ours: the window's Escape shortcut must not see it first
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.tool.gesture is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.tool.cancel():
            event.accept()  # the gesture is abandoned and the scene put back
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.tool.double_click(event):
            super().mouseDoubleClickEvent(event)

    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        event.setAccepted(self._acceptable(event))

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        event.setAccepted(self._acceptable(event))

    def _acceptable(self, event: QGraphicsSceneDragDropEvent) -> bool:
        mime = event.mimeData()
        return mime.hasFormat(COMPONENT_MIME) or self._dropped_model(event) is not None

    @staticmethod
    def _dropped_model(event: QGraphicsSceneDragDropEvent) -> str | None:
        mime = event.mimeData()
        for url in mime.urls() if mime.hasUrls() else []:
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in MODEL_SUFFIXES:
                return url.toLocalFile()
        return None

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(COMPONENT_MIME):
            component_id = bytes(mime.data(COMPONENT_MIME).data()).decode("utf-8")
            if component_id in self.document.catalog.components:
                self.add_component(component_id, event.scenePos())
                event.acceptProposedAction()
                return
        path = self._dropped_model(event)
        if path is not None:
            event.acceptProposedAction()
            self.modelFileDropped.emit(path)
            return
        event.ignore()
