"""Saving never loses or misplaces a byte: links, special and read-only files, killed saves."""

from __future__ import annotations

import os
import random
import select
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stride_desktop.io import (
    ModelError,
    SaveRefusedError,
    dump_model,
    load_model,
    save_model,
    write_atomic,
)
from stride_desktop.model import Element

from .test_model_file import sample_model


def named(name: str):
    model = sample_model()
    model.name = name
    return model


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_symlinked_backup_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    path = tmp_path / "m.yaml"
    save_model(named("one"), path)
    (tmp_path / "m.yaml.bak").symlink_to(victim)
    save_model(named("two"), path)
    assert victim.read_text() == "precious"
    backup = tmp_path / "m.yaml.bak"
    assert not backup.is_symlink() and load_model(backup).name == "one"
    assert load_model(path).name == "two"


def test_a_symlinked_model_is_saved_through_to_its_file(tmp_path: Path) -> None:
    real_folder = tmp_path / "repo"
    real_folder.mkdir()
    real = real_folder / "model.yaml"
    save_model(named("old"), real)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    written = save_model(named("new"), link)
    assert written == real
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_model(real).name == "new"
    assert load_model(real_folder / "model.yaml.bak").name == "old"
    assert not (tmp_path / "link.yaml.bak").exists()


def test_a_dangling_symlink_creates_its_file(tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "new.yaml")
    save_model(named("fresh"), link)
    assert link.is_symlink() and load_model(tmp_path / "new.yaml").name == "fresh"


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: os.mkfifo(p), "FIFO"),
        (lambda p: p.symlink_to("/dev/null"), "character device"),
        (lambda p: p.mkdir(), "folder"),
        (lambda p: (p.symlink_to(p.with_name("b")), p.with_name("b").symlink_to(p)), "loop"),
    ],
)
def test_special_files_are_refused(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "m.yaml"
    make(path)
    with pytest.raises(SaveRefusedError, match=reason):
        save_model(named("x"), path)
    assert temporaries(tmp_path) == []


def test_a_read_only_model_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    save_model(named("kept"), path)
    path.chmod(0o444)
    with pytest.raises(SaveRefusedError, match="read-only"):  # also when running as root
        save_model(named("lost"), path)
    assert load_model(path).name == "kept"
    assert temporaries(tmp_path) == []


def test_stale_temporaries_of_killed_saves_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    save_model(named("one"), path)
    dead = dead_pid()
    stale = [f".m.yaml.{dead}.k3j_x9ab.tmp", f".m.yaml.bak.{dead}.q0q0q0q0.tmp"]
    alive = [f".m.yaml.{os.getppid()}.abcdefgh.tmp", f".other.yaml.{dead}.abcdefgh.tmp"]
    for name in stale + alive:
        (tmp_path / name).write_text("partial")
    legacy = tmp_path / ".m.yaml.abcd1234.tmp"  # an older version's name, an hour old
    legacy.write_text("partial")
    os.utime(legacy, (time.time() - 3600, time.time() - 3600))
    save_model(named("two"), path)
    assert temporaries(tmp_path) == sorted(alive)
    assert load_model(path).name == "two"


def test_backup_without_hard_links_is_a_synced_copy(tmp_path, monkeypatch) -> None:
    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    path = tmp_path / "m.yaml"
    save_model(named("one"), path)
    path.chmod(0o640)
    monkeypatch.setattr(os, "link", no_links)
    save_model(named("two"), path)
    backup = tmp_path / "m.yaml.bak"
    assert load_model(backup).name == "one" and backup.stat().st_mode & 0o777 == 0o640
    assert temporaries(tmp_path) == []


def test_reading_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "m.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ModelError, match="FIFO"):
        load_model(fifo)


def test_a_model_too_large_to_load_is_not_written(tmp_path, monkeypatch) -> None:
    from stride_desktop import io

    path = tmp_path / "m.yaml"
    save_model(named("small"), path)
    monkeypatch.setattr(io, "MAX_NODES", 50)
    with pytest.raises(SaveRefusedError, match="more than 50 are refused when loading"):
        save_model(named("big"), path)
    assert load_model(path).name == "small"


# -- saves killed at random instants --------------------------------------------------------


def _run_save(path: Path, payload: bytes, *, kill_after: float | None) -> bool:
    """Save in a forked child; kill it after ``kill_after`` seconds. True when it was killed."""
    pid = os.fork()
    if pid == 0:  # the child: save and leave at once, never back into pytest
        try:
            write_atomic(path, payload, backup=True)
        finally:
            os._exit(0)
    pidfd = os.pidfd_open(pid)
    try:
        if kill_after is not None:
            finished, _, _ = select.select([pidfd], [], [], kill_after)  # returns when it exits
            if not finished:
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(pidfd)
    return os.WIFSIGNALED(status)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs Linux pidfd_open")
def test_saves_killed_at_random_instants_keep_whole_versions(tmp_path: Path) -> None:
    """Hundreds of saves, each killed at a random instant: the model is always the old or the
    new version and the backup the one before (or the old one), each loading as a whole."""
    path = tmp_path / "m.yaml"
    models = [named(f"version {i}") for i in range(8)]
    for model in models:  # bulk, so that a save takes a while
        model.elements += [
            Element(id=f"e{i}", name=f"e{i}", component="generic.process", description="x" * 19_000)
            for i in range(25)
        ]
    payloads = [dump_model(model).encode() for model in models]
    write_atomic(path, payloads[0], backup=True)
    durations = []
    for _ in range(5):
        start = time.perf_counter()
        _run_save(path, payloads[0], kill_after=None)
        durations.append(time.perf_counter() - start)
    window = statistics.median(durations) * 1.5
    rng = random.Random(12)
    version = backup = 0
    seen: set[tuple[str, bool]] = set()
    wanted = {("old", True), ("new", True)}  # kills that landed before and after the rename
    trials = 0
    # At least 300 trials; more (up to 2,000) until a kill has landed on each side of the rename:
    # on a loaded machine the instants shift, and the short window after the rename is hit later.
    while trials < 300 or (not wanted <= seen and trials < 2_000):
        trials += 1
        new = (version + 1) % len(payloads)
        killed = _run_save(path, payloads[new], kill_after=rng.uniform(0, window))
        now = payloads.index(path.read_bytes())  # ValueError: a partial file
        kept = payloads.index((tmp_path / "m.yaml.bak").read_bytes())
        assert now in (version, new)
        assert kept == version if now == new else kept in (backup, version)
        seen.add(("new" if now == new else "old", killed))
        version, backup = now, kept
    assert load_model(path).name == f"version {version}"
    assert load_model(tmp_path / "m.yaml.bak").name == f"version {backup}"
    assert wanted <= seen, seen
    write_atomic(path, payloads[0], backup=True)  # the next save clears what the kills left
    assert temporaries(tmp_path) == []
