"""DerivationSession: the threats of one model, kept current one typed change at a time.

A typed ``Change`` goes in (``note``), a ``ThreatDelta`` comes out (``refresh``). What a change
costs is decided here, from the change and from what the rules read (``rules.reads``):

- layout and prose (positions, rectangles, descriptions, the model's name): nothing to derive;
- triage: the decisions are re-applied to the threats they name;
- element properties: the targets those edits can reach are re-derived (``rules.incremental``,
  widened over root causes across that edge), with the graph facts of the last derivation;
- names, and properties attack paths read (attacker, exposure, isolation): a full derivation
  (paths name the elements they pass and start where attackers are);
- anything else, or an edit whose reach the rules cannot bound: a full derivation.

A full derivation may also run elsewhere (a worker thread): ``snapshot()`` pickles the model,
``Snapshot.derive()`` rebuilds and derives it (and builds the graph facts and indexes the owner
would), ``adopt()`` takes the result unless the model changed since.
Pure Python: no Qt.
"""

from __future__ import annotations

import pickle
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from ..io import default_catalog
from ..model import Catalog, Change, Model
from ..model.elements import TriageEntry
from .delta import ThreatDelta, keep_unchanged, same_threat, stale_decisions
from .engine import derive
from .graph import Facts
from .incremental import affected, path_relevant, prime, rederive, refresh_facts
from .loader import RuleSet
from .reads import GLOBAL, RuleReads
from .threat import Threat

# Fields derivation never reads (layout and prose); an edit of any other field is re-derived.
# tests/rules/test_session.py checks that editing these leaves derive()'s result as it was.
NOT_READ = {
    "element": frozenset({"pos", "description"}),
    "flow": frozenset({"description"}),
    "boundary": frozenset({"rect", "description"}),
    "model": frozenset({"name", "description", "author", "owner", "version"}),
}
NOT_DERIVED_KINDS = ("hardening",)  # the plan is the person's; threats never read it


@dataclass
class _Plan:
    """The work the changes noted since the last refresh need."""

    full: bool = False
    elements: set[str] = field(default_factory=set)  # property / name edits
    steps: int = -1  # how far they reach (rules.reads)
    triage: set[str] = field(default_factory=set)  # threat ids whose decision changed

    def __bool__(self) -> bool:
        return self.full or bool(self.elements) or bool(self.triage)


@dataclass
class Snapshot:
    """The model as it was at ``version``, pickled in the thread that owns it (one C call: no
    edit can slip in), to derive elsewhere: ``derive`` rebuilds it there and also does what
    adopting the result would otherwise do in the owner's thread (the graph facts for the next
    partial edit, the threats' indexes)."""

    version: int
    pickled: bytes
    rules: RuleSet
    catalog: Catalog
    facts: Facts | None = None  # primed, once derived
    index: _Index | None = None

    def derive(self) -> list[Threat]:
        model: Model = pickle.loads(self.pickled)
        facts = Facts(model, self.catalog)
        threats = derive(model, self.rules, catalog=self.catalog, facts=facts)
        prime(facts)
        self.facts, self.index = facts, _Index.of(threats)
        return threats


@dataclass
class _Index:
    """Lookups over a list of threats (built where they were derived)."""

    by_id: dict[str, Threat]
    by_target: dict[str, list[Threat]]
    open_count: int

    @classmethod
    def of(cls, threats: list[Threat]) -> _Index:
        by_target: dict[str, list[Threat]] = defaultdict(list)
        for t in threats:
            by_target[t.target].append(t)
        return cls(
            {t.id: t for t in threats}, dict(by_target), sum(1 for t in threats if t.is_open)
        )

    def naming(self, threats: list[Threat]) -> _Index:
        """This index with the objects of ``threats`` where an equal one took a place (the
        previous object of a threat that came out the same stays, ``keep_unchanged``)."""
        by_id = self.by_id
        replaced = [t for t in threats if by_id.get(t.id) is not t]
        for t in replaced:
            by_id[t.id] = t
        for target in {t.target for t in replaced}:
            self.by_target[target] = [by_id[t.id] for t in self.by_target[target]]
        return self


class DerivationSession:
    """The threats of ``model`` under ``rules``: ``threats`` (sorted), ``by_id``, ``by_target``,
    ``stale`` (triage decisions whose threat no longer arises) and ``open_count``."""

    def __init__(self, model: Model, rules: RuleSet, *, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or default_catalog()
        self.threats: list[Threat] = []
        self.by_id: dict[str, Threat] = {}
        self.by_target: dict[str, list[Threat]] = {}
        self.stale: tuple[str, ...] = ()
        self.open_count = 0
        self._version = 0  # bumped by every change that needs a derivation
        self.reset(model, rules)

    # -- changes in -----------------------------------------------------------------------
    def reset(self, model: Model, rules: RuleSet | None = None) -> None:
        """Another model (or rule set): the next refresh derives everything."""
        self.model = model
        if rules is not None:
            self.rules = rules
            self.reads = RuleReads.of(rules)
        self._facts: Facts | None = None
        self._plan = _Plan(full=True)
        self._version += 1

    def note(self, change: Change) -> None:
        """Record what ``change`` needs; ``refresh`` does it. (A reset re-derives ``model``;
        when the model object itself was replaced, call ``reset(new_model)`` instead.)"""
        plan = self._plan
        if change.is_reset:
            self.reset(self.model)
            return
        if change.kind == "triage":
            plan.triage.update(change.ids)
            return
        if change.kind in NOT_DERIVED_KINDS or (
            change.action == "edit"
            and change.fields  # no fields named: assume any
            and change.fields <= NOT_READ.get(change.kind, frozenset())
        ):
            return
        self._version += 1
        if plan.full:
            return
        fields = change.fields - NOT_READ["element"]
        partial = change.kind == "element" and change.action == "edit"
        if (
            partial
            and fields
            and fields <= {"name"} | {f for f in fields if f.startswith("properties")}
            # attack paths name the elements they pass and start at attackers, exposed elements
            and "name" not in fields
            and not path_relevant(change.properties())
        ):
            steps = max(0, self.reads.steps(change.properties()))
            if steps < GLOBAL:
                plan.elements.update(change.ids)
                plan.steps = max(plan.steps, steps)
                return
        plan.full = True

    @property
    def pending(self) -> bool:
        """Whether changes await ``refresh``."""
        return bool(self._plan)

    @property
    def needs_full(self) -> bool:
        """Whether the pending changes need a full derivation."""
        return self._plan.full

    def apply(self, change: Change) -> ThreatDelta:
        """One typed change in, its threat delta out."""
        self.note(change)
        return self.refresh()

    # -- delta out ------------------------------------------------------------------------
    def refresh(self) -> ThreatDelta:
        """Do what the noted changes need, here and now."""
        plan, self._plan = self._plan, _Plan()
        delta = ThreatDelta()
        if plan.elements and not plan.full:
            facts = self._facts_now()
            refresh_facts(facts, self.model, self.catalog, plan.elements)
            scope = affected(facts, self.reads, plan.elements, plan.steps)
            result = (
                rederive(
                    self.by_target, self.model, self.rules, scope, facts=facts, catalog=self.catalog
                )
                if scope is not None
                else None
            )
            if result is None:  # unbounded reach, or a root cause reaching too far
                plan.full = True
            else:
                fresh, widened = result
                delta = self._splice(fresh, widened.targets)
        if plan.full:
            self._facts = Facts(self.model, self.catalog)
            threats = derive(self.model, self.rules, catalog=self.catalog, facts=self._facts)
            delta = self._publish(threats, full=True)
        elif plan.triage:
            changed = {id(t) for t in delta.changed}
            delta.changed += [t for t in self._retriage(plan.triage) if id(t) not in changed]
        self._finish(delta)
        return delta

    def snapshot(self) -> Snapshot:
        """A copy of the model as it is now, to derive in full elsewhere."""
        return Snapshot(self._version, pickle.dumps(self.model), self.rules, self.catalog)

    def adopt(self, snapshot: Snapshot, threats: list[Threat]) -> ThreatDelta | None:
        """Take ``threats`` derived from ``snapshot`` unless the model changed since (None)."""
        if snapshot.version != self._version or not self._plan.full:
            return None
        noted, self._plan = self._plan.triage, _Plan()  # triage noted since the snapshot
        # the snapshot's facts describe a copy equal to the model in all that derivation reads
        # (any other edit since would have changed the version); edits refresh them from it
        self._facts = snapshot.facts if snapshot.index is not None else None
        if self._facts is not None:
            self._facts.model = self.model
        if snapshot.index is not None:  # the copy held every decision made before it
            found = (snapshot.index.by_id.get(tid) for tid in noted)
            candidates: Iterable[Threat] = [t for t in found if t is not None]
        else:
            candidates = threats
        retriage = [t for t in candidates if (t.status, t.note) != self._decision(t.id)]
        for threat in retriage:  # triage made while the snapshot was derived
            threat.status, threat.note = self._decision(threat.id)
        index = snapshot.index
        if index is not None and retriage:  # open counts changed
            index.open_count = sum(1 for t in threats if t.is_open)
        delta = self._publish(threats, full=True, index=index)
        self._finish(delta)
        return delta

    def prime(self) -> None:
        """Build the graph facts the next partial derivation needs (call when idle)."""
        if not self._plan.full:
            prime(self._facts_now())

    # -- lookups --------------------------------------------------------------------------
    def threats_of(self, target_ids: Iterable[str]) -> list[Threat]:
        out: list[Threat] = []
        for tid in target_ids:
            out += self.by_target.get(tid, ())
        return out

    # -- internals ------------------------------------------------------------------------
    def _facts_now(self) -> Facts:
        if self._facts is None:
            self._facts = Facts(self.model, self.catalog)
        return self._facts

    def _decision(self, threat_id: str) -> tuple[str, str]:
        entry: TriageEntry | None = self.model.triage.get(threat_id)
        return (entry.status, entry.note) if entry else ("open", "")

    def _retriage(self, threat_ids: Iterable[str]) -> list[Threat]:
        out = []
        for tid in threat_ids:
            threat = self.by_id.get(tid)
            if threat is not None and (threat.status, threat.note) != self._decision(tid):
                self.open_count -= threat.is_open
                threat.status, threat.note = self._decision(tid)
                self.open_count += threat.is_open
                out.append(threat)
        return out

    def _publish(
        self, threats: list[Threat], *, full: bool, index: _Index | None = None
    ) -> ThreatDelta:
        """Make ``threats`` (all of them) current; the delta against those they replace."""
        if self.threats:
            added, changed, removed = keep_unchanged(self.threats, self.by_id, threats)
            index = index.naming(threats) if index is not None else _Index.of(threats)
        else:  # the first derivation: nothing to compare or put back
            added, changed, removed = list(threats), [], []
            index = index or _Index.of(threats)
        self.threats = threats
        self.by_id, self.by_target = index.by_id, index.by_target
        self.open_count = index.open_count
        return ThreatDelta(added, changed, removed, full=full)

    def _splice(self, fresh: list[Threat], targets: Iterable[str]) -> ThreatDelta:
        """Replace the threats of ``targets`` with ``fresh`` (theirs, re-derived); a fresh
        threat that came out the same gives way to the old object."""
        old = {t.id: t for target in targets for t in self.by_target.get(target, ())}
        added, changed = [], []
        groups: dict[str, list[Threat]] = {target: [] for target in targets}
        for t in fresh:
            previous = old.get(t.id)
            if previous is None:
                added.append(t)
            elif same_threat(previous, t):
                t = previous
            else:
                changed.append(t)
            groups[t.target].append(t)
        ids = {t.id for t in fresh}
        removed = [t for t in old.values() if t.id not in ids]
        threats, target_of = self.threats, attrgetter("target")
        for target in sorted(groups):  # threats are sorted by target first (engine.sort_key)
            lo = bisect_left(threats, target, key=target_of)
            hi = bisect_right(threats, target, lo, key=target_of)
            threats[lo:hi] = groups[target]
            if groups[target]:
                self.by_target[target] = groups[target]
            else:
                self.by_target.pop(target, None)
        for t in removed:
            del self.by_id[t.id]
        for t in (*added, *changed):
            self.by_id[t.id] = t
        replaced = [old[t.id] for t in changed]
        self.open_count += sum(t.is_open for t in (*added, *changed)) - sum(
            t.is_open for t in (*removed, *replaced)
        )
        return ThreatDelta(added, changed, removed)

    def _finish(self, delta: ThreatDelta) -> None:
        stale = tuple(stale_decisions(self.model.triage, self.by_id, self.threats))
        delta.stale, delta.stale_changed = stale, stale != self.stale
        self.stale = stale
