"""ThreatService: keeps the threats of the open document current, without freezing the window.

What a change costs decides how it is handled:

- triage only: the cached threats get their new status and note at once (no derivation);
- geometry only (moves, resizes): threats do not depend on positions, nothing is derived;
- element properties or names only: an incremental re-derivation (``rules.incremental``) of the
  targets the edit can reach, in the GUI thread at once (milliseconds at 1,000 elements);
- anything else: a debounced re-derivation; small models derive in the GUI thread, large ones on
  a snapshot (pickled copy) in a worker thread. A result from an outdated snapshot is dropped.

Listeners read ``last_change`` (threat ids) and ``last_targets`` (target ids) to refresh only what
changed; None means everything.
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
from ...rules.incremental import IncrementalCache, rederive
from ...rules.threat import SEVERITY_RANK
from ..document import Document
from .changes import (
    boundary_sig,
    element_sig,
    flow_sig,
    has_evidence,
    keep_unchanged,
    stale_decisions,
)

SYNC_LIMIT = 250  # elements: below this a derivation takes a few ms, do it in the GUI thread
DEBOUNCE_MS = 30


def is_open(threat: Threat) -> bool:
    return threat.status not in CLOSED_STATUSES


class ThreatService(QObject):
    threatsUpdated = Signal()  # threats, stale triage or triage statuses changed
    rulesProblem = Signal(str)  # a model rule file could not be loaded ("" when fine again)
    _derived = Signal(int, object, object)  # generation, threats, stale (from the worker thread)

    def __init__(
        self,
        document: Document,
        *,
        parent: QObject | None = None,
        sync_limit: int = SYNC_LIMIT,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
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
        self.last_targets: set[str] | None = None  # their targets; None = all
        self.last_incremental = False  # whether the last derivation was incremental
        self.last_evidence = True  # whether a threat with bench evidence changed (hardening panel)
        self.open_count = 0  # open threats
        self._cache = IncrementalCache()  # graph facts of the published threats' structure
        self._edited: set[str] = set()  # elements with property/name edits since the publication
        self._structural = True  # a change that needs a full derivation happened
        self._generation = 0  # bumped by every change that needs a derivation
        self._busy = False
        self._dirty: set[str] = set()  # "derive", "triage", "review"
        self._dirty_at_change: set[str] = set()
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
        document.benchRunsChanged.connect(lambda ids: self._needs_full())
        document.hardeningChanged.connect(lambda ids: self._dirty.add("review"))
        document.modelChanged.connect(self._on_model_changed)
        document.changed.connect(self._on_changed)
        self._snapshot_sigs()
        if len(document.model.elements) < sync_limit:
            self.refresh_now()
        else:  # a large model: the window paints first, the threats follow from the worker
            self._generation += 1
            self._timer.start()

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
        self._sigs = {
            **{"e" + e.id: element_sig(e) for e in m.elements},
            **{"f" + f.id: flow_sig(f) for f in m.flows},
            **{"b" + b.id: boundary_sig(b) for b in m.boundaries},
        }

    def _check(self, ids: list[str], kind: str) -> None:
        """Only a change of what the engine reads needs a derivation (not a move or resize)."""
        m = self.document.model
        lookup, sig = {
            "e": (m.elements_by_id, element_sig),
            "f": (None, flow_sig),
            "b": (m.boundaries_by_id, boundary_sig),
        }[kind]
        objects = lookup() if lookup else {f.id: f for f in m.flows}
        for obj_id in ids:
            obj = objects.get(obj_id)
            new = sig(obj) if obj is not None else None
            old = self._sigs.get(kind + obj_id)
            if old != new:
                self._dirty.add("derive")
                # same component and boundary: only properties or the name changed
                if kind == "e" and old is not None and new is not None and old[1:3] == new[1:3]:
                    self._edited.add(obj_id)
                else:
                    self._structural = True
                if new is None:
                    self._sigs.pop(kind + obj_id, None)
                else:
                    self._sigs[kind + obj_id] = new

    def _needs_full(self) -> None:
        self._dirty.add("derive")
        self._structural = True

    def _on_model_changed(self) -> None:
        if not self._dirty:  # findings re-assigned, model fields: evidence may have moved
            self._needs_full()

    def _on_reset(self) -> None:
        self._load_rules()
        self._snapshot_sigs()
        self._cache = IncrementalCache()
        self._needs_full()

    def _on_changed(self) -> None:
        dirty, self._dirty = self._dirty, set()
        self._dirty_at_change = dirty
        if "derive" in dirty:
            self._generation += 1
            if self._structural or self._busy:
                self._timer.start()
            else:  # a few milliseconds: no debounce, no worker
                self._timer.stop()
                self._rederive()
        elif "triage" in dirty:
            self._apply_triage()
        elif "review" in dirty:
            self.last_change = set()
            self.threatsUpdated.emit()  # plan changed: panels re-read, threats are the same

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
            self.rulesProblem.emit(error)

    # -- derivation -----------------------------------------------------------------------
    def refresh_now(self) -> None:
        """Derive synchronously (tests, export, first load)."""
        self._timer.stop()
        if self.rules is None:
            self._load_rules()
        self._generation += 1
        self._publish(*self._derive(self.document.model))

    def _prime(self) -> None:
        if not self._structural and self._cache.facts is None:
            self._cache.prime(self.document.model, self.document.catalog)

    def _rederive(self) -> None:
        """Only element properties or names changed since the published threats: re-derive the
        targets those edits can reach, in the GUI thread."""
        assert self.rules is not None
        model, edited = self.document.model, self._edited
        start = time.perf_counter()
        if self._cache.facts is None:  # first incremental edit after a full derivation
            self._cache.facts_for(model, self.document.catalog, ())
        threats = rederive(
            self.threats,
            model,
            self.rules,
            edited,
            catalog=self.document.catalog,
            cache=self._cache,
        )
        self.last_derive_seconds = time.perf_counter() - start
        fresh, removed = keep_unchanged(self.threats, self.by_id, threats)
        changed = {t.id for t in fresh} | {t.id for t in removed}
        targets = {t.target for t in fresh} | {t.target for t in removed}
        self.last_evidence = any(has_evidence(t) for t in (*fresh, *removed))
        self._publish(threats, [], changed=(changed, targets))

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
        if self.rules is None:
            self._load_rules()
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
            except Exception as exc:
                threats, stale = exc, []
            self._derived.emit(generation, threats, stale)

        threading.Thread(target=work, name="stride-derive", daemon=True).start()

    def _on_derived(self, generation: int, threats: Any, stale: Any) -> None:
        self._busy = False
        if isinstance(threats, Exception):
            raise threats
        if generation != self._generation:  # the model changed meanwhile
            self._timer.start()
            return
        self._publish(threats, stale)

    def _apply_triage(
        self,
        *,
        changed: tuple[set[str], set[str]] | None = None,
        everything: bool = False,
        triage_too: bool = True,
    ) -> None:
        triage = self.document.model.triage
        ids: set[str] = set(changed[0]) if changed else set()
        # an incremental derivation triaged its new threats; the others kept their decisions
        for threat in self.threats if changed is None or triage_too else ():
            entry = triage.get(threat.id)
            status, note = (entry.status, entry.note) if entry else ("open", "")
            if (threat.status, threat.note) != (status, note):
                threat.status, threat.note = status, note
                ids.add(threat.id)
        if everything:
            self.last_evidence = True
        elif changed is None:  # a triage edit: hardening counts the open threats it confirms
            self.last_evidence = any(has_evidence(self.by_id[i]) for i in ids if i in self.by_id)
        elif ids - set(changed[0]):
            self.last_evidence = True  # triage changed: hardening counts open threats
        # listeners refresh only these threats (None: all of them, after a full derivation)
        if everything:
            self.last_change = self.last_targets = None
        else:
            self.last_change = ids
            targets = set(changed[1]) if changed else set()
            targets.update(self.by_id[i].target for i in ids if i in self.by_id)
            self.last_targets = targets
        self.stale = stale_decisions(self.document.model.triage, self.by_id, self.threats)
        self.open_count = sum(1 for t in self.threats if t.status not in CLOSED_STATUSES)
        self.threatsUpdated.emit()

    def _publish(
        self,
        threats: list[Threat],
        stale: list[str],
        *,
        changed: tuple[set[str], set[str]] | None = None,
    ) -> None:
        """``changed``: the threat ids and targets an incremental derivation touched."""
        self.threats, self.stale = threats, stale
        self.by_id = {t.id: t for t in threats}
        if changed is None:
            by_target: dict[str, list[Threat]] = defaultdict(list)
            for t in threats:
                by_target[t.target].append(t)
            self.by_target = dict(by_target)
            self.last_incremental = False
        else:
            for target in changed[1]:
                self.by_target.pop(target, None)
            for t in threats:
                if t.target in changed[1]:
                    self.by_target.setdefault(t.target, []).append(t)
            self.last_incremental = True
        if changed is None:  # facts for the next incremental edit: built once the window is idle
            self._cache = IncrementalCache()
            QTimer.singleShot(0, self, self._prime)
        self._edited = set()
        self._structural = False
        # triage may have changed while a worker derived
        self._apply_triage(
            changed=changed,
            everything=changed is None,
            triage_too=changed is None or "triage" in self._dirty_at_change,
        )
