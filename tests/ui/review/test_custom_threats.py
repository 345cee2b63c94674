"""Custom threats in the editor (commands do/undo/redo, the dialog, a failing check made a
threat in one click), triage owner/ticket/needs investigation, and "mitigated" in one click."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from stride_desktop.io import load_model, save_model
from stride_desktop.model import CustomThreat
from stride_desktop.rules.custom import unclaimed_failures
from stride_desktop.ui.commands.custom import CustomThreatCommand
from stride_desktop.ui.review.custom_threats import CustomThreatForm, CustomThreatsDialog


def custom(**kw) -> CustomThreat:
    values = {"id": "c1", "target": "dockerd", "title": "Backups of /var/lib/docker unencrypted"}
    return CustomThreat(**{**values, **kw})


def test_custom_threat_commands_do_undo_redo(review, qtbot):
    doc, service = review.document, review.service
    tid = "CUSTOM-c1@dockerd"
    doc.push(CustomThreatCommand(doc, "c1", custom(severity="high")))
    qtbot.waitUntil(lambda: not service.pending, timeout=10_000)
    assert doc.model.custom_threats == [custom(severity="high")]
    assert service.by_id[tid].severity == "high" and service.by_id[tid].source == "custom"
    doc.push(CustomThreatCommand(doc, "c1", custom(severity="critical", target="cli")))
    qtbot.waitUntil(lambda: not service.pending, timeout=10_000)
    assert "CUSTOM-c1@cli" in service.by_id and tid not in service.by_id
    doc.push(CustomThreatCommand(doc, "c1", None))
    qtbot.waitUntil(lambda: not service.pending, timeout=10_000)
    assert doc.model.custom_threats == [] and "CUSTOM-c1@cli" not in service.by_id
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: not service.pending, timeout=10_000)
    assert doc.model.custom_threats[0].target == "cli"
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: not service.pending, timeout=10_000)
    assert doc.model.custom_threats == [custom(severity="high")] and tid in service.by_id
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: not service.pending, timeout=10_000)
    assert doc.model.custom_threats == [] and tid not in service.by_id
    for _ in range(3):
        doc.undo_stack.redo()
    qtbot.waitUntil(lambda: not service.pending, timeout=10_000)
    assert doc.model.custom_threats == []


def test_dialog_adds_edits_and_deletes(review, qtbot, monkeypatch):
    doc = review.document
    dialog = CustomThreatsDialog(doc, target="dockerd", parent=review.window)
    qtbot.addWidget(dialog)

    def fill(form_self):  # what a person types into the form, then OK
        form_self.title.setText("Registry credentials in CI logs")
        form_self.category.setCurrentText("Information Disclosure")
        form_self.severity.setCurrentText("high")
        form_self.mitigation.setPlainText("Mask secrets")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CustomThreatForm, "exec", fill)
    assert dialog.add()
    assert dialog.list.count() == 1
    (added,) = doc.model.custom_threats
    assert (added.target, added.category, added.severity, added.mitigation) == (
        "dockerd",
        "Information Disclosure",
        "high",
        "Mask secrets",
    )
    dialog.list.item(0).setSelected(True)

    def retarget(form_self):
        form_self.severity.setCurrentText("critical")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CustomThreatForm, "exec", retarget)
    assert dialog.edit_selected()
    assert doc.model.custom_threats[0].severity == "critical"
    dialog.list.item(0).setSelected(True)
    assert dialog.delete_selected()
    assert doc.model.custom_threats == [] and dialog.list.count() == 0
    doc.undo_stack.undo()
    assert dialog.list.count() == 1
    empty = CustomThreatForm(doc, custom(title=""), dialog)
    qtbot.addWidget(empty)
    assert not empty.buttons.button(empty.buttons.StandardButton.Ok).isEnabled()


def test_failing_check_no_threat_names_becomes_a_threat_in_one_click(
    review, import_bench, host_path, qtbot
):
    import_bench(review)
    doc, panel = review.document, review.findings_panel
    unclaimed = [
        fid
        for fid in unclaimed_failures(doc.model, review.service.threats)
        if doc.model.find_finding(fid)[1].elements
    ]
    assert unclaimed
    claimed = next(
        link.finding_id for t in review.service.threats for link in t.evidence if link.confirms
    )
    panel.set_show("all")
    panel.select_finding(claimed)
    assert not panel.custom_button.isEnabled()
    panel.select_finding(unclaimed[0])
    assert panel.custom_button.isEnabled()
    tid = panel.make_custom_threat()
    qtbot.waitUntil(lambda: not review.service.pending, timeout=10_000)
    threat = review.service.by_id[tid]
    assert threat.confirmed and threat.evidence[0].finding_id == unclaimed[0]
    assert threat.mitigations  # the check's remediation (ours for docker-bench 1.6)
    save_model(doc.model, host_path)
    assert load_model(host_path).custom_threats[0].finding == unclaimed[0]
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: not review.service.pending, timeout=10_000)
    assert tid not in review.service.by_id


def test_triage_owner_ticket_and_needs_investigation(host_window, review):
    doc = host_window.document
    host_window.scene.select_ids(["dockerd"])
    bar = review.threats_panel.triage
    first = review.threats_panel.selected_threats()[0]
    bar.set_status("needs_investigation")
    bar.owner.setText("Ana")
    bar.ticket.setText("SEC-42")
    bar.apply()
    entry = doc.model.triage[first.id]
    assert (entry.status, entry.owner, entry.ticket) == ("needs_investigation", "Ana", "SEC-42")
    assert review.service.by_id[first.id].is_open  # still someone's open risk
    bar.load([first])
    assert (bar.owner.text(), bar.ticket.text()) == ("Ana", "SEC-42")
    # bulk triage with differing owners keeps each one's owner when the field is left blank
    review.threats_panel.tree.selectAll()
    chosen = review.threats_panel.selected_threats()
    bar.load(chosen)
    assert bar.owner.text() == "" and bar.owner.placeholderText() == "(varies)"
    bar.set_status("accepted")
    bar.apply()
    assert doc.model.triage[first.id].owner == "Ana"
    assert {doc.model.triage[t.id].status for t in chosen} == {"accepted"}


def test_verified_threat_is_mitigated_in_one_click_and_leaves_top_risks(
    host_window, review, import_bench, qtbot
):
    from stride_desktop.io import default_catalog
    from stride_desktop.report.data import build_data

    import_bench(review)
    verified = [t for t in review.service.threats if t.verified and t.is_open]
    assert verified
    target = verified[0]
    host_window.scene.select_ids([target.target])
    panel = review.threats_panel
    panel.select_threats([target.id])
    assert panel.triage.verified_button.isVisibleTo(panel)
    panel.triage.mark_verified()
    entry = review.document.model.triage[target.id]
    assert entry.status == "mitigated" and "control verified by passing check" in entry.note
    data = build_data(
        review.document.model,
        review.service.threats,
        [],
        include_closed=False,
        catalog=default_catalog(),
    )
    assert target.id not in {t.id for t in data.matters()}
    assert target.id not in {t.id for a in data.actions for t in a.threats}
    # an unverified selection does not offer it
    other = next(t for t in review.service.threats if not t.verified and t.is_open)
    host_window.scene.select_ids([other.target])
    panel.select_threats([other.id])
    assert not panel.triage.verified_button.isVisibleTo(panel)


def test_residual_severity_shows_once_the_plan_items_are_done(
    host_window, review, import_bench, qtbot
):
    import_bench(review)
    panel = review.hardening_panel
    action = next(a for a in panel.actions if a.threat and a.threat.target_kind == "element")
    panel.select_action(panel.actions.index(action))
    assert panel.add_selected("fix it") == len(action.checks)
    threat = action.threat
    host_window.scene.select_ids([threat.target])
    review.threats_panel.select_threats([threat.id])
    assert "Residual severity" not in review.threats_panel.detail.toPlainText()  # planned only
    for fid in action.finding_ids:
        panel.select_plan([fid])
        panel.plan_state.setCurrentIndex(panel.plan_state.findData("done"))
        assert panel.save_plan()
    qtbot.waitUntil(lambda: not review.service.pending, timeout=10_000)
    review.threats_panel.select_threats([threat.id])
    assert "Residual severity" in review.threats_panel.detail.toPlainText()
    assert "✔" in panel.plan_tree.topLevelItem(0).text(5)  # residual reached, in the plan too
