"""The main window: wiring of document, scene, view, panels, controllers, actions and menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QStyle, QWidget

from ..model import Change, Model
from .action_icons import action_icon
from .document import Document
from .editing import EditController
from .export import ask_export_path, export_png, export_svg
from .files import FileController
from .inspector import InspectorPanel
from .layout import auto_layout_command
from .palette import PalettePanel
from .scene import MODEL_SUFFIXES, DiagramScene
from .tools import BoundaryTool, ConnectTool, SelectTool
from .view import DiagramView

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
        self._build_actions()
        self._build_menus()
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
        self.resizeDocks([self.review_docks[REVIEW_PANELS[0]]], [230], Qt.Orientation.Vertical)

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
            docks[title] = self._dock(title, placeholder, Qt.DockWidgetArea.BottomDockWidgetArea)
        first = docks[REVIEW_PANELS[0]]
        for title in REVIEW_PANELS[1:]:
            self.tabifyDockWidget(first, docks[title])
        first.raise_()
        self.resizeDocks([first], [170], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.palette_dock, self.inspector_dock], [250, 330], Qt.Orientation.Horizontal
        )
        return docks

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | str | None = None,
        *,
        checkable: bool = False,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.setStatusTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        return action

    def _build_actions(self) -> None:
        SK, f, e, v = QKeySequence.StandardKey, self.files, self.editing, self.view
        self.act_new = self._action("&New…", f.new_model, SK.New)
        self.act_open = self._action("&Open…", f.open_dialog, SK.Open)
        self.act_save = self._action("&Save", f.save, SK.Save)
        self.act_save_as = self._action("Save &As…", f.save_as, SK.SaveAs)
        self.act_export_png = self._action("Export Diagram as &PNG…", lambda: self.export("png"))
        self.act_export_svg = self._action("Export Diagram as S&VG…", lambda: self.export("svg"))
        self.act_quit = self._action("&Quit", self.close, SK.Quit)
        stack = self.document.undo_stack
        self.act_undo = stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(SK.Undo))
        self.act_redo = stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence(SK.Redo), QKeySequence("Ctrl+Y")])
        # the menu names what will be undone; the toolbar button keeps a short, steady label
        self.act_undo.setIconText("Undo")
        self.act_redo.setIconText("Redo")
        self.act_copy = self._action("&Copy", e.copy, SK.Copy)
        self.act_paste = self._action("&Paste", e.paste, SK.Paste)
        self.act_duplicate = self._action("D&uplicate", e.duplicate, "Ctrl+D")
        self.act_delete = self._action("&Delete", e.delete_selection, SK.Delete)
        self.act_delete.setShortcuts([QKeySequence(SK.Delete), QKeySequence("Backspace")])
        self.act_select_all = self._action("Select &All", e.select_all, SK.SelectAll)
        self.act_rename = self._action("&Rename", e.rename_selection, "F2")
        self.act_zoom_in = self._action("Zoom &In", v.zoom_in, SK.ZoomIn)
        self.act_zoom_in.setShortcuts([QKeySequence(SK.ZoomIn), QKeySequence("Ctrl+=")])
        self.act_zoom_out = self._action("Zoom &Out", v.zoom_out, SK.ZoomOut)
        self.act_zoom_reset = self._action("&Actual Size", v.zoom_reset, "Ctrl+0")
        self.act_fit = self._action("&Fit to Window", v.fit, "Ctrl+Shift+F")
        self.act_grid = self._action("Show &Grid", self._toggle_grid, checkable=True)
        self.act_grid.setChecked(True)
        self.act_snap = self._action("&Snap to Grid", self._toggle_snap, checkable=True)
        self.act_snap.setChecked(True)
        self.act_minimap = self._action("&Overview", self.view.minimap.set_wanted, checkable=True)
        self.act_minimap.setChecked(self.view.minimap.use_settings(self.settings))  # remembered
        self.act_layout = self._action(
            "Auto-&Layout",
            self.auto_layout,
            "Ctrl+L",
            tip="Arrange elements in layers, inside their boundaries",
        )
        self.tool_group = QActionGroup(self)
        self.tools = {
            "select": SelectTool(self.scene),
            "connect": ConnectTool(self.scene),
            "boundary": BoundaryTool(self.scene),
        }
        self.tool_actions: dict[str, QAction] = {}
        for name, text, key in (
            ("select", "Select", "V"),
            ("connect", "Connect", "C"),
            ("boundary", "Boundary", "B"),
        ):
            action = self._action(
                text,
                lambda _=False, n=name: self.set_tool(n),
                key,
                checkable=True,
                tip=f"{text} tool ({key})",
            )
            self.tool_group.addAction(action)
            self.tool_actions[name] = action
        self.tool_actions["select"].setChecked(True)
        self.act_escape = self._action("Cancel", lambda: self.set_tool("select"), "Escape")
        self.addAction(self.act_escape)
        for name, action in [
            *self.tool_actions.items(),
            ("zoom_in", self.act_zoom_in),
            ("zoom_out", self.act_zoom_out),
            ("fit", self.act_fit),
            ("layout", self.act_layout),
        ]:
            action.setIcon(action_icon(name))
        style = self.style()
        for pixmap, action in (
            (QStyle.StandardPixmap.SP_FileIcon, self.act_new),
            (QStyle.StandardPixmap.SP_DirOpenIcon, self.act_open),
            (QStyle.StandardPixmap.SP_DialogSaveButton, self.act_save),
            (QStyle.StandardPixmap.SP_ArrowBack, self.act_undo),
            (QStyle.StandardPixmap.SP_ArrowForward, self.act_redo),
        ):
            action.setIcon(style.standardIcon(pixmap))
        for action in self.findChildren(QAction):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

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
        view.addActions([self.act_grid, self.act_snap, self.act_minimap])
        view.addSeparator()
        for dock in [self.palette_dock, self.inspector_dock, *self.review_docks.values()]:
            view.addAction(dock.toggleViewAction())
        arrange = bar.addMenu("&Arrange")
        arrange.addActions(list(self.tool_actions.values()))
        arrange.addSeparator()
        arrange.addAction(self.act_layout)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("MainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.addActions([self.act_new, self.act_open, self.act_save])
        toolbar.addSeparator()
        toolbar.addActions([self.act_undo, self.act_redo])
        toolbar.addSeparator()
        toolbar.addActions(list(self.tool_actions.values()))
        toolbar.addSeparator()
        toolbar.addActions([self.act_zoom_out, self.act_zoom_in, self.act_fit, self.act_layout])
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
        self.palette.componentActivated.connect(
            lambda cid: self.scene.add_component(
                cid, self.view.mapToScene(self.view.viewport().rect().center())
            )
        )
        self.files.recentChanged.connect(self._refresh_recent)
        self._update_counts()

    # -- behaviour ------------------------------------------------------------------------
    def set_tool(self, name: str) -> None:
        self.scene.set_tool(self.tools[name])
        self.tool_actions[name].setChecked(True)

    def auto_layout(self) -> None:
        command = auto_layout_command(self.document)
        if command is not None:
            self.document.push(command)
            self.view.fit()

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

    def _toggle_grid(self, on: bool) -> None:
        self.view.show_grid = on
        self.view.viewport().update()

    def _toggle_snap(self, on: bool) -> None:
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
