"""kube-bench plain text (real fixture) and JUnit XML (no real sample exists: built from the real
JSON fixture following the layout of bench-formats.md §2.5 / kube-bench's check/controls.go)."""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

import pytest

from stride_desktop.bench import (
    BenchError,
    UnsupportedToolError,
    parse_bench_bytes,
    parse_bench_file,
)


def test_text_counts_equal_its_summary(fixture):
    path = fixture("kube-bench-cis-text.txt")
    text = path.read_text()
    total = text[text.index("== Summary total ==") :]
    stated = {
        m.group(2).lower(): int(m.group(1))
        for m in re.finditer(r"^(\d+) checks (\w+)$", total, re.M)
    }
    result = parse_bench_file(path)
    assert result.run.format == "kb-text"
    for key, value in stated.items():
        assert result.raw_counts.get(key, 0) == value == result.tool_totals[key]
    assert not result.warnings


def test_text_blocks_headers_and_remediations(fixture):
    result = parse_bench_file(fixture("kube-bench-cis-text.txt"))
    by_id = {f.check_id: f for f in result.findings}
    assert (
        "1" not in by_id and "1.1" not in by_id and "2" not in by_id
    )  # headers, also etcd's "2" twice
    assert (
        by_id["2.1"].group_title == "Etcd Node Configuration Files"
        and by_id["2.1"].component == "etcd"
    )
    assert by_id["1.1.9"].remediation.startswith("Run the below command")
    assert "chmod 644 <path/to/cni/files>" in by_id["1.1.9"].remediation
    assert "1.1.10" not in by_id["1.1.9"].remediation  # entries stop at the next id
    assert (
        by_id["4.2.6"].remediation.endswith("For example:")
        or "kubelet" in by_id["4.2.6"].remediation
    )
    assert by_id["4.1.3"].component == "kube-proxy" and by_id["4.2.1"].component == "kubelet"
    assert by_id["1.1.1"].remediation == ""  # PASS checks have none
    assert by_id["3.1.1"].status == "manual"


def test_old_text_layout_with_failed_audit():
    """<= v0.4: '== Remediations ==' / '== Summary ==' without node type; 'audit test did not run'."""
    text = "\n".join(
        [
            "[INFO] 4 Worker Node Security Configuration",
            "[INFO] 4.2 Kubelet",
            "[FAIL] 4.2.1 Ensure that the --anonymous-auth argument is set to false (Scored)",
            "[WARN] 4.2.2 Ensure that the --authorization-mode argument is not set to AlwaysAllow (Scored)",
            "[PASS] 4.2.3 Ensure that the --client-ca-file argument is set as appropriate (Scored)",
            "",
            "== Remediations ==",
            "4.2.1 If using a Kubelet config file, edit the file to set authentication: anonymous: enabled to",
            "false.",
            "",
            '4.2.2 audit test did not run: failed to run: "/bin/ps -fC kubelet", output: "", error: exit status 1',
            "",
            "== Summary ==",
            "1 checks PASS",
            "1 checks FAIL",
            "1 checks WARN",
            "0 checks INFO",
            "",
        ]
    )
    result = parse_bench_bytes(text.encode(), source_name="old.txt")
    f1, f2, f3 = result.findings
    assert (f1.status, f1.severity, f1.component) == ("fail", "high", "kubelet")
    assert f1.remediation.endswith("enabled to\nfalse.")
    assert f2.status == "error" and f2.evidence["reason"].startswith("failed to run")
    assert f3.status == "pass"
    assert result.tool_totals == {"pass": 1, "fail": 1, "warn": 1, "info": 0}


def test_coloured_text_with_prompt_and_glog_lines():
    text = (
        "vagrant@master-k8s:~$ kubectl logs kube-bench-abcde\n"
        "I0907 22:28:23.580054   12345 util.go:96] Using kubelet\n"
        "\x1b[0;34m[INFO]\x1b[0m 4 Worker Node Security Configuration\n"
        "\x1b[0;34m[INFO]\x1b[0m 4.2 Kubelet\n"
        "\x1b[0;31m[FAIL]\x1b[0m 4.2.4 Ensure that the --read-only-port argument is set to 0 (Manual)\n"
        "\x1b[0;32m[PASS]\x1b[0m 4.2.5 Ensure that the --streaming-connection-idle-timeout is not 0 (Manual)\n"
    )
    result = parse_bench_bytes(text.encode(), source_name="tty.txt")
    assert [f.check_id for f in result.findings] == ["4.2.4", "4.2.5"]
    assert result.findings[0].severity == "high"


def test_aquasecurity_docker_bench_is_told_apart():
    text = (
        "[INFO] 1 Host Configuration\n[INFO] 18.09 CIS Docker Community Edition Benchmark\n"
        "[FAIL] 1.2.1 Ensure a separate partition for containers has been created (Scored)\n"
        "[PASS] 1.2.2 Ensure only trusted users are allowed to control Docker daemon (Scored)\n"
        "\n== Summary ==\n1 checks PASS\n1 checks FAIL\n0 checks WARN\n0 checks INFO\n"
    )
    with pytest.raises(UnsupportedToolError, match="aquasecurity/docker-bench") as info:
        parse_bench_bytes(text.encode(), source_name="aqua.txt")
    assert "aqua.txt" in str(info.value)


def _junit(doc, *, root: bool = True, system_out: bool = True) -> str:
    suites = []
    for ctrl in doc["Controls"]:
        cases = []
        checks = [(g, r) for g in ctrl["tests"] for r in g["results"]]
        fails = sum(1 for _, r in checks if r["status"] == "FAIL")
        for group, check in checks:
            body = ""
            if check["status"] == "FAIL":
                body += f'<failure type="">{escape(check["remediation"])}</failure>'
            elif check["status"] in ("WARN", "INFO"):
                body += "<skipped></skipped>"
            if system_out:
                body += f"<system-out>{escape(json.dumps(check), {chr(34): '&#34;'})}</system-out>"
            name = quoteattr(f"{check['test_number']} {check['test_desc']}")
            cases.append(
                f'    <testcase name={name} classname={quoteattr(group["desc"])} time="0">{body}</testcase>'
            )
        suites.append(
            f'<testsuite name={quoteattr(ctrl["text"])} tests="{len(checks)}" failures="{fails}" '
            f'errors="0" time="0">\n' + "\n".join(cases) + "\n</testsuite>"
        )
    xml = "\n".join(suites)
    return f"<testsuites>\n{xml}\n</testsuites>\n" if root else xml


@pytest.mark.parametrize("root", [True, False], ids=["testsuites", "concatenated-pre-0.6.4"])
def test_junit_round_trips_the_json(fixture, fixture_json, root):
    doc = fixture_json("kube-bench-cis-1.23.json")
    from_json = parse_bench_file(fixture("kube-bench-cis-1.23.json"))
    result = parse_bench_bytes(_junit(doc, root=root).encode(), source_name="kb.xml")
    assert result.run.format == "kb-junit"
    for key in ("pass", "fail", "warn", "info"):
        assert result.raw_counts.get(key, 0) == doc["Totals"][f"total_{key}"]
    assert result.tool_totals["fail"] == doc["Totals"]["total_fail"]
    assert [(f.key, f.status, f.component) for f in result.findings] == [
        (f.key, f.status, f.component) for f in from_json.findings
    ]
    assert not result.warnings


def test_junit_without_system_out_falls_back_to_names(fixture_json):
    doc = fixture_json("kube-bench-cis-1.23.json")
    result = parse_bench_bytes(_junit(doc, system_out=False).encode(), source_name="kb.xml")
    assert result.raw_counts["fail"] == doc["Totals"]["total_fail"]
    assert result.raw_counts["pass"] == doc["Totals"]["total_pass"]
    assert not any(f.title.endswith("(Automated)") for f in result.findings)


def test_junit_refuses_entities_and_broken_xml():
    with pytest.raises(BenchError, match="DOCTYPE"):
        parse_bench_bytes(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><testsuites/>', source_name="x.xml"
        )
    with pytest.raises(BenchError, match=r"x\.xml"):
        parse_bench_bytes(
            b'<testsuites><testsuite name="a"><testcase name="1.1 x">', source_name="x.xml"
        )
    with pytest.raises(BenchError, match="not a kube-bench JUnit"):
        parse_bench_bytes(b"<html><body>hello</body></html>", source_name="x.html")
