"""Random edits of every kind, made through the model's one editor (``model.edits``), for the
tests that check a derivation session against a full derivation."""

from __future__ import annotations

import random
from pathlib import Path

from stride_desktop.bench import parse_bench_file, prepare_run
from stride_desktop.io import default_catalog
from stride_desktop.model import Boundary, CustomThreat, Element, Flow, HardeningEntry, TriageEntry
from stride_desktop.model.edits import ModelEditor
from stride_desktop.model.elements import AUTHENTICATION_VALUES, BOUNDARY_KINDS, TRIAGE_STATUSES

CATALOG = default_catalog()
BENCH = Path(__file__).resolve().parents[1] / "fixtures" / "bench" / "docker-bench-1.6.0.log.json"
RUN = parse_bench_file(BENCH).run
FAR_READS = (
    "privileged",
    "read_only_rootfs",
    "no_new_privileges",
    "exposed_to_internet",
    "encryption_at_rest",
    "transport",
    "resource_quotas",
    "namespace",
)
# list properties the rules or the attack paths read, and values to set them to
LIST_VALUES: dict[str, tuple[list[str], ...]] = {
    "published_ports": (["8080:80"], ["127.0.0.1:8080:80"], ["0.0.0.0:9000:9000", "22:22"]),
}
COMPONENTS = ("docker.container", "docker.daemon", "k8s.pod", "k8s.etcd", "generic.process")


def element_add(ed: ModelEditor, rng: random.Random) -> None:
    m = ed.model
    component = rng.choice(COMPONENTS)
    boundary = rng.choice([None, *(b.id for b in m.boundaries)])
    ed.insert_element(
        Element(id=m.new_id("new"), name="new", component=component, boundary=boundary)
    )


def element_remove(ed: ModelEditor, rng: random.Random) -> None:
    """As the delete command does: the element's flows first, and its findings let go of it."""
    m = ed.model
    gone = rng.choice(m.elements).id
    for run in m.bench_runs:
        for finding in run.findings:
            if gone in finding.elements or gone in finding.assigned_by_hand:
                ed.set_finding_elements(
                    run.finding_id(finding),
                    [e for e in finding.elements if e != gone],
                    [e for e in finding.assigned_by_hand if e != gone],
                )
    for flow in [f for f in m.flows if gone in (f.source, f.target)]:
        ed.remove_flow(flow.id)
    ed.remove_element(gone)


def element_edit(ed: ModelEditor, rng: random.Random) -> None:
    m = ed.model
    element = rng.choice(m.elements)
    spec = CATALOG.components.get(element.component)
    props = (
        [p for p in spec.properties if p.type in ("bool", "enum", "str") or p.name in LIST_VALUES]
        if spec
        else []
    )
    roll = rng.random()
    if props and roll < 0.6:
        # properties rules read beyond their element, half of the time (else seldom changed)
        favoured = [p for p in props if p.name in FAR_READS]
        p = rng.choice(favoured if favoured and rng.random() < 0.5 else props)
        if rng.random() < 0.2:
            ed.set_element_property(element.id, p.name, None)  # back to the default
        elif p.type == "bool":
            ed.set_element_property(
                element.id, p.name, not element.properties.get(p.name, p.default)
            )
        elif p.name in LIST_VALUES:
            ed.set_element_property(element.id, p.name, list(rng.choice(LIST_VALUES[p.name])))
        elif p.type == "enum":
            ed.set_element_property(element.id, p.name, rng.choice(p.values))
        else:
            ed.set_element_property(element.id, p.name, rng.choice(("default", "prod", "1.13")))
    elif roll < 0.75:
        ed.set_element_field(element.id, "name", f"renamed {rng.randrange(1000)}")
    elif roll < 0.85:
        boundary = rng.choice([None, *(b.id for b in m.boundaries)])
        ed.set_element_field(element.id, "boundary", boundary)
    elif roll < 0.92:
        ed.set_element_field(element.id, "component", rng.choice(COMPONENTS))
    else:
        ed.set_element_field(element.id, "description", f"text {rng.randrange(1000)}")


def element_move(ed: ModelEditor, rng: random.Random) -> None:
    chosen = rng.sample(ed.model.elements, min(3, len(ed.model.elements)))
    ed.move_elements({e.id: (e.pos[0] + rng.randrange(-50, 50), e.pos[1]) for e in chosen})


def flow_add(ed: ModelEditor, rng: random.Random) -> None:
    m = ed.model
    source, target = rng.choice(m.elements), rng.choice(m.elements)
    ed.insert_flow(
        Flow(
            id=m.new_id("flow"),
            source=source.id,
            target=target.id,
            encrypted=rng.random() < 0.5,
            authenticated=rng.choice(AUTHENTICATION_VALUES),
        )
    )


def flow_remove(ed: ModelEditor, rng: random.Random) -> None:
    ed.remove_flow(rng.choice(ed.model.flows).id)


def flow_edit(ed: ModelEditor, rng: random.Random) -> None:
    flow = rng.choice(ed.model.flows)
    field, value = rng.choice(
        [
            ("encrypted", not flow.encrypted),
            ("authenticated", rng.choice(AUTHENTICATION_VALUES)),
            ("port", rng.choice((None, 2375, 2376, 443))),
            ("protocol", rng.choice(("tcp", "https", "unix"))),
            ("name", f"flow {rng.randrange(1000)}"),
            ("data", rng.choice(("public", "secret"))),
            ("target", rng.choice(ed.model.elements).id),
            ("description", "why"),
        ]
    )
    ed.set_flow_field(flow.id, field, value)


def boundary_add(ed: ModelEditor, rng: random.Random) -> None:
    m = ed.model
    parent = rng.choice([None, *(b.id for b in m.boundaries)])
    ed.insert_boundary(
        Boundary(
            id=m.new_id("zone"),
            name="zone",
            trust=rng.randrange(4),
            kind=rng.choice(BOUNDARY_KINDS),
            parent=parent,
        )
    )
    members = rng.sample(m.elements, min(2, len(m.elements)))
    for element in members:
        ed.set_element_field(element.id, "boundary", m.boundaries[-1].id)


def boundary_remove(ed: ModelEditor, rng: random.Random) -> None:
    """As the delete command does: members and children move up to the parent."""
    m = ed.model
    boundary = rng.choice(m.boundaries)
    for element in m.elements:
        if element.boundary == boundary.id:
            ed.set_element_field(element.id, "boundary", boundary.parent)
    for child in m.boundaries:
        if child.parent == boundary.id:
            ed.set_boundary_field(child.id, "parent", boundary.parent)
    ed.remove_boundary(boundary.id)


def boundary_edit(ed: ModelEditor, rng: random.Random) -> None:
    boundary = rng.choice(ed.model.boundaries)
    field, value = rng.choice(
        [
            ("trust", rng.randrange(4)),
            ("kind", rng.choice(BOUNDARY_KINDS)),
            ("name", f"zone {rng.randrange(1000)}"),
            ("rect", (0.0, 0.0, 300.0, 200.0)),
            ("description", "why"),
        ]
    )
    ed.set_boundary_field(boundary.id, field, value)


def boundary_reparent(ed: ModelEditor, rng: random.Random) -> None:
    m = ed.model
    boundary = rng.choice(m.boundaries)
    # never under itself or one of its own descendants
    allowed = [b.id for b in m.boundaries if boundary.id not in m.boundary_chain(b.id)]
    ed.set_boundary_field(boundary.id, "parent", rng.choice([None, *allowed]))


def triage(ed: ModelEditor, rng: random.Random, threat_ids: list[str]) -> None:
    chosen = rng.sample(threat_ids, min(3, len(threat_ids))) + ["GONE@nowhere"]
    ed.set_triage(
        {
            tid: None
            if rng.random() < 0.2
            else TriageEntry(status=rng.choice(TRIAGE_STATUSES), note=f"n{rng.randrange(9)}")
            for tid in chosen
        }
    )


def bench_run_add(ed: ModelEditor, rng: random.Random) -> None:
    m = ed.model
    hosts = [b.id for b in m.boundaries if b.kind in ("host", "network")]
    ed.insert_bench_run(prepare_run(m, RUN, scope=rng.choice([None, *hosts])))


def bench_run_remove(ed: ModelEditor, rng: random.Random) -> None:
    if ed.model.bench_runs:
        ed.remove_bench_run(rng.choice(ed.model.bench_runs).id)
    else:
        bench_run_add(ed, rng)


def finding_assign(ed: ModelEditor, rng: random.Random) -> None:
    if not ed.model.bench_runs:
        bench_run_add(ed, rng)
    run = rng.choice(ed.model.bench_runs)
    finding = rng.choice(run.findings)
    element = rng.choice(ed.model.elements).id
    ed.set_finding_elements(
        run.finding_id(finding), [*finding.elements, element], [*finding.assigned_by_hand, element]
    )


def hardening(ed: ModelEditor, rng: random.Random) -> None:
    m = ed.model
    if m.hardening and rng.random() < 0.5:
        entry = rng.choice(m.hardening)
        if rng.random() < 0.5:
            ed.remove_hardening(entry.finding)
        else:
            ed.set_hardening_fields(
                entry.finding,
                {"note": f"plan {rng.randrange(9)}", "state": rng.choice(("planned", "done"))},
            )
        return
    if not m.bench_runs:
        bench_run_add(ed, rng)
    run = rng.choice(m.bench_runs)
    fid = run.finding_id(rng.choice(run.findings))
    if all(h.finding != fid for h in m.hardening):
        ed.insert_hardening(HardeningEntry(finding=fid, note="harden"))


def custom_threat(ed: ModelEditor, rng: random.Random) -> None:
    """Add, edit or remove a person's own threat on an element or a flow."""
    m = ed.model
    if m.custom_threats and rng.random() < 0.5:
        old = rng.choice(m.custom_threats)
        if rng.random() < 0.5:
            ed.set_custom_threat(old.id, None)
        else:
            edited = CustomThreat(**{**vars(old), "severity": rng.choice(("low", "critical"))})
            ed.set_custom_threat(old.id, edited)
        return
    targets = [e.id for e in m.elements] + [f.id for f in m.flows]
    new_id = f"c{rng.randrange(1000)}"
    if targets and all(c.id != new_id for c in m.custom_threats):
        ed.set_custom_threat(
            new_id, CustomThreat(id=new_id, target=rng.choice(targets), title="mine")
        )


def model_field(ed: ModelEditor, rng: random.Random) -> None:
    ed.set_model_field(rng.choice(("name", "author", "description")), f"v{rng.randrange(9)}")


EDITS = {
    "element add": element_add,
    "element remove": element_remove,
    "element edit": element_edit,
    "element move": element_move,
    "flow add": flow_add,
    "flow remove": flow_remove,
    "flow edit": flow_edit,
    "boundary add": boundary_add,
    "boundary remove": boundary_remove,
    "boundary edit": boundary_edit,
    "boundary reparent": boundary_reparent,
    "triage": triage,
    "bench run add": bench_run_add,
    "bench run remove": bench_run_remove,
    "finding assign": finding_assign,
    "hardening": hardening,
    "custom threat": custom_threat,
    "model field": model_field,
}


def random_edit(ed: ModelEditor, rng: random.Random, kind: str, threat_ids: list[str]) -> None:
    """One edit of ``kind`` (several changes for the compound ones, as the commands make)."""
    m = ed.model
    if kind.startswith(("element", "flow")) and not (m.elements and m.flows):
        kind = "element add" if not m.elements else "flow add"
    if kind.startswith("boundary") and kind != "boundary add" and not m.boundaries:
        kind = "boundary add"
    if kind == "triage":
        triage(ed, rng, threat_ids)
    else:
        EDITS[kind](ed, rng)
