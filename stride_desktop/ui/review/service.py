"""ThreatService: schedules the derivation session of the open document and hands out its deltas.

Every document change goes to the session (``rules.session.DerivationSession``), which decides
what it costs. This class only decides *when and where* that work runs:

- what needs no full derivation (triage, property and name edits): at once, in the GUI thread;
- a full derivation: debounced; a small model derives in the GUI thread, a large one on a
  snapshot in a worker thread, whose result is dropped when the model changed meanwhile.

Each refresh that changed anything, and every full derivation, is published as
``threatsChanged(delta)``: listeners update from the delta they are handed, and read the current threats here (``threats``, ``by_id``,
``threats_of``, ``badge``, ``stale``, ``open_count``).
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ...model import Change
from ...rules import RulesError, RuleSet, Threat, load_rules
from ...rules.delta import ThreatDelta
from ...rules.session import DerivationSession, Snapshot
from ...rules.threat import SEVERITY_RANK
from ..document import Document
from .slices import Slices

SYNC_LIMIT = 250  # elements: below this a derivation takes a few ms, do it in the GUI thread
DEBOUNCE_MS = 30
WORKER_SWITCH_S = 0.0005  # the interpreter's switch interval while a worker derives


class _Relay(QObject):
    """Carries a worker's result to the service. The worker holds only this child of the
    service, never the service: were the worker to drop the service's last reference (the
    window closed while a large model derives), the service and its timers would be freed in
    the worker thread, which crashes Qt. The child's C++ side belongs to the service, so the
    worker dropping the wrapper frees nothing; once the service is gone, emitting raises."""

    derived = Signal(object, object)  # snapshot, its threats or the exception


class ThreatService(QObject):
    threatsChanged = Signal(object)  # rules.session.ThreatDelta
    rulesProblem = Signal(str)  # a model rule file could not be loaded ("" when fine again)

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
        self.rules_error = ""
        self.last_derive_seconds = 0.0  # how long the last refresh took (benchmarks)
        self.session = DerivationSession(
            document.model, self._load_rules(), catalog=document.catalog
        )
        self._busy = False  # a worker is deriving a snapshot
        self._collector = _PausedCollector()
        self._slices: list[Any] = []
        # listeners' slower parts of a large model's delta: one per turn (see later())
        self._later = Slices(lambda work: work(), parent=self, budget_ms=0, check_every=1)
        self.track(self._later)
        self._early: Snapshot | None = None  # a large model's first snapshot
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._run)
        self._start = QTimer(self)
        self._start.setSingleShot(True)
        self._start.setInterval(0)
        self._start.timeout.connect(self._start_worker)
        self._relay = _Relay(self)
        # a service deleted while its worker derives never adopts the result: the
        # collector must not stay paused for the rest of the process
        self.destroyed.connect(self._collector.resume)
        self._relay.derived.connect(self._on_derived)  # queued: it is emitted in the worker
        document.changed.connect(self._on_change)
        if len(document.model.elements) < sync_limit:
            self.refresh_now()
        else:  # a large model: the window paints first, the threats follow from the worker
            # (the debounce counts from the event loop's start: the window took longer than it to
            # build, and a worker deriving meanwhile slowed the first paint threefold, each item
            # waiting for the interpreter lock); the model is copied now, before the first frame,
            # rather than in a turn of the event loop after it (adopt drops it if outdated)
            self._early = self.session.snapshot()
            QTimer.singleShot(0, self, self._timer.start)

    # -- the session's state --------------------------------------------------------------
    @property
    def rules(self) -> RuleSet:
        return self.session.rules

    @property
    def threats(self) -> list[Threat]:
        return self.session.threats

    @property
    def by_id(self) -> dict[str, Threat]:
        return self.session.by_id

    @property
    def stale(self) -> tuple[str, ...]:
        return self.session.stale

    @property
    def open_count(self) -> int:
        return self.session.open_count

    def threats_of(self, target_ids: Iterable[str]) -> list[Threat]:
        return self.session.threats_of(target_ids)

    def badge(self, target_id: str) -> tuple[int, str | None, bool]:
        """Open-threat count, highest open severity, and whether evidence confirms any."""
        open_threats = [t for t in self.session.by_target.get(target_id, ()) if t.is_open]
        if not open_threats:
            return 0, None, False
        worst = max(open_threats, key=lambda t: SEVERITY_RANK[t.severity]).severity
        return len(open_threats), worst, any(t.confirmed for t in open_threats)

    def track(self, slices: Any) -> None:
        """A listener applies its deltas in ``slices`` (``ui.review.slices``): see ``applying``."""
        self._slices.append(slices)

    def later(self, work: Callable[[], None]) -> None:
        """Run a listener's ``work`` now for a model small enough to derive here, else in a
        turn of its own after this one (``applying`` until it has run): the turn a large
        model's threats arrive in holds every listener's share of the delta."""
        if len(self.document.model.elements) < self.sync_limit:
            work()
        else:
            self._later.add([work])

    @property
    def applying(self) -> bool:
        """Whether listeners are still applying the last delta, a slice per event-loop turn."""
        return any(s.busy for s in self._slices)

    @property
    def pending(self) -> bool:
        """Whether a derivation is scheduled or running (the threats are about to change)."""
        return self._busy or self._timer.isActive() or self.session.pending

    # -- scheduling -----------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.is_reset or (change.kind == "model" and "rule_files" in change.fields):
            self.session.reset(self.document.model, self._load_rules())
        else:
            self.session.note(change)
        if not self.session.pending:
            return
        if self.session.needs_full or self._busy:
            self._timer.start()  # debounced: a command makes several changes in a row
        else:  # a few milliseconds: no debounce, no worker
            self._publish(self._timed(self.session.refresh))

    def refresh_now(self) -> None:
        """Bring the threats up to date synchronously (export, first load, tests)."""
        self._timer.stop()
        self._publish(self._timed(self.session.refresh))

    def _run(self) -> None:
        if not self.session.pending:
            return
        if len(self.document.model.elements) < self.sync_limit:
            self._publish(self._timed(self.session.refresh))
            return
        if self._busy:  # the running worker's result will be outdated: re-run when it lands
            return
        self._busy = True
        # the worker starts in a turn of its own: what else was due in this one and the
        # repaints it asked for (right after the first frame: the overview's picture) run
        # first, not slowed by a thread that holds the interpreter lock (a zero timer, not a
        # posted call: it fires after the posted repaints)
        self._start.start()

    def _start_worker(self) -> None:
        self._collector.pause()
        snapshot, self._early = self._early or self.session.snapshot(), None

        relay = self._relay  # and nothing else of the service (see _Relay)

        def work() -> None:
            try:
                outcome: Any = snapshot.derive()
            except Exception as exc:
                outcome = exc
            with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
                relay.derived.emit(snapshot, outcome)

        threading.Thread(target=work, name="stride-derive", daemon=True).start()

    def _on_derived(self, snapshot: Snapshot, outcome: Any) -> None:
        self._busy = False
        if isinstance(outcome, Exception):
            self._collector.resume()
            raise outcome
        delta = self.session.adopt(snapshot, outcome)
        self._collector.resume()  # after adopting: what is kept gets frozen with the rest
        if delta is None:  # the model changed meanwhile
            if self.session.pending:
                self._timer.start()
            return
        self._publish(delta)

    def _timed(self, refresh: Any) -> ThreatDelta:
        start = time.perf_counter()
        delta = refresh()
        self.last_derive_seconds = time.perf_counter() - start
        return delta

    def _publish(self, delta: ThreatDelta) -> None:
        if delta.full:  # facts for the next partial edit: built once the window is idle
            QTimer.singleShot(0, self, self.session.prime)
        if delta or delta.full:  # a full derivation is news even when nothing changed
            self.threatsChanged.emit(delta)

    def _load_rules(self) -> RuleSet:
        doc = self.document
        try:
            rules = load_rules(model=doc.model, model_path=doc.path, catalog=doc.catalog)
            error = ""
        except RulesError as exc:  # a broken user rule file must not stop the editor
            rules = load_rules(catalog=doc.catalog)
            error = str(exc)
        if error != self.rules_error:
            self.rules_error = error
            self.rulesProblem.emit(error)
        return rules


class _PausedCollector:
    """The cyclic garbage collector paused while a worker derives, like at start-up.

    A large derivation allocates hundreds of thousands of long-lived objects (the model's copy,
    the threats, the graph facts): the collector's full passes over them took half a second at
    10,000 elements, holding the interpreter lock, so the window froze in whichever thread
    triggered one. Derivation builds nothing cyclic to collect; once its result is adopted, what
    survived is frozen (``gc.freeze``: collections skip it, reference counting still frees it).
    """

    def __init__(self) -> None:
        self._paused = False
        self._interval = sys.getswitchinterval()

    def pause(self) -> None:
        # and the worker hands the interpreter lock back sooner (every 5 ms by default): each
        # time the GUI thread comes back from Qt it waits for the lock
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(WORKER_SWITCH_S)
        if gc.isenabled():
            gc.disable()
            self._paused = True

    def resume(self) -> None:
        sys.setswitchinterval(self._interval)
        if self._paused:
            self._paused = False
            gc.freeze()
            gc.enable()
