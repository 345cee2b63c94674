"""Element names: wrapping is linear in the name; a huge name draws at once, capped and escaped."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QFontMetricsF

from stride_desktop.io.limits import MAX_NAME_CHARS
from stride_desktop.ui.items.element_item import name_font, wrap_two
from stride_desktop.ui.main_window import MainWindow


def cpu(func) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["ab cd-", "a", " ", "x/", "service"])
def test_wrapping_time_grows_linearly_with_the_name(qtbot, unit):
    fm = QFontMetricsF(name_font())
    small, large = (unit * 4000)[:2000], (unit * 32000)[:16000]
    ratio = cpu(lambda: wrap_two(large, fm)) / max(cpu(lambda: wrap_two(small, fm)), 1e-4)
    assert ratio < 24, f"8x the name took {ratio:.1f}x the time (quadratic would be ~64x)"


def test_a_huge_name_is_drawn_capped_and_its_tooltip_escaped(qtbot, settings, tmp_path, model):
    model.element("web").name = "<b>x</b> " + "n" * (1 << 20)
    window = MainWindow(settings=settings, recovery_dir=tmp_path / "r", model=model)
    qtbot.addWidget(window)
    item = window.scene.element_items["web"]
    _, lines, _ = item.text_layout()
    assert len(lines) == 2 and sum(map(len, lines)) <= MAX_NAME_CHARS + 2
    assert window.grab().width() > 0  # painted without a hang
    assert "<b>x</b>" not in item.toolTip() and "&lt;b&gt;x&lt;/b&gt;" in item.toolTip()


def test_name_fields_accept_only_what_the_loader_opens(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from stride_desktop.io import load_model

    window.scene.select_ids(["web"])
    window.inspector.rebuild()
    field = window.inspector.fields["name"]
    assert field.maxLength() == MAX_NAME_CHARS
    field.clear()
    qtbot.keyClicks(field, "web")
    field.insert("\x1b]0;x\x07")  # pasted: refused whole, as it holds control characters
    field.insert("\u202eevil")  # a bidi override too
    assert field.text() == "web"
    field.selectAll()
    field.insert("n" * (MAX_NAME_CHARS + 50))  # cut at the limit
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.document.model.element("web").name == "n" * MAX_NAME_CHARS
    path = tmp_path / "saved.yaml"
    assert window.files._write(path) and load_model(path).element("web").name == field.text()
