"""Findings panel (assignment by chooser and by drag, highlight, related threats) and the
hardening plan (ranked suggestions, add with a note, edit, remove, save/open)."""

from __future__ import annotations

from PySide6.QtCore import QDate, QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog

from stride_desktop.io import load_model, save_model
from stride_desktop.ui.review.findings_panel import FINDING_MIME, ElementChooserDialog


def first_unassigned(review):
    panel = review.findings_panel
    panel.set_show("@unassigned")
    ids = panel.shown_finding_ids()
    assert ids, "the fixture leaves some findings unassigned"
    return ids[0]


def test_assign_an_unassigned_finding_with_the_chooser(review, import_bench, monkeypatch, settle):
    import_bench(review)
    doc, panel = review.document, review.findings_panel
    fid = first_unassigned(review)
    panel.select_finding(fid)

    def choose(dialog):
        dialog.select("dockerd")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ElementChooserDialog, "exec", choose)
    assert panel.assign_selected()
    finding = doc.model.find_finding(fid)[1]
    assert finding.elements == ["dockerd"] and finding.assigned_by_hand == ["dockerd"]
    settle(review.service)
    assert fid not in panel.shown_finding_ids()  # no longer unassigned
    doc.undo_stack.undo()
    assert doc.model.find_finding(fid)[1].elements == []


def test_assign_by_dragging_a_finding_onto_an_element(host_window, review, import_bench):
    import_bench(review)
    fid = first_unassigned(review)
    view, scene = host_window.view, host_window.scene
    view.show()
    item = (
        scene.element_items["mysql"]
        if "mysql" in scene.element_items
        else next(iter(scene.element_items.values()))
    )
    view.centerOn(item)
    pos = view.mapFromScene(item.sceneBoundingRect().center())
    mime = QMimeData()
    mime.setData(FINDING_MIME, fid.encode())
    viewport = view.viewport()
    enter = QDragEnterEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, enter)
    drop = QDropEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, drop)
    assert review.document.model.find_finding(fid)[1].assigned_by_hand == [item.element_id]


def test_selecting_a_finding_highlights_elements_and_lists_threats(review, import_bench):
    import_bench(review)
    panel = review.findings_panel
    panel.set_show("fail")
    service = review.service
    fid = next(
        f
        for f in panel.shown_finding_ids()
        if any(link.finding_id == f for t in service.threats for link in t.evidence)
    )
    panel.select_finding(fid)
    finding = review.document.model.find_finding(fid)[1]
    assert review.badges.highlighted == len(finding.elements) > 0
    related = [
        panel.related.item(i).data(Qt.ItemDataRole.UserRole) for i in range(panel.related.count())
    ]
    expected = {t.id for t in service.threats if any(link.finding_id == fid for link in t.evidence)}
    assert set(related) == expected
    assert panel.related.item(0).text().startswith(("corroborates", "refutes"))
    panel.tree.clearSelection()
    assert review.badges.highlighted == 0


def test_suggestions_are_ranked_by_the_threats_they_confirm(review, import_bench):
    panel = review.hardening_panel
    assert panel.suggestions == []
    import_bench(review)
    removed = [a.risk_removed for a in panel.actions]
    assert removed == sorted(removed, reverse=True)
    assert len(panel._check_items()) == len(panel.suggestions) == 38
    assert panel.suggest_tree.topLevelItemCount() == len(panel.actions) < 38
    # the top three actions close three different threats, each naming its element
    top = panel.actions[:3]
    assert len({a.threat.id for a in top}) == 3 and all(a.elements for a in top)
    assert panel.suggest_tree.topLevelItem(0).text(2) == ", ".join(top[0].elements)
    # choosing an action plans all of its checks at once
    panel.select_action(0)
    assert panel.add_selected() == len(top[0].suggestions)


def test_hardening_plan_add_edit_remove_undo_and_save(review, import_bench, host_path):
    import_bench(review)
    doc, panel = review.document, review.hardening_panel
    chosen = panel.suggestion_ids()[:2]
    panel.select_suggestions(chosen)
    assert panel.add_selected("harden in sprint 12") == 2
    assert doc.undo_stack.count() == 2  # import + one step for both plan entries
    assert [h.finding for h in doc.model.hardening] == chosen
    assert all(h.note == "harden in sprint 12" and h.threats for h in doc.model.hardening)
    assert panel.plan_tree.topLevelItemCount() == 2
    panel.select_plan([chosen[0]])
    panel.plan_note.setText("owner: platform team")
    panel.plan_owner.setText("Ana")
    panel.plan_due.setDate(QDate(2026, 3, 31))
    panel.plan_state.setCurrentIndex(panel.plan_state.findData("in_progress"))
    assert panel.save_plan()
    entry = doc.model.hardening[0]
    assert (entry.note, entry.owner, entry.due, entry.state) == (
        "owner: platform team",
        "Ana",
        "2026-03-31",
        "in_progress",
    )
    assert panel.plan_tree.topLevelItem(0).text(4) == "in progress"
    doc.undo_stack.undo()
    assert (doc.model.hardening[0].owner, doc.model.hardening[0].state) == ("", "planned")
    doc.undo_stack.redo()
    save_model(doc.model, host_path)
    assert [h.note for h in load_model(host_path).hardening] == [
        "owner: platform team",
        "harden in sprint 12",
    ]
    panel.select_plan([chosen[1]])
    assert panel.remove_selected() == 1
    assert [h.finding for h in doc.model.hardening] == [chosen[0]]
    doc.undo_stack.undo()
    assert [h.finding for h in doc.model.hardening] == chosen
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.model.hardening == []
