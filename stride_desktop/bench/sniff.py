"""Read the bytes safely and tell the tool and format by the content's shape (§4 "Format sniffing")."""

from __future__ import annotations

import re

from ..io.limits import MAX_BENCH_BYTES
from .budget import check_input, json_decoder
from .errors import BenchError, UnsupportedToolError

MAX_BYTES = MAX_BENCH_BYTES

DBS_JSON = "dbs-json"
DBS_TEXT = "dbs-text"
KB_JSON = "kb-json"
KB_JUNIT = "kb-junit"
KB_TEXT = "kb-text"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_DBS_LINE = re.compile(r"^\[(PASS|WARN|INFO|NOTE)\]\s+(?:C\.)?\d+(?:\.\d+)*\s+-\s", re.M)
_KB_LINE = re.compile(r"^\[(PASS|FAIL|WARN|INFO)\]\s+(?:\d+(?:\.\d+)*[a-z]?|V-\d+)\s+\S", re.M)
_KB_SUMMARY = re.compile(r"^== (Summary|Remediations)\b", re.M)
_JSON_LINE = re.compile(r"^[ \t]*[\[{]", re.M)


def decode(data: bytes, *, source: str) -> str:
    """Bytes -> text; empty, binary and huge inputs are errors naming the file."""
    if len(data) > MAX_BYTES:
        raise BenchError(
            f"file too large ({len(data)} bytes; the limit is {MAX_BYTES} bytes)", file=source
        )
    if not data.strip():
        raise BenchError("file is empty", file=source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise BenchError("binary file (not a text output)", file=source) from None
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.1:
        raise BenchError(
            "binary file (not a text output of docker-bench-security or kube-bench)", file=source
        )
    text = data.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")


def _control_ratio(head: bytes) -> float:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 27))
    return controls / max(len(head), 1)


def detect_format(text: str, *, source: str) -> str:
    """The format name; raises BenchError when it is none of the supported ones."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if re.search(r"<testsuites?\b", stripped[:4096]):
            return KB_JUNIT
        raise BenchError("XML that is not a kube-bench JUnit report (no <testsuite>)", file=source)
    first = _ANSI.sub("", stripped[:200]).lstrip()
    if re.match(r"\[(PASS|FAIL|WARN|INFO|NOTE)\]", first):
        return _sniff_text(text, source=source)
    if stripped.startswith(("{", "[")) or (_JSON_LINE.search(text) and not _looks_text(text)):
        return _sniff_json(text, source=source)
    return _sniff_text(text, source=source)


def _looks_text(text: str) -> bool:
    clean = _ANSI.sub("", text[:200_000])
    return bool(_DBS_LINE.search(clean) or _KB_LINE.search(clean))


def _sniff_json(text: str, *, source: str) -> str:
    start = _JSON_LINE.search(text)
    body = text[start.start() :] if start else text
    head = body[:65536]
    if re.search(r'"dockerbenchsecurity"\s*:', head) or re.match(
        r'\s*\{\s*"start"\s*:\s*\d+\s*,\s*"[\d.]+"\s*:', head
    ):
        return DBS_JSON
    if re.search(r'"(Controls|node_type|test_number|total_pass)"\s*:', head) or re.search(
        r'"Groups"\s*:', head
    ):
        return KB_JSON
    if re.search(r'"SchemaVersion"\s*:|"summaryDetails"\s*:|"ClusterName"\s*:', head):
        raise UnsupportedToolError(
            "Trivy or kubescape JSON: not supported yet (only docker-bench-security "
            "and kube-bench outputs are)",
            file=source,
        )
    check_input(body, KB_JSON, source=source)  # the decoder below builds what the text asks
    try:
        json_decoder().decode(body)
    except (ValueError, RecursionError):
        raise BenchError(
            "not a docker-bench-security or kube-bench output (unrecognised, invalid JSON)",
            file=source,
        ) from None
    raise BenchError("JSON that is not a docker-bench-security or kube-bench output", file=source)


def _sniff_text(text: str, *, source: str) -> str:
    clean = _ANSI.sub("", text)
    has_fail = re.search(r"^\[FAIL\]", clean, re.M) is not None
    kube_lines = _KB_LINE.search(clean) is not None
    if (has_fail or _KB_SUMMARY.search(clean)) and kube_lines:
        headers = re.findall(r"^\[INFO\]\s+\S+\s+(.*)$", clean[:100_000], re.M)[:20]
        if any("cis docker" in h.lower() for h in headers):
            raise UnsupportedToolError(
                "this is aquasecurity/docker-bench output (kube-bench-style text about CIS Docker), "
                "not docker-bench-security; it is not supported",
                file=source,
            )
        return KB_TEXT
    if _DBS_LINE.search(clean) or (
        re.search(r"^Initializing ", clean, re.M)
        and re.search(r"^\[(PASS|WARN|INFO|NOTE)\]", clean, re.M)
    ):
        return DBS_TEXT
    if kube_lines:
        return KB_TEXT
    raise BenchError(
        "not a docker-bench-security or kube-bench output (no check lines found)", file=source
    )
