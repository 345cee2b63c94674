"""Threats of the selection, badges, triage in place (undo/redo, save/open), re-derivation."""

from __future__ import annotations

from stride_desktop.io import load_model, save_model
from stride_desktop.ui.commands import EditFieldCommand, MoveCommand, SetPropertyCommand
from stride_desktop.ui.document import Document
from stride_desktop.ui.review.common import threat_html
from stride_desktop.ui.review.service import ThreatService


def rows(panel):
    return [panel.tree.topLevelItem(i).data(0, 256) for i in range(panel.tree.topLevelItemCount())]


def test_selection_shows_the_threats_of_the_selected_object(host_window, review):
    scene, panel, service = host_window.scene, review.threats_panel, review.service
    assert rows(panel) == []
    kinds = {}
    for t in service.threats:  # one target of each kind this model has threats for
        kinds.setdefault(t.target_kind, t.target)
    assert {"element", "flow"} <= set(kinds)
    for target in kinds.values():
        scene.select_ids([target])
        expected = {t.id for t in service.threats if t.target == target}
        assert expected, target
        assert set(rows(panel)) == expected
        assert all(i.endswith("@" + target) for i in rows(panel))
    both = [kinds["element"], kinds["flow"]]
    scene.select_ids(both)
    assert set(rows(panel)) == {t.id for t in service.threats if t.target in both}
    scene.clearSelection()
    assert rows(panel) == []


def test_detail_shows_every_part_of_a_threat(host_window, review):
    host_window.scene.select_ids(["dockerd"])
    panel = review.threats_panel
    threat = panel.selected_threats()[0]
    text = panel.detail.toPlainText()
    for part in (
        threat.title,
        threat.category,
        threat.severity.upper(),
        threat.severity_reason,
        "Status",
        "Description",
        "Mitigations",
        threat.mitigations[0],
    ):
        assert part in text, part
    with_refs = next(t for t in review.service.threats if t.references)
    panel.detail.setHtml(threat_html(with_refs))
    assert "References" in panel.detail.toPlainText()
    assert with_refs.references[0] in panel.detail.toPlainText()


def test_badges_count_open_threats_with_highest_severity(host_window, review):
    item = host_window.scene.element_items["dockerd"]
    threats = review.service.threats_of(["dockerd"])
    count, severity, confirmed = item.badge_state()
    assert count == len(threats)
    assert severity == max(threats, key=lambda t: t.severity_rank).severity
    assert confirmed is False  # no bench evidence yet
    flow_id = next(t.target for t in review.service.threats if t.target_kind == "flow")
    assert review.badges.badge_state(flow_id)[0] > 0
    for boundary_id in host_window.scene.boundary_items:
        shown = review.badges.badge_state(boundary_id)
        assert (shown is not None) == bool(review.service.badge(boundary_id)[0])


def test_triage_in_place_undo_redo_and_badge(host_window, review, qtbot):
    doc = host_window.document
    host_window.scene.select_ids(["dockerd"])
    panel = review.threats_panel
    first = panel.selected_threats()[0]
    panel.triage.set_status("mitigated")
    panel.triage.note.setText("TLS on 2376 since March")
    panel.triage.apply()
    assert doc.model.triage[first.id].status == "mitigated"
    assert review.service.by_id[first.id].status == "mitigated"
    assert review.service.by_id[first.id].note == "TLS on 2376 since March"
    before = len(review.service.threats_of(["dockerd"]))
    assert host_window.scene.element_items["dockerd"].badge_count() == before - 1
    doc.undo_stack.undo()
    assert first.id not in doc.model.triage
    assert review.service.by_id[first.id].status == "open"
    doc.undo_stack.redo()
    assert doc.model.triage[first.id].note == "TLS on 2376 since March"


def test_bulk_triage_is_one_undo_step(host_window, review):
    doc = host_window.document
    host_window.scene.select_ids(["dockerd"])
    panel = review.threats_panel
    panel.tree.selectAll()
    chosen = panel.selected_threats()
    assert len(chosen) > 3
    assert panel.triage.apply_button.text() == f"Apply to {len(chosen)}"
    panel.triage.set_status("accepted")
    panel.triage.apply()
    assert doc.undo_stack.count() == 1
    assert {doc.model.triage[t.id].status for t in chosen} == {"accepted"}
    assert host_window.scene.element_items["dockerd"].badge_state() is None  # none open
    doc.undo_stack.undo()
    assert not any(t.id in doc.model.triage for t in chosen)


def test_triage_persists_through_save_and_open(host_window, review, host_path, qtbot):
    doc = host_window.document
    host_window.scene.select_ids(["dockerd"])
    threat = review.threats_panel.selected_threats()[0]
    review.threats_panel.triage.set_status("transferred")
    review.threats_panel.triage.note.setText("owned by the infra team")
    review.threats_panel.triage.apply()
    save_model(doc.model, host_path)
    reopened = Document(load_model(host_path))
    service = ThreatService(reopened)
    assert reopened.model.triage[threat.id].status == "transferred"
    assert service.by_id[threat.id].status == "transferred"
    assert service.by_id[threat.id].note == "owned by the infra team"


def test_edits_re_derive_but_moves_do_not(host_window, review, settle):
    doc, service = host_window.document, review.service
    before = {t.id for t in service.threats_of(["dockerd"])}
    deltas = []
    service.threatsChanged.connect(deltas.append)
    doc.push(MoveCommand(doc, positions={"dockerd": (900.0, 420.0)}))
    assert deltas == [] and not service.pending
    doc.push(SetPropertyCommand(doc, "dockerd", "userns_remap", True))
    assert not service.pending and len(deltas) == 1  # re-derived at once, in part
    assert not deltas[0].full
    assert [t.id for t in deltas[0].removed] == ["DOCKER-DAEMON-NO-USERNS@dockerd"]
    after = {t.id for t in service.threats_of(["dockerd"])}
    assert before - after == {"DOCKER-DAEMON-NO-USERNS@dockerd"}
    doc.undo_stack.undo()
    settle(service)
    assert {t.id for t in service.threats_of(["dockerd"])} == before


def test_large_models_derive_in_a_worker_thread(qtbot, settle):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from synthetic import make_model

    doc = Document(make_model(300))
    service = ThreatService(doc, sync_limit=100)
    # the window paints before the first derivation of a large model: it runs in the worker
    assert service.threats == [] and service.pending
    with qtbot.waitSignal(service.threatsChanged, timeout=10_000) as first:
        pass
    assert first.args[0].full and len(service.threats) > 300  # a few per element
    threats = list(service.threats)
    flow = doc.model.flows[0]
    doc.push(EditFieldCommand(doc, "flow", flow.id, "encrypted", not flow.encrypted))
    assert service.pending  # a full derivation: in the worker
    doc.undo_stack.undo()  # back before the worker is done: its result is outdated
    settle(service)
    assert [t.id for t in service.threats] == [t.id for t in threats]


def test_the_worker_starts_in_a_turn_of_its_own(qtbot, monkeypatch):
    """What else was due with the derivation (right after the first frame: the overview's
    picture) runs before a thread that holds the interpreter lock is started."""
    import sys
    import threading
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from synthetic import make_model

    doc = Document(make_model(300))
    service = ThreatService(doc, sync_limit=100)
    started: list[str] = []
    start = threading.Thread.start

    def recorded(thread: threading.Thread) -> None:
        started.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", recorded)
    service._run()  # the debounce is over
    assert "stride-derive" not in started and service.pending  # not in this turn
    with qtbot.waitSignal(service.threatsChanged, timeout=10_000) as first:
        pass
    assert started.count("stride-derive") == 1 and first.args[0].full
    # the worker lets go of the service before the test does (a QObject with timers freed in
    # another thread crashes Qt)
    qtbot.waitUntil(lambda: all(t.name != "stride-derive" for t in threading.enumerate()))


def test_large_model_window_paints_first_then_says_when_threats_arrive(qtbot, tmp_path, settle):
    import sys
    from pathlib import Path

    from PySide6.QtCore import QSettings

    from stride_desktop.ui.main_window import MainWindow

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from synthetic import make_model

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, recovery_dir=tmp_path / "rec", model=make_model(300))
    qtbot.addWidget(win)
    service = win.review.service
    assert service.pending and win.statusBar().currentMessage() == "Deriving threats…"
    settle(service)
    assert win.statusBar().currentMessage() == f"{len(service.threats)} threats derived"
    badges = [item.badge_count() for item in win.scene.element_items.values()]
    assert sum(badges) > 0  # the canvas caught up


def test_badges_too_small_to_draw_are_not_painted(host_window, review):
    """Below DOT_LOD a badge is under a pixel or two: Qt skips it instead of painting nothing."""
    from PySide6.QtWidgets import QGraphicsItem

    from stride_desktop.ui import style

    no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    badges = [*review.badges._flow_badges.values(), *review.badges._boundary_badges.values()]
    assert badges
    host_window.view.set_zoom(style.DOT_LOD * 0.8)
    assert all(b.flags() & no_contents for b in badges)
    host_window.view.set_zoom(1.0)
    assert not any(b.flags() & no_contents for b in badges)
    assert all(b.isVisible() == bool(b.state[0]) for b in badges)


def test_a_narrow_list_gives_the_category_column_to_the_title(host_window, review, qtbot):
    """At 1024x700 the list beside the detail is ~390 px: the category (shown in the detail)
    steps aside so the title is not cut after a dozen characters; wider, it comes back."""
    panel = review.threats_panel
    host_window.scene.select_ids(["dockerd"])
    host_window.resize(1024, 700)
    host_window.show()
    qtbot.waitUntil(lambda: panel.tree.isColumnHidden(1))
    host_window.resize(1900, 1000)
    qtbot.waitUntil(lambda: not panel.tree.isColumnHidden(1))


def test_a_service_deleted_while_its_worker_derives_neither_crashes_nor_leaves_gc_paused(qtbot):
    """The window closed while a large model derives: the worker holds no reference that could
    free the service in its thread, and the paused collector is resumed."""
    import gc
    import sys
    import threading
    from pathlib import Path

    from shiboken6 import Shiboken

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from synthetic import make_model

    interval = sys.getswitchinterval()
    doc = Document(make_model(300))
    service = ThreatService(doc, sync_limit=100)
    service._run()  # the debounce is over
    qtbot.waitUntil(lambda: any(t.name == "stride-derive" for t in threading.enumerate()))
    assert not gc.isenabled()  # paused while the worker derives
    Shiboken.delete(service)  # what closing the window does to it
    del service
    qtbot.waitUntil(lambda: all(t.name != "stride-derive" for t in threading.enumerate()))
    qtbot.wait(10)  # a result queued to the deleted service is dropped, not delivered
    assert gc.isenabled() and sys.getswitchinterval() == interval
