"""A bench result that contradicts the model is found, and its fix makes model and bench agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.bench import add_run, parse_bench_file
from stride_desktop.io import default_catalog, loads_model
from stride_desktop.rules import derive, load_rules
from stride_desktop.rules.contradictions import (
    ContradictionTableError,
    default_check_meanings,
    find_contradictions,
    load_check_meanings,
)

BENCH = Path(__file__).resolve().parents[1] / "fixtures" / "bench"
RULES = load_rules()

DOCKER = """
stride_model: 2
boundaries: [{id: host, name: app01, kind: host, trust: 2}]
elements:
  - {id: dockerd, name: dockerd, component: docker.daemon, boundary: host,
     properties: {userns_remap: true}}
  - {id: gpu, name: GPU worker, component: docker.container, boundary: host,
     properties: {privileged: true}}
  - {id: itm, name: seas-seas.itm-1, component: docker.container, boundary: host,
     properties: {container_name: seas-seas.itm-1}}
  - {id: web, name: web, component: docker.container, boundary: host}
"""
KUBE = """
stride_model: 2
boundaries: [{id: node, name: worker-1, kind: node, trust: 3}]
elements:
  - {id: kubelet, name: kubelet, component: k8s.kubelet, boundary: node,
     properties: {read_only_port: 10255}}
  - {id: apiserver, name: kube-apiserver, component: k8s.apiserver, boundary: node,
     properties: {audit_log: true}}
"""


def imported(text: str, fixture: str):
    model = loads_model(text)
    add_run(
        model, parse_bench_file(BENCH / fixture).run, scope="host" if "host" in text else "node"
    )
    return model


def found(model) -> dict[tuple[str, str], object]:
    return {(c.element, c.property_name): c for c in find_contradictions(model)}


def test_the_shipped_table_loads_against_the_catalog():
    assert len(default_check_meanings()) >= 20


def test_docker_bench_results_that_contradict_the_model():
    model = imported(DOCKER, "docker-bench-1.6.0.log.json")
    flags = found(model)
    # 5.4 "privileged containers are not used" passed on every container of the host
    privileged = flags[("gpu", "privileged")]
    assert (privileged.model_value, privileged.fix, privileged.status) == (True, False, "pass")
    assert privileged.message.startswith("The model says privileged: true, but docker-bench")
    assert "5.4" in privileged.message and "passed on GPU worker" in privileged.message
    # 2.9 "user namespace support" failed: the model's userns_remap: true is contradicted
    assert flags[("dockerd", "userns_remap")].fix is False
    # 5.9 failed naming seas-seas.itm-1: only that container shares the host network
    assert flags[("itm", "host_network")].fix is True
    assert ("web", "host_network") not in flags and ("web", "privileged") not in flags


def test_kube_bench_results_that_contradict_the_model():
    flags = found(imported(KUBE, "kube-bench-cis-1.23.json"))
    # 4.2.1 passed: anonymous auth is off, though the model keeps the upstream default (on)
    assert flags[("kubelet", "anonymous_auth")].fix is False
    assert flags[("kubelet", "read_only_port")].fix == 0  # 4.2.4 passed
    assert flags[("apiserver", "audit_log")].fix is False  # 1.2.19 failed
    # 1.2.1 only warned: no contradiction from it
    assert ("apiserver", "anonymous_auth") not in flags


def test_applying_the_fixes_clears_the_flags_and_the_threats_they_contradicted():
    model = imported(DOCKER, "docker-bench-1.6.0.log.json")
    before = {t.id for t in derive(model, RULES)}
    assert "DOCKER-CONTAINER-PRIVILEGED@gpu" in before
    for c in find_contradictions(model):
        element = model.element(c.element)
        assert element is not None
        element.properties[c.property_name] = c.fix
    assert find_contradictions(model) == []
    assert "DOCKER-CONTAINER-PRIVILEGED@gpu" not in {t.id for t in derive(model, RULES)}


def test_a_passing_check_verifies_and_lowers_the_threat_it_answers():
    model = imported(KUBE, "kube-bench-cis-1.23.json")
    threats = {t.id: t for t in derive(model, RULES)}
    anonymous = threats["K8S-KUBELET-ANONYMOUS-AUTH@kubelet"]
    assert anonymous.verified and anonymous.likelihood == 1
    assert (
        "Control verified by passing kube-bench checks 4.2.1 and 4.2.3" in anonymous.severity_reason
    )


def test_a_bad_table_names_the_file_and_the_entry(tmp_path):
    path = tmp_path / "contradictions.yaml"
    path.write_text(
        "checks:\n  - {tool: kube-bench, title: x, components: [k8s.kubelet],"
        " property: colour, pass: true}\n"
    )
    with pytest.raises(ContradictionTableError, match=r"checks\[0\]\.property: k8s.kubelet"):
        load_check_meanings(path, default_catalog())
