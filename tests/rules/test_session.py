"""The derivation session: typed changes in, threat deltas out, always equal to a full derive()."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stride_desktop.io import default_catalog
from stride_desktop.model import Boundary, Change, Element, Flow, Model, TriageEntry
from stride_desktop.model.edits import RecordingEditor
from stride_desktop.rules import RuleSet, derive, load_rules, loads_rules, stale_triage
from stride_desktop.rules.conditions import MATCHER_READS, MATCHERS
from stride_desktop.rules.reads import GLOBAL, RuleReads
from stride_desktop.rules.session import NOT_READ, DerivationSession
from tests.rules.random_edits import EDITS, random_edit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import make_model

CATALOG = default_catalog()
LIBRARY = load_rules(catalog=CATALOG)
# Nested relational matchers, a rule that supersedes another and a boundary rule on members:
# what a property read can reach goes two steps further than in the built-in library.
NESTED = loads_rules(
    """
rules:
  - id: T-NEIGHBOUR-OF-NEIGHBOUR
    category: Tampering
    severity: high
    target: element
    when:
      has_flow_from:
        element:
          has_flow_to:
            element:
              has_flow_from: {element: {property: {name: read_only_rootfs, equals: true}}}
    title: "{name} is three hops from a privileged container"
    description: "{name}."
  - id: T-SUPERSEDES
    category: Tampering
    severity: critical
    target: element
    when:
      all:
        - property: {name: privileged, equals: true}
        - shares_boundary_with: {kind: [network, node], element: {has_flow_to: {element: {property: {name: read_only_rootfs, equals: false}}}}}
    supersedes: [T-NEIGHBOUR-OF-NEIGHBOUR]
    title: "{name} supersedes"
    description: "{name}."
  - id: T-FLOW-ENDS
    category: Information Disclosure
    severity: medium
    target: flow
    when: {source: {has_flow_from: {element: {property: {name: privileged, equals: true}}}}}
    title: "{name} flows on"
    description: "{name}."
  - id: T-BOUNDARY-MEMBERS
    category: Denial of Service
    severity: low
    target: boundary
    when: {contains: {property: {name: privileged, equals: true}}}
    title: "{name} holds a privileged container"
    description: "{name}."
""",
    catalog=CATALOG,
)
COMBINED = RuleSet.of([*LIBRARY, *NESTED])


def same(a: list, b: list) -> None:
    assert [t.id for t in a] == [t.id for t in b]
    for x, y in zip(a, b):
        assert x == y, x.id


def check_delta(before: dict, session: DerivationSession, delta) -> None:
    """The delta names every threat that came, went or changed (object or decision)."""
    now = {t.id: t for t in session.threats}
    added, changed = {t.id for t in delta.added}, {t.id for t in delta.changed}
    assert added == set(now) - set(before)
    assert {t.id for t in delta.removed} == set(before) - set(now)
    for tid, threat in now.items():
        if tid in before and (id(threat), threat.status, threat.note) != before[tid]:
            assert tid in changed, tid
    assert changed <= set(now) & set(before)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(EDITS))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), batch=st.integers(1, 3))
def test_every_change_kind_ends_where_a_full_derivation_does(kind, seed, batch):
    """Rounds of ``kind`` edits mixed with random others, refreshed one change or a few at a time."""
    rng = random.Random(seed)
    model = make_model(rng.randrange(20, 60), seed=seed)
    rules = rng.choice([LIBRARY, COMBINED])
    editor = RecordingEditor(model)
    session = DerivationSession(model, rules, catalog=CATALOG)
    session.refresh()
    for step in range(6):
        for _ in range(batch):
            chosen = kind if step % 2 == 0 else rng.choice(sorted(EDITS))
            random_edit(editor, rng, chosen, [t.id for t in session.threats])
        for change in editor.changes:
            session.note(change)
        editor.changes.clear()
        before = {t.id: (id(t), t.status, t.note) for t in session.threats}
        delta = session.refresh()
        check_delta(before, session, delta)
        full = derive(model, rules, catalog=CATALOG)
        same(session.threats, full)
        assert list(session.stale) == stale_triage(model, full)
        assert session.open_count == sum(t.is_open for t in full)
        assert session.by_target == {
            t: [x for x in full if x.target == t] for t in {x.target for x in full}
        }


@pytest.mark.slow
@pytest.mark.parametrize("rules", [LIBRARY, COMBINED], ids=["library", "nested"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(20, 120),
    seed=st.integers(0, 10_000),
    edits=st.lists(st.integers(1, 3), min_size=1, max_size=4),
)
def test_property_edits_re_derive_in_part_and_end_where_a_full_derivation_does(
    rules, n, seed, edits
):
    model = make_model(n, seed=seed)
    rng = random.Random(seed)
    editor = RecordingEditor(model)
    session = DerivationSession(model, rules, catalog=CATALOG)
    session.refresh()
    for count in edits:  # several rounds, each editing a few elements
        for _ in range(count):
            random_edit(editor, rng, "element edit", [])
        for change in editor.changes:
            session.note(change)
        editor.changes.clear()
        session.refresh()
        same(session.threats, derive(model, rules, catalog=CATALOG))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_what_derivation_never_reads_changes_no_threat(seed):
    """NOT_READ is a claim about the engine: editing those fields leaves derive() as it was."""
    rng = random.Random(seed)
    model = make_model(40, seed=seed)
    before = derive(model, COMBINED, catalog=CATALOG)
    for kind, fields in NOT_READ.items():
        objects = {
            "element": model.elements,
            "flow": model.flows,
            "boundary": model.boundaries,
            "model": [model],
        }[kind]
        for obj in rng.sample(objects, min(5, len(objects))):
            for name in fields:
                value = getattr(obj, name)
                setattr(
                    obj,
                    name,
                    (7.0, 9.0, 11.0, 13.0)[: len(value)] if isinstance(value, tuple) else "x",
                )
    same(derive(model, COMBINED, catalog=CATALOG), before)


def test_moves_descriptions_and_the_plan_derive_nothing():
    model = make_model(60, seed=2)
    session = DerivationSession(model, LIBRARY, catalog=CATALOG)
    session.refresh()
    for change in (
        Change.edit("element", ["e1", "e2"], "pos"),
        Change.edit("boundary", ["b1"], "rect", "description"),
        Change.edit("model", [], "author"),
        Change("hardening", "add", ("run1:2.1",)),
    ):
        session.note(change)
        assert not session.pending
    session.note(Change.edit("element", ["e1"], "pos", "boundary"))  # a move into a boundary
    assert session.needs_full


def test_a_property_edit_re_derives_near_the_element_and_keeps_the_rest():
    model = make_model(400, seed=3)
    editor = RecordingEditor(model)
    session = DerivationSession(model, LIBRARY, catalog=CATALOG)
    session.refresh()
    previous = {t.id: t for t in session.threats}
    element = next(e for e in model.elements if e.component == "docker.container")
    editor.set_element_property(element.id, "privileged", not element.properties.get("privileged"))
    session.note(editor.changes[-1])
    assert session.pending and not session.needs_full
    delta = session.refresh()
    assert not delta.full and delta and element.id in delta.targets
    assert len(delta.targets) < len(model.elements) // 4
    same(session.threats, derive(model, LIBRARY, catalog=CATALOG))
    kept = [t for t in session.threats if t.id in previous and t.target not in delta.targets]
    assert kept and all(previous[t.id] is t for t in kept)


def test_triage_changes_decisions_in_place_without_deriving():
    model = make_model(80, seed=5)
    editor = RecordingEditor(model)
    session = DerivationSession(model, LIBRARY, catalog=CATALOG)
    session.refresh()
    threat = session.threats[0]
    folded = next(c for t in session.threats for c in t.covers)
    editor.set_triage(
        {
            threat.id: TriageEntry(status="accepted", note="fine"),
            folded: TriageEntry(status="mitigated"),  # a folded threat: not stale
            "GONE@nowhere": TriageEntry(status="mitigated"),
        }
    )
    delta = session.apply(editor.changes[-1])
    assert delta.changed == [threat] and session.by_id[threat.id] is threat
    assert threat.status == "accepted" and not delta.added and not delta.removed
    assert delta.stale == ("GONE@nowhere",) and delta.stale_changed
    assert session.open_count == sum(t.is_open for t in session.threats)


def test_a_full_derivation_elsewhere_is_adopted_unless_the_model_changed_since():
    model = make_model(60, seed=6)
    editor = RecordingEditor(model)
    session = DerivationSession(model, LIBRARY, catalog=CATALOG)
    session.refresh()
    editor.set_flow_field(model.flows[0].id, "encrypted", not model.flows[0].encrypted)
    session.note(editor.changes[-1])
    assert session.needs_full
    snapshot = session.snapshot()
    editor.set_flow_field(model.flows[1].id, "encrypted", not model.flows[1].encrypted)
    session.note(editor.changes[-1])
    assert session.adopt(snapshot, snapshot.derive()) is None  # outdated: derive again
    snapshot = session.snapshot()
    threats = snapshot.derive()
    tid = session.threats[0].id
    editor.set_triage({tid: TriageEntry(status="accepted")})  # while the snapshot was derived
    session.note(editor.changes[-1])
    delta = session.adopt(snapshot, threats)
    assert delta is not None and delta.full and not session.pending
    same(session.threats, derive(model, LIBRARY, catalog=CATALOG))
    assert session.by_id[tid].status == "accepted"


def test_a_reset_derives_the_new_model():
    session = DerivationSession(make_model(30, seed=1), LIBRARY, catalog=CATALOG)
    session.refresh()
    other = make_model(40, seed=2)
    session.reset(other)
    delta = session.refresh()
    assert delta.full and delta.removed and delta.added
    same(session.threats, derive(other, LIBRARY, catalog=CATALOG))


# -- what the rules read ----------------------------------------------------------------------


def test_every_matcher_says_what_it_reads():
    assert {m for names in MATCHERS.values() for m in names} <= set(MATCHER_READS)


def test_reach_per_property_comes_from_the_rules():
    reads = RuleReads.of(LIBRARY)
    assert reads.steps(["no_new_privileges"]) == 1  # a daemon's is read by its host's containers
    assert reads.steps(["privileged", "tls_verify"]) == 0  # read by the element's own rules only
    assert reads.steps(["no_such_property"]) == -1
    assert reads.steps(["version"]) == 0  # release_unsupported reads it
    assert reads.steps([None]) == 1  # some property: the farthest read
    # K8S-POD-PRIVILEGED-SHARED-NODE looks for pods by component only, K8S-RUNTIME-NOT-SANDBOXED
    # for reachable pods: no property read
    assert reads.readers == {"docker.container"}
    nested = RuleReads.of(COMBINED)
    assert nested.steps(["read_only_rootfs"]) == 3
    assert None in nested.readers  # nested: any element may look


@pytest.mark.parametrize(
    "when",
    [
        "{model_has: {property: {name: privileged, equals: true}}}",
        "{any: [{component: docker.container}, {model_has: {property: {name: privileged, equals: true}}}]}",
    ],
)
def test_a_read_anywhere_derives_everything(when):
    rules = loads_rules(
        f"""
rules:
  - id: T-ANYWHERE
    category: Tampering
    severity: low
    target: element
    when: {when}
    title: "{{name}}"
    description: "{{name}}."
""",
        catalog=CATALOG,
    )
    assert RuleReads.of(rules).steps(["privileged"]) >= GLOBAL
    session = DerivationSession(make_model(30, seed=1), rules, catalog=CATALOG)
    session.refresh()
    session.note(Change.edit("element", ["e1"], "properties.privileged"))
    assert session.needs_full


def test_an_unknown_matcher_or_a_rule_without_data_derives_everything():
    rule = next(r for r in LIBRARY if r.when is not None and r.target == "element")
    unknown = dataclasses.replace(rule, when={"all": [rule.when, {"reads_the_moon": True}]})
    coded = dataclasses.replace(rule, when=None)
    for rules in (RuleSet.of([unknown]), RuleSet.of([coded])):
        assert RuleReads.of(rules).steps(["anything"]) >= GLOBAL


def test_a_property_read_three_flows_away_is_re_derived():
    three_hops = RuleSet.of([r for r in NESTED if r.id == "T-NEIGHBOUR-OF-NEIGHBOUR"])
    names = ("x", "w", "z", "y", "tail")
    model = Model(
        name="chain",
        elements=[Element(id=n, name=n, component="docker.container") for n in names],
        flows=[
            Flow(id="f1", source="x", target="w"),
            Flow(id="f2", source="z", target="w"),
            Flow(id="f3", source="z", target="y"),
            Flow(id="f4", source="y", target="tail"),
        ],
    )
    editor = RecordingEditor(model)
    session = DerivationSession(model, three_hops, catalog=CATALOG)
    session.refresh()
    assert not any(t.rule == "T-NEIGHBOUR-OF-NEIGHBOUR" for t in session.threats)
    editor.set_element_property("x", "read_only_rootfs", True)
    delta = session.apply(editor.changes[-1])
    assert "T-NEIGHBOUR-OF-NEIGHBOUR@y" in {t.id for t in delta.added}
    same(session.threats, derive(model, three_hops, catalog=CATALOG))


def test_a_daemon_setting_reaches_the_containers_on_its_host():
    model = Model(
        name="host",
        boundaries=[Boundary(id="h", name="Host", trust=2, kind="host")],
        elements=[
            Element(id=i, name=i, component=c, boundary="h")
            for i, c in (
                ("dockerd", "docker.daemon"),
                ("c1", "docker.container"),
                ("c2", "docker.container"),
                ("vol", "docker.volume"),
            )
        ],
    )
    editor = RecordingEditor(model)
    session = DerivationSession(model, LIBRARY, catalog=CATALOG)
    session.refresh()
    # the default container: root, writable, setuid-able (DOCKER-CONTAINER-NOT-HARDENED folds
    # DOCKER-CONTAINER-NEW-PRIVILEGES); the daemon setting takes the third part away
    assert "DOCKER-CONTAINER-NOT-HARDENED@c2" in session.by_id
    editor.set_element_property("dockerd", "no_new_privileges", True)  # daemon.json covers all
    delta = session.apply(editor.changes[-1])
    assert "DOCKER-CONTAINER-NOT-HARDENED@c2" in {t.id for t in delta.removed}
    same(session.threats, derive(model, LIBRARY, catalog=CATALOG))


def test_partial_edits_after_a_worker_derivation_stay_exact():
    model = make_model(300, seed=4)
    editor = RecordingEditor(model)
    session = DerivationSession(model, LIBRARY, catalog=CATALOG)
    session.adopt(session.snapshot(), session.snapshot().derive())  # as after a worker's run
    session.prime()
    element = next(e for e in model.elements if e.component == "docker.container")
    editor.set_element_property(element.id, "privileged", not element.properties.get("privileged"))
    session.apply(editor.changes[-1])
    same(session.threats, derive(model, LIBRARY, catalog=CATALOG))


def test_the_workers_snapshot_equals_the_model_and_stays_as_it_was():
    model = make_model(80, seed=3)
    editor = RecordingEditor(model)
    session = DerivationSession(model, LIBRARY, catalog=CATALOG)
    snapshot = session.snapshot()
    assert pickle.loads(snapshot.pickled) == model
    before = copy.deepcopy(model)
    editor.set_element_property(model.elements[0].id, "privileged", True)  # after the snapshot
    assert pickle.loads(snapshot.pickled) == before != model


def indexes_name_the_current_objects(session: DerivationSession) -> None:
    assert all(session.by_id[t.id] is t for t in session.threats)
    assert len(session.by_id) == len(session.threats)
    listed = [t for threats in session.by_target.values() for t in threats]
    assert sorted(map(id, listed)) == sorted(map(id, session.threats))


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_worker_derivations_and_the_edits_after_them_end_where_a_full_derivation_does(seed):
    """As in the editor: full derivations on snapshots (their facts and indexes adopted), edits
    while one derives (triage, moves), partial edits in between."""
    rng = random.Random(seed)
    model = make_model(rng.randrange(30, 80), seed=seed)
    editor = RecordingEditor(model)
    session = DerivationSession(model, LIBRARY, catalog=CATALOG)
    for _step in range(6):
        kind = rng.choice(["element edit", "element edit", *sorted(EDITS)])
        random_edit(editor, rng, kind, [t.id for t in session.threats])
        for change in editor.changes:
            session.note(change)
        editor.changes.clear()
        if session.needs_full:
            snapshot = session.snapshot()
            threats = snapshot.derive()  # the worker
            meanwhile = rng.choice(["triage", "element move", None])
            if meanwhile:
                random_edit(editor, rng, meanwhile, [t.id for t in session.threats])
                for change in editor.changes:
                    session.note(change)
                editor.changes.clear()
            if session.adopt(snapshot, threats) is None:
                session.refresh()
        elif session.pending:
            session.refresh()
        full = derive(model, LIBRARY, catalog=CATALOG)
        same(session.threats, full)
        assert session.open_count == sum(t.is_open for t in full)
        indexes_name_the_current_objects(session)
