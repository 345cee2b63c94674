"""Remediation text for a finding: the run's own when it carries one, else our catalogue's.

docker-bench-security 1.4 and later log no remediation; ``resources/bench/docker-remediation.yaml``
holds our own wording per CIS Docker check, matched on the check title's meaning (docker-bench
renumbers checks between versions). kube-bench always carries its own.
"""

from __future__ import annotations

import functools

import yaml

from ..model import BenchRun, Finding
from ..paths import resource


@functools.cache
def _docker_catalogue() -> tuple[tuple[str, str], ...]:
    with open(resource("bench", "docker-remediation.yaml"), encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return tuple((e["match"].lower(), e["text"]) for e in data["remediation"])


def catalogue_remediation(title: str) -> str:
    """Our wording for a CIS Docker check, found by its title; "" when none matches."""
    lowered = " ".join(title.lower().split())
    return next((text for phrase, text in _docker_catalogue() if phrase in lowered), "")


def remediation_for(run: BenchRun | None, finding: Finding) -> str:
    if finding.remediation:
        return finding.remediation
    if run is not None and "docker" in run.tool.lower() and "kube" not in run.tool.lower():
        return catalogue_remediation(finding.title)
    return ""
