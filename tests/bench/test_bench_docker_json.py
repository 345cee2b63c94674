"""docker-bench-security JSON: structured (real fixtures), flat and broken (from bench-formats.md)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from stride_desktop.bench import BenchError, parse_bench_bytes, parse_bench_file

STRUCTURED = ["docker-bench-1.6.0.log.json", "docker-bench-1.3.6-remediation.log.json"]
MARKERS = ("(Automated)", "(Manual)", "(Scored)", "(Not Scored)")


def _results(doc):
    return [r for s in doc["tests"] for r in s["results"]]


def _pointer(doc, pointer):
    node = doc
    for part in pointer.strip("/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


@pytest.mark.parametrize("name", STRUCTURED)
def test_structured_every_check_with_its_raw_status(fixture, fixture_json, name):
    doc = fixture_json(name)
    result = parse_bench_file(fixture(name))
    assert result.run.tool == "docker-bench-security"
    assert result.run.format == "dbs-json-structured"
    assert result.run.tool_version == doc["dockerbenchsecurity"]
    assert result.run.source_file == name
    assert result.run.id == ""
    expected = Counter(r["result"].lower() for r in _results(doc))
    assert result.raw_counts == dict(sorted(expected.items()))
    assert len(result.findings) == doc["checks"] == result.tool_totals["checks"]
    assert result.tool_totals["score"] == doc["score"]
    assert result.counts["fail"] == expected["warn"]  # WARN means the check failed
    assert result.counts["pass"] == expected["pass"]
    assert sum(result.counts.values()) == len(_results(doc))
    assert not result.skipped


@pytest.mark.parametrize("name", STRUCTURED)
def test_locators_point_at_the_check(fixture, fixture_json, name):
    doc = fixture_json(name)
    for finding in parse_bench_file(fixture(name)).findings:
        assert _pointer(doc, finding.locator)["id"] == finding.check_id


def test_ids_are_strings_and_titles_lose_their_suffix(fixture):
    result = parse_bench_file(fixture("docker-bench-1.6.0.log.json"))
    keys = [f.key for f in result.findings]
    assert len(keys) == len(set(keys))
    assert all(isinstance(f.check_id, str) for f in result.findings)
    assert not any(f.title.endswith(MARKERS) for f in result.findings)
    by_id = {f.check_id: f for f in result.findings}
    assert by_id["1.1.1"].automated is True
    assert not by_id["1.1.12"].title.startswith("1.1.12")  # 1.6.0 repeats the id in this desc
    assert by_id["5.1"].section_title == "Container Runtime"


def test_ten_is_not_one():
    doc = {
        "dockerbenchsecurity": "1.6.0",
        "start": 1,
        "tests": [
            {
                "id": "6",
                "desc": "Ops",
                "results": [
                    {
                        "id": "6.1",
                        "desc": "Ensure image sprawl is avoided (Manual)",
                        "result": "INFO",
                    },
                    {"id": "6.10", "desc": "Made-up check (Automated)", "result": "WARN"},
                ],
            }
        ],
        "checks": 2,
        "score": 0,
        "end": 2,
    }
    result = parse_bench_bytes(json.dumps(doc).encode(), source_name="ten.json")
    assert [f.check_id for f in result.findings] == ["6.1", "6.10"]
    assert [f.status for f in result.findings] == ["manual", "fail"]


def test_split_image_items_are_rejoined(fixture, fixture_json):
    doc = fixture_json("docker-bench-1.6.0.log.json")
    halves = sum(
        1
        for r in _results(doc)
        for i in r.get("items", [])
        if i.startswith("[") and not i.endswith("]")
    )
    assert halves > 0
    result = parse_bench_file(fixture("docker-bench-1.6.0.log.json"))
    objects = [o for f in result.findings for o in f.affected]
    assert all(o.raw.count("[") == o.raw.count("]") for o in objects)
    assert sum(1 for o in objects if o.raw.startswith("[") and " " in o.raw) == halves
    total_items = sum(len(r.get("items", [])) for r in _results(doc))
    assert sum(len(o.raw.split()) for o in objects) == total_items
    multi = next(o for o in objects if o.raw.startswith("[") and " " in o.raw)
    assert multi.kind == "image" and not multi.name.startswith("[")


def test_container_items_carry_port_qualifiers(fixture):
    result = parse_bench_file(fixture("docker-bench-1.6.0.log.json"))
    ports = next(f for f in result.findings if "privileged ports" in f.title)
    assert ports.affected and all(o.kind == "container" for o in ports.affected)
    assert all(o.qualifier.isdigit() and ":" not in o.name for o in ports.affected)


def test_remediation_fields_with_p(fixture, fixture_json):
    doc = fixture_json("docker-bench-1.3.6-remediation.log.json")
    raw = {r["id"]: r for r in _results(doc)}
    result = parse_bench_file(fixture("docker-bench-1.3.6-remediation.log.json"))
    assert any(f.remediation for f in result.findings)
    for finding in result.findings:
        assert finding.remediation == raw[finding.check_id].get("remediation", "")
        assert finding.remediation_impact == raw[finding.check_id].get("remediation-impact", "")


def test_component_hints_by_section_meaning(fixture):
    result = parse_bench_file(fixture("docker-bench-1.6.0.log.json"))
    by_id = {f.check_id: f for f in result.findings}
    assert by_id["1.1.1"].component == "docker-host"
    assert by_id["2.2"].component == "docker-daemon"
    assert by_id["5.1"].component == "container"
    assert by_id["7.1"].component == "swarm"
    assert by_id["4.5"].component == "registry"  # content trust


def test_checks_straight_in_tests_array():
    """-c check_5_11 writes Result objects straight into tests[] (bench-formats.md §1.4)."""
    text = (
        '{"dockerbenchsecurity": "1.6.0", "start": 1, "tests": [{"id": "5.11", "desc": "Ensure that '
        'the memory usage for containers is limited (Automated)", "result": "WARN", "details": '
        '"Containers running without memory restrictions:  web db", "items": ["web", "db"]}], '
        '"checks": 1, "score": -1, "end": 2}'
    )
    result = parse_bench_bytes(text.encode(), source_name="c.json")
    (finding,) = result.findings
    assert finding.check_id == "5.11" and finding.section_id == "5"
    assert [o.name for o in finding.affected] == ["web", "db"]


FLAT = """{
  "dockerbenchsecurity": "1.3.4",
  "start": 1522845225,
  "1.1": "WARN",
  "1.4": "docker:x:999:ubuntu,jenkins",
  "4.1": "WARN: gridgain-en:8.3",
  "4.1": "WARN: ubuntu:16.04",
  "4.6": "WARN",
  "4.6": "WARN: [busybox:latest]",
  "6.2": "INFO: 5",
  "checks": 104, "score": 17,
  "end": 1522845230
}"""


def test_flat_json_keeps_duplicate_keys():
    """Built from the flat-JSON sample in bench-formats.md §1.3 (no real file available)."""
    result = parse_bench_bytes(FLAT.encode(), source_name="flat.json")
    assert result.run.format == "dbs-json-flat"
    by_key = {f.key: f for f in result.findings}
    assert sorted(by_key) == ["1.1", "1.4", "4.1", "4.6", "6.2"]
    assert [o.name for o in by_key["4.1"].affected] == ["gridgain-en:8.3", "ubuntu:16.04"]
    assert [o.name for o in by_key["4.6"].affected] == ["busybox:latest"]
    assert by_key["1.4"].raw_status == "INFO"  # a bare detail is INFO
    assert by_key["1.4"].affected[0].kind == "user"
    assert by_key["4.6"].status == "fail"
    assert by_key["6.2"].evidence["details"] == "5"
    assert result.tool_totals == {"checks": 104, "score": 17}


def _broken(fixture) -> tuple[str, int]:
    text = fixture("docker-bench-1.6.0.log.json").read_text()
    target = (
        '"desc": "Ensure network traffic is restricted between containers on the default bridge'
    )
    assert target in text
    line = text[: text.index(target)].count("\n") + 1
    return text.replace(target, target.replace("network traffic", 'network "traffic"')), line


def test_broken_json_is_recovered(fixture, fixture_json):
    text, _ = _broken(fixture)
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    doc = fixture_json("docker-bench-1.6.0.log.json")
    result = parse_bench_bytes(text.encode(), source_name="broken.json")
    assert len(result.findings) == len(_results(doc))
    assert any("invalid JSON at line" in w for w in result.warnings)
    recovered = {f.check_id: f for f in result.findings}
    for raw in _results(doc):
        assert recovered[raw["id"]].raw_status == raw["result"]
        assert len(recovered[raw["id"]].affected) <= len(raw.get("items", []))
    assert recovered["2.2"].title.startswith('Ensure network "traffic"')
    assert [o.name for o in recovered["5.7"].affected] == ["seas-pacs-1"]


def test_unreadable_check_is_reported_with_its_line(fixture):
    text = fixture("docker-bench-1.6.0.log.json").read_text()
    marker = '"id": "2.3",'
    line = text[: text.index(marker)].count("\n") + 1
    text = text.replace('"result": "PASS"', '"result": PASS', 1)  # breaks the first PASS object
    result = parse_bench_bytes(text.encode(), source_name="broken.json")
    assert result.skipped and result.skipped[0].startswith("line ")
    skipped_line = int(result.skipped[0].split()[1].rstrip(":"))
    assert skipped_line < line
    assert len(result.findings) == 116


def test_truncated_run_keeps_what_was_written(fixture):
    text = fixture("docker-bench-1.6.0.log.json").read_text()
    cut = text[: text.index('"id": "3.1"')]
    result = parse_bench_bytes(cut.encode(), source_name="cut.json")
    assert result.findings and result.findings[-1].check_id.startswith("2.")
    assert any("invalid JSON" in w for w in result.warnings)


def test_truncated_beyond_recovery(fixture):
    text = fixture("docker-bench-1.6.0.log.json").read_text()[:60]
    with pytest.raises(BenchError, match="beyond recovery"):
        parse_bench_bytes(text.encode(), source_name="cut.json")
