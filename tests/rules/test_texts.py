"""Titles read as sentences: a label the element's name already says is left out."""

from __future__ import annotations

import pytest

from stride_desktop.rules.texts import render


@pytest.mark.parametrize(
    "template,name,expected",
    [
        (
            "Container {name} can starve its neighbours",
            "Container",
            "Container can starve its neighbours",
        ),
        (
            "Container {name} can starve its neighbours",
            "predict API",
            "Container predict API can starve its neighbours",
        ),
        (
            "Kubelet {name} allows anonymous calls",
            "kubelet (worker-1)",
            "kubelet (worker-1) allows anonymous calls",
        ),
        (
            "Engine API endpoint {name} accepts TCP",
            "Engine API tcp://0.0.0.0:2375",
            "Engine API tcp://0.0.0.0:2375 accepts TCP",
        ),
        (
            "Dockerfile and build context {name} can change",
            "Dockerfile / build context",
            "Dockerfile / build context can change",
        ),
        (
            "Anyone who reaches private registry {name} can push",
            "Private registry (lan)",
            "Anyone who reaches Private registry (lan) can push",
        ),
        (
            "Compose file {name} holds passwords",
            "docker-compose.yml",
            "docker-compose.yml holds passwords",
        ),
        (
            "Images come from public registry {name}",
            "Docker Hub",
            "Images come from public registry Docker Hub",
        ),
        ("{name} in {boundary} leaks", "etcd", "etcd in Host leaks"),
        ("Literal {{braces}} for {name}", "x", "Literal {braces} for x"),
    ],
)
def test_render(template: str, name: str, expected: str) -> None:
    assert (
        render(template, {"name": name, "boundary": "Host", "source": "s", "target": "t"})
        == expected
    )


def test_flow_ends_are_named_the_same_way() -> None:
    values = {"name": "SQL", "source": "api pod", "target": "Pod db"}
    assert render("Traffic from pod {source} to pod {target}", values) == (
        "Traffic from api pod to Pod db"
    )
