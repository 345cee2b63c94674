"""Every command: do / undo / redo against the model."""

from __future__ import annotations

import copy

from stride_desktop.io import model_to_data
from stride_desktop.model import BenchRun, Boundary, Change, Element, Finding, Flow
from stride_desktop.ui.commands import (
    AddItemsCommand,
    DeleteItemsCommand,
    EditFieldCommand,
    MoveCommand,
    SetPropertyCommand,
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
