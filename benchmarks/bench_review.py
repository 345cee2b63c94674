"""How long an edit takes to reach the badges and review panels at 1,000 elements.

Measures, in a real main window (offscreen), from pushing the undo command until the threat
service has published and every panel and badge has been refreshed:

- a triage edit (fast path: decisions re-applied to the cached threats, no derivation);
- a move (geometry only: nothing to derive);
- a property edit (incremental re-derivation of what the edit can reach, rules.incremental);
- a container edit: the widest incremental scope (a container's flags are read across its host).

Every round is printed; the last lines time a full derivation with a full refresh, for comparison.

Usage: python benchmarks/bench_review.py [N]   (default 1000). Prints milliseconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from synthetic import make_model

from stride_desktop.ui.commands import MoveCommand, SetPropertyCommand
from stride_desktop.ui.commands.review import TriageCommand
from stride_desktop.ui.main_window import MainWindow


def timed(window, push, *, rounds: int = 7) -> list[float]:
    """Milliseconds from each push until the last listener of ``threatsUpdated`` has run (the
    recorder is connected after every panel and badge, and slots run in connection order), or
    until the event queue is drained when nothing is re-derived (moves)."""
    service = window.review.service
    done: list[float] = []
    record = lambda: done.append(time.perf_counter())
    service.threatsUpdated.connect(record)
    out = []
    for i in range(rounds):
        done.clear()
        start = time.perf_counter()
        push(i)
        QCoreApplication.processEvents()
        deadline = start + 10
        while service.pending and time.perf_counter() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.001)
        QCoreApplication.processEvents()
        end = done[-1] if done else time.perf_counter()
        out.append((end - start) * 1000)
    service.threatsUpdated.disconnect(record)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path("/tmp") / "stride-bench-review.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, model=make_model(n))
    window.show()
    service = window.review.service
    service.wait(30)
    doc = window.document
    target = next(e.id for e in doc.model.elements if service.by_target.get(e.id))
    window.scene.select_ids([target])
    app.processEvents()
    print(f"{n} elements, {len(doc.model.flows)} flows, {len(service.threats)} threats")
    threat_ids = [t.id for t in service.by_target[target]]
    statuses = ["mitigated", "accepted", "open", "not_applicable", "transferred"]
    triage = timed(
        window, lambda i: doc.push(TriageCommand(doc, threat_ids[:1], status=statuses[i % 5]))
    )
    element = doc.model.element(target)
    moves = timed(
        window,
        lambda i: doc.push(
            MoveCommand(doc, positions={target: (element.pos[0] + 20 * (i + 1), element.pos[1])})
        ),
    )
    flips = timed(
        window,
        lambda i: doc.push(
            SetPropertyCommand(
                doc,
                target,
                "privileged" if "container" in element.component else "x_bench",
                bool(i % 2 == 0),
            )
        ),
    )
    # the widest incremental scope: a container's privileged flag is read by its host's neighbours
    container = next(
        e
        for e in doc.model.elements
        if e.component == "docker.container"
        and e.boundary
        and doc.model.boundary(e.boundary).kind == "host"
    )
    window.scene.select_ids([container.id])
    app.processEvents()
    wide = timed(
        window,
        lambda i: doc.push(SetPropertyCommand(doc, container.id, "privileged", bool(i % 2 == 0))),
    )
    for label, values in (
        ("triage edit", triage),
        ("move", moves),
        ("property edit", flips),
        ("container edit", wide),
    ):
        print(
            f"{label:>14}: median {statistics.median(values):7.1f} ms, max {max(values):7.1f} ms "
            f"[{' '.join(f'{v:.0f}' for v in values)}] "
            f"(until badges and panels are refreshed)"
        )
    print(
        f"last derivation alone: {service.last_derive_seconds * 1000:.1f} ms "
        f"({'incremental' if service.last_incremental else 'full'})"
    )
    start = time.perf_counter()
    service.refresh_now()
    print(f"full derivation and refresh: {(time.perf_counter() - start) * 1000:.1f} ms")
    os._exit(0)  # skip Qt teardown of a large scene


if __name__ == "__main__":
    main()
