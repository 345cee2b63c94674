"""The STRIDE exercise (shared/docs/stride-exercise.txt): each of its 6 Docker and 5 Kubernetes
threats is produced by the example models in its STRIDE category, by a named rule on a named
element. Where the exercise's wording is imprecise, the rule states it correctly (noted below)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.io import load_model
from stride_desktop.rules import Threat, derive, load_rules, threats_by_id

MODELS = Path(__file__).resolve().parents[2] / "models"
RULES = load_rules()

# (model, exercise item, STRIDE category, [threat ids "RULE@ELEMENT" that answer it])
EXERCISE = [
    # 1. daemon communication not protected by TLS -> the Engine API without TLS client verification
    ("docker-host.yaml", "Docker 1", "Spoofing", ["DOCKER-SOCKET-TCP-NO-TLS@docker_tcp"]),
    (
        "docker-host.yaml",
        "Docker 1 (interception)",
        "Tampering",
        ["DOCKER-API-FLOW-CLEARTEXT@f_cli_api"],
    ),
    # 2. a changed Dockerfile / build context and untrusted images
    (
        "docker-host.yaml",
        "Docker 2",
        "Tampering",
        [
            "DOCKER-BUILD-UNREVIEWED@build_ctx",
            "DOCKER-IMAGE-UNSIGNED@img_api",
            "DOCKER-IMAGE-UNTRUSTED-BASE@img_api",
        ],
    ),
    # 3. changes to images and build steps that nobody can attribute (an unsigned image is one
    # root cause with two faces: DOCKER-IMAGE-UNSIGNED, item 2, says it cannot be attributed)
    (
        "docker-host.yaml",
        "Docker 3",
        "Repudiation",
        ["DOCKER-BUILD-NO-PROVENANCE@build_ctx", "DOCKER-DAEMON-NO-AUDIT@dockerd"],
    ),
    # 4. secrets in the Dockerfile, image layers, environment and compose file
    (
        "docker-host.yaml",
        "Docker 4",
        "Information Disclosure",
        [
            "DOCKER-BUILD-SECRETS-IN-DOCKERFILE@build_ctx",
            "DOCKER-IMAGE-SECRETS-IN-LAYERS@img_api",
            "DOCKER-CONTAINER-SECRETS-IN-ENV@api",
            "DOCKER-COMPOSE-INLINE-SECRETS@compose",
        ],
    ),
    # 5. a flooded container starving its neighbours; memory limits are the fix
    (
        "docker-host.yaml",
        "Docker 5",
        "Denial of Service",
        ["DOCKER-CONTAINER-NO-MEMORY-LIMIT@nginx", "DOCKER-CONTAINER-NO-PIDS-LIMIT@nginx"],
    ),
    # 6. a --privileged container (the exercise's "--user-privilege" flag does not exist)
    (
        "docker-host.yaml",
        "Docker 6",
        "Elevation of Privilege",
        ["DOCKER-CONTAINER-PRIVILEGED@worker", "DOCKER-CONTAINER-DOCKER-SOCKET@portainer"],
    ),
    # K1. spoofing the API server or its clients: anonymous and static-token authentication
    (
        "kubernetes-cluster.yaml",
        "Kubernetes 1",
        "Spoofing",
        ["K8S-APISERVER-ANONYMOUS-AUTH@apiserver", "K8S-APISERVER-STATIC-TOKENS@apiserver"],
    ),
    # K2. tampering with etcd: data directory not etcd:etcd 700, reachable beyond the API server
    (
        "kubernetes-cluster.yaml",
        "Kubernetes 2",
        "Tampering",
        ["K8S-ETCD-FILES-WRITABLE@etcd", "K8S-ETCD-DIRECT-ACCESS@etcd"],
    ),
    # K3. unattributable changes through the API server: no audit policy / log
    (
        "kubernetes-cluster.yaml",
        "Kubernetes 3",
        "Repudiation",
        ["K8S-APISERVER-NO-AUDIT@apiserver"],
    ),
    # K4. etcd readable: the fix is encryption at rest, not "saving configuration as secrets"
    (
        "kubernetes-cluster.yaml",
        "Kubernetes 4",
        "Information Disclosure",
        ["K8S-ETCD-SECRETS-PLAINTEXT@etcd"],
    ),
    # K5. kubelet and nodes overwhelmed: --protect-kernel-defaults, request and event floods
    (
        "kubernetes-cluster.yaml",
        "Kubernetes 5",
        "Denial of Service",
        [
            "K8S-KUBELET-NO-PROTECT-KERNEL-DEFAULTS@kubelet1",
            "K8S-KUBELET-NO-PROTECT-KERNEL-DEFAULTS@kubelet2",
            "K8S-APISERVER-NO-RATE-LIMIT@apiserver",
        ],
    ),
]

_cache: dict[str, dict[str, Threat]] = {}


def threats_of(name: str) -> dict[str, Threat]:
    if name not in _cache:  # listed threats, and those folded into a root-cause threat
        _cache[name] = threats_by_id(derive(load_model(MODELS / name), RULES))
    return _cache[name]


@pytest.mark.parametrize("model,item,category,expected", EXERCISE, ids=[e[1] for e in EXERCISE])
def test_exercise_threat_is_produced(
    model: str, item: str, category: str, expected: list[str]
) -> None:
    threats = threats_of(model)
    for threat_id in expected:
        assert threat_id in threats, f"{item}: {threat_id} not derived from {model}"
        threat = threats[threat_id]  # the threat itself, or the root cause that carries it
        assert category in threat.categories, f"{item}: {threat_id} carries {threat.categories}"
        assert threat.source == "rule" and threat.mitigations and threat.references
        assert threat.is_open


def test_all_six_docker_and_five_kubernetes_categories_are_covered() -> None:
    docker = {c for m, _, c, _ in EXERCISE if m == "docker-host.yaml"}
    kubernetes = {c for m, _, c, _ in EXERCISE if m == "kubernetes-cluster.yaml"}
    assert docker == {
        "Spoofing",
        "Tampering",
        "Repudiation",
        "Information Disclosure",
        "Denial of Service",
        "Elevation of Privilege",
    }
    assert kubernetes == {
        "Spoofing",
        "Tampering",
        "Repudiation",
        "Information Disclosure",
        "Denial of Service",
    }


def test_rules_correct_the_exercise_imprecisions() -> None:
    k8s = threats_of("kubernetes-cluster.yaml")
    docker = threats_of("docker-host.yaml")
    kernel = k8s["K8S-KUBELET-NO-PROTECT-KERNEL-DEFAULTS@kubelet1"]
    assert kernel.id == "K8S-KUBELET-NO-PROTECT-KERNEL-DEFAULTS@kubelet1"
    assert "--protect-kernel-defaults" in kernel.description
    assert any("--protect-kernel-defaults=true" in m for m in kernel.mitigations)
    etcd_files = k8s["K8S-ETCD-FILES-WRITABLE@etcd"]
    assert any("etcd:etcd" in m and "700" in m for m in etcd_files.mitigations)
    secrets = k8s["K8S-ETCD-SECRETS-PLAINTEXT@etcd"]
    assert any("--encryption-provider-config" in m for m in secrets.mitigations)
    assert "encryption at rest does" in secrets.description
    privileged = docker["DOCKER-CONTAINER-PRIVILEGED@worker"]
    # the flag is --privileged (the exercise's --user-privilege does not exist); a threat read
    # by the model's reviewers names the real flag and leaves the exercise's slip out
    assert "--privileged" in privileged.description
    assert any(m.startswith("Remove --privileged") for m in privileged.mitigations)
    assert not any(
        "user-privilege" in text for text in (privileged.description, *privileged.mitigations)
    )


def test_hardened_variants_do_not_produce_the_exercise_threats() -> None:
    """Fixing the settings the exercise names removes its threats (the model, not the rule, decides)."""
    model = load_model(MODELS / "kubernetes-cluster.yaml")
    api = model.element("apiserver")
    etcd = model.element("etcd")
    assert api is not None and etcd is not None
    api.properties.update(
        anonymous_auth=False, static_token_file=False, audit_log=True, encryption_at_rest=True
    )
    etcd.properties.update(files_restricted=True, network_isolated=True)
    ids = {t.id for t in derive(model, RULES)}
    for gone in (
        "K8S-APISERVER-ANONYMOUS-AUTH@apiserver",
        "K8S-APISERVER-STATIC-TOKENS@apiserver",
        "K8S-APISERVER-NO-AUDIT@apiserver",
        "K8S-ETCD-SECRETS-PLAINTEXT@etcd",
        "K8S-ETCD-FILES-WRITABLE@etcd",
        "K8S-ETCD-DIRECT-ACCESS@etcd",
    ):
        assert gone not in ids
