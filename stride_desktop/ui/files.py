"""Files: new, open, save, save as, recent files, autosave to a recovery file and recovery."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..io import IoError, ModelError, dump_model, load_model, loads_model, save_model
from ..model import Model
from .dialogs import NewModelDialog, ProblemsDialog, ask_save_changes
from .document import Document

MAX_RECENT = 10
AUTOSAVE_MS = 60_000
FILTER = "STRIDE models (*.yaml *.yml);;All files (*)"


def default_recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".stride-desktop") / "recovery"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
        self.recovery_dir.mkdir(parents=True, exist_ok=True)
        self.recovery_file.write_text(dump_model(self.document.model), encoding="utf-8")
        meta = {"path": str(self.document.path or ""), "saved_at": time.time()}
        self.recovery_file.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")

    def discard_recovery(self) -> None:
        for file in (self.recovery_file, self.recovery_file.with_suffix(".json")):
            file.unlink(missing_ok=True)

    def stale_recoveries(self) -> list[Path]:
        """Recovery files left by editors that are no longer running (a crash), newest first."""
        if not self.recovery_dir.is_dir():
            return []
        found = []
        for file in self.recovery_dir.glob("recovery-*.yaml"):
            try:
                pid = int(file.stem.removeprefix("recovery-"))
            except ValueError:
                continue
            if not _pid_alive(pid):
                found.append(file)
        return sorted(found, key=lambda f: f.stat().st_mtime, reverse=True)

    def offer_recovery(self) -> bool:
        """Ask to recover the newest crash leftover; True when a model was recovered."""
        stale = self.stale_recoveries()
        if not stale:
            return False
        newest = stale[0]
        meta_file = newest.with_suffix(".json")
        meta = json.loads(meta_file.read_text("utf-8")) if meta_file.exists() else {}
        when = time.strftime(
            "%Y-%m-%d %H:%M", time.localtime(meta.get("saved_at", newest.stat().st_mtime))
        )
        original = meta.get("path") or "an unsaved model"
        answer = QMessageBox.question(
            self.window,
            "Recover unsaved changes",
            f"STRIDE Desktop did not close normally. Recover the changes to {original} "
            f"autosaved at {when}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        recovered = False
        if answer == QMessageBox.StandardButton.Yes:
            try:
                model = loads_model(
                    newest.read_text("utf-8"), source=str(newest), catalog=self.document.catalog
                )
            except ModelError as exc:
                self.show_problems(str(newest), exc.problems)
            else:
                self.document.set_model(model, path=meta.get("path") or None, modified=True)
                recovered = True
        for file in stale:
            file.unlink(missing_ok=True)
            file.with_suffix(".json").unlink(missing_ok=True)
        return recovered
