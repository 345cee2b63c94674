"""Bad input is rejected cleanly: a BenchError naming the file and why, never a traceback."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stride_desktop.bench import MAX_BYTES, BenchError, parse_bench_bytes, parse_bench_file


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"hello world\nthis is a README\n", "not a docker-bench-security or kube-bench output"),
        (
            b'{"name": "package.json", "version": "1.0.0"}',
            "not a docker-bench-security or kube-bench output",
        ),
        (b'{"SchemaVersion": 2, "Results": []}', "Trivy"),
        (b'{"dockerbenchsecurity": "1.6.0", "start": 1, "tes', "beyond recovery"),
        (b'{"Controls": [', "invalid or truncated JSON"),
        (b"[1, 2, 3]", "not a docker-bench-security or kube-bench output"),
    ],
)
def test_bad_bytes(data, why):
    with pytest.raises(BenchError) as info:
        parse_bench_bytes(data, source_name="input.bin")
    assert why in str(info.value)
    assert str(info.value).startswith("input.bin")


def test_missing_file(tmp_path):
    with pytest.raises(BenchError, match="cannot read"):
        parse_bench_file(tmp_path / "nope.json")


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:  # sparse: no disk used
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(BenchError, match="too large") as info:
        parse_bench_file(path)
    assert info.value.file == str(path)


def test_huge_bytes_are_refused(monkeypatch):
    monkeypatch.setattr("stride_desktop.bench.sniff.MAX_BYTES", 1000)
    with pytest.raises(BenchError, match="too large"):
        parse_bench_bytes(b'{"Controls": []}' + b" " * 1000, source_name="big.json")


def test_run_selection_on_a_single_run_format(fixture):
    with pytest.raises(BenchError, match="holds one run"):
        parse_bench_file(fixture("kube-bench-cis-1.23.json"), run=2)


def test_utf8_bom_and_crlf(fixture):
    data = fixture("kube-bench-cis-text.txt").read_bytes()
    plain = parse_bench_bytes(data, source_name="a.txt")
    bom = parse_bench_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), source_name="b.txt")
    assert bom.raw_counts == plain.raw_counts


def test_deeply_nested_json():
    data = b'{"Controls": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(BenchError):
        parse_bench_bytes(data, source_name="deep.json")


def _fuzz_once(data: bytes) -> None:
    try:
        parse_bench_bytes(data, source_name="fuzz")
    except BenchError as exc:
        assert "internal error" not in str(exc), str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes(data):
    _fuzz_once(data)


_LINES = st.sampled_from(
    [
        "Initializing 2023-09-29T12:05:07+03:00",
        "Section B - Remediation measures",
        "Section C - Score",
        "[INFO] 1 - Host Configuration",
        "[WARN] 1.1.1 - Ensure x (Automated)",
        "[INFO]   * Users: a",
        "[INFO] * [a b",
        "[PASS] 4.1.1 Ensure y (Automated)",
        "[FAIL] 4.1.2 z",
        "[INFO] 4 Worker Node",
        "== Remediations node ==",
        "== Summary node ==",
        "3 checks PASS",
        "4.1.2 audit test did not run: x",
        "[INFO] Checks: 3",
        '{"dockerbenchsecurity": "1", "tests": [',
        '{"id": "1.1", "desc": "a", "result": "WARN",',
        '"items": ["[x", "y]"]}',
        "]}",
        '{"Controls": [{"node_type": "node", "tests": [{"results": [',
        '{"test_number": "1", "status": "FAIL"}',
        "<testsuite name='a'>",
        "<testcase name='1.1 x'/>",
        "",
        "\x1b[1;31m",
        "]",
        "}",
        "\u00e9\u00e8",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_LINES | st.text(max_size=40), max_size=30))
def test_fuzz_bench_shaped_text(lines):
    _fuzz_once("\n".join(lines).encode("utf-8"))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "Controls",
                        "Totals",
                        "tests",
                        "results",
                        "id",
                        "status",
                        "dockerbenchsecurity",
                        "result",
                        "items",
                        "node_type",
                        "test_number",
                        "desc",
                        "Groups",
                        "Checks",
                        "total_pass",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=30,
    )
)
def test_fuzz_json_structures(value):
    _fuzz_once(json.dumps(value).encode())


@pytest.mark.parametrize("cut", [0.1, 0.33, 0.5, 0.9, 0.999])
@pytest.mark.parametrize(
    "name",
    [
        "docker-bench-1.6.0.log.json",
        "docker-bench-1.6.0.log",
        "kube-bench-cis-1.23.json",
        "kube-bench-cis-text.txt",
    ],
)
def test_truncated_fixtures_never_crash(fixture, name, cut):
    data = fixture(name).read_bytes()
    _fuzz_once(data[: int(len(data) * cut)])
