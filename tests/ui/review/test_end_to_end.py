"""Done when: take docker-host.yaml, import docker-bench-1.6.0.log.json onto the Docker host
boundary, see which threats are confirmed, choose three failed findings to harden (one other
than 5.10, 5.14 and 5.22), and export a PDF that shows it all."""

from __future__ import annotations

from pypdf import PdfReader

from stride_desktop.io import load_model


def test_review_a_docker_host_end_to_end(host_window, review, import_bench, tmp_path, qtbot):
    doc, service = host_window.document, review.service
    # 1. import onto the Docker host boundary, one undo step
    import_bench(review, scope="docker_host")
    assert doc.model.bench_runs[0].scope == "docker_host"
    # 2. the confirmed threats: in the table, and marked on the canvas
    table = review.all_threats_panel
    table.set_filter("evidence", "confirmed")
    confirmed = table.visible_threats()
    assert len(confirmed) >= 5 and all(t.confirmed for t in confirmed)
    marked = [
        eid
        for eid, item in host_window.scene.element_items.items()
        if item.badge_state() and item.badge_state()[2]
    ]
    assert {t.target for t in confirmed if t.target_kind == "element"} & set(marked)
    host_window.scene.select_ids([confirmed[0].target])
    assert "confirmed by evidence" in review.threats_panel.header.text()
    # 3. three failed findings into the hardening plan, one outside 5.10 / 5.14 / 5.22
    plan_panel = review.hardening_panel
    by_check = {s.finding.check_id: s.finding_id for s in plan_panel.suggestions}
    picks = [by_check[c] for c in ("5.10", "5.14")] + [
        next(fid for c, fid in by_check.items() if c not in ("5.10", "5.14", "5.22"))
    ]
    notes = ["set mem_limit in compose", "restart: on-failure:5", "first fix"]
    for fid, note in zip(picks, notes):
        plan_panel.select_suggestions([fid])
        assert plan_panel.add_selected(note) == 1
    assert [h.finding for h in doc.model.hardening] == picks
    assert all(doc.model.find_finding(f)[1].status == "fail" for f in picks)
    # 4. triage one confirmed threat so the report shows a decision
    table.select_threat(confirmed[0].id)
    table.triage.set_status("accepted")
    table.triage.note.setText("risk accepted until the Q3 migration")
    table.triage.apply()
    # 5. save, export the PDF from the GUI, read it back
    assert host_window.files.save()
    assert len(load_model(doc.path).hardening) == 3
    out = tmp_path / "docker-host-report.pdf"
    from stride_desktop.ui.review.export import run_pdf_export

    job = run_pdf_export(
        host_window, service, str(out), include_closed=True, appendix=True, open_after=False
    )
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    text = " ".join((p.extract_text() or "") for p in PdfReader(str(out)).pages)
    flat = text.replace("\n", " ")
    assert "docker-bench" in flat.lower()
    for fid in picks:
        finding = doc.model.find_finding(fid)[1]
        assert finding.check_id in flat, finding.check_id
    assert "set mem_limit in compose" in flat
    assert (
        "risk accepted until the Q3 migration" in flat.replace("  ", " ")
        or confirmed[0].rule in flat
    )
    assert sum(1 for t in confirmed if t.rule in flat.replace(" ", "")) >= 1
