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


def test_property_edits_re_derive_in_part_and_equal_a_full_derivation(host_window, review, qtbot):
    doc, service = host_window.document, review.service
    doc.push(
        TriageCommand(
            doc,
            ["DOCKER-CONTAINER-PRIVILEGED@worker"],
            status="accepted",
            note="needs the GPU",
        )
    )
    deltas = []
    service.threatsChanged.connect(deltas.append)
    for element_id, name, value in (
        ("worker", "privileged", False),
        ("dockerd", "no_new_privileges", True),
        ("nginx", "read_only_rootfs", True),
        ("worker", "privileged", True),
    ):
        deltas.clear()
        doc.push(SetPropertyCommand(doc, element_id, name, value))
        assert not service.pending and len(deltas) == 1
        delta = deltas[0]
        assert not delta.full and delta  # some threats, not all of them
        assert len(delta.targets) < len({t.target for t in service.threats})
        full = derive(doc.model, service.rules, catalog=doc.catalog)
        assert [t.id for t in service.threats] == [t.id for t in full]
        assert all(a == b for a, b in zip(service.threats, full))
    # the decision survived the privileged flag going away and coming back
    assert service.by_id["DOCKER-CONTAINER-PRIVILEGED@worker"].status == "accepted"
    deltas.clear()
    # a rename too: attack paths through the worker name it, so it derives everything
    with qtbot.waitSignal(service.threatsChanged, timeout=10_000) as published:
        doc.push(EditFieldCommand(doc, "element", "worker", "name", "GPU worker 2"))
    assert published.args[0].full
    assert {t.target_name for t in service.threats_of(["worker"])} == {"GPU worker 2"}


def test_structural_edits_still_derive_everything(host_window, review, qtbot):
    doc, service = host_window.document, review.service
    flow = doc.model.flows[0]
    with qtbot.waitSignal(service.threatsChanged, timeout=10_000) as published:
        doc.push(EditFieldCommand(doc, "flow", flow.id, "encrypted", not flow.encrypted))
        assert service.pending  # debounced
    assert published.args[0].full
    full = derive(doc.model, service.rules, catalog=doc.catalog)
    assert [t.id for t in service.threats] == [t.id for t in full]


def test_table_updates_in_place_equal_a_rebuild_and_keep_the_selection(host_window, review):
    doc, service = host_window.document, review.service
    panel = review.all_threats_panel
    resets: list[int] = []
    panel.table_model.modelReset.connect(lambda: resets.append(1))
    # a threat of a neighbour of the edited elements: re-derived, but it stays
    chosen = [service.threats_of(["api"])[0].id]
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
    before = item.badge_state()
    doc.push(SetPropertyCommand(doc, "portainer", "mounts_docker_socket", False))
    assert item.badge_state() != before and item.badge_count() == service.badge("portainer")[0]
    badges = review.badges
    with_badge = [f for f in doc.model.flows if badges.badge_pos(f.id) is not None]
    flow = next(f for f in with_badge if "portainer" in (f.source, f.target))
    other = next(f for f in with_badge if "portainer" not in (f.source, f.target))
    other_pos = badges.badge_pos(other.id)
    element = doc.model.element("portainer")
    doc.push(MoveCommand(doc, positions={"portainer": (element.pos[0] + 60, element.pos[1] + 40)}))
    rect = scene.flow_items[flow.id].label_rect()
    assert badges.badge_pos(flow.id) == (rect.right() + 2, rect.top() - 2)
    assert badges.badge_pos(other.id) == other_pos


def test_stale_decisions_match_the_engine(host_window, review):
    from stride_desktop.model import TriageEntry
    from stride_desktop.rules import stale_triage

    doc, service = host_window.document, review.service
    folded = next(c for t in service.threats for c in t.covers)
    assert service.stale == ()
    doc.set_triage(
        {"GONE@nowhere": TriageEntry(status="accepted"), folded: TriageEntry(status="mitigated")}
    )
    assert list(service.stale) == stale_triage(doc.model, service.threats) == ["GONE@nowhere"]
