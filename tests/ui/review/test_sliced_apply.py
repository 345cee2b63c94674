"""A large model's threats reach the canvas and the table a slice per event-loop turn, all of them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from synthetic import make_model


@pytest.fixture
def large_window(qtbot, tmp_path, monkeypatch, prompts):
    """300 elements treated as a large model: every limit that picks slicing lowered."""
    from stride_desktop.ui.main_window import MainWindow
    from stride_desktop.ui.review import badges, threat_table

    monkeypatch.setattr(badges, "SLICE_ABOVE", 10)
    monkeypatch.setattr(threat_table, "INCREMENTAL_LIMIT", 100)
    monkeypatch.setattr(threat_table, "FEED_ABOVE", 50)
    monkeypatch.setattr(threat_table, "FEED_CHUNK", 40)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, recovery_dir=tmp_path / "rec", model=make_model(300))
    qtbot.addWidget(win, before_close_func=lambda w: w.document.mark_saved())
    review = win.review
    review.badges._slices.budget = 0  # a few items per turn, whatever the machine
    review.all_threats_panel.table_model._feed.budget = 0  # a chunk per turn
    return win


def test_sliced_badges_and_rows_all_arrive(large_window, qtbot):
    win = large_window
    service, badges = win.review.service, win.review.badges
    table = win.review.all_threats_panel.table_model
    with qtbot.waitSignal(service.threatsChanged, timeout=10_000):
        pass
    assert service.applying  # the delta is being applied, a slice per turn
    assert table.rowCount() < len(service.threats)
    qtbot.waitUntil(lambda: not service.applying, timeout=10_000)
    assert badges._slices.turns > 1 and table._feed.turns > 1
    scene = win.scene
    for eid, item in scene.element_items.items():
        count, severity, confirmed = service.badge(eid)
        assert item.badge_state() == ((count, severity, confirmed) if count else None), eid
    for obj_id in [*scene.flow_items, *scene.boundary_items]:
        state = service.badge(obj_id)
        assert badges.badge_state(obj_id) == (state if state[0] else None), obj_id
    assert sorted(t.id for t in table.rows) == sorted(t.id for t in service.threats)
    keys = [table._keys[t.id] for t in table.rows]
    assert keys == sorted(keys, reverse=True)  # in the table's order (severity, descending)


def test_an_edit_while_rows_arrive_finds_every_row(large_window, qtbot):
    """A partial delta during the feed: the rest of the rows come first, then the edit."""
    from stride_desktop.ui.commands import SetPropertyCommand

    win = large_window
    service, doc = win.review.service, win.document
    table = win.review.all_threats_panel.table_model
    with qtbot.waitSignal(service.threatsChanged, timeout=10_000):
        pass
    assert table.filling
    element = next(e for e in doc.model.elements if e.component == "docker.container")
    doc.push(
        SetPropertyCommand(doc, element.id, "privileged", not element.properties.get("privileged"))
    )
    qtbot.waitUntil(lambda: not service.pending and not service.applying, timeout=10_000)
    assert [t.id for t in table.rows] == [
        t.id for t in sorted(service.threats, key=lambda t: table._keys[t.id], reverse=True)
    ]
    assert all(table.rows[i] is service.by_id[t.id] for i, t in enumerate(table.rows))


def test_slower_listeners_follow_in_turns_of_their_own(large_window, qtbot):
    """The turn a large model's threats arrive in is not also the one that ranks the hardening
    actions and counts the untriaged threats: those follow, and both arrive."""
    win = large_window
    review = win.review
    service, hardening, navigator = review.service, review.hardening_panel, review.navigator
    ranked: list[int] = []
    rank = hardening.refresh
    hardening.refresh = lambda: (ranked.append(len(service.threats)), rank())  # type: ignore[method-assign]
    seen = []

    def arrived(_delta: object) -> None:  # (connected after the panels: runs after theirs)
        seen.append((list(ranked), navigator.count_button.text()))

    service.threatsChanged.connect(arrived)
    with qtbot.waitSignal(service.threatsChanged, timeout=10_000):
        pass
    assert seen == [([], "no threats")] and service.applying
    qtbot.waitUntil(lambda: not service.applying, timeout=10_000)
    assert ranked == [len(service.threats)]
    assert navigator.count_button.text() == (
        f"{len(navigator.untriaged())} of {len(service.threats)} untriaged"
    )
