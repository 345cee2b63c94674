"""``stride-desktop validate``: OK or every problem, exit codes 0 / 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stride_desktop.cli import main

GOOD = "stride_model: 1\nname: m\nelements:\n  - {id: a, component: generic.process}\n"
BAD = "stride_model: 1\nname: m\nflows:\n  - {id: f, source: a, target: dockrd}\n"


def test_ok_and_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD)
    bad.write_text(BAD)
    assert main(["validate", str(good)]) == 0
    assert "good.yaml: OK (1 elements" in capsys.readouterr().out
    assert main(["validate", str(good), str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert f"{bad}: flows[0].source: unknown element 'a'" in err
    assert f"{bad}: flows[0].target: unknown element 'dockrd'" in err


def test_missing_file_is_one_line_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stride_desktop", "validate", str(tmp_path / "nope.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "nope.yaml" in result.stderr and "cannot read" in result.stderr


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
