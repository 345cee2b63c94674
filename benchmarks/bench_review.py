"""How long an edit takes to reach the badges and review panels at 1,000 elements.

Measures, in a real main window (offscreen), from pushing the undo command until the threat
service has published its delta and every panel and badge has been refreshed:

- a triage edit (decisions re-applied to the threats they name, no derivation);
- a move (geometry only: nothing to derive);
- a property edit: a property the element's own rules read (re-derives the element, its flows
  and their other ends);
- a wide property edit: the property whose reads reach farthest in the rule set (a daemon's
  setting that its host's containers read), the widest partial re-derivation.

The properties are chosen from what the rules read (``rules.reads``), so each edit changes
threats. Every round is printed; the last lines time a full derivation with a full refresh.

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

from harness import Measure, Row, emit, verdict
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from synthetic import make_model

from stride_desktop.rules.reads import GLOBAL, RuleReads
from stride_desktop.ui.commands import MoveCommand, SetPropertyCommand
from stride_desktop.ui.commands.review import TriageCommand
from stride_desktop.ui.main_window import MainWindow


def settle(service, timeout_ms: int = 30_000) -> None:
    """Run the event loop until the service has nothing left to derive."""
    loop, poll = QEventLoop(), QTimer()
    poll.setInterval(1)
    poll.timeout.connect(lambda: service.pending or loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    if service.pending:
        poll.start()
        loop.exec()
        poll.stop()


TARGET_MS = 50.0
cpu_per_edit: list[float] = []  # the process's CPU milliseconds per edit of each timed() call


def timed(window, push, *, rounds: int = 7) -> list[float]:
    cpu = time.process_time()
    values = _timed(window, push, rounds=rounds)
    cpu_per_edit.append((time.process_time() - cpu) * 1000 / rounds)
    return values


def _timed(window, push, *, rounds: int = 7) -> list[float]:
    """Milliseconds from each push until the last listener of ``threatsChanged`` has run (the
    recorder is connected after every panel and badge, and slots run in connection order), or
    until the event queue is drained when nothing is re-derived (moves)."""
    service = window.review.service
    done: list[float] = []
    record = lambda _delta: done.append(time.perf_counter())
    service.threatsChanged.connect(record)
    out = []
    for i in range(rounds):
        done.clear()
        start = time.perf_counter()
        push(i)
        QApplication.processEvents()
        settle(service)
        QApplication.processEvents()
        end = done[-1] if done else time.perf_counter()
        out.append((end - start) * 1000)
    service.threatsChanged.disconnect(record)
    return out


def read_property(doc, reads: RuleReads, *, widest: bool) -> tuple[str, str]:
    """(element id, bool property) the rules read: read by the element's own rules only, or
    (``widest``) read the farthest away of all."""
    best: tuple[int, str, str] | None = None
    for e in doc.model.elements:
        spec = doc.catalog.components.get(e.component)
        for p in spec.properties if spec else ():
            steps = reads.steps([p.name])
            if p.type != "bool" or steps < 0 or steps >= GLOBAL:
                continue
            if not widest and steps == 0:
                return e.id, p.name
            if widest and (best is None or steps > best[0]):
                best = (steps, e.id, p.name)
    assert best is not None, "no property the rules read"
    return best[1], best[2]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path("/tmp") / "stride-bench-review.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, model=make_model(n))
    window.show()
    service = window.review.service
    settle(service)
    doc = window.document
    reads = RuleReads.of(service.rules)
    print(f"{n} elements, {len(doc.model.flows)} flows, {len(service.threats)} threats")
    first = next(e for e in doc.model.elements if service.threats_of([e.id]))
    window.scene.select_ids([first.id])
    app.processEvents()
    threat_ids = [t.id for t in service.threats_of([first.id])]
    statuses = ["mitigated", "accepted", "open", "not_applicable", "transferred"]
    rows = [
        (
            "triage edit",
            timed(
                window,
                lambda i: doc.push(TriageCommand(doc, threat_ids[:1], status=statuses[i % 5])),
            ),
        ),
        (
            "move",
            timed(
                window,
                lambda i: doc.push(
                    MoveCommand(
                        doc, positions={first.id: (first.pos[0] + 20 * (i + 1), first.pos[1])}
                    )
                ),
            ),
        ),
    ]
    for label, widest in (("property edit", False), ("wide property edit", True)):
        target, prop = read_property(doc, reads, widest=widest)
        element = doc.model.element(target)
        window.scene.select_ids([target])
        app.processEvents()
        start = bool(element.properties.get(prop, False))
        values = timed(
            window,
            lambda i, t=target, p=prop, v=start: doc.push(
                SetPropertyCommand(doc, t, p, (not v) if i % 2 == 0 else v)
            ),
        )
        rows.append((f"{label} ({element.component} {prop})", values))
    for label, values in rows:
        print(
            f"{label:>48}: median {statistics.median(values):7.1f} ms, "
            f"max {max(values):7.1f} ms [{' '.join(f'{v:.0f}' for v in values)}] "
            f"(until badges and panels are refreshed)"
        )
    results = []
    for (label, values), cpu in zip(rows, cpu_per_edit):
        measure = Measure(statistics.median(values) / 1000, cpu / 1000, runs=len(values))
        met, note = verdict(measure, TARGET_MS / 1000)
        results.append(
            Row(
                "review",
                f"{n:,} elements: {label} -> badges and panels refreshed (median of "
                f"{len(values)}; cpu: the process's per edit)",
                measure,
                target=f"<= {TARGET_MS:g} ms",
                met=met,
                note=note,
            )
        )
    emit(results)
    sys.stdout.flush()
    print(f"last refresh alone: {service.last_derive_seconds * 1000:.1f} ms")
    start_full = time.perf_counter()
    service.session.reset(doc.model)
    service.refresh_now()
    print(f"full derivation and refresh: {(time.perf_counter() - start_full) * 1000:.1f} ms")
    os._exit(0)  # skip Qt teardown of a large scene


if __name__ == "__main__":
    main()
