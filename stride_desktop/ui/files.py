"""Files: new, open, save, save as, recent files, autosave to a recovery file and recovery.

Autosave writes ``recovery-PID.yaml`` (and its ``.json`` note: the model's path and the time)
atomically, like a save. At start, every recovery file whose editor is no longer running is a
crashed session: each is offered in turn (Recover / Discard / Later) and only the person's
answer removes one; a recovered session's file becomes this editor's own, so the work stays
protected until it is saved. A file that cannot be read is set aside as
``damaged-recovery-PID-TIME.yaml`` with a message, never a crash.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..io import IoError, ModelError, dump_model, load_model, save_model, write_atomic
from ..io.atomic import pid_alive
from ..model import Model
from .dialogs import NewModelDialog, ProblemsDialog, ask_save_changes
from .document import Document

MAX_RECENT = 10
AUTOSAVE_MS = 60_000
FILTER = "STRIDE models (*.yaml *.yml);;All files (*)"


def default_recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".stride-desktop") / "recovery"


@dataclass
class CrashedSession:
    """The autosave of an editor that did not close normally."""

    file: Path  # recovery-PID.yaml
    original: str  # the model's path when it was autosaved ("" when never saved)
    saved_at: float

    @property
    def note(self) -> Path:
        return self.file.with_suffix(".json")


def ask_recovery(parent: QWidget, session: CrashedSession, *, can_open: bool) -> str:
    """ "open", "discard" or "later" (also when the box is closed)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(session.saved_at))
    what = f"the changes to {session.original}" if session.original else "an unsaved model"
    text = f"STRIDE Desktop did not close normally. Recover {what}, autosaved at {when}?"
    if not can_open:
        text = (
            f"Another session did not close normally: {what}, autosaved at {when}. "
            "Keep it to recover at the next start, or discard it?"
        )
    box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved changes", text, parent=parent)
    buttons = {}
    if can_open:
        buttons["open"] = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
    buttons["discard"] = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    buttons["later"] = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(buttons.get("open", buttons["later"]))
    box.setEscapeButton(buttons["later"])
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return next((answer for answer, button in buttons.items() if button is clicked), "later")


class FileController(QObject):
    recentChanged = Signal(list)

    def __init__(
        self,
        window: QWidget,
        document: Document,
        *,
        settings: QSettings,
        recovery_dir: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.document, self.settings = window, document, settings
        self.recovery_dir = recovery_dir or default_recovery_dir()
        self.recovery_file = self.recovery_dir / f"recovery-{os.getpid()}.yaml"
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()

    # -- unsaved changes ------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current model (saved, discarded or unmodified)."""
        if not self.document.is_modified:
            return True
        answer = ask_save_changes(self.window, self.document.display_name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    # -- new / open -----------------------------------------------------------------------
    def new_model(self) -> bool:
        if not self.maybe_save():
            return False
        dialog = NewModelDialog(self.window)
        if not dialog.exec():
            return False
        template = dialog.chosen_template()
        model = Model()
        if template is not None:
            try:
                model = load_model(template, catalog=self.document.catalog)
            except ModelError as exc:
                self.show_problems(str(template), exc.problems)
                return False
        self.document.set_model(model, path=None)
        self.discard_recovery()
        return True

    def open_dialog(self) -> bool:
        if not self.maybe_save():
            return False
        start = str(self.document.path.parent) if self.document.path else ""
        path, _ = QFileDialog.getOpenFileName(self.window, "Open model", start, FILTER)
        return bool(path) and self.open_path(path, ask=False)

    def open_path(self, path: str | Path, *, ask: bool = True) -> bool:
        """Open ``path``; a bad file shows its problems and leaves the current model alone."""
        if ask and not self.maybe_save():
            return False
        try:
            model = load_model(path, catalog=self.document.catalog)
        except ModelError as exc:
            self.show_problems(str(path), exc.problems)
            return False
        except (IoError, OSError) as exc:
            self.show_problems(str(path), [str(exc)])
            return False
        self.document.set_model(model, path=Path(path).resolve())
        self.add_recent(Path(path).resolve())
        self.discard_recovery()
        return True

    def show_problems(self, source: str, problems: list[str]) -> None:
        ProblemsDialog(source, problems, self.window).exec()

    # -- save -----------------------------------------------------------------------------
    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self) -> bool:
        start = str(
            self.document.path or Path.home() / f"{self.document.model.name or 'model'}.yaml"
        )
        path, _ = QFileDialog.getSaveFileName(self.window, "Save model as", start, FILTER)
        if not path:
            return False
        if Path(path).suffix.lower() not in (".yaml", ".yml"):
            path += ".yaml"
        return self._write(Path(path))

    def _write(self, path: Path) -> bool:
        try:
            save_model(self.document.model, path)
        except OSError as exc:
            QMessageBox.critical(self.window, "Cannot save", f"Saving {path} failed:\n{exc}")
            return False
        self.document.set_path(path.resolve())
        self.document.mark_saved()
        self.add_recent(path.resolve())
        self.discard_recovery()
        return True

    # -- recent files ---------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: Path) -> None:
        files = [str(path)] + [f for f in self.recent_files() if f != str(path)]
        self.settings.setValue("recentFiles", files[:MAX_RECENT])
        self.settings.sync()
        self.recentChanged.emit(files[:MAX_RECENT])

    def clear_recent(self) -> None:
        self.settings.setValue("recentFiles", [])
        self.recentChanged.emit([])

    # -- autosave and recovery ------------------------------------------------------------
    def autosave(self) -> None:
        if not self.document.is_modified:
            return
        note = {"path": str(self.document.path or ""), "saved_at": time.time()}
        try:
            self.recovery_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(self.recovery_file.with_suffix(".json"), json.dumps(note).encode())
            write_atomic(self.recovery_file, dump_model(self.document.model).encode("utf-8"))
        except OSError as exc:  # a full disk must not interrupt the person's work
            self._status(f"Autosave failed: {exc.strerror or exc}")

    def _status(self, message: str) -> None:
        status_bar = getattr(self.window, "statusBar", None)
        if status_bar is not None:
            status_bar().showMessage(message, 10_000)

    def discard_recovery(self) -> None:
        for file in (self.recovery_file, self.recovery_file.with_suffix(".json")):
            file.unlink(missing_ok=True)

    def stale_recoveries(self) -> list[CrashedSession]:
        """Sessions left by editors that are no longer running (crashes), newest first."""
        if not self.recovery_dir.is_dir():
            return []
        found = []
        for file in self.recovery_dir.glob("recovery-*.yaml"):
            try:
                pid = int(file.stem.removeprefix("recovery-"))
            except ValueError:
                continue
            if pid_alive(pid):
                continue
            note = _read_note(file.with_suffix(".json"))
            try:
                saved_at = float(note.get("saved_at") or file.stat().st_mtime)
            except (OSError, TypeError, ValueError, OverflowError):
                saved_at = 0.0
            found.append(CrashedSession(file, str(note.get("path") or ""), saved_at))
        return sorted(found, key=lambda s: s.saved_at, reverse=True)

    def offer_recovery(self) -> bool:
        """Offer every crashed session in turn; True when one was recovered into this window."""
        recovered = False
        for session in self.stale_recoveries():
            try:
                model = load_model(session.file, catalog=self.document.catalog)
            except ModelError as exc:
                self._set_aside(session, exc.problems)
                continue
            answer = ask_recovery(self.window, session, can_open=not recovered)
            if answer == "open" and not recovered:
                self.document.set_model(model, path=session.original or None, modified=True)
                self._adopt(session)
                recovered = True
            elif answer == "discard":
                for file in (session.file, session.note):
                    file.unlink(missing_ok=True)
        return recovered

    def _adopt(self, session: CrashedSession) -> None:
        """The recovered session's file becomes ours: protected until saved, offered once."""
        with contextlib.suppress(OSError):
            os.replace(session.note, self.recovery_file.with_suffix(".json"))
        with contextlib.suppress(OSError):
            os.replace(session.file, self.recovery_file)

    def _set_aside(self, session: CrashedSession, problems: list[str]) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        pid = session.file.stem.removeprefix("recovery-")
        aside = session.file.with_name(f"damaged-recovery-{pid}-{stamp}.yaml")
        try:
            os.replace(session.file, aside)
            with contextlib.suppress(OSError):
                os.replace(session.note, aside.with_suffix(".json"))
        except OSError as exc:
            aside, problems = session.file, [*problems, f"could not set it aside: {exc}"]
        QMessageBox.warning(
            self.window,
            "Recovery file damaged",
            f"The autosave of a session that did not close normally cannot be read; it was set "
            f"aside as {aside}.\n\n" + "\n".join(problems[:5]),
        )


def _read_note(file: Path) -> dict[str, Any]:
    try:
        note = json.loads(file.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return note if isinstance(note, dict) else {}
