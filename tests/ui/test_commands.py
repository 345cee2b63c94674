"""Every command: do / undo / redo against the model."""

from __future__ import annotations

import copy
from pathlib import Path

from stride_desktop.io import model_to_data
from stride_desktop.model import BenchRun, Boundary, Change, Element, Finding, Flow, HardeningEntry
from stride_desktop.ui.commands import (
    AddItemsCommand,
    DeleteItemsCommand,
    EditFieldCommand,
    MoveCommand,
    SetPropertyCommand,
)
from stride_desktop.ui.commands.review import (
    AssignFindingCommand,
    HardeningAddCommand,
    HardeningEditCommand,
    HardeningRemoveCommand,
    ImportBenchRunCommand,
    RemoveBenchRunCommand,
    TriageCommand,
)


def snapshot(document):
    return copy.deepcopy(model_to_data(document.model))


def check_do_undo_redo(document, command, assert_done):
    before = snapshot(document)
    document.push(command)
    assert_done()
    after = snapshot(document)
    assert after != before
    document.undo_stack.undo()
    assert snapshot(document) == before
    document.undo_stack.redo()
    assert snapshot(document) == after
    assert_done()


def test_add_items(document):
    element = Element(id="new", name="New", component="generic.process", pos=(10, 20))
    flow = Flow(id="fnew", source="new", target="dockerd")
    boundary = Boundary(id="bnew", name="Zone", rect=(0, 0, 100, 100))
    command = AddItemsCommand(document, elements=[element], flows=[flow], boundaries=[boundary])

    def done():
        m = document.model
        assert m.element("new") and m.flow("fnew") and m.boundary("bnew")

    check_do_undo_redo(document, command, done)
    assert command.text() == "Add 3 items"


def test_delete_element_removes_its_flows_and_undo_restores_order(document):
    flows_before = [f.id for f in document.model.flows]
    elements_before = [e.id for e in document.model.elements]
    command = DeleteItemsCommand(document, element_ids=["dockerd"])

    def done():
        m = document.model
        assert m.element("dockerd") is None
        assert not [f for f in m.flows if "dockerd" in (f.source, f.target)]

    check_do_undo_redo(document, command, done)
    document.undo_stack.undo()
    assert [f.id for f in document.model.flows] == flows_before
    assert [e.id for e in document.model.elements] == elements_before


def test_delete_element_cleans_and_restores_findings(document):
    finding = Finding(
        key="2.1",
        check_id="2.1",
        title="t",
        status="fail",
        raw_status="WARN",
        elements=["dockerd", "cli"],
        assigned_by_hand=["dockerd"],
    )
    document.model.bench_runs.append(
        BenchRun(
            id="run1", tool="docker-bench-security", format="dbs-json-flat", findings=[finding]
        )
    )
    document.push(DeleteItemsCommand(document, element_ids=["dockerd"]))
    assert finding.elements == ["cli"] and finding.assigned_by_hand == []
    document.undo_stack.undo()
    run = document.model.bench_run("run1")
    assert run.findings[0].elements == ["dockerd", "cli"]
    assert run.findings[0].assigned_by_hand == ["dockerd"]


def test_delete_boundary_keeps_members_under_its_parent(document):
    command = DeleteItemsCommand(document, boundary_ids=["app"])

    def done():
        m = document.model
        assert m.boundary("app") is None
        assert m.element("web").boundary == "host"

    check_do_undo_redo(document, command, done)
    document.undo_stack.undo()
    assert document.model.element("web").boundary == "app"


def test_edit_field_each_kind(document):
    for kind, target, field, value in (
        ("element", "web", "name", "web-1"),
        ("flow", "f2", "encrypted", True),
        ("flow", "f2", "port", 2376),
        ("boundary", "host", "trust", 3),
        ("model", "", "author", "me"),
    ):
        obj = {
            "element": document.model.element,
            "flow": document.model.flow,
            "boundary": document.model.boundary,
        }.get(kind, lambda _: document.model)(target)
        check_do_undo_redo(
            document,
            EditFieldCommand(document, kind, target, field, value),
            lambda obj=obj, field=field, value=value: (
                getattr(obj, field) == value or (_ for _ in ()).throw(AssertionError(field))
            ),
        )


def test_rename_text_and_typing_merges(document):
    document.push(EditFieldCommand(document, "element", "web", "name", "n"))
    document.push(EditFieldCommand(document, "element", "web", "name", "ng"))
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Rename 'nginx'"
    document.undo_stack.undo()
    assert document.model.element("web").name == "nginx"


def test_set_property(document):
    command = SetPropertyCommand(document, "dockerd", "tls_verify", True)
    check_do_undo_redo(
        document,
        command,
        lambda: document.model.element("dockerd").properties["tls_verify"] is True,
    )
    document.undo_stack.undo()
    assert "tls_verify" not in document.model.element("dockerd").properties


def test_move_with_membership_and_parent(document):
    command = MoveCommand(
        document,
        positions={"web": (100.0, 100.0)},
        rects={"app": (0.0, 0.0, 200.0, 200.0)},
        memberships={"web": None},
        parents={"app": None},
    )

    def done():
        m = document.model
        assert m.element("web").pos == (100.0, 100.0) and m.element("web").boundary is None
        assert (
            m.boundary("app").rect == (0.0, 0.0, 200.0, 200.0) and m.boundary("app").parent is None
        )

    check_do_undo_redo(document, command, done)


def test_each_mutation_emits_one_typed_change(qtbot, document):
    with qtbot.waitSignal(document.changed) as blocker:
        document.push(EditFieldCommand(document, "element", "web", "name", "x"))
    assert blocker.args == [Change.edit("element", ["web"], "name")]
    seen: list[Change] = []
    document.changed.connect(seen.append)
    document.push(SetPropertyCommand(document, "dockerd", "tls_verify", True))
    assert seen == [Change.edit("element", ["dockerd"], "properties.tls_verify")]
    seen.clear()
    flows = [f.id for f in document.model.flows if "dockerd" in (f.source, f.target)]
    document.push(DeleteItemsCommand(document, element_ids=["dockerd"]))
    assert seen == [Change("flow", "remove", (f,)) for f in flows] + [
        Change("element", "remove", ("dockerd",))
    ]


# -- review commands: triage, bench runs, finding assignment, hardening plan -------------------


BENCH = Path(__file__).resolve().parents[1] / "fixtures" / "bench"


def with_run(document):
    """The mini model with a docker-bench run on the host, added outside the undo stack."""
    from stride_desktop.bench import parse_bench_file, prepare_run

    bench = (
        Path(__file__).resolve().parents[1] / "fixtures" / "bench" / "docker-bench-1.6.0.log.json"
    )
    run = prepare_run(document.model, parse_bench_file(bench).run, scope="host")
    document.model.bench_runs.append(run)
    return run


def test_triage_sets_and_back_to_open_removes_the_entry(document):
    ids = ["DOCKER-DAEMON-TLS@dockerd", "STRIDE-S@cli"]

    def triaged():
        assert [document.model.triage[i].status for i in ids] == ["accepted", "accepted"]
        assert document.model.triage[ids[0]].note == "lab only"

    check_do_undo_redo(
        document, TriageCommand(document, ids, status="accepted", note="lab only"), triaged
    )
    document.push(TriageCommand(document, ids[:1], status="open", note=""))
    assert ids[0] not in document.model.triage and ids[1] in document.model.triage


def test_import_bench_run(document):
    from stride_desktop.bench import parse_bench_file, prepare_run

    run = prepare_run(
        document.model, parse_bench_file(BENCH / "docker-bench-1.6.0.log").run, scope="host"
    )

    def imported():
        assert document.model.bench_run(run.id) == run

    check_do_undo_redo(document, ImportBenchRunCommand(document, run), imported)


def test_remove_bench_run_takes_its_plan_entries_along(document):
    run = with_run(document)
    ours = HardeningEntry(finding=run.finding_id(run.findings[0]), note="fix it")
    other = HardeningEntry(finding="elsewhere:1.1", note="kept")
    document.model.hardening += [ours, other]

    def done():
        assert document.model.bench_run(run.id) is None
        assert [h.finding for h in document.model.hardening] == ["elsewhere:1.1"]

    check_do_undo_redo(document, RemoveBenchRunCommand(document, run.id), done)
    document.undo_stack.undo()
    assert [h.finding for h in document.model.hardening] == [ours.finding, "elsewhere:1.1"]


def test_assign_and_detach_a_finding(document):
    run = with_run(document)
    finding = next(f for f in run.findings if not f.elements)
    fid = run.finding_id(finding)

    def assigned():
        found = document.model.find_finding(fid)[1]
        assert found.elements == ["vol"] and found.assigned_by_hand == ["vol"]

    check_do_undo_redo(document, AssignFindingCommand(document, fid, "vol"), assigned)

    def detached():
        found = document.model.find_finding(fid)[1]
        assert found.elements == [] and found.assigned_by_hand == []

    check_do_undo_redo(document, AssignFindingCommand(document, fid, "vol", assign=False), detached)


def test_hardening_add_note_and_remove(document):
    run = with_run(document)
    fid = run.finding_id(next(f for f in run.findings if f.status == "fail"))
    planned = HardeningEntry(finding=fid, note="set icc=false", threats=["T@dockerd"])

    def added():
        assert document.model.hardening == [planned]

    check_do_undo_redo(
        document,
        HardeningAddCommand(document, fid, note="set icc=false", threats=["T@dockerd"]),
        added,
    )

    def edited():
        entry = document.model.hardening[0]
        assert (entry.note, entry.owner, entry.due, entry.state) == (
            "icc off in daemon.json",
            "platform team",
            "2027-01-15",
            "in_progress",
        )

    check_do_undo_redo(
        document,
        HardeningEditCommand(
            document,
            fid,
            note="icc off in daemon.json",
            owner="platform team",
            due="2027-01-15",
            state="in_progress",
        ),
        edited,
    )

    def removed():
        assert document.model.hardening == []

    check_do_undo_redo(document, HardeningRemoveCommand(document, fid), removed)


def test_custom_threat_add_edit_delete(document):
    from stride_desktop.model import CustomThreat
    from stride_desktop.ui.commands.custom import CustomThreatCommand

    mine = CustomThreat(id="c1", target="dockerd", title="Backups unencrypted", severity="high")

    def added():
        assert document.model.custom_threats == [mine]

    check_do_undo_redo(document, CustomThreatCommand(document, "c1", mine), added)
    critical = CustomThreat(**{**vars(mine), "severity": "critical"})

    def edited():
        assert document.model.custom_threats == [critical]

    check_do_undo_redo(document, CustomThreatCommand(document, "c1", critical), edited)

    def deleted():
        assert document.model.custom_threats == []

    check_do_undo_redo(document, CustomThreatCommand(document, "c1", None), deleted)


def test_every_command_has_a_do_undo_redo_test():
    """A new undo command needs its test here (checked by name, as it is pushed)."""
    import importlib
    import inspect
    import pkgutil
    import re

    from PySide6.QtGui import QUndoCommand

    from stride_desktop.ui import commands

    modules = [
        importlib.import_module(f"stride_desktop.ui.commands.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
    ]

    source = Path(__file__).read_text(encoding="utf-8")
    body = source[source.index("def check_do_undo_redo") :]
    found = {
        name
        for module in (*modules, commands)
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, QUndoCommand) and cls.__module__.startswith("stride_desktop")
    }
    assert len(found) >= 12
    missing = [name for name in sorted(found) if not re.search(rf"{name}\(\s*document", body)]
    assert not missing, f"no do/undo/redo test for {', '.join(missing)}"
