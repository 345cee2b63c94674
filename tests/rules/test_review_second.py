"""The second reading of the example models' threat lists (docs/threat-review.md): each test
names a finding of that review and would have caught it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from stride_desktop.io import load_model, loads_model
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


def test_a_privileged_pod_or_container_is_one_threat_with_its_host_mounts():
    # node-exporter DaemonSet (privileged, hostPath, hostNetwork, hostPID) read as two threats
    # for one cause: a privileged container already mounts the node's disk at will
    found = threats("kubernetes-cluster.yaml")
    assert "K8S-POD-HOSTPATH@node_exporter" not in found
    privileged = found["K8S-POD-PRIVILEGED@node_exporter"]
    assert "K8S-POD-HOSTPATH@node_exporter" in privileged.covers
    assert "MS-TA9013: Writable hostPath mount" in privileged.references
    # the same on a Docker host: a privileged container that also mounts / of the host
    text = (MODELS / "docker-host.yaml").read_text()
    old = "container_name: webapp-worker-1, network: webapp_default, privileged: true}"
    assert old in text
    model = loads_model(text.replace(old, old[:-1] + ", sensitive_mounts: true, host_pid: true}"))
    docker = {t.id: t for t in derive(model, RULES)}
    worker = docker["DOCKER-CONTAINER-PRIVILEGED@worker"]
    for folded in ("DOCKER-CONTAINER-SENSITIVE-MOUNTS@worker", "DOCKER-CONTAINER-HOST-PID@worker"):
        assert folded not in docker and folded in worker.covers
