"""docker-bench-security text logs: the real 1.6.0 log and, where no real sample is at hand,
inputs built from the line formats of bench-formats.md §1.6 (old layouts, Section B, several runs)."""

from __future__ import annotations

import re

import pytest

from stride_desktop.bench import BenchError, parse_bench_bytes, parse_bench_file

ESC = "\x1b"


def _tag(status: str) -> str:
    colour = {"INFO": "1;34", "PASS": "1;32", "WARN": "1;31", "NOTE": "1;33"}[status]
    return f"{ESC}[{colour}m[{status}]{ESC}[0m"


def test_text_equals_json_less_the_id_less_checks(fixture):
    text = parse_bench_file(fixture("docker-bench-1.6.0.log"))
    json_ = parse_bench_file(fixture("docker-bench-1.6.0.log.json"))
    assert text.run.format == "dbs-text" and text.runs_available == 1
    idless = [f for f in text.findings if f.check_id is None]
    assert idless and all(re.fullmatch(r"L\d+", f.key) for f in idless)
    with_id = {f.check_id for f in text.findings if f.check_id}
    json_ids = {f.check_id for f in json_.findings}
    missing = json_ids - with_id
    assert with_id <= json_ids
    assert len(with_id) == len(json_.findings) - len(idless)
    # the checks missing from the text are the ones it printed without an id
    assert sorted(
        next(f.title for f in json_.findings if f.check_id == m) for m in missing
    ) == sorted(f.title for f in idless)
    assert text.tool_totals == json_.tool_totals  # "Checks: 117", "Score: -1"


def test_statuses_agree_with_json_except_documented_cases(fixture):
    text = {
        f.check_id: f
        for f in parse_bench_file(fixture("docker-bench-1.6.0.log")).findings
        if f.check_id
    }
    json_ = {
        f.check_id: f for f in parse_bench_file(fixture("docker-bench-1.6.0.log.json")).findings
    }
    differ = {i for i in text if text[i].raw_status != json_[i].raw_status}
    assert differ <= {"1.2.1", "1.2.2", "2.1"}  # bench-formats.md §1.5: text and JSON disagree here


def test_ansi_headers_details_and_items(fixture):
    result = parse_bench_file(fixture("docker-bench-1.6.0.log"))
    by_id = {f.check_id: f for f in result.findings}
    assert "1.1" not in by_id and "1" not in by_id  # subsection and section headers
    assert by_id["1.1.1"].section_title == "Host Configuration"
    assert by_id["1.1.1"].group_title == "Linux Hosts Specific Configuration"
    assert not any(ESC in f.title or ESC in f.evidence.get("details", "") for f in result.findings)
    assert by_id["1.1.2"].evidence["details"] == "Users: hevi"
    assert [o.name for o in by_id["1.1.2"].affected] == ["hevi"]
    assert by_id["1.2.2"].evidence["details"].startswith("Using 23.0.2")
    assert by_id["1.1.12"].title.startswith("Ensure auditing")
    assert by_id["5.7"].locator.startswith("line ")


def _run(date: str, checks: list[tuple[str, str, str]], *, extra: str = "") -> str:
    lines = [
        f"Initializing {date}",
        "",
        f"{ESC}[1;33mSection A - Check results{ESC}[0m",
        "",
        f"{_tag('INFO')} 2 - Docker daemon configuration",
    ]
    lines += [f"{_tag(s)} {i} - {d}" for s, i, d in checks]
    lines += [
        extra,
        f"{ESC}[1;33mSection C - Score{ESC}[0m",
        "",
        f"{_tag('INFO')} Checks: {len(checks)}",
        f"{_tag('INFO')} Score: 0",
        "",
    ]
    return "\n".join(lines)


def test_appended_runs_last_by_default_and_selectable():
    first = _run(
        "2023-01-01T00:00:00+00:00",
        [("WARN", "2.2", "Ensure network traffic is restricted (Scored)")],
    )
    second = _run(
        "2023-02-01T00:00:00+00:00",
        [
            ("PASS", "2.2", "Ensure network traffic is restricted (Scored)"),
            ("PASS", "2.3", "Ensure the logging level is set to 'info' (Scored)"),
        ],
    )
    data = (f"{_tag('WARN')} Some tests might require root to run\n" + first + second).encode()
    last = parse_bench_bytes(data, source_name="appended.log")
    assert last.runs_available == 2 and last.run_index == 2
    assert [f.raw_status for f in last.findings] == ["PASS", "PASS"]
    assert any("require root" in w for w in last.warnings)
    one = parse_bench_bytes(data, source_name="appended.log", run=1)
    assert [f.raw_status for f in one.findings] == ["WARN"] and one.run_index == 1
    assert one.tool_totals["checks"] == 1
    with pytest.raises(BenchError, match="holds 2 run"):
        parse_bench_bytes(data, source_name="appended.log", run=3)


def test_localised_dates_in_other_encodings():
    date = "Thứ năm, 04 Tháng 3 năm 2021 21:09:05 +07"
    body = _run(date, [("WARN", "2.1", "Restrict network traffic between containers (Scored)")])
    for data in (
        body.encode("utf-8"),
        body.replace(date, "Rab Jan  3 01:11:03 WIB 2018").encode(),
        body.replace(date, "jeu. 04 mars 2021 21:09:05 CET").encode("latin-1"),
    ):
        result = parse_bench_bytes(data, source_name="dated.log")
        assert [f.check_id for f in result.findings] == ["2.1"]


def test_old_layouts_padded_ids():
    """<= 1.3.4 pads ids to width 4 ('1.1  - '); 1.3.5 always prints two spaces ('1.1.1  - ')."""
    old = "\n".join(
        [
            "Initializing Mon Oct 23 10:00:00 UTC 2017",
            f"{_tag('INFO')} 1 - Host Configuration",
            f"{_tag('WARN')} 1.1  - Ensure a separate partition for containers has been created",
            f"{_tag('INFO')} 1.4  - Ensure only trusted users are allowed to control Docker daemon",
            f"{_tag('INFO')}      * docker:x:999:ubuntu,jenkins",
            f"{_tag('PASS')} 1.10 - Ensure auditing is configured for Docker files and directories - /etc/default/docker",
            f"{_tag('INFO')} 1.2  - General Configuration",
            f"{_tag('NOTE')} 1.2.1  - Ensure the container host has been Hardened (Not Scored)",
        ]
    )
    result = parse_bench_bytes(old.encode(), source_name="old.log")
    assert [f.check_id for f in result.findings] == ["1.1", "1.4", "1.10", "1.2.1"]
    assert result.findings[1].evidence["details"] == "docker:x:999:ubuntu,jenkins"
    # an unlabelled one-item detail is the affected object, as in the flat JSON "1.4" value
    assert [(o.kind, o.name) for o in result.findings[1].affected] == [
        ("user", "docker:x:999:ubuntu,jenkins")
    ]
    assert result.findings[3].status == "manual" and result.findings[3].scored is False


def test_section_b_fills_remediation_and_is_not_counted():
    body = _run(
        "2023-09-29T12:05:07+03:00",
        [
            ("WARN", "2.2", "Ensure network traffic is restricted (Scored)"),
            ("PASS", "2.3", "Ensure the logging level is set (Scored)"),
        ],
        extra="\n".join(
            [
                f"{ESC}[1;33mSection B - Remediation measures{ESC}[0m",
                f"{_tag('INFO')} 2.2 - Edit the Docker daemon configuration file to set icc "
                "to false. Remediation Impact: Inter-container communication is disabled.",
                f"{_tag('INFO')} 2.9 - Enable user namespace support.",
            ]
        ),
    )
    result = parse_bench_bytes(body.encode(), source_name="b.log")
    assert [f.check_id for f in result.findings] == ["2.2", "2.3"]
    assert (
        result.findings[0].remediation
        == "Edit the Docker daemon configuration file to set icc to false."
    )
    assert result.findings[0].remediation_impact == "Inter-container communication is disabled."
    assert result.findings[1].remediation == ""


def test_section_skipped_note_is_a_warning_not_a_check():
    body = _run(
        "2023-09-29T12:05:07+03:00",
        [("PASS", "2.3", "Ensure the logging level is set (Scored)")],
        extra=f"{_tag('INFO')} 5 - Container Runtime\n{_tag('INFO')}   * No containers running, skipping Section 5",
    )
    result = parse_bench_bytes(body.encode(), source_name="s.log")
    assert len(result.findings) == 1
    assert any("skipping Section 5" in w for w in result.warnings)


def _objects(findings, *, with_qualifier: bool) -> set[tuple]:
    return {
        (f.check_id, o.kind, o.name, o.qualifier)
        if with_qualifier
        else (f.check_id, o.kind, o.name)
        for f in findings
        for o in f.affected
    }


def test_text_affected_objects_equal_the_json_ones(fixture):
    """Same run, two files: the text's detail lines ("Privileged Port in use: 104 in seas-pacs-1",
    "Port being bound to wildcard IP: 0.0.0.0 in x", "No Healthcheck found: [a b]", ...) must name
    the same objects as the JSON items ("seas-pacs-1:104", "x:0.0.0.0", "[a", "b]")."""
    text = [f for f in parse_bench_file(fixture("docker-bench-1.6.0.log")).findings if f.check_id]
    json_ = parse_bench_file(fixture("docker-bench-1.6.0.log.json")).findings
    shared = {f.check_id for f in text} & {f.check_id for f in json_}
    text = [f for f in text if f.check_id in shared]
    json_ = [f for f in json_ if f.check_id in shared]
    names = _objects(text, with_qualifier=False)
    assert names == _objects(json_, with_qualifier=False)
    assert {c for c, *_ in names} >= {
        "1.1.2",
        "4.1",
        "4.6",
        "4.7",
        "4.9",
        "5.7",
        "5.8",
        "5.13",
        "5.29",
        "5.31",
    }
    # qualifiers (port, bind address) agree too, except 5.29: the text prints only the container
    # name, the JSON "<64-hex network id>:<name>" -- the text genuinely carries less there
    differ = _objects(text, with_qualifier=True) ^ _objects(json_, with_qualifier=True)
    assert differ and {c for c, *_ in differ} == {"5.29"}
    by_id = {f.check_id: f for f in text}
    assert [(o.name, o.qualifier) for o in by_id["5.7"].affected] == [("seas-pacs-1", "104")]


def test_detail_lines_with_a_label_and_several_items():
    """Forks and other versions print the JSON-style "label:  item item" on one detail line."""
    body = _run(
        "2023-09-29T12:05:07+03:00",
        [
            ("WARN", "5.7", "Ensure privileged ports are not mapped within containers (Automated)"),
            (
                "WARN",
                "5.13",
                "Ensure that incoming container traffic is bound to a specific host interface (Automated)",
            ),
            (
                "WARN",
                "5.3",
                "Ensure Linux kernel capabilities are restricted within containers (Automated)",
            ),
            ("INFO", "1.2.2", "Ensure that the version of Docker is up to date (Manual)"),
        ],
    )
    details = {
        "5.7": "Containers using privileged ports:  seas-pacs-1:104 gitlab:443",
        "5.13": "Containers with port bound to wildcard IP:  gitlab:0.0.0.0",
        "5.3": "Capabilities added: CapAdd=[SYS_ADMIN] to gitlab",
        "1.2.2": "Using 23.0.2, verify is it up to date as deemed necessary",
    }
    lines = []
    for line in body.split("\n"):
        lines.append(line)
        for check_id, detail in details.items():
            if f" {check_id} - " in line:
                lines.append(f"{_tag('WARN')}      * {detail}")
    result = parse_bench_bytes("\n".join(lines).encode(), source_name="labels.log")
    by_id = {
        f.check_id: [(o.kind, o.name, o.qualifier) for o in f.affected] for f in result.findings
    }
    assert by_id["5.7"] == [("container", "seas-pacs-1", "104"), ("container", "gitlab", "443")]
    assert by_id["5.13"] == [("container", "gitlab", "0.0.0.0")]
    assert by_id["5.3"] == [("container", "gitlab", "CapAdd=[SYS_ADMIN]")]
    assert by_id["1.2.2"] == []  # a sentence names nothing
