"""ThreatService: keeps the threats of the open document current, without freezing the window.

What a change costs decides how it is handled:

- triage only: the cached threats get their new status and note at once (no derivation);
- geometry only (moves, resizes): threats do not depend on positions, nothing is derived;
- anything else: a debounced re-derivation; small models derive in the GUI thread, large ones on
  a snapshot (pickled copy) in a worker thread. A result from an outdated snapshot is dropped.
"""
from __future__ import annotations

import pickle
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ...model import Model
from ...model.elements import CLOSED_STATUSES
from ...rules import RulesError, RuleSet, Threat, derive, load_rules, stale_triage
from ...rules.threat import SEVERITY_RANK
from ..document import Document
from ..qtcompat import emit

SYNC_LIMIT = 250  # elements: below this a derivation takes a few ms, do it in the GUI thread
DEBOUNCE_MS = 30


def is_open(threat: Threat) -> bool:
    return threat.status not in CLOSED_STATUSES


def _element_sig(e: Any) -> tuple:
    return (e.name, e.component, e.boundary, repr(sorted(e.properties.items())))


def _boundary_sig(b: Any) -> tuple:
    return (b.name, b.trust, b.kind, b.parent)


def _flow_sig(f: Any) -> tuple:
    return (f.source, f.target, f.name, f.protocol, f.port, f.encrypted, f.authenticated, f.data)


class ThreatService(QObject):
    threatsUpdated = Signal()  # threats, stale triage or triage statuses changed
    rulesProblem = Signal(str)  # a model rule file could not be loaded ("" when fine again)
    _derived = Signal(int, object, object)  # generation, threats, stale (from the worker thread)

    def __init__(self, document: Document, *, parent: QObject | None = None,
                 sync_limit: int = SYNC_LIMIT, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.document = document
        self.sync_limit = sync_limit
        self.threats: list[Threat] = []
        self.stale: list[str] = []
        self.by_id: dict[str, Threat] = {}
        self.by_target: dict[str, list[Threat]] = {}
        self.rules: RuleSet | None = None
        self.rules_error = ""
        self.last_derive_seconds = 0.0
        self.last_change: set[str] | None = None  # threat ids of the last update; None = all
        self._generation = 0  # bumped by every change that needs a derivation
        self._busy = False
        self._dirty: set[str] = set()  # "derive", "triage", "review"
        self._sigs: dict[str, tuple] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._run)
        self._derived.connect(self._on_derived)
        document.modelReset.connect(self._on_reset)
        document.elementsChanged.connect(lambda ids: self._check(ids, "e"))
        document.flowsChanged.connect(lambda ids: self._check(ids, "f"))
        document.boundariesChanged.connect(lambda ids: self._check(ids, "b"))
        document.triageChanged.connect(lambda ids: self._dirty.add("triage"))
        document.benchRunsChanged.connect(lambda ids: self._dirty.add("derive"))
        document.hardeningChanged.connect(lambda ids: self._dirty.add("review"))
        document.modelChanged.connect(self._on_model_changed)
        document.changed.connect(self._on_changed)
        self._load_rules()
        self._snapshot_sigs()
        self.refresh_now()

    # -- lookups --------------------------------------------------------------------------
    def threats_of(self, target_ids: Iterable[str]) -> list[Threat]:
        out: list[Threat] = []
        for tid in target_ids:
            out += self.by_target.get(tid, ())
        return out

    def badge(self, target_id: str) -> tuple[int, str | None, bool]:
        """Open-threat count, highest open severity, and whether evidence confirms any."""
        open_threats = [t for t in self.by_target.get(target_id, ()) if is_open(t)]
        if not open_threats:
            return 0, None, False
        worst = max(open_threats, key=lambda t: SEVERITY_RANK[t.severity]).severity
        return len(open_threats), worst, any(t.confirmed for t in open_threats)

    @property
    def pending(self) -> bool:
        return self._busy or self._timer.isActive()

    # -- change tracking ------------------------------------------------------------------
    def _snapshot_sigs(self) -> None:
        m = self.document.model
        self._sigs = {**{"e" + e.id: _element_sig(e) for e in m.elements},
                      **{"f" + f.id: _flow_sig(f) for f in m.flows},
                      **{"b" + b.id: _boundary_sig(b) for b in m.boundaries}}

    def _check(self, ids: list[str], kind: str) -> None:
        """Only a change of what the engine reads needs a derivation (not a move or resize)."""
        m = self.document.model
        lookup, sig = {"e": (m.elements_by_id, _element_sig), "f": (None, _flow_sig),
                       "b": (m.boundaries_by_id, _boundary_sig)}[kind]
        objects = lookup() if lookup else {f.id: f for f in m.flows}
        for obj_id in ids:
            obj = objects.get(obj_id)
            new = sig(obj) if obj is not None else None
            if self._sigs.get(kind + obj_id) != new:
                self._dirty.add("derive")
                if new is None:
                    self._sigs.pop(kind + obj_id, None)
                else:
                    self._sigs[kind + obj_id] = new

    def _on_model_changed(self) -> None:
        if not self._dirty:  # findings re-assigned, model fields: evidence may have moved
            self._dirty.add("derive")

    def _on_reset(self) -> None:
        self._load_rules()
        self._snapshot_sigs()
        self._dirty.add("derive")

    def _on_changed(self) -> None:
        dirty, self._dirty = self._dirty, set()
        if "derive" in dirty:
            self._generation += 1
            self._timer.start()
        elif "triage" in dirty:
            self._apply_triage()
        elif "review" in dirty:
            self.last_change = set()
            emit(self.threatsUpdated)  # plan changed: panels re-read, threats are the same

    def _load_rules(self) -> None:
        doc = self.document
        try:
            self.rules = load_rules(model=doc.model, model_path=doc.path, catalog=doc.catalog)
            error = ""
        except RulesError as exc:  # a broken user rule file must not stop the editor
            self.rules = load_rules(catalog=doc.catalog)
            error = str(exc)
        if error != self.rules_error:
            self.rules_error = error
            emit(self.rulesProblem, error)

    # -- derivation -----------------------------------------------------------------------
    def refresh_now(self) -> None:
        """Derive synchronously (tests, export, first load)."""
        self._timer.stop()
        self._generation += 1
        self._publish(*self._derive(self.document.model))

    def wait(self, timeout: float = 10.0) -> bool:
        """Process events until no derivation is pending (for tests and scripts)."""
        from PySide6.QtCore import QCoreApplication

        end = time.monotonic() + timeout
        while self.pending and time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.002)
        return not self.pending

    def _derive(self, model: Model) -> tuple[list[Threat], list[str]]:
        start = time.perf_counter()
        assert self.rules is not None
        threats = derive(model, self.rules, catalog=self.document.catalog)
        self.last_derive_seconds = time.perf_counter() - start
        return threats, stale_triage(model, threats)

    def _run(self) -> None:
        model = self.document.model
        if len(model.elements) < self.sync_limit:
            self._publish(*self._derive(model))
            return
        if self._busy:  # the running worker's result will be stale: re-run when it lands
            return
        self._busy = True
        generation = self._generation
        snapshot = pickle.loads(pickle.dumps(model))

        def work() -> None:
            try:
                threats, stale = self._derive(snapshot)
            except Exception as exc:  # noqa: BLE001 - reported in the GUI thread
                threats, stale = exc, []
            emit(self._derived, generation, threats, stale)

        threading.Thread(target=work, name="stride-derive", daemon=True).start()

    def _on_derived(self, generation: int, threats: Any, stale: Any) -> None:
        self._busy = False
        if isinstance(threats, Exception):
            raise threats
        if generation != self._generation:  # the model changed meanwhile
            self._timer.start()
            return
        self._publish(threats, stale)

    def _apply_triage(self, *, everything: bool = False) -> None:
        triage = self.document.model.triage
        changed: set[str] = set()
        for threat in self.threats:
            entry = triage.get(threat.id)
            status, note = (entry.status, entry.note) if entry else ("open", "")
            if (threat.status, threat.note) != (status, note):
                threat.status, threat.note = status, note
                changed.add(threat.id)
        # listeners refresh only these threats (None: all of them, after a derivation)
        self.last_change = None if everything else changed
        self.stale = stale_triage(self.document.model, self.threats)
        emit(self.threatsUpdated)

    def _publish(self, threats: list[Threat], stale: list[str]) -> None:
        self.threats, self.stale = threats, stale
        self.by_id = {t.id: t for t in threats}
        by_target: dict[str, list[Threat]] = defaultdict(list)
        for t in threats:
            by_target[t.target].append(t)
        self.by_target = dict(by_target)
        self._apply_triage(everything=True)  # triage may have changed while a worker derived
