"""Attaching runs to a model: component hints, docker-bench items by name, scope, manual assignment."""

from __future__ import annotations

import re

import pytest

from stride_desktop.bench import (
    add_run,
    assign_finding,
    attach_run,
    parse_bench_file,
    unassign_finding,
    unassigned,
)
from stride_desktop.model.elements import Boundary, Element
from stride_desktop.model.model import Model


def _docker_model() -> Model:
    model = Model(name="Docker host")
    model.boundaries = [
        Boundary(id="host", name="Docker host", kind="host"),
        Boundary(id="other", name="Other host", kind="host"),
    ]
    model.elements = [
        Element(id="h", name="host OS", component="docker.host", boundary="host"),
        Element(id="dockerd", name="Docker daemon", component="docker.daemon", boundary="host"),
        Element(
            id="pacs", name="PACS", component="docker.container", boundary="host"
        ),  # compose service
        Element(
            id="c2",
            name="jenkins",
            component="docker.container",
            boundary="host",
            properties={"container_name": "hevi_jenkins_1"},
        ),
        Element(
            id="img",
            name="mysql",
            component="docker.image",
            boundary="host",
            properties={"reference": "mysql:5.7"},
        ),
        Element(id="far", name="seas-pacs-1", component="docker.container", boundary="other"),
        Element(id="dockerd2", name="Other daemon", component="docker.daemon", boundary="other"),
    ]
    return model


def test_items_attach_by_name_and_compose_service(fixture):
    model = _docker_model()
    run = parse_bench_file(fixture("docker-bench-1.6.0.log.json")).run
    attach_run(model, run, scope="host")
    by_id = {f.check_id: f for f in run.findings}
    ports = by_id["5.7"]  # "seas-pacs-1:104"
    assert ports.elements == ["pacs"]
    memory = (
        by_id["5.11"]
        if "memory" in by_id["5.11"].title
        else next(f for f in run.findings if "memory usage" in f.title)
    )
    assert {"pacs", "c2"} <= set(memory.elements)  # seas-pacs-1 and hevi_jenkins_1
    assert "far" not in memory.elements  # other boundary: out of scope
    healthcheck = next(f for f in run.findings if "HEALTHCHECK" in f.title)
    assert "img" in healthcheck.elements  # [mysql:5.7]
    assert by_id["2.2"].elements == ["dockerd"]
    assert by_id["1.1.1"].elements == ["h"]


def test_whole_model_scope_and_unknown_scope(fixture):
    model = _docker_model()
    run = parse_bench_file(fixture("docker-bench-1.6.0.log.json")).run
    attach_run(model, run, scope=None)
    by_id = {f.check_id: f for f in run.findings}
    assert set(by_id["2.2"].elements) == {"dockerd", "dockerd2"}
    assert by_id["5.7"].elements == ["far"]  # an exact name beats a compose-style match
    with pytest.raises(KeyError, match="known: host, other"):
        attach_run(model, run, scope="hots")


def test_unassigned_and_manual_assignment(fixture):
    model = _docker_model()
    run = parse_bench_file(fixture("docker-bench-1.6.0.log.json")).run
    attach_run(model, run, scope="host")
    lost = unassigned(run)
    assert lost and all(not f.elements for f in lost)
    swarm = next(f for f in lost if f.component == "swarm")
    assign_finding(run, swarm.key, "dockerd")
    assert swarm.elements == ["dockerd"] and swarm.assigned_by_hand == ["dockerd"]
    assert swarm not in unassigned(run)
    attach_run(model, run, scope="host")  # re-attaching keeps what a person chose
    assert swarm.elements == ["dockerd"]
    unassign_finding(run, swarm.key, "dockerd")
    assert swarm.elements == [] and swarm.assigned_by_hand == []
    with pytest.raises(KeyError):
        assign_finding(run, "no-such-check", "dockerd")


def test_node_level_findings_fall_back_to_the_docker_host(fixture):
    model = _docker_model()
    model.elements = [e for e in model.elements if e.id != "h"]
    run = parse_bench_file(fixture("docker-bench-1.6.0.log.json")).run
    attach_run(model, run, scope="host")
    assert next(f for f in run.findings if f.check_id == "1.1.1").elements == []
    model.elements.append(Element(id="vm", name="VM", component="docker.host", boundary="host"))
    kube = parse_bench_file(fixture("kube-bench-cis-1.23.json")).run
    attach_run(model, kube, scope="host")
    admin = next(f for f in kube.findings if f.component == "control-plane-node")
    assert admin.elements == ["vm"]


def test_kubernetes_hints_and_catalog_components(fixture):
    model = Model()
    model.boundaries = [Boundary(id="cp", name="control plane", kind="node")]
    model.elements = [
        Element(id="api", name="kube-apiserver", component="k8s.apiserver", boundary="cp"),
        Element(id="etcd", name="etcd", component="k8s.etcd", boundary="cp"),
        Element(id="kl", name="kubelet", component="k8s.kubelet", boundary="cp"),
        Element(id="custom", name="my proxy", component="acme.proxy", boundary="cp"),
    ]
    run = parse_bench_file(fixture("kube-bench-cis-1.23.json")).run
    attach_run(model, run, scope="cp")
    by_id = {f.check_id: f for f in run.findings}
    assert by_id["1.2.1"].elements == ["api"]
    assert set(by_id["5.4.1"].elements) == {"etcd"}  # secrets -> k8s.secret, k8s.etcd
    assert by_id["4.2.1"].elements == ["kl"]
    assert by_id["4.1.3"].elements == []  # kube-proxy: no element
    attach_run(model, run, scope="cp", catalog_components={"acme.proxy": ["kube-proxy"]})
    assert by_id["4.1.3"].elements == ["custom"]


def test_add_run_assigns_id_time_scope(fixture):
    model = _docker_model()
    first = add_run(
        model, parse_bench_file(fixture("docker-bench-1.6.0.log.json")).run, scope="host"
    )
    second = add_run(model, parse_bench_file(fixture("docker-bench-1.6.0.log")).run, scope=None)
    assert [r.id for r in model.bench_runs] == ["run1", "run2"]
    assert first.scope == "host" and second.scope is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first.imported_at)
    assert model.find_finding(f"{first.id}:5.7")[1].elements == ["pacs"]
    with pytest.raises(KeyError):
        add_run(
            model, parse_bench_file(fixture("docker-bench-1.6.0.log.json")).run, scope="nowhere"
        )
    assert len(model.bench_runs) == 2


def test_saved_model_carries_its_evidence(fixture, tmp_path):
    from stride_desktop import io

    model = _docker_model()
    run = add_run(model, parse_bench_file(fixture("docker-bench-1.6.0.log.json")).run, scope="host")
    path = tmp_path / "m.yaml"
    io.save_model(model, path)
    loaded = io.load_model(path)
    again = loaded.bench_run(run.id)
    assert [f.key for f in again.findings] == [f.key for f in run.findings]
    assert [f.elements for f in again.findings] == [f.elements for f in run.findings]
    assert [len(f.affected) for f in again.findings] == [len(f.affected) for f in run.findings]


def test_the_command_line_and_the_editor_prepare_runs_the_same_way(fixture, tmp_path):
    """One owner: ``prepare_run`` mints the id, stamps the time and attaches by the catalog's
    hints (the command line attached without them, and minted other ids, before)."""
    import argparse

    from stride_desktop.bench import prepare_run
    from stride_desktop.cli.inputs import load_inputs
    from stride_desktop.io import save_model

    model = Model(name="k8s")
    model.boundaries = [Boundary(id="node", name="Worker", kind="node")]
    model.elements = [
        Element(id="kubelet", name="kubelet", component="k8s.kubelet", boundary="node")
    ]
    path = tmp_path / "k8s.yaml"
    save_model(model, path)
    bench = fixture("kube-bench-cis-1.23.json")
    parsed = parse_bench_file(bench).run
    editor = prepare_run(model, parsed, scope="node")
    cli = load_inputs(
        argparse.Namespace(model=str(path), rules=[], bench=[f"{bench}@node", str(bench)])
    ).runs
    assert [r.id for r in cli] == ["run1", "run2"] and editor.id == "run1"
    assert [f.elements for f in cli[0].findings] == [f.elements for f in editor.findings]
    assert any("kubelet" in f.elements for f in editor.findings)
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.imported_at) for r in [*cli, editor]
    )
    assert parsed.id != editor.id and not parsed.findings[0].elements  # the parsed run is kept


def test_new_ids_come_from_the_model():
    model = _docker_model()
    assert model.new_id("dockerd") == "dockerd-2"
    assert model.new_id("dockerd", taken=["dockerd-2"]) == "dockerd-3"
    assert model.new_id("run", numbered=True) == "run1"
    assert model.new_id("run", numbered=True, taken=["run1"]) == "run2"
