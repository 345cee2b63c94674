"""How long an edit takes to reach the badges and review panels at 1,000 elements.

Measures, in a real main window (offscreen), from pushing the undo command until the threat
service has published and every panel and badge has been refreshed:

- a triage edit (fast path: decisions re-applied to the cached threats, no derivation);
- a move (geometry only: nothing to derive);
- a property edit (incremental re-derivation of what the edit can reach, rules.incremental): a
  boolean property that a rule of the element's component reads, so the edit changes threats;
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

from harness import Measure, Row, emit
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from synthetic import make_model

from stride_desktop.io import default_catalog
from stride_desktop.rules import RuleSet
from stride_desktop.ui.commands import MoveCommand, SetPropertyCommand
from stride_desktop.ui.commands.review import TriageCommand
from stride_desktop.ui.main_window import MainWindow


def timed(window, push, *, rounds: int = 7) -> tuple[list[float], list[float]]:
    """Milliseconds from each push until the last listener of ``threatsUpdated`` has run (the
    recorder is connected after every panel and badge, and slots run in connection order), or
    until the event queue is drained when nothing is re-derived (moves); and the CPU time of
    each round (this process, the worker thread included)."""
    service = window.review.service
    done: list[float] = []
    record = lambda: done.append(time.perf_counter())
    service.threatsUpdated.connect(record)
    out: list[float] = []
    cpus: list[float] = []
    for i in range(rounds):
        done.clear()
        cpu = time.process_time()
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
        cpus.append((time.process_time() - cpu) * 1000)
    service.threatsUpdated.disconnect(record)
    return out, cpus


TARGET_MS = 100.0


def _property_names(raw: object) -> list[str]:
    """The property names a rule condition reads, in order."""
    if isinstance(raw, dict):
        found = []
        for key, value in raw.items():
            if key == "property" and isinstance(value, dict) and "name" in value:
                found.append(value["name"])
            else:
                found += _property_names(value)
        return found
    if isinstance(raw, list):
        return [name for item in raw for name in _property_names(item)]
    return []


def read_bool_property(rules: RuleSet, component: str) -> str | None:
    """A boolean property of ``component`` that one of its own rules reads (None: no such rule)."""
    spec = default_catalog().get(component)
    for rule in rules:
        if rule.target != "element" or (rule.components and component not in rule.components):
            continue
        for name in _property_names(rule.when):
            prop = spec.property(name)
            if prop is not None and prop.type == "bool":
                return name
    return None


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path("/tmp") / "stride-bench-review.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, model=make_model(n))
    window.show()
    service = window.review.service
    service.wait(30)
    doc = window.document
    rules = service.rules
    target = next(
        e.id
        for e in doc.model.elements
        if service.by_target.get(e.id) and read_bool_property(rules, e.component)
    )
    window.scene.select_ids([target])
    app.processEvents()
    print(f"{n} elements, {len(doc.model.flows)} flows, {len(service.threats)} threats")
    threat_ids = [t.id for t in service.by_target[target]]
    statuses = ["mitigated", "accepted", "open", "not_applicable", "transferred"]
    triage = timed(
        window, lambda i: doc.push(TriageCommand(doc, threat_ids[:1], status=statuses[i % 5]))
    )
    element = doc.model.element(target)
    read = read_bool_property(rules, element.component)
    before = element.properties.get(
        read, default_catalog().property_value(element.component, {}, read)
    )
    moves = timed(
        window,
        lambda i: doc.push(
            MoveCommand(doc, positions={target: (element.pos[0] + 20 * (i + 1), element.pos[1])})
        ),
    )
    print(f"property edit: {element.component}.{read} (read by its rules) on {target}")
    flips = timed(
        window,
        lambda i: doc.push(
            SetPropertyCommand(doc, target, read, (not before) if i % 2 == 0 else before)
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
    rows = []
    for label, values, cpu in (
        ("triage edit", *triage),
        ("move", *moves),
        ("property edit", *flips),
        ("container edit", *wide),
    ):
        median = statistics.median(values)
        print(
            f"{label:>14}: median {median:7.1f} ms, max {max(values):7.1f} ms "
            f"[{' '.join(f'{v:.0f}' for v in values)}] "
            f"(until badges and panels are refreshed)"
        )
        rows.append(
            Row(
                "review",
                f"{n:,} elements: {label} to refreshed badges and panels (median of {len(values)})",
                Measure(median / 1000, statistics.median(cpu) / 1000, runs=len(values)),
                target=f"< {TARGET_MS:g} ms",
                met=median < TARGET_MS,
            )
        )
    print(
        f"last derivation alone: {service.last_derive_seconds * 1000:.1f} ms "
        f"({'incremental' if service.last_incremental else 'full'})"
    )
    start = time.perf_counter()
    service.refresh_now()
    print(f"full derivation and refresh: {(time.perf_counter() - start) * 1000:.1f} ms")
    emit(rows)
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown of a large scene


if __name__ == "__main__":
    main()
