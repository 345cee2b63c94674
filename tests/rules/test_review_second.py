"""The second reading of the example models' threat lists (docs/threat-review.md): each test
names a finding of that review and would have caught it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from stride_desktop.io import load_model
from stride_desktop.rules import Threat, derive, load_rules

MODELS = Path(__file__).resolve().parents[2] / "models"
EXAMPLES = sorted(p.name for p in MODELS.glob("*.yaml"))
RULES = load_rules()


@cache
def threats(model: str) -> dict[str, Threat]:
    return {t.id: t for t in derive(load_model(MODELS / model), RULES)}


def components(model: str) -> dict[str, str]:
    return {e.id: e.component for e in load_model(MODELS / model).elements}


@pytest.mark.parametrize("model", EXAMPLES)
def test_an_unverified_image_is_reached_through_a_registry_not_through_requests_to_the_pod(model):
    # it was graded by the path of HTTP requests to the pod (External Attacker → application
    # pod: high on the audit diagram), which says nothing about who can replace its image
    kinds = components(model)
    for t in threats(model).values():
        if t.rule != "K8S-POD-UNVERIFIED-IMAGE":
            continue
        assert not t.path or kinds[t.path[0]] == "docker.registry", (t.id, t.severity_reason)
        assert "registry the cluster pulls from" in t.severity_reason, t.severity_reason


def test_the_public_registry_the_cluster_pulls_from_makes_an_unverified_image_possible():
    api = threats("kubernetes-cluster.yaml")["K8S-POD-UNVERIFIED-IMAGE@api"]
    assert api.path == ["docker_hub", "api"]
    assert api.likelihood == 2
    # the audit's diagram draws no registry: nothing says where its images could be replaced
    pods = threats("k8s-audit-2019.yaml")["K8S-POD-UNVERIFIED-IMAGE@pods"]
    assert (pods.likelihood, pods.severity) == (1, "low")
