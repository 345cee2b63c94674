"""The core never imports Qt: only stride_desktop/ui and stride_desktop/app.py may."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "stride_desktop"


def _imports_qt(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6") for name in names):
            return True
    return False


def test_no_qt_import_outside_ui() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if _imports_qt(p) and p.relative_to(PACKAGE).parts[0] not in ("ui", "app.py")
    ]
    assert offenders == []


def test_headless_commands_do_not_load_qt() -> None:
    code = (
        "import sys\nfrom stride_desktop.cli import main\n"
        "import stride_desktop.io, stride_desktop.model\n"
        "for name in ('rules', 'bench', 'report'):\n"
        "    try:\n        __import__('stride_desktop.' + name)\n"
        "    except ImportError:\n        pass\n"
        "main(['validate', '--help']) if False else None\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "False", result.stderr
