"""Application look: Fusion with a light palette and a small stylesheet."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

QSS = """
QMainWindow::separator { background: #E3E7ED; width: 1px; height: 1px; }
QDockWidget { font-weight: 600; color: #374151; }
QDockWidget::title { background: #F3F5F8; padding: 4px 8px; border-bottom: 1px solid #E3E7ED; }
QToolBar { background: #FFFFFF; border-bottom: 1px solid #E3E7ED; spacing: 2px; padding: 3px 6px; }
QToolBar QToolButton { padding: 4px 8px; border-radius: 5px; color: #1F2430; }
QToolBar QToolButton:hover { background: #EEF2F7; }
QToolBar QToolButton:checked { background: #DCEBFF; color: #0B5CD5; }
QToolBar QToolButton#qt_toolbar_ext_button { padding: 2px; min-width: 16px; }
QTreeWidget#palette { border: none; background: #FFFFFF; }
QTreeWidget#palette::item { padding: 3px 2px; border-radius: 4px; }
QTreeWidget#palette::item:hover { background: #EEF2F7; }
QTreeWidget#palette::item:selected { background: #DCEBFF; color: #0B2F6B; }
QLineEdit, QComboBox, QSpinBox { padding: 3px 6px; border: 1px solid #CBD2DC; border-radius: 5px;
  background: #FFFFFF; min-height: 20px; }
QLineEdit:focus, QComboBox:focus, QSpinBox:focus { border: 1px solid #0A84FF; }
QLineEdit#inlineRename { border: 2px solid #0A84FF; font-weight: 600; }
QLabel#inspectorTitle { font-size: 11pt; padding: 2px 0 8px 0; }
QLabel#inspectorSection { color: #6B7280; font-size: 8pt; font-weight: 700; padding-top: 10px;
  letter-spacing: 1px; }
QLabel#reviewPlaceholder { color: #8A93A3; }
QScrollArea { border: none; background: #FFFFFF; }
QWidget#inspectorPage { background: #FFFFFF; }
QStatusBar { background: #F3F5F8; border-top: 1px solid #E3E7ED; color: #4B5563; }
QTabBar::tab { padding: 5px 12px; }
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#F6F7F9"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#F3F5F8"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1F2430"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1F2430"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#1F2430"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#0A84FF"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor("#1F2430"))
    app.setPalette(palette)
    app.setStyleSheet(QSS)
