"""The main window: wiring of document, scene, view, panels, controllers, actions and menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QTabWidget,
    QWidget,
)

from ..model import Change, Model
from .actions import add_tooltips, build_actions
from .context_menus import CanvasMenus
from .document import Document
from .editing import EditController
from .export import ask_export_path, export_png, export_svg
from .files import FileController
from .inspector import InspectorPanel
from .layout import auto_layout_command
from .palette import PalettePanel
from .placement import free_spot
from .scene import MODEL_SUFFIXES, DiagramScene
from .toolbar import MainToolBar
from .tools import BoundaryTool, ConnectTool, SelectTool, Tool
from .view import DiagramView
from .window_layout import apply_default_sizes, focus_pane, restore_layout, save_layout

REVIEW_PANELS = ("Threats", "All threats", "Findings", "Hardening plan")
APP_NAME = "STRIDE Desktop"


class MainWindow(QMainWindow):
    def __init__(
        self,
        *,
        settings: QSettings | None = None,
        recovery_dir: Path | None = None,
        model: Model | None = None,
        path: Path | None = None,
        review: bool = True,
    ) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.document = Document(model, path=path, parent=self)
        self.scene = DiagramScene(self.document)
        self.scene.setParent(self)  # dies with the window, not whenever Python lets go of it
        self.view = DiagramView(self.scene)
        self.setCentralWidget(self.view)
        self.files = FileController(
            self, self.document, settings=self.settings, recovery_dir=recovery_dir
        )
        self.editing = EditController(self.document, self.scene, self)
        self.palette = PalettePanel(self.document.catalog)
        self.inspector = InspectorPanel(self.document, self.scene)
        self.palette_dock = self._dock(
            "Components", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.inspector_dock = self._dock(
            "Properties", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.review_docks = self._review_area()
        self.tools: dict[str, Tool] = {
            "select": SelectTool(self.scene),
            "connect": ConnectTool(self.scene),
            "boundary": BoundaryTool(self.scene),
        }
        build_actions(self)
        self._build_menus()
        self.menus = CanvasMenus(self)
        self._connect()
        self.setAcceptDrops(True)
        self.resize(1600, 1000)
        self.update_title()
        self.view.fit()
        if review:
            from .review import (
                install_review,  # threats, findings, plan, bench import, export (issue 7)
            )

            self.review = install_review(self, self.document)
        from .import_action import install_import  # File > Import, drops of compose/manifests

        self.importer = install_import(self, self.document)
        add_tooltips([a for a in self.toolbar.actions() if not a.isSeparator()])
        self._layout_restored = restore_layout(self)

    # -- layout ---------------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "") + "Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _review_area(self) -> dict[str, QDockWidget]:
        """The review area: docks the review-panels issue fills (threats, findings, plan)."""
        docks: dict[str, QDockWidget] = {}
        for title in REVIEW_PANELS:
            placeholder = QLabel(f"{title} of the model appear here once threats are derived.")
            placeholder.setObjectName("reviewPlaceholder")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            dock = self._dock(title, placeholder, Qt.DockWidgetArea.BottomDockWidgetArea)
            dock.setTitleBarWidget(QWidget())  # the tab names it: one row more for the tables
            docks[title] = dock
        self.setTabPosition(Qt.DockWidgetArea.BottomDockWidgetArea, QTabWidget.TabPosition.North)
        first = docks[REVIEW_PANELS[0]]
        for title in REVIEW_PANELS[1:]:
            self.tabifyDockWidget(first, docks[title])
        first.raise_()
        return docks

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._layout_restored:  # first show: sizes for this screen, once
            self._layout_restored = True
            apply_default_sizes(self)
            layout = self.layout()
            if layout is not None:
                layout.activate()  # now, not after the first paint (a second full paint)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        file_menu.addActions([self.act_export_png, self.act_export_svg])
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_copy, self.act_paste, self.act_duplicate, self.act_delete])
        edit.addSeparator()
        edit.addActions([self.act_select_all, self.act_rename])
        view = bar.addMenu("&View")
        view.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset, self.act_fit])
        view.addSeparator()
        view.addActions([self.act_grid, self.act_snap, self.act_minimap, self.act_legend])
        view.addSeparator()
        for dock in [self.palette_dock, self.inspector_dock, *self.review_docks.values()]:
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addActions([self.act_next_pane, self.act_prev_pane])
        arrange = bar.addMenu("&Arrange")
        arrange.addActions(list(self.tool_actions.values()))
        arrange.addSeparator()
        arrange.addAction(self.act_layout)
        toolbar = self.toolbar = MainToolBar(self)
        self.addToolBar(toolbar)
        toolbar.addActions([self.act_new, self.act_open, self.act_save])
        toolbar.addSeparator()
        toolbar.addActions([self.act_undo, self.act_redo])
        toolbar.addSeparator()
        toolbar.addActions(list(self.tool_actions.values()))
        toolbar.addSeparator()
        toolbar.addActions([self.act_zoom_out, self.act_zoom_in, self.act_fit, self.act_layout])
        toolbar.set_compact_groups(
            [
                [self.act_zoom_out, self.act_zoom_in, self.act_fit],
                [self.act_new, self.act_open, self.act_save, self.act_undo, self.act_redo],
            ]
        )
        self.zoom_label = QLabel()
        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self._refresh_recent(self.files.recent_files())

    def _connect(self) -> None:
        doc = self.document
        doc.pathChanged.connect(lambda _: self.update_title())
        doc.modifiedChanged.connect(lambda _: self.update_title())
        doc.changed.connect(self._on_change)
        self.view.zoomChanged.connect(lambda z: self.zoom_label.setText(f"  {z * 100:.0f}%  "))
        self.scene.toolFinished.connect(lambda: self.set_tool("select"))
        self.scene.modelFileDropped.connect(self.files.open_path)
        self.palette.componentActivated.connect(self.add_component_in_view)
        self.files.recentChanged.connect(self._refresh_recent)
        self._update_counts()

    # -- behaviour ------------------------------------------------------------------------
    def set_tool(self, name: str) -> None:
        self.scene.set_tool(self.tools[name])
        self.tool_actions[name].setChecked(True)

    def start_tool(self, tool: Tool) -> None:
        """A one-shot tool (connect from a chosen element); it ends back in select."""
        self.scene.set_tool(tool)
        self.tool_actions["connect"].setChecked(True)
        self.view.setFocus()

    def add_component_in_view(self, component_id: str) -> str:
        """Add a component at the free spot nearest the middle of the view (palette Enter or
        double-click): two in a row never land on the same spot."""
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        element_id = self.scene.add_component(component_id, free_spot(self.scene, centre))
        item = self.scene.element_items.get(element_id)
        if item is not None:
            self.view.ensureVisible(item.sceneBoundingRect(), 30, 30)
        return element_id

    def show_threats(self, target_ids: list[str]) -> None:
        """Select ``target_ids`` and bring their threats list forward, with the focus in it."""
        self.scene.select_ids(target_ids)
        dock = self.review_docks.get("Threats")
        if dock is not None:
            dock.show()
            dock.raise_()
            widget = dock.widget()
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_next_pane(self) -> None:
        focus_pane(self, 1)

    def focus_previous_pane(self) -> None:
        focus_pane(self, -1)

    def auto_layout(self) -> None:
        # a large or dense diagram takes a second or two: say so while it works
        self.statusBar().showMessage("Laying out the diagram…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            command = auto_layout_command(self.document, self.scene)
        finally:
            QApplication.restoreOverrideCursor()
        if command is None:
            self.statusBar().showMessage("Auto-layout: nothing to move", 4000)
            return
        self.document.push(command)
        self.view.fit()
        self.statusBar().showMessage("Auto-layout done (Ctrl+Z undoes it)", 5000)

    def export(self, fmt: str) -> None:
        path = ask_export_path(self, fmt, self.document)
        if path:
            (export_png if fmt == "png" else export_svg)(self.scene, path)
            self.statusBar().showMessage(f"Exported {path}", 5000)

    def update_title(self) -> None:
        self.setWindowModified(self.document.is_modified)
        self.setWindowTitle(f"{self.document.display_name}[*] — {APP_NAME}")

    def _on_change(self, change: Change) -> None:
        if change.is_reset:
            self.view.fit()
        if change.action in ("reset", "add", "remove"):
            self._update_counts()

    def _update_counts(self) -> None:
        m = self.document.model
        self.counts_label.setText(
            f"{len(m.elements)} elements · {len(m.flows)} flows · {len(m.boundaries)} boundaries  "
        )

    def toggle_grid(self, on: bool) -> None:
        self.view.show_grid = on
        self.view.resetCachedContent()  # far out the grid is in the view's cached background
        self.view.viewport().update()

    def toggle_snap(self, on: bool) -> None:
        self.scene.snap_to_grid = on

    def _refresh_recent(self, files: list[str]) -> None:
        self.recent_menu.clear()
        for path in files:
            self.recent_menu.addAction(
                Path(path).name, lambda p=path: self.files.open_path(p)
            ).setToolTip(path)
        self.recent_menu.setEnabled(bool(files))

    # -- Qt events ------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files.maybe_save():
            self.files.discard_recovery()
            save_layout(self)
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(
            Path(u.toLocalFile()).suffix.lower() in MODEL_SUFFIXES for u in event.mimeData().urls()
        ):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if Path(url.toLocalFile()).suffix.lower() in MODEL_SUFFIXES:
                event.acceptProposedAction()
                self.files.open_path(url.toLocalFile())
                return
