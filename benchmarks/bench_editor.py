"""Editor benchmark: time from open to first painted frame, and repaint after a zoom (offscreen).

    python benchmarks/bench_editor.py [--sizes 100 1000] [--example models/kubernetes-cluster.yaml]

Prints one line per model: build (Document + scene + window), first frame (grab of the shown
window), threats shown (large models derive in a worker after the first frame: badges and panels
filled and painted), repaint after each of five zoom-ins (with the zoom levels) and after fit. Targets (issue 6): first frame < 1.5 s, repaint
< 100 ms at 1,000 elements. Numbers only; nothing asserts on them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from stride_desktop.io import load_model  # noqa: E402
from stride_desktop.model import Model  # noqa: E402


def synthetic(n: int) -> Model:
    from synthetic import make_model  # benchmarks/synthetic.py

    model = make_model(n)
    from stride_desktop.ui.layout import compute_layout

    positions, rects = compute_layout(model)  # synthetic models carry no geometry worth drawing
    for element in model.elements:
        element.pos = positions.get(element.id, element.pos)
    for boundary in model.boundaries:
        boundary.rect = rects.get(boundary.id, boundary.rect)
    return model


def measure(label: str, model: Model, scratch: Path, *, review: bool) -> None:
    from stride_desktop.ui.main_window import MainWindow

    app = QApplication.instance()
    settings = QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat)
    t0 = time.perf_counter()
    window = MainWindow(settings=settings, recovery_dir=scratch / "rec", model=model, review=review)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    t_build = time.perf_counter() - t0
    window.view.viewport().grab()  # paints the canvas
    t_first = time.perf_counter() - t0
    service = window.review.service if review else None
    if service is not None:  # large models derive in a worker after the first frame
        from bench_review import settle

        settle(service, timeout_ms=60_000)
        app.processEvents()
        window.view.viewport().grab()  # the badges painted
    t_threats = time.perf_counter() - t0
    zooms, levels = [], []
    for _ in range(5):
        window.view.zoom_in()
        t1 = time.perf_counter()
        window.view.viewport().grab()
        zooms.append(time.perf_counter() - t1)
        levels.append(window.view.zoom())
    window.view.fit()
    t1 = time.perf_counter()
    window.view.viewport().grab()
    t_fit = time.perf_counter() - t1
    label += " +review" if review else " canvas"
    print(
        f"{label:<36} elements={len(model.elements):>5} flows={len(model.flows):>5} "
        f"open->first frame {t_first * 1000:6.0f} ms (built {t_build * 1000:5.0f} ms, "
        f"threats shown {t_threats * 1000:5.0f} ms)  repaint after zoom "
        f"({levels[0]:.0%}..{levels[-1]:.0%}) median {statistics.median(zooms) * 1000:5.1f} ms "
        f"max {max(zooms) * 1000:5.1f} ms  after fit {t_fit * 1000:5.1f} ms"
    )
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()
    app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument(
        "--example",
        action="append",
        default=[str(p) for p in sorted((ROOT / "models").glob("*.yaml"))],
    )
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as scratch:
        for path in args.example:
            measure(Path(path).name, load_model(path), Path(scratch), review=True)
        for n in args.sizes:
            for review in (False, True):
                measure(f"synthetic make_model({n})", synthetic(n), Path(scratch), review=review)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
