"""How long an edit takes to reach the badges and review panels at 1,000 elements.

Measures, in a real main window (offscreen), from pushing the undo command until the threat
service has published and every panel and badge has been refreshed:

- a triage edit (fast path: decisions re-applied to the cached threats, no derivation);
- a move (geometry only: nothing to derive);
- a property edit (re-derivation; in a worker thread above ``SYNC_LIMIT`` elements).

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

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from synthetic import make_model  # noqa: E402

from stride_desktop.ui.commands import MoveCommand, SetPropertyCommand  # noqa: E402
from stride_desktop.ui.commands.review import TriageCommand  # noqa: E402
from stride_desktop.ui.main_window import MainWindow  # noqa: E402


def timed(window, push, *, rounds: int = 5) -> list[float]:
    service = window.review.service
    out = []
    for i in range(rounds):
        done = []
        service.threatsUpdated.connect(lambda: done.append(time.perf_counter()))
        start = time.perf_counter()
        push(i)
        QCoreApplication.processEvents()
        deadline = start + 10
        while service.pending and time.perf_counter() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.001)
        QCoreApplication.processEvents()
        end = done[-1] if done else time.perf_counter()
        service.threatsUpdated.disconnect()
        # reconnect the panels and badges that listen to the service
        review = window.review
        service.threatsUpdated.connect(review.badges.refresh)
        service.threatsUpdated.connect(review.threats_panel.refresh)
        service.threatsUpdated.connect(review.all_threats_panel.table_model.refresh)
        service.threatsUpdated.connect(review.all_threats_panel._on_threats)
        service.threatsUpdated.connect(review.findings_panel.refresh_findings)
        service.threatsUpdated.connect(review.hardening_panel.refresh)
        out.append((end - start) * 1000)
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
    triage = timed(window, lambda i: doc.push(TriageCommand(doc, threat_ids[:1], status=statuses[i % 5])))
    element = doc.model.element(target)
    moves = timed(window, lambda i: doc.push(MoveCommand(
        doc, positions={target: (element.pos[0] + 20 * (i + 1), element.pos[1])})))
    flips = timed(window, lambda i: doc.push(SetPropertyCommand(
        doc, target, "privileged" if "container" in element.component else "x_bench", bool(i % 2 == 0))))
    for label, values in (("triage edit", triage), ("move", moves), ("property edit", flips)):
        print(f"{label:>14}: median {statistics.median(values):7.1f} ms, max {max(values):7.1f} ms "
              f"(until badges and panels are refreshed)")
    print(f"full derivation alone: {service.last_derive_seconds * 1000:.1f} ms")
    os._exit(0)  # skip Qt teardown of a large scene


if __name__ == "__main__":
    main()
