"""The all-threats table: filters, search, sorting, row -> canvas, stale triage."""

from __future__ import annotations

from stride_desktop.model import TriageEntry
from stride_desktop.rules.threat import SEVERITY_RANK
from stride_desktop.ui.commands.review import TriageCommand


def test_filters_narrow_the_table(host_window, review, import_bench):
    panel, service = review.all_threats_panel, review.service
    everything = panel.visible_threats()
    assert len(everything) == len(service.threats)
    panel.set_filter("category", "Spoofing")
    assert panel.visible_threats() and {t.category for t in panel.visible_threats()} == {"Spoofing"}
    panel.set_filter("severity", "critical")
    assert {(t.category, t.severity) for t in panel.visible_threats()} <= {("Spoofing", "critical")}
    panel.set_filter("category", "")
    panel.set_filter("severity", "")
    panel.set_filter("source", "interaction")
    assert panel.visible_threats() and {t.source for t in panel.visible_threats()} == {
        "interaction"
    }
    panel.set_filter("source", "")
    panel.search.setText("dockerd audit")
    found = panel.visible_threats()
    assert found and all("audit" in (t.title + t.description).lower() for t in found)
    assert len(found) < len(everything)
    panel.search.clear()
    assert len(panel.visible_threats()) == len(everything)
    assert "threats" in panel.count.text()


def test_status_and_evidence_filters(host_window, review, import_bench):
    doc, panel, service = host_window.document, review.all_threats_panel, review.service
    panel.set_filter("evidence", "confirmed")
    assert panel.visible_threats() == []  # no bench run yet
    import_bench(review)
    confirmed = panel.visible_threats()
    assert confirmed and all(t.confirmed for t in confirmed)
    panel.set_filter("evidence", "")
    doc.push(TriageCommand(doc, [confirmed[0].id], status="mitigated", note="fixed"))
    panel.set_filter("status", "mitigated")
    assert [t.id for t in panel.visible_threats()] == [confirmed[0].id]
    panel.set_filter("status", "@open")
    assert confirmed[0].id not in {t.id for t in panel.visible_threats()}
    assert len(panel.visible_threats()) == len(service.threats) - 1


def test_sorting_by_severity(review):
    panel = review.all_threats_panel
    panel.table.sortByColumn(0, panel.table.horizontalHeader().sortIndicatorOrder().DescendingOrder)
    ranks = [SEVERITY_RANK[t.severity] for t in panel.visible_threats()]
    assert ranks == sorted(ranks, reverse=True)
    panel.table.sortByColumn(0, panel.table.horizontalHeader().sortIndicatorOrder().AscendingOrder)
    ranks = [SEVERITY_RANK[t.severity] for t in panel.visible_threats()]
    assert ranks == sorted(ranks)


def test_selecting_a_row_selects_and_centres_the_target(host_window, review):
    panel = review.all_threats_panel
    threat = (
        next(t for t in review.service.threats if t.target == "mysql")
        if review.service.threats_of(["mysql"])
        else review.service.threats[-1]
    )
    host_window.view.centerOn(-3000, -3000)
    assert panel.select_threat(threat.id)
    elements, flows, boundaries = host_window.scene.selected_ids()
    assert threat.target in elements + flows + boundaries
    item = host_window.scene.element_items.get(threat.target) or host_window.scene.flow_items.get(
        threat.target
    )
    visible = host_window.view.mapToScene(host_window.view.viewport().rect()).boundingRect()
    assert visible.contains(item.sceneBoundingRect().center())
    assert threat.id in [t.id for t in review.threats_panel.threats()]


def test_bulk_triage_from_the_table(host_window, review):
    doc, panel = host_window.document, review.all_threats_panel
    panel.set_filter("category", "Repudiation")
    panel.table.selectAll()
    chosen = panel.selected_threats()
    assert len(chosen) > 2
    panel.triage.set_status("accepted")
    panel.triage.note.setText("central logging is out of scope")
    panel.triage.apply()
    assert doc.undo_stack.count() == 1
    assert all(doc.model.triage[t.id].status == "accepted" for t in chosen)


def test_stale_triage_is_listed_and_can_be_forgotten(host_window, review):
    doc, panel = host_window.document, review.all_threats_panel
    doc.set_triage({"GONE-RULE@nowhere": TriageEntry(status="accepted", note="old decision")})
    assert review.service.stale == ("GONE-RULE@nowhere",)
    assert panel.stale_list.count() == 1
    assert "GONE-RULE@nowhere" in panel.stale_list.item(0).text()
    panel.stale_list.item(0).setSelected(True)
    panel.forget_stale()
    assert "GONE-RULE@nowhere" not in doc.model.triage
    assert panel.stale_list.count() == 0
    doc.undo_stack.undo()
    assert panel.stale_list.count() == 1
