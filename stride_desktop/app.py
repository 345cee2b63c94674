"""The editor's entry point: ``stride-desktop [MODEL] [--screenshot OUT.png] [--size WxH]``."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .cli.common import EXIT_BAD_INPUT, EXIT_OK, Parser

DEFAULT_MODEL = "docker-host.yaml"


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT such as 1600x1000, got {text!r}"
        ) from None
    if not (200 <= w <= 10000 and 200 <= h <= 10000):
        raise argparse.ArgumentTypeError(f"size {text} out of range (200..10000 per side)")
    return w, h


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="stride-desktop", description="Open the STRIDE Desktop editor.")
    parser.add_argument(
        "model", nargs="?", help="model file to open (default: the Docker host example)"
    )
    parser.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="render the main window with the model loaded to OUT.png and exit",
    )
    parser.add_argument(
        "--size",
        type=_size,
        default=(1600, 1000),
        metavar="WxH",
        help="window size for --screenshot (default 1600x1000)",
    )
    return parser


def default_model_path() -> Path | None:
    from .paths import models_dir

    folder = models_dir()
    candidate = folder / DEFAULT_MODEL if folder else None
    return candidate if candidate and candidate.is_file() else None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Start-up allocates the model, the scene and its items, nothing cyclic to collect: the
    # collector's repeated passes over the growing heap cost seconds at 10,000 elements.
    collecting = gc.isenabled()
    gc.disable()
    try:
        app, window = _start(args)
        if window is None:
            return app  # the screenshot's exit code
        gc.freeze()  # what start-up built lives as long as the window: collections skip it
    finally:
        if collecting:
            gc.enable()
    return app.exec()  # type: ignore[attr-defined]


def _start(args: argparse.Namespace) -> tuple[Any, Any]:
    """The application and its shown window; for ``--screenshot`` (exit code, None)."""
    # The model and the engine (networkx) before Qt: PySide6 reads the source of every module
    # imported after it (its __feature__ import hook), hundreds of networkx modules included.
    from . import rules  # noqa: F401
    from .io import ModelError, load_model

    path = Path(args.model) if args.model else default_model_path()
    model, problems = None, []
    if path is not None:
        try:
            model = load_model(path)
        except ModelError as exc:
            problems = exc.problems

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .ui.main_window import MainWindow
    from .ui.theme import apply_theme

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("STRIDE Desktop")
    app.setApplicationName("stride-desktop")
    apply_theme(app)  # type: ignore[arg-type]
    if args.screenshot:
        if problems:
            for problem in problems:
                print(f"stride-desktop: {path}: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT, None
        return _screenshot(app, model, path, Path(args.screenshot), args.size), None

    window = MainWindow(
        settings=QSettings(), model=model, path=path.resolve() if model and path else None
    )
    if problems and path is not None:
        window.files.show_problems(str(path), problems)
    window.show()
    window.files.offer_recovery()
    if model is not None and path is not None:
        window.files.add_recent(path.resolve())
    return app, window


def _pose(window: object) -> None:
    """Select the most central platform component (else the most threatened element), once
    threats are derived, so the panels show what they do."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    service = window.review.service  # type: ignore[attr-defined]
    if service.pending:  # a large model derives in a worker after the first frame
        loop = QEventLoop()
        service.threatsChanged.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
    model, scene = window.document.model, window.scene  # type: ignore[attr-defined]
    chosen = next(
        (
            e.id
            for component in ("k8s.apiserver", "docker.daemon")
            for e in model.elements
            if e.component == component
        ),
        None,
    )
    if chosen is None and scene.element_items:
        chosen = max(scene.element_items, key=lambda i: (scene.element_items[i].badge_count(), i))
    if chosen is not None:
        scene.select_ids([chosen])
    QApplication.processEvents()  # the panels follow the selection; the inspector a moment later


def _screenshot(
    app: object, model: object, path: Path | None, out: Path, size: tuple[int, int]
) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as scratch:  # never touch the person's settings
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(
            settings=settings,
            recovery_dir=Path(scratch) / "recovery",
            model=model,
            path=path.resolve() if path else None,
        )  # type: ignore[arg-type]
        window.resize(*size)
        window.show()
        for _ in range(3):
            QApplication.processEvents()
        window.view.fit()
        _pose(window)
        window.view.minimap.refit()
        QApplication.processEvents()
        ok = window.grab().save(str(out))
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
    if not ok:
        print(f"stride-desktop: cannot write screenshot {out}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {out}")
    return EXIT_OK
