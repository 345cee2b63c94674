"""The component palette: Docker, Kubernetes and Generic sections, with icons and a search box."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QSize, Qt, Signal
from PySide6.QtGui import QDrag, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..model import Catalog
from .icons import component_icon
from .scene import COMPONENT_MIME

SECTIONS = (("docker", "Docker"), ("kubernetes", "Kubernetes"), ("generic", "Generic"))
ROLE_COMPONENT = Qt.ItemDataRole.UserRole + 1


def component_mime(component_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(COMPONENT_MIME, QByteArray(component_id.encode("utf-8")))
    mime.setText(component_id)
    return mime


class _ComponentTree(QTreeWidget):
    def startDrag(self, actions: Qt.DropAction) -> None:
        item = self.currentItem()
        component_id = item.data(0, ROLE_COMPONENT) if item else None
        if not component_id:
            return
        drag = QDrag(self)
        drag.setMimeData(component_mime(component_id))
        drag.setPixmap(item.icon(0).pixmap(QSize(40, 40)))
        drag.exec(Qt.DropAction.CopyAction)


class PalettePanel(QWidget):
    componentActivated = Signal(str)  # double-click or Enter: add at the view centre

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.search = QLineEdit(placeholderText="Search components…")
        self.search.setClearButtonEnabled(True)
        self.tree = _ComponentTree()
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(26, 26))
        self.tree.setIndentation(10)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setUniformRowHeights(True)
        self.tree.setObjectName("palette")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._populate()
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self.activate_first)
        self.search.installEventFilter(self)
        self.search.setToolTip("Type to filter; Enter adds the first match, Down goes to the list")
        self.tree.itemActivated.connect(self._activated)
        self.setFocusProxy(self.search)

    def _populate(self) -> None:
        bold = self.tree.font()
        bold.setBold(True)
        for platform, title in SECTIONS:
            components = sorted(self.catalog.by_platform(platform), key=lambda c: c.name.lower())
            if not components:
                continue
            section = QTreeWidgetItem(self.tree, [title.upper()])
            section.setFont(0, bold)
            section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for component in components:
                item = QTreeWidgetItem(section, [component.name])
                item.setIcon(0, component_icon(component, 26))
                item.setData(0, ROLE_COMPONENT, component.id)
                item.setToolTip(
                    0,
                    f"<b>{component.name}</b> <i>({component.id})</i><br>"
                    f"{component.kind.label}<br>{component.description}",
                )
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
                self._items[component.id] = item
            section.setExpanded(True)

    def filter(self, text: str) -> None:
        needle = text.strip().lower()
        for index in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(index)
            shown = 0
            for child_index in range(section.childCount()):
                child = section.child(child_index)
                component = self.catalog.components[child.data(0, ROLE_COMPONENT)]
                haystack = f"{component.name} {component.id} {component.description}".lower()
                hide = bool(needle) and needle not in haystack
                child.setHidden(hide)
                shown += not hide
            section.setHidden(shown == 0)

    def visible_components(self) -> list[str]:
        return [
            cid
            for cid, item in self._items.items()
            if not item.isHidden() and not item.parent().isHidden()
        ]

    def activate_first(self) -> None:
        """Enter in the search box: add the first component shown."""
        shown = self.visible_components()
        if shown:
            self.componentActivated.emit(shown[0])

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            obj is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            shown = self.visible_components()
            if shown:  # from the search box down into the list, on the first match
                self.tree.setCurrentItem(self._items[shown[0]])
                self.tree.setFocus()
                return True
        return super().eventFilter(obj, event)

    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        component_id = item.data(0, ROLE_COMPONENT)
        if component_id:
            self.componentActivated.emit(component_id)
