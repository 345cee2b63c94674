"""Child process of bench_editor.py: open a model file the way a user does and report times.

    python benchmarks/editor_probe.py MODEL.yaml   (STRIDE_SPAWN_T0: the clock when it was started)

Runs the real entry point (``stride_desktop.cli.main([MODEL])``: imports, loading, window,
event loop). Times are read on CLOCK_MONOTONIC (``time.perf_counter`` on Linux), which the
launcher shares, so they count from the moment this process was started:

- first_frame: the canvas's first paint;
- threats_shown: the first canvas paint after the threat service published the threats (large
  models derive in a worker thread after the first frame);
- stall_ms: the longest gap between ticks of a 5 ms timer from the first frame until the threats
  are shown (badges applied): how long the shown window could not react while threats were
  derived;
- first_paint_stall_ms: the longest gap before that (painting the whole diagram the first time);
- stall_sources: with ``STRIDE_PROBE_TRACE=1``, for each of the longest stalls, where the GUI
  thread was (the deepest frames of our code, sampled every 2 ms by a thread of the probe; the
  sampling perturbs the times a little, so it is off by default);
- zoom_ms: repaint of the canvas after each of five zoom-ins (synchronous ``repaint()``);
- labelled_ms: after zooming to 25 % and to 50 %, laying out the zoomed-out names and badges
  (``ui/zoom_labels.py``) and the repaint that shows them (on a large diagram they follow the
  zoom a moment later, in a repaint of their own).

Prints one JSON line and leaves at once (``os._exit``): tearing down a large scene is not
something the user waits for.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import itertools
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from types import ModuleType
from typing import Any, ClassVar

T0 = float(os.environ.get("STRIDE_SPAWN_T0", time.perf_counter()))  # set by harness.run_process
TICK_MS = 5
TRACE = os.environ.get("STRIDE_PROBE_TRACE") == "1"


def main() -> None:
    marks = _Marks()
    marks["probe_started"] = now()
    if TRACE:
        _StallTracer.start()
    _wrap_loading(marks)
    # Qt is imported by the app, in its order (what is imported after PySide6 costs more): the
    # watchers go in once the app has imported its main window.
    sys.meta_path.insert(
        0, _AfterImport("stride_desktop.ui.main_window", lambda m: _watch(m, marks))
    )
    from stride_desktop.cli import main as cli_main

    cli_main([sys.argv[1]])


cpu_marks: dict[str, float] = {}  # the process's CPU time at each mark (the machine is shared)


def now() -> float:
    return time.perf_counter() - T0


class _Marks(dict[str, float]):
    """Wall-clock marks that note the CPU time beside them."""

    def __setitem__(self, key: str, value: float) -> None:
        cpu_marks[key] = time.process_time()
        super().__setitem__(key, value)

    def setdefault(self, key: str, value: float) -> float:  # type: ignore[override]
        if key not in self:
            self[key] = value
        return self[key]


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``then(module)`` right after the module ``name`` is imported by someone else."""

    def __init__(self, name: str, then: Callable[[ModuleType], None]) -> None:
        self.name, self.then = name, then

    def find_spec(self, name: str, path: object, target: object = None) -> object:
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            self.then(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


class _StallTracer:
    """Samples where the GUI thread is every 2 ms (a thread of its own; sleeping releases the
    interpreter lock): which of our functions a stall was spent in."""

    samples: ClassVar[list[tuple[float, tuple[str, ...]]]] = []

    @classmethod
    def start(cls) -> None:
        main_id = threading.get_ident()

        def sample() -> None:
            while True:
                time.sleep(0.002)
                frame = sys._current_frames().get(main_id)
                where: list[str] = []  # our frames, innermost first
                while frame is not None:
                    code = frame.f_code
                    if "stride_desktop" in code.co_filename:
                        name = code.co_filename.rsplit("stride_desktop/", 1)[-1]
                        where.append(f"{name}:{code.co_name}:{frame.f_lineno}")
                    frame = frame.f_back
                # the handler the event loop called (below the entry point) and the innermost
                inside = [w for w in where if not w.startswith(("app.py", "cli/"))]
                key = (inside[-1], inside[0]) if inside else ()
                cls.samples.append((time.perf_counter(), key))

        threading.Thread(target=sample, name="probe-tracer", daemon=True).start()

    @classmethod
    def during(cls, start: float, end: float) -> list[list[object]]:
        """The most frequent places of the GUI thread between ``start`` and ``end`` (handler ...
        innermost of our frames) and their share of the samples."""
        counts = Counter(w for t, w in cls.samples if start <= t <= end)
        total = sum(counts.values()) or 1
        return [
            [" ... ".join(dict.fromkeys(w)) or "(in Qt, idle or waiting for the lock)", n / total]
            for w, n in counts.most_common(4)
        ]


def _wrap_loading(marks: dict[str, float]) -> None:
    from stride_desktop import io

    load_model = io.load_model

    def timed_load(*args: Any, **kwargs: Any) -> Any:
        result = load_model(*args, **kwargs)
        marks["loaded"] = now()
        return result

    io.load_model = timed_load


def _watch(main_window: ModuleType, marks: dict[str, float]) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    ticks: list[float] = []
    build = main_window.MainWindow.__init__

    def timed_build(self: Any, *args: Any, **kwargs: Any) -> None:
        marks["window_start"] = now()
        build(self, *args, **kwargs)
        marks["window_built"] = now()

    main_window.MainWindow.__init__ = timed_build

    def finish(window: Any) -> None:
        view = window.view
        zooms, zoom_cpus, levels = [], [], []
        for _ in range(5):
            view.zoom_in()
            start, cpu = time.perf_counter(), time.process_time()
            view.viewport().repaint()
            zooms.append(time.perf_counter() - start)
            zoom_cpus.append(time.process_time() - cpu)
            levels.append(view.zoom())
        labelled, labelled_cpus = [], []
        for level in (0.25, 0.5):
            view.set_zoom(level)
            view.viewport().repaint()  # the zoomed items (a large diagram's labels follow)
            start, cpu = time.perf_counter(), time.process_time()
            view.labels.settle()
            view.viewport().repaint()
            labelled.append(time.perf_counter() - start)
            labelled_cpus.append(time.process_time() - cpu)
        shown = T0 + marks["first_frame"]
        pairs = list(itertools.pairwise(ticks))
        # the gap a tick ends after the first frame was marked, begun before it, is the first
        # paint's: the window was on screen from the gaps after it
        gaps = [b - a for a, b in pairs if a >= shown]
        before = [b - a for a, b in pairs if a < shown]
        service = getattr(getattr(window, "review", None), "service", None)
        result = {
            **marks,
            "stall_ms": max(gaps, default=0.0) * 1000,
            "first_paint_stall_ms": max(before, default=0.0) * 1000,
            "stalls": sorted(
                ([round(a - T0, 3), round((b - a) * 1000)] for a, b in pairs),
                key=lambda s: -s[1],
            )[:6],  # [start s, ms]: the longest gaps, to tell which work blocked
            "stall_sources": [
                [round(a - T0, 3), round((b - a) * 1000), _StallTracer.during(a, b)]
                for a, b in sorted(pairs, key=lambda p: p[0] - p[1])[:6]
            ]
            if TRACE
            else [],
            "zoom_ms": [z * 1000 for z in zooms],
            "zoom_cpu_ms": [z * 1000 for z in zoom_cpus],
            "zoom_levels": levels,
            "labelled_ms": [z * 1000 for z in labelled],
            "labelled_cpu_ms": [z * 1000 for z in labelled_cpus],
            "threats": len(service.threats) if service is not None else 0,
            "elements": len(window.document.model.elements),
            "cpu": time.process_time(),
            "cpu_marks": cpu_marks,
        }
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
        os._exit(0)

    class PaintWatcher(QObject):
        """Marks the first canvas paint, and the first one after the threats were published."""

        def __init__(self, window: Any) -> None:
            super().__init__()
            self.window = window
            self.service = getattr(getattr(window, "review", None), "service", None)

        def threats_ready(self) -> bool:
            service = self.service
            return (
                service is not None
                and bool(service.threats)
                and not service.pending
                and not getattr(service, "applying", False)  # badges, table: a slice per turn
            )

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
        window.view.viewport().installEventFilter(watcher)
        timer = QTimer()
        timer.setInterval(TICK_MS)
        asked: list[bool] = []

        def tick() -> None:
            ticks.append(time.perf_counter())
            # the last of the delta applied (a panel, in a turn of its own) may come after the
            # canvas's last paint: the paint that shows everything is asked for once it is done
            if not asked and "threats_shown" not in marks and watcher.threats_ready():
                asked.append(True)
                window.view.viewport().update()

        timer.timeout.connect(tick)
        timer.start()
        ticks.append(time.perf_counter())
        app._probe = (watcher, timer)  # type: ignore[attr-defined]  # keep them alive
        if watcher.threats_ready():
            window.view.viewport().update()
        return original_exec()

    QApplication.exec = exec_and_watch  # type: ignore[method-assign]


if __name__ == "__main__":
    main()
