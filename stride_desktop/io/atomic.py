"""Atomic file writes: temporary file in the same folder, flush, fsync, rename.

A reader (or a crash at any instant) sees the old file or the new one, never a part; with
``backup`` the previous version becomes ``NAME.bak`` the same way (hard link, or copy + fsync,
to a temporary name, then rename), so the backup too is always whole. Renames replace a
symbolic link instead of following it: only the file asked for is ever written.

- A symlinked path is saved through to the file it points at (as editors do);
- a folder, device, FIFO or socket, a read-only file, or a link loop is refused with a
  SaveRefusedError (an OSError whose message says why);
- temporaries of a save that was killed (``.NAME.PID.XXXX.tmp``, their process gone) are
  removed by the next save of the same file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

LEGACY_TMP_AGE = 600  # seconds: temporaries named without a pid (older versions) count as stale


class SaveRefusedError(OSError):
    """The target cannot be written safely; ``str(error)`` says why (no errno)."""


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _new_file_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask (mkstemp makes 0o600)."""
    try:  # Linux: read the umask without changing it (another thread may be creating a file)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o077)  # elsewhere it can only be read by setting it (strictly, briefly)
    os.umask(umask)
    return 0o666 & ~umask


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str | None:
    """None for a regular file, else what the path is ("a FIFO (named pipe)", ...)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def resolve_target(path: str | Path) -> tuple[Path, os.stat_result | None]:
    """The file a save of ``path`` writes (symlinks followed) and its status (None when new).
    Raises SaveRefusedError for what must not be replaced."""
    requested = Path(path)
    target = Path(os.path.realpath(requested)) if requested.is_symlink() else requested
    try:
        status: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise SaveRefusedError(f"cannot check {target}: {exc.strerror or exc}") from None
    if status is not None and stat.S_ISLNK(status.st_mode):
        raise SaveRefusedError(f"{requested} is a symbolic link that never reaches a file (a loop)")
    if status is not None and (kind := file_kind(status.st_mode)) is not None:
        raise SaveRefusedError(f"{target} is {kind}, not a regular file; saving there is refused")
    if status is not None and (not status.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise SaveRefusedError(
            f"{target} is read-only; save under another name or make it writable first"
        )
    folder = target.parent
    if not folder.is_dir():
        raise SaveRefusedError(f"the folder {folder} does not exist")
    return target, status


def _stale_temporaries(folder: Path, name: str) -> list[Path]:
    ours = re.compile(rf"^\.{re.escape(name)}\.(?:bak\.)?(\d+)\.[A-Za-z0-9_]+\.tmp$")
    legacy = re.compile(rf"^\.{re.escape(name)}\.[A-Za-z0-9_]{{8}}\.tmp$")
    stale = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(".tmp") or not entry.is_file(follow_symlinks=False):
                continue
            if match := ours.match(entry.name):
                if not pid_alive(int(match.group(1))):
                    stale.append(Path(entry.path))
            elif legacy.match(entry.name):
                with contextlib.suppress(OSError):
                    if time.time() - entry.stat(follow_symlinks=False).st_mtime > LEGACY_TMP_AGE:
                        stale.append(Path(entry.path))
    return stale


def _temporary(folder: Path, name: str, *, kind: str = "") -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{name}.{kind}{os.getpid()}.", suffix=".tmp", dir=folder)


def _fsync_folder(folder: Path) -> None:
    try:  # make the renames themselves durable
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _like(tmp_name: str, status: os.stat_result | None) -> None:
    """Give the new file the old one's mode (and owner, when we may), else the usual mode."""
    if status is None:
        os.chmod(tmp_name, _new_file_mode())
        return
    os.chmod(tmp_name, stat.S_IMODE(status.st_mode))
    if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.chown(tmp_name, status.st_uid, status.st_gid)


def _make_backup(target: Path, status: os.stat_result) -> None:
    """``NAME.bak`` := the current file, atomically (a link or a synced copy, then a rename)."""
    folder, name = target.parent, target.name
    fd, tmp_name = _temporary(folder, name, kind="bak.")
    try:
        os.close(fd)
        os.unlink(tmp_name)  # mkstemp reserved a unique name; link needs it free
        try:
            os.link(target, tmp_name, follow_symlinks=False)
        except OSError:  # no hard links here (FAT, some network file systems): copy
            _copy_synced(target, tmp_name, status)
        os.replace(tmp_name, folder / f"{name}.bak")  # replaces a link named NAME.bak, not its file
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def _copy_synced(source: Path, tmp_name: str, status: os.stat_result) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with open(source, "rb") as src, os.fdopen(os.open(tmp_name, flags, 0o600), "wb") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    _like(tmp_name, status)


def write_atomic(path: str | Path, data: bytes, *, backup: bool = False) -> Path:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never half.

    With ``backup`` the previous version is kept as ``NAME.bak`` (e.g. ``model.yaml.bak``).
    Returns the file written (``path`` with symlinks followed).
    """
    target, status = resolve_target(path)
    folder = target.parent
    for stale in _stale_temporaries(folder, target.name):
        with contextlib.suppress(OSError):
            stale.unlink()
    fd, tmp_name = _temporary(folder, target.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _like(tmp_name, status)
        if backup and status is not None:
            _make_backup(target, status)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(folder)
    return target
