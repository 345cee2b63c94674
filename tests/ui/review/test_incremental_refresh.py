"""Edits refresh only what they change, and end where a full derivation and a full rebuild would."""

from __future__ import annotations

from PySide6.QtCore import Qt

from stride_desktop.rules import derive
from stride_desktop.ui.commands import EditFieldCommand, MoveCommand, SetPropertyCommand
from stride_desktop.ui.commands.review import TriageCommand
from stride_desktop.ui.review.threat_table import ThreatTableModel


def rows_of(model: ThreatTableModel) -> list[str]:
    return [model.index(r, 7).data(Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())]


def full_rebuild(service, like: ThreatTableModel) -> list[str]:
    fresh = ThreatTableModel(service)
    fresh.sort(like.sort_column, like.sort_order)
    return rows_of(fresh)


def test_property_edits_re_derive_in_part_and_equal_a_full_derivation(host_window, review):
    doc, service = host_window.document, review.service
    doc.push(
        TriageCommand(
            doc,
            ["DOCKER-CONTAINER-PRIVILEGED@worker"],
            status="accepted",
            note="needs the GPU",
        )
    )
    for element_id, name, value in (
        ("worker", "privileged", False),
        ("dockerd", "no_new_privileges", True),
        ("nginx", "read_only_rootfs", True),
        ("worker", "privileged", True),
    ):
        doc.push(SetPropertyCommand(doc, element_id, name, value))
        assert service.last_incremental and not service.pending
        assert service.last_change and service.last_targets  # some threats, not all of them
        assert len(service.last_targets) < len(service.by_target)
        full = derive(doc.model, service.rules, catalog=doc.catalog)
        assert [t.id for t in service.threats] == [t.id for t in full]
        assert all(a == b for a, b in zip(service.threats, full))
        assert service.by_target == {
            t: [x for x in service.threats if x.target == t]
            for t in {x.target for x in service.threats}
        }
    # a daemon setting changed its host's containers' threats, not the daemon's own
    # the decision survived the privileged flag going away and coming back
    assert service.by_id["DOCKER-CONTAINER-PRIVILEGED@worker"].status == "accepted"
    doc.push(EditFieldCommand(doc, "element", "worker", "name", "GPU worker 2"))  # a rename too
    assert service.last_incremental
    assert {t.target_name for t in service.by_target["worker"]} == {"GPU worker 2"}


def test_structural_edits_still_derive_everything(host_window, review):
    doc, service = host_window.document, review.service
    flow = doc.model.flows[0]
    doc.push(EditFieldCommand(doc, "flow", flow.id, "encrypted", not flow.encrypted))
    assert service.wait() and not service.last_incremental and service.last_change is None
    full = derive(doc.model, service.rules, catalog=doc.catalog)
    assert [t.id for t in service.threats] == [t.id for t in full]


def test_table_updates_in_place_equal_a_rebuild_and_keep_the_selection(host_window, review):
    doc, service = host_window.document, review.service
    panel = review.all_threats_panel
    resets: list[int] = []
    panel.table_model.modelReset.connect(lambda: resets.append(1))
    # a threat of a neighbour of the edited elements: re-derived, but it stays
    chosen = [service.by_target["api"][0].id]
    assert panel.select_threat(chosen[0])
    for column, order in ((0, Qt.SortOrder.DescendingOrder), (4, Qt.SortOrder.AscendingOrder)):
        panel.table.sortByColumn(column, order)
        panel.select_threat(chosen[0])  # sorting resets the rows
        resets.clear()
        for element_id, name, value in (
            ("worker", "privileged", False),
            ("worker", "privileged", True),
            ("dockerd", "userns_remap", True),
            ("dockerd", "userns_remap", False),
            ("dockerd", "tls_verify", True),
        ):
            doc.push(SetPropertyCommand(doc, element_id, name, value))
            assert rows_of(panel.table_model) == full_rebuild(service, panel.table_model)
            assert [t.id for t in panel.selected_threats()] == chosen
        assert not resets  # rows were inserted, removed or changed, never reset
        doc.push(TriageCommand(doc, chosen, status="mitigated"))  # sorted by status: it moves
        assert rows_of(panel.table_model) == full_rebuild(service, panel.table_model)
        assert [t.id for t in panel.selected_threats()] == chosen and not resets
        doc.undo_stack.undo()
    # a filter stays applied to re-derived rows
    panel.set_filter("severity", "critical")
    doc.push(SetPropertyCommand(doc, "worker", "privileged", False))
    doc.push(SetPropertyCommand(doc, "worker", "privileged", True))
    assert {t.severity for t in panel.visible_threats()} == {"critical"}
    assert len(panel.visible_threats()) == sum(t.severity == "critical" for t in service.threats)


def test_badges_follow_property_edits_and_moves(host_window, review):
    doc, service, scene = host_window.document, review.service, host_window.scene
    item = scene.element_items["portainer"]
    before = item._badge
    doc.push(SetPropertyCommand(doc, "portainer", "mounts_docker_socket", False))
    assert item._badge != before and item._badge[:1] == (service.badge("portainer")[0],)
    badges = review.badges._flow_badges
    flow = next(
        f for f in doc.model.flows if f.id in badges and "portainer" in (f.source, f.target)
    )
    other = next(
        f for f in doc.model.flows if f.id in badges and "portainer" not in (f.source, f.target)
    )
    other_pos = badges[other.id].pos()
    element = doc.model.element("portainer")
    doc.push(MoveCommand(doc, positions={"portainer": (element.pos[0] + 60, element.pos[1] + 40)}))
    rect = scene.flow_items[flow.id].label_rect()
    assert (badges[flow.id].pos().x(), badges[flow.id].pos().y()) == (
        rect.right() + 2,
        rect.top() - 2,
    )
    assert badges[other.id].pos() == other_pos


def test_stale_decisions_match_the_engine(host_window, review):
    from stride_desktop.model import TriageEntry
    from stride_desktop.rules import stale_triage
    from stride_desktop.ui.review.changes import stale_decisions

    service, model = review.service, host_window.document.model
    folded = next(c for t in service.threats for c in t.covers)
    assert stale_decisions(model.triage, service.by_id, service.threats) == []
    model.triage.update(
        {"GONE@nowhere": TriageEntry(status="accepted"), folded: TriageEntry(status="mitigated")}
    )
    expected = stale_triage(model, service.threats)
    assert expected == ["GONE@nowhere"]
    assert stale_decisions(model.triage, service.by_id, service.threats) == expected
