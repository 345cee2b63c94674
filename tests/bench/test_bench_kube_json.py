"""kube-bench JSON: real fixtures ({"Controls","Totals"}, bare array) and the shapes of
bench-formats.md §2.3 for which no real sample exists (concatenated objects, v0.0.x names)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from stride_desktop.bench import parse_bench_bytes, parse_bench_file

WITH_TOTALS = ["kube-bench-cis-1.23.json", "kube-bench-1.6-controls.json"]
ALL = WITH_TOTALS + ["kube-bench-nototals-array.json"]


def _controls(doc):
    return doc["Controls"] if isinstance(doc, dict) else doc


def _checks(doc):
    return [r for c in _controls(doc) for g in c["tests"] for r in g["results"] or []]


@pytest.mark.parametrize("name", WITH_TOTALS)
def test_counts_equal_the_totals(fixture, fixture_json, name):
    totals = fixture_json(name)["Totals"]
    result = parse_bench_file(fixture(name))
    assert result.run.tool == "kube-bench" and result.run.format == "kb-json"
    for key in ("pass", "fail", "warn", "info"):
        assert result.raw_counts.get(key, 0) == totals[f"total_{key}"] == result.tool_totals[key]
    assert result.counts["pass"] == totals["total_pass"]
    assert sum(result.counts.values()) == sum(totals.values())
    assert not any("totals say" in w for w in result.warnings)


@pytest.mark.parametrize("name", ALL)
def test_every_check_once_with_its_status(fixture, fixture_json, name):
    doc = fixture_json(name)
    result = parse_bench_file(fixture(name))
    expected = Counter(r["status"].lower() for r in _checks(doc))
    assert result.raw_counts == dict(sorted(expected.items()))
    assert [f.check_id for f in result.findings] == [r["test_number"] for r in _checks(doc)]
    assert len({f.key for f in result.findings}) == len(result.findings)
    assert result.run.benchmark == _controls(doc)[0]["version"] or "," in result.run.benchmark


def test_bare_array_without_totals_is_checked_against_embedded_totals(fixture, fixture_json):
    """The upstream --nototals fixture is trimmed: its embedded totals disagree; say so."""
    doc = fixture_json("kube-bench-nototals-array.json")
    assert isinstance(doc, list)
    result = parse_bench_file(fixture("kube-bench-nototals-array.json"))
    assert result.tool_totals["pass"] == sum(c["total_pass"] for c in doc)
    assert any("totals say" in w for w in result.warnings)
    assert any("array" in w for w in result.warnings)


def test_status_mapping(fixture, fixture_json):
    doc = fixture_json("kube-bench-1.6-controls.json")
    raw = {r["test_number"]: r for r in _checks(doc)}
    for finding in parse_bench_file(fixture("kube-bench-1.6-controls.json")).findings:
        check = raw[finding.check_id]
        failed = (check.get("reason") or "").startswith("failed to run")
        if check["status"] == "PASS":
            assert finding.status == "pass"
        elif check["status"] == "FAIL":
            assert finding.status == ("error" if failed else "fail")
        elif check["type"] == "manual":
            assert finding.status == "manual"
        else:
            assert finding.status == ("error" if failed else "warn")
        assert finding.remediation == check["remediation"].strip()
        assert not finding.title.endswith(("(Automated)", "(Manual)", "(Scored)", "(Not Scored)"))
    assert any(
        f.status == "error"
        for f in parse_bench_file(fixture("kube-bench-1.6-controls.json")).findings
    )


def test_component_hints(fixture):
    by_id = {f.check_id: f for f in parse_bench_file(fixture("kube-bench-cis-1.23.json")).findings}
    assert by_id["1.1.1"].component == "kube-apiserver"  # pod spec file: keyword rule
    assert by_id["1.1.7"].component == "etcd"
    assert by_id["1.1.9"].component == "cni"
    assert by_id["1.1.13"].component == "control-plane-node"  # admin.conf
    assert by_id["1.2.1"].component == "kube-apiserver"
    assert by_id["2.1"].component == "etcd"
    assert by_id["4.2.1"].component == "kubelet"
    assert by_id["5.1.1"].component == "rbac"


def test_log_lines_before_the_json(fixture):
    data = fixture("kube-bench-cis-1.23.json").read_bytes()
    prefix = (
        b"W0907 22:28:23.580054   12345 util.go:96] Unable to detect kubelet version\n"
        b"I0907 22:28:23.600000   12345 common.go:299] Using benchmark version cis-1.23\n"
    )
    plain = parse_bench_bytes(data, source_name="a.json")
    logged = parse_bench_bytes(
        prefix + data + b"\nsome trailing kubectl text\n", source_name="b.json"
    )
    assert [f.key for f in logged.findings] == [f.key for f in plain.findings]
    assert logged.raw_counts == plain.raw_counts
    assert any("before the JSON" in w for w in logged.warnings)


def test_concatenated_objects_in_any_order(fixture_json):
    """<= v0.3.0 printed one object per target (#622), here in the order 1, 3, 2."""
    controls = _controls(fixture_json("kube-bench-cis-1.23.json"))
    text = "\n".join(json.dumps(controls[i]) for i in (0, 2, 1))
    result = parse_bench_bytes(text.encode(), source_name="concat.json")
    expected = Counter(
        r["status"].lower() for i in (0, 1, 2) for g in controls[i]["tests"] for r in g["results"]
    )
    assert result.raw_counts == dict(sorted(expected.items()))
    assert result.tool_totals["pass"] == sum(controls[i]["total_pass"] for i in (0, 1, 2))
    single = parse_bench_bytes(json.dumps(controls[3]).encode(), source_name="one.json")
    assert {f.component for f in single.findings} >= {"kubelet"}


def test_ids_stay_strings():
    doc = [
        {
            "id": "6",
            "version": "gke-1.0",
            "text": "Managed Services",
            "node_type": "managedservices",
            "tests": [
                {
                    "section": "6.1",
                    "desc": "Image Registry and Image Scanning",
                    "results": [
                        {
                            "test_number": "6.1",
                            "test_desc": "a (Manual)",
                            "status": "WARN",
                            "type": "manual",
                        },
                        {
                            "test_number": "6.10",
                            "test_desc": "b (Automated)",
                            "status": "FAIL",
                            "type": "",
                        },
                    ],
                }
            ],
        }
    ]
    result = parse_bench_bytes(json.dumps(doc).encode(), source_name="gke.json")
    assert [f.key for f in result.findings] == ["6.1", "6.10"]
    assert {f.component for f in result.findings} == {"cloud-registry"}


def test_go_field_names_of_v0_0_x():
    """kube-bench v0.0.1-v0.0.6 (issue #2 excerpt in bench-formats.md §2.3)."""
    doc = {
        "ID": "1",
        "Version": "1.7",
        "Text": "Master Node Security Configuration",
        "Type": "master",
        "Groups": [
            {
                "ID": "1.1",
                "Text": "API Server",
                "Checks": [
                    {
                        "id": "1.1.1",
                        "Text": "Ensure that the --anonymous-auth argument is set to false (Scored)",
                        "type": "",
                        "Remediation": "Set --anonymous-auth=false",
                        "State": "FAIL",
                    }
                ],
            }
        ],
        "Pass": 0,
        "Fail": 1,
        "Warn": 0,
    }
    result = parse_bench_bytes(json.dumps(doc).encode(), source_name="old.json")
    (finding,) = result.findings
    assert (finding.check_id, finding.status, finding.component) == (
        "1.1.1",
        "fail",
        "kube-apiserver",
    )
    assert finding.remediation == "Set --anonymous-auth=false"
    assert finding.severity == "high"
    assert result.tool_totals == {"pass": 0, "fail": 1, "warn": 0}


def test_skip_and_info():
    doc = {
        "Controls": [
            {
                "id": "1",
                "version": "cis-1.20",
                "text": "Control Plane Security Configuration",
                "node_type": "master",
                "tests": [
                    {
                        "section": "1.2",
                        "desc": "API Server",
                        "results": [
                            {
                                "test_number": "1.2.1",
                                "test_desc": "x (Automated)",
                                "status": "INFO",
                                "type": "skip",
                                "reason": "Test marked as skip",
                            },
                            {
                                "test_number": "1.2.2",
                                "test_desc": "[DEPRECATED] y (Not Scored)",
                                "status": "INFO",
                                "type": "",
                            },
                        ],
                    }
                ],
            }
        ],
        "Totals": {"total_pass": 0, "total_fail": 0, "total_warn": 0, "total_info": 2},
    }
    result = parse_bench_bytes(json.dumps(doc).encode(), source_name="skip.json")
    assert [f.status for f in result.findings] == ["skip", "info"]
    assert result.findings[1].deprecated and result.findings[1].title == "y"
    assert result.findings[1].scored is False
