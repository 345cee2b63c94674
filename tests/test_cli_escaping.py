"""Terminal escape sequences from a model or a bench file never reach the terminal raw."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from stride_desktop.cli import main
from stride_desktop.cli.terminal import escape

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_LINK = "\x1b]8;;https://evil.invalid\x1b\\click\x1b]8;;\x1b\\"
CSI = "\x9b2J"  # C1 "clear screen"
HOSTILE = OSC_TITLE + OSC_LINK + CSI + "\r\u202e"

MODEL = f"""\
stride_model: 1
name: "m"
boundaries:
  - {{id: host, name: Host, trust: 2}}
elements:
  - {{id: web, name: web, component: docker.container, boundary: host,
     description: {json.dumps(HOSTILE)}}}
  - {{id: d, name: Docker daemon, component: docker.daemon, boundary: host}}
flows:
  - {{id: f1, source: web, target: d, name: api, description: {json.dumps(HOSTILE)}}}
triage:
  {json.dumps("X@web" + HOSTILE)}: {{status: open, note: {json.dumps(HOSTILE)}}}
"""


def assert_clean(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\x9b\r\u202e"), repr(text[:300])


def test_escape_is_visible_and_keeps_layout() -> None:
    assert escape("a\tb\nc\x1b[1m\x9b\u202e") == "a\tb\nc\\u001b[1m\\u009b\\u202e"


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_threats_output_is_escaped(tmp_path, capsys, fmt) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    assert main(["threats", str(path), "--format", fmt]) == 0
    out, err = capsys.readouterr()
    assert_clean(out + err)
    if fmt == "json":
        data = json.loads(out)  # still valid JSON, and the escape is the same character
        assert data["stale_triage"] == [
            {"id": "X@web" + HOSTILE, "status": "open", "note": HOSTILE}
        ]


def test_bench_output_is_escaped(tmp_path, capsys) -> None:
    log = tmp_path / "bench.log"
    log.write_text(
        "Initializing 2023-09-29\n\nSection A - Check results\n\n"
        f"[WARN] 5.7 - Ensure privileged ports are not mapped {OSC_TITLE} (Automated)\n"
        f"[WARN]      * Privileged Port in use: web{OSC_LINK}:80\n"
    )
    for fmt in ("table", "json"):
        assert main(["bench", str(log), "--format", fmt]) == 0
        out, err = capsys.readouterr()
        assert_clean(out + err)
    assert "\\u001b]0;pwned\\u0007" in out  # visible, as the JSON escape of the same text


def test_messages_about_bad_files_are_escaped(tmp_path, capsys) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "stride_model: 1\nname: m\n"
        f"{json.dumps('colour' + OSC_TITLE)}: 1\n"
        f"elements:\n  - {{id: a, component: {json.dumps('x' + OSC_TITLE)}}}\n"
    )
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert_clean(out + err)
    assert err.count("\n") == 2  # one line per problem
    assert main(["validate", f"no{OSC_TITLE}such.yaml"]) == 2
    assert_clean("".join(capsys.readouterr()))


def test_a_real_terminal_process_gets_no_escape_sequence(tmp_path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    result = subprocess.run(
        [sys.executable, "-m", "stride_desktop", "threats", str(path)],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert not any(b in result.stdout + result.stderr for b in (b"\x1b", b"\x07", b"\xc2\x9b"))
