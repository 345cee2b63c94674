"""Files through the GUI: save/open round trip, unsaved-changes prompt, recovery, bad files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QFileDialog, QMessageBox

from stride_desktop.io import load_model, model_to_data
from stride_desktop.ui.commands import EditFieldCommand
from stride_desktop.ui.dialogs import ProblemsDialog

MINI = Path(__file__).parent / "data" / "docker-host-mini.yaml"


def edit(window, name="renamed"):
    window.document.push(EditFieldCommand(window.document, "element", "web", "name", name))


def test_title_shows_file_name_and_modified_marker(window):
    assert window.windowTitle().startswith("docker-host-mini.yaml")
    assert not window.isWindowModified()
    edit(window)
    assert window.isWindowModified()
    window.act_undo.trigger()
    assert not window.isWindowModified()


def test_save_as_and_open_round_trip(window, tmp_path, monkeypatch):
    target = tmp_path / "saved.yaml"
    window.scene.add_component("k8s.etcd", QPointF(100, 700))
    edit(window, "frontend")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.act_save_as.trigger()
    assert target.exists() and not window.isWindowModified()
    assert window.document.path == target.resolve()
    saved = model_to_data(window.document.model)
    assert model_to_data(load_model(target)) == saved
    # save again: the previous version is kept as a backup
    edit(window, "frontend-2")
    window.act_save.trigger()
    assert (tmp_path / "saved.yaml.bak").exists()
    window.document.set_model(load_model(MINI))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    window.act_open.trigger()
    assert window.document.model.element("web").name == "frontend-2"
    assert any(e.component == "k8s.etcd" for e in window.document.model.elements)
    assert window.files.recent_files()[0] == str(target.resolve())


def test_unsaved_changes_prompt_cancel_keeps_model(window, prompts, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(MINI.read_text().replace("Docker host (test)", "Other"))
    edit(window)
    prompts["answer"] = "cancel"
    assert window.files.open_path(other) is False
    assert prompts["asked"] == ["docker-host-mini.yaml"]
    assert window.document.model.element("web").name == "renamed"
    prompts["answer"] = "discard"
    assert window.files.open_path(other) is True
    assert window.document.model.name == "Other"


def test_close_prompts_and_can_be_cancelled(window, prompts):
    edit(window)
    prompts["answer"] = "cancel"
    assert window.close() is False
    prompts["answer"] = "discard"
    assert window.close() is True
    assert len(prompts["asked"]) == 2


def test_unsaved_prompt_uses_message_box(window, monkeypatch):
    """The real prompt (not the fixture's stand-in) goes through QMessageBox.warning."""
    from stride_desktop.ui import dialogs

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert dialogs.ask_save_changes(window, "x.yaml") == "cancel"
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert dialogs.ask_save_changes(window, "x.yaml") == "discard"


def test_bad_file_shows_problems_and_leaves_model(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text().replace("boundary: app", "boundary: apq"))
    shown = []
    monkeypatch.setattr(ProblemsDialog, "exec", lambda self: shown.append(self.problems) or 0)
    before = model_to_data(window.document.model)
    assert window.files.open_path(bad) is False
    assert shown and any("apq" in p for p in shown[0])
    assert any("elements[" in p for p in shown[0])  # problems carry their path in the file
    assert model_to_data(window.document.model) == before
    assert window.document.path == MINI


def test_autosave_skips_unmodified_and_clean_close_removes_file(window):
    window.files.autosave()
    assert not window.files.recovery_file.exists()
    edit(window)
    window.files.autosave()
    assert window.files.recovery_file.exists()
    window.files.discard_recovery()
    assert not window.files.recovery_file.exists()


def test_export_png_and_svg(window, tmp_path):
    from stride_desktop.ui.export import export_png, export_svg

    png = export_png(window.scene, tmp_path / "d.png")
    svg = export_svg(window.scene, tmp_path / "d.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text()
    assert "<svg" in text and "nginx" in text


def test_new_from_template_and_blank(window, monkeypatch):
    from stride_desktop.ui import dialogs

    templates = dialogs.template_paths()
    assert templates, "the example models are the templates"
    monkeypatch.setattr(dialogs.NewModelDialog, "exec", lambda self: 1)
    monkeypatch.setattr(dialogs.NewModelDialog, "chosen_template", lambda self: templates[0])
    window.act_new.trigger()
    assert window.document.path is None and window.windowTitle().startswith("Untitled")
    assert window.document.model.elements  # the template's content
    monkeypatch.setattr(dialogs.NewModelDialog, "chosen_template", lambda self: None)
    window.act_new.trigger()
    assert not window.document.model.elements and not window.document.undo_stack.count()


def test_recent_files_menu(window, tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(MINI.read_text())
    window.files.open_path(copy)
    actions = window.recent_menu.actions()
    assert actions and actions[0].text() == "copy.yaml"
    window.files.open_path(MINI)
    assert [a.text() for a in window.recent_menu.actions()][:2] == [
        "docker-host-mini.yaml",
        "copy.yaml",
    ]


def _fifo(path):
    os.mkfifo(path)


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: p.write_text("stride_model: 1\nname: n\nx: " + "9" * 5000), "5,000 digits"),
        (lambda p: p.write_bytes(b"stride_model: 1\nname: a\x1bb\n"), "control character"),
        (
            lambda p: p.write_text(
                "a: &a ["
                + "x, " * 50
                + "x]\n"
                + "".join(
                    f"{n}: &{n} [" + ", ".join([f"*{m}"] * 50) + "]\n"
                    for m, n in zip("abcde", "bcdef")
                )
            ),
            "alias bomb",
        ),
        (lambda p: p.write_text("[" * 10_000), "nesting deeper than"),
        (_fifo, "FIFO"),
    ],
)
def test_hostile_files_show_a_message_and_keep_the_model(
    window, tmp_path, monkeypatch, make, expected
):
    bad = tmp_path / "bad.yaml"
    make(bad)
    shown = []
    monkeypatch.setattr(ProblemsDialog, "exec", lambda self: shown.append(self.problems) or 0)
    before = model_to_data(window.document.model)
    assert window.files.open_path(bad) is False
    assert len(shown) == 1 and len(shown[0]) == 1 and expected in shown[0][0], shown
    assert model_to_data(window.document.model) == before


def test_saving_over_a_read_only_file_shows_why_and_keeps_the_work(window, tmp_path, monkeypatch):
    target = tmp_path / "ro.yaml"
    target.write_text(MINI.read_text())
    target.chmod(0o444)
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: errors.append(text))
    window.document.set_path(target)
    edit(window, "unsaved")
    assert window.files.save() is False
    assert len(errors) == 1 and "read-only" in errors[0]
    assert window.document.is_modified and target.read_text() == MINI.read_text()
