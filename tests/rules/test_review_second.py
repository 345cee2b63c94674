"""The second reading of the example models' threat lists (docs/threat-review.md): each test
names a finding of that review and would have caught it."""

from __future__ import annotations

import pytest

from stride_desktop.io import load_model, loads_model
from stride_desktop.rules import derive
from stride_desktop.rules.texts import render

from .test_review_examples import EXAMPLES, MODELS, RULES, threats


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
    # ... and, on the node's network, with the node's cloud identity: no separate metadata threat
    # (an egress NetworkPolicy, its first fix, does not even apply to a hostNetwork pod)
    assert "K8S-POD-METADATA-ACCESS@node_exporter" in privileged.covers
    assert "Information Disclosure" in privileged.categories
    # the same on a Docker host: a privileged container that also mounts / of the host
    text = (MODELS / "docker-host.yaml").read_text()
    old = "container_name: webapp-worker-1, network: webapp_default, privileged: true}"
    assert old in text
    model = loads_model(text.replace(old, old[:-1] + ", sensitive_mounts: true, host_pid: true}"))
    docker = {t.id: t for t in derive(model, RULES)}
    worker = docker["DOCKER-CONTAINER-PRIVILEGED@worker"]
    for folded in ("DOCKER-CONTAINER-SENSITIVE-MOUNTS@worker", "DOCKER-CONTAINER-HOST-PID@worker"):
        assert folded not in docker and folded in worker.covers


def test_a_verb_before_a_name_ends_the_label_to_leave_out():
    # "A NodePort or LoadBalancer service opens {name} ..." read "A frontend-external
    # (LoadBalancer) on a port of every node": the whole run back to "A" was taken as a label
    assert render(
        "A NodePort or LoadBalancer service opens {name} on a port", {"name": "fe (LoadBalancer)"}
    ) == ("A NodePort or LoadBalancer service opens fe (LoadBalancer) on a port")
    exposed = threats("online-shop-k8s.yaml")["K8S-SERVICE-EXTERNALLY-EXPOSED@fe_svc"]
    assert exposed.description.startswith(
        "frontend-external (LoadBalancer) opens the pods behind it on a port of every node"
    )


def test_the_default_bridge_is_shared_with_the_containers_on_it_not_with_every_container():
    # the web app's containers are on webapp_default, node-exporter on the host network: Jenkins
    # shares docker0 with Portainer, not "with every other container"
    found = threats("docker-host.yaml")
    for name in ("jenkins", "portainer"):
        t = found[f"DOCKER-CONTAINER-DEFAULT-BRIDGE@{name}"]
        assert "every other container" not in t.title
        assert t.title.endswith("shares the default docker0 bridge with the other containers on it")
    assert not any(k.startswith("DOCKER-CONTAINER-DEFAULT-BRIDGE@") for k in found if "@nginx" in k)


def test_a_port_published_on_every_interface_is_reached_from_the_networks_the_host_is_on():
    # it was graded along the flows the container serves (Web user → nginx → predict API, a
    # developer's basic-auth login to Jenkins): the weakness is the port itself, reached from
    # the internet wherever the host's published front end is
    found = threats("docker-host.yaml")
    expected = {"api": "unauthenticated", "jenkins": "basic auth", "mysql": "basic auth"}
    for target, auth in expected.items():
        t = found[f"DOCKER-CONTAINER-PORTS-ALL-INTERFACES@{target}"]
        assert t.path == [target]
        assert (
            f"Path: anyone on Internet → {t.target_name} through its port published on every "
            f"interface of Docker host (app01), {auth}." in t.severity_reason
        ), t.severity_reason
    assert found["DOCKER-CONTAINER-PORTS-ALL-INTERFACES@mysql"].severity == "high"
    # a host reached only from the corporate LAN: its ports are as likely as that LAN
    text = (MODELS / "docker-host.yaml").read_text()
    old = "component: generic.external_entity, boundary: internet,\n     pos: [150, 380]"
    assert old in text
    lan = loads_model(text.replace(old, old.replace("internet", "corp_lan")))
    api = {t.id: t for t in derive(lan, RULES)}["DOCKER-CONTAINER-PORTS-ALL-INTERFACES@api"]
    assert "Path: anyone on Corporate LAN → predict API through" in api.severity_reason
    assert api.likelihood == 3


def test_the_clients_missing_content_trust_is_not_raised_by_the_clients_own_data():
    # it read "Impact: rule base medium, raised: Docker CLI handles secret data" (the compose
    # file's passwords): what a substituted image costs is what it runs as on the host
    t = threats("docker-host.yaml")["DOCKER-CLIENT-NO-CONTENT-TRUST@cli"]
    assert "handles secret data" not in t.severity_reason
    assert "Impact: rule base high." in t.severity_reason


@pytest.mark.parametrize("model", EXAMPLES)
def test_a_path_from_a_public_registry_into_a_pod_runs_an_image_of_that_registry(model):
    # node-exporter DaemonSet was graded "Docker Hub (Internet) → containerd (worker-2) → ..."
    # while its image was quay.io's: a pod reached by content from Docker Hub runs a Docker Hub
    # image (no registry host in its reference)
    drawn = load_model(MODELS / model)
    elements = {e.id: e for e in drawn.elements}
    for t in threats(model).values():
        if len(t.path) < 3 or elements[t.path[-1]].component != "k8s.pod":
            continue
        start = elements[t.path[0]]
        if start.component == "docker.registry" and start.properties.get("public"):
            image = str(elements[t.path[-1]].properties.get("image", ""))
            first = image.split("/", maxsplit=1)[0]
            assert "/" not in image or not ("." in first or ":" in first), (t.id, image)


def test_the_shops_images_come_from_public_registries_on_the_internet():
    # the manifests pull Google's sample images and redis:alpine anonymously from public
    # registries; the model drew a token-authenticated registry of the team's own project, so
    # nothing said that the shop runs code a third party publishes
    found = threats("online-shop-k8s.yaml")
    public = found["DOCKER-REGISTRY-PUBLIC-SOURCE@registry"]
    assert public.title == (
        "Images are pulled straight from the public registry google-samples / Docker Hub"
    )
    frontend = found["K8S-POD-UNVERIFIED-IMAGE@frontend"]
    assert frontend.path == ["registry", "frontend"] and frontend.severity == "medium"


def test_a_writable_root_filesystem_is_what_the_containers_user_may_write():
    # node-exporter runs as user 65534: it cannot "alter binaries" owned by root in its image
    t = threats("docker-host.yaml")["DOCKER-CONTAINER-WRITABLE-ROOTFS@node_exporter"]
    assert "wherever the container's user may write" in t.description
