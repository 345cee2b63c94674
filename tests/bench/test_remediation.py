"""Remediation for every docker-bench check: the run's own text, else our catalogue's, matched on
the check's meaning."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.bench import parse_bench_file
from stride_desktop.bench.remediation import catalogue_remediation, remediation_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bench"


def fixture_path(name: str) -> Path:
    return FIXTURES / name


@pytest.mark.parametrize(
    "name",
    [
        "docker-bench-1.6.0.log.json",
        "docker-bench-1.6.0.log",
        "docker-bench-1.3.6-remediation.log.json",
    ],
)
def test_every_docker_check_has_a_remediation(name: str) -> None:
    run = parse_bench_file(fixture_path(name)).run
    assert run.findings
    missing = [f.check_id for f in run.findings if not remediation_for(run, f)]
    assert missing == []


def test_the_runs_own_text_wins() -> None:
    run = parse_bench_file(fixture_path("docker-bench-1.3.6-remediation.log.json")).run
    finding = next(f for f in run.findings if f.remediation)
    assert remediation_for(run, finding) == finding.remediation


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Ensure that the Docker socket file ownership is set to root:docker", "root:docker"),
        ("Ensure that the Docker socket is not mounted inside any containers", "docker.sock"),
        ("Ensure that docker.socket file permissions are set to 644", "docker.socket unit"),
        ("Ensure containers are restricted from acquiring new privileges", "daemon.json"),
        (
            "Ensure that the container is restricted from acquiring additional privileges",
            "--security-opt",
        ),
        ("Ensure that the host's user namespaces are not shared", "--userns host"),
        ("Enable user namespace support", "userns-remap"),
        ("Ensure  auditing is configured for Docker files and directories - /etc/docker", "auditd"),
    ],
)
def test_checks_are_matched_on_their_meaning(title: str, words: str) -> None:
    assert words in catalogue_remediation(title)


def test_kube_bench_keeps_its_own_only() -> None:
    run = parse_bench_file(fixture_path("kube-bench-cis-1.23.json")).run
    finding = next(f for f in run.findings if f.status == "fail")
    assert remediation_for(run, finding) == finding.remediation != ""
