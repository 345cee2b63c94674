"""Edit-menu operations on the selection: delete, copy, paste, duplicate, select all, rename."""

from __future__ import annotations

import atexit
import copy
import dataclasses
import json

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtGui import QGuiApplication

from ..model import Boundary, Element, Flow
from .commands import AddItemsCommand, DeleteItemsCommand
from .document import Document
from .scene import DiagramScene

FRAGMENT_MIME = "application/x-stride-fragment"
PASTE_OFFSET = 40.0


def _release_clipboard() -> None:
    """Drop our fragment from the clipboard before Python shuts down.

    The clipboard owns the QMimeData we put there; on some platforms (offscreen, the default
    QPlatformClipboard) it is deleted by a C++ static destructor after the interpreter is gone,
    and deleting a Python-made QMimeData then crashes the process on exit."""
    if QGuiApplication.instance() is None:
        return
    clipboard = QGuiApplication.clipboard()
    data = clipboard.mimeData()
    if data is not None and data.hasFormat(FRAGMENT_MIME):
        clipboard.clear()


atexit.register(_release_clipboard)


class EditController(QObject):
    def __init__(
        self, document: Document, scene: DiagramScene, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.scene = document, scene
        self._paste_count = 0

    def delete_selection(self) -> None:
        elements, flows, boundaries = self.scene.selected_ids()
        if elements or flows or boundaries:
            self.document.push(
                DeleteItemsCommand(
                    self.document, element_ids=elements, flow_ids=flows, boundary_ids=boundaries
                )
            )

    def select_all(self) -> None:
        for item in self.scene.items():
            if item.flags() & item.GraphicsItemFlag.ItemIsSelectable:
                item.setSelected(True)

    def rename_selection(self) -> None:
        elements, flows, boundaries = self.scene.selected_ids()
        ids = elements + flows + boundaries
        if len(ids) == 1:
            self.scene.renameRequested.emit(ids[0])

    # -- clipboard ------------------------------------------------------------------------
    def fragment(self) -> dict:
        """The selection as plain data: elements, the flows among them, selected boundaries."""
        model = self.document.model
        elements, _flows, boundaries = self.scene.selected_ids()
        chosen_b = {
            b.id for b in model.boundaries if set(boundaries) & set(model.boundary_chain(b.id))
        }
        chosen_e = set(elements) | {e.id for e in model.elements if e.boundary in chosen_b}
        return {
            "boundaries": [dataclasses.asdict(b) for b in model.boundaries if b.id in chosen_b],
            "elements": [dataclasses.asdict(e) for e in model.elements if e.id in chosen_e],
            "flows": [
                dataclasses.asdict(f)
                for f in model.flows
                if f.source in chosen_e and f.target in chosen_e
            ],
        }

    def copy(self) -> None:
        data = self.fragment()
        if not (data["elements"] or data["boundaries"]):
            return
        mime = QMimeData()
        mime.setData(FRAGMENT_MIME, json.dumps(data).encode("utf-8"))
        QGuiApplication.clipboard().setMimeData(mime)
        self._paste_count = 0

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(FRAGMENT_MIME):
            return
        self._paste_count += 1
        data = json.loads(bytes(mime.data(FRAGMENT_MIME).data()).decode("utf-8"))
        self.insert_fragment(data, offset=PASTE_OFFSET * self._paste_count, text="Paste")

    def duplicate(self) -> None:
        data = self.fragment()
        if data["elements"] or data["boundaries"]:
            self.insert_fragment(data, offset=PASTE_OFFSET, text="Duplicate")

    def insert_fragment(self, data: dict, *, offset: float, text: str) -> list[str]:
        """Add copies with fresh ids, shifted by ``offset``; references inside are remapped."""
        model = self.document.model
        used: set[str] = set()  # ids given to the copies so far
        mapping: dict[str, str] = {}

        def fresh(old: str) -> str:
            new = model.new_id(f"{old}-copy", taken=used)
            used.add(new)
            mapping[old] = new
            return new

        boundaries = [
            Boundary(**{**b, "rect": tuple(b["rect"])}) for b in data.get("boundaries", [])
        ]
        elements = [Element(**{**e, "pos": tuple(e["pos"])}) for e in data.get("elements", [])]
        flows = [Flow(**f) for f in data.get("flows", [])]
        for obj in [*boundaries, *elements, *flows]:
            obj.id = fresh(obj.id)
        existing_b = {b.id for b in model.boundaries}
        for b in boundaries:
            b.rect = (b.rect[0] + offset, b.rect[1] + offset, b.rect[2], b.rect[3])
            b.parent = mapping.get(b.parent or "", b.parent if b.parent in existing_b else None)
        for e in elements:
            e.pos = (e.pos[0] + offset, e.pos[1] + offset)
            e.boundary = mapping.get(
                e.boundary or "", e.boundary if e.boundary in existing_b else None
            )
            e.properties = copy.deepcopy(e.properties)
        for f in flows:
            f.source, f.target = mapping[f.source], mapping[f.target]
        self.document.push(
            AddItemsCommand(
                self.document,
                elements=elements,
                flows=flows,
                boundaries=boundaries,
                text=f"{text} {len(elements) + len(boundaries)} items",
            )
        )
        self.scene.select_ids(set(mapping.values()))
        return list(mapping.values())
