"""Child process of bench_editor.py: open a model file the way a user does and report times.

    python benchmarks/editor_probe.py MODEL.yaml   (STRIDE_PROBE_T0 = the parent's clock at spawn)

Runs the real entry point (``stride_desktop.cli.main([MODEL])``: imports, loading, window,
event loop). Times are read on CLOCK_MONOTONIC (``time.perf_counter`` on Linux), which the parent
shares, so they count from the moment the parent started this process:

- first_frame: the canvas's first paint;
- threats_shown: the first canvas paint after the threat service published the threats (large
  models derive in a worker thread after the first frame);
- stall_ms: the longest gap between ticks of a 5 ms timer from the event loop's start until the
  threats are shown: how long the window could not react while threats were derived;
- zoom_ms: repaint of the canvas after each of five zoom-ins (synchronous ``repaint()``).

Prints one JSON line and leaves at once (``os._exit``): tearing down a large scene is not
something the user waits for.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time

T0 = float(os.environ.get("STRIDE_PROBE_T0", time.perf_counter()))
TICK_MS = 5


def main() -> None:
    model_path = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    marks: dict[str, float] = {}
    ticks: list[float] = []
    zooms: list[float] = []
    levels: list[float] = []

    def now() -> float:
        return time.perf_counter() - T0

    def finish(window: object) -> None:
        view = window.view  # type: ignore[attr-defined]
        for _ in range(5):
            view.zoom_in()
            start = time.perf_counter()
            view.viewport().repaint()
            zooms.append(time.perf_counter() - start)
            levels.append(view.zoom())
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        review = getattr(window, "review", None)
        service = getattr(review, "service", None)
        result = {
            **marks,
            "stall_ms": max(gaps, default=0.0) * 1000,
            "zoom_ms": [z * 1000 for z in zooms],
            "zoom_levels": levels,
            "threats": len(service.threats) if service is not None else 0,
            "elements": len(window.document.model.elements),  # type: ignore[attr-defined]
            "cpu": time.process_time(),
        }
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
        os._exit(0)

    class PaintWatcher(QObject):
        """Marks the first canvas paint, and the first one after the threats were published."""

        def __init__(self, window: object) -> None:
            super().__init__()
            self.window = window
            review = getattr(window, "review", None)
            self.service = getattr(review, "service", None)

        def threats_ready(self) -> bool:
            service = self.service
            return service is not None and bool(service.threats) and not service.pending

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                ready = self.threats_ready()  # before this paint: the paint shows them
                QTimer.singleShot(0, lambda: self.painted(ready))
            return False

        def painted(self, ready: bool) -> None:
            marks.setdefault("first_frame", now())
            if ready and "threats_shown" not in marks:
                marks["threats_shown"] = now()
                QTimer.singleShot(0, lambda: finish(self.window))

    original_exec = QApplication.exec

    def exec_and_watch(app: QApplication) -> int:
        marks["event_loop"] = now()
        window = next(w for w in app.topLevelWidgets() if hasattr(w, "view") and w.isVisible())
        watcher = PaintWatcher(window)
        window.view.viewport().installEventFilter(watcher)  # type: ignore[attr-defined]
        timer = QTimer()
        timer.setInterval(TICK_MS)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        ticks.append(time.perf_counter())
        app._probe = (watcher, timer)  # type: ignore[attr-defined]  # keep them alive
        if watcher.service is not None and watcher.threats_ready():
            window.view.viewport().update()  # type: ignore[attr-defined]
        return original_exec()

    QApplication.exec = exec_and_watch  # type: ignore[method-assign]
    marks["probe_started"] = now()
    from stride_desktop.cli import main as cli_main

    cli_main([model_path])


if __name__ == "__main__":
    main()
