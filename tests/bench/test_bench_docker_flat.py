"""docker-bench-security 1.3.4 flat JSON: titles from the built-in CIS Docker 1.1.0 table
(resources/bench/cis-docker-1.1.0-titles.yaml) and affected objects from the values' forms.
Inputs are built from bench-formats.md §1.3 and the value formats the <= 1.3.4 scripts write."""

from __future__ import annotations

from stride_desktop.bench import parse_bench_bytes
from stride_desktop.bench.normalize import docker_flat_titles

FLAT = """{
  "dockerbenchsecurity": "1.3.4",
  "start": 1522845225,
  "1.1": "WARN",
  "1.4": "docker:x:999:ubuntu,jenkins",
  "2.6": "INFO",
  "3.16": "WARN",
  "4.1": "WARN: web",
  "4.6": "WARN",
  "4.6": "WARN: [busybox:latest]",
  "4.6": "WARN: [repo/app:1.0 repo/app:latest]",
  "5.4": "WARN: jenkins",
  "5.5": "WARN: /etc in web",
  "5.7": "WARN: 80 in web",
  "5.7": "WARN: 443 in proxy",
  "5.13": "WARN: 0.0.0.0 in proxy",
  "5.31": "WARN: portainer",
  "6.2": "INFO: 5",
  "7.1": "WARN",
  "7.4": "WARN: backend (swarm)",
  "9.9": "WARN",
  "checks": 104, "score": 17,
  "end": 1522845230
}"""


def _by_id():
    result = parse_bench_bytes(FLAT.encode(), source_name="flat.json")
    return result, {f.check_id: f for f in result.findings}


def test_table_numbering_matches_bench_formats_1_7():
    titles, sections = docker_flat_titles()
    expected = {
        "1.1": "separate partition",
        "1.4": "trusted users",
        "2.1": "network traffic is restricted",
        "2.6": "TLS authentication",
        "2.8": "user namespace",
        "3.16": "Docker socket file permissions",
        "7.1": "swarm mode",
        "5.4": "privileged containers",
        "5.9": "host's network namespace",
        "5.10": "memory usage",
        "5.31": "Docker socket is not mounted",
    }
    for check_id, words in expected.items():
        assert words.lower() in titles[check_id].lower(), check_id
    assert sections["5"] == "Container Runtime"
    assert len(titles) == 105 and not any(
        t.endswith(")") for t in titles.values()
    )  # no markers in 1.1.0


def test_flat_findings_get_titles_sections_and_components():
    result, by_id = _by_id()
    assert by_id["1.1"].title == "Ensure a separate partition for containers has been created"
    assert by_id["5.31"].title == "Ensure the Docker socket is not mounted inside any containers"
    assert by_id["5.4"].section_title == "Container Runtime"
    assert result.run.benchmark == "CIS Docker 1.1.0 (script 1.3.4)"
    # component hints come from the title keywords, not only from the section
    assert by_id["1.4"].component == "docker-daemon"  # "... control Docker daemon"
    assert by_id["3.16"].component == "docker-daemon"
    assert by_id["7.1"].component == "swarm"
    assert by_id["2.6"].component == "docker-daemon"


def test_flat_severity_follows_the_title():
    _, by_id = _by_id()
    assert by_id["5.4"].severity == "high"  # privileged containers
    assert by_id["5.31"].severity == "high"  # docker.sock mounted
    assert by_id["1.1"].severity == "low"  # no (Scored) marker in 1.3.4 titles


def test_only_unknown_ids_keep_the_placeholder_and_are_named_in_the_warning():
    result, by_id = _by_id()
    assert by_id["9.9"].title == "Check 9.9"
    assert all(not f.title.startswith("Check ") for f in result.findings if f.check_id != "9.9")
    (warning,) = [w for w in result.warnings if "no check titles" in w]
    assert warning.endswith(": 9.9")


def test_no_warning_when_every_id_has_a_title():
    text = '{"dockerbenchsecurity": "1.3.4", "start": 1, "1.1": "WARN", "2.1": "PASS", "end": 2}'
    result = parse_bench_bytes(text.encode(), source_name="flat.json")
    assert not any("titles" in w for w in result.warnings)


def test_flat_values_become_typed_affected_objects():
    _, by_id = _by_id()

    def objects(check_id):
        return [(o.kind, o.name, o.qualifier) for o in by_id[check_id].affected]

    assert objects("4.1") == [("container", "web", "")]  # the title says the check is per container
    assert objects("4.6") == [
        ("image", "busybox:latest", ""),
        ("image", "repo/app:1.0 repo/app:latest", ""),
    ]
    assert objects("5.5") == [("container", "web", "/etc")]
    assert objects("5.7") == [("container", "web", "80"), ("container", "proxy", "443")]
    assert objects("5.13") == [("container", "proxy", "0.0.0.0")]
    assert objects("7.4") == [("network", "backend", "swarm")]
    assert objects("1.4") == [("user", "docker:x:999:ubuntu,jenkins", "")]
    assert objects("6.2") == [] and by_id["6.2"].evidence["details"] == "5"
