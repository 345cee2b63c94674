"""Shared helpers: import a fixture once per test module and look things up in the result."""

from __future__ import annotations

from pathlib import Path

from stride_desktop.importers import ImportResult
from stride_desktop.model import Flow, Model

COMPOSE = Path(__file__).resolve().parents[1] / "fixtures" / "compose"
K8S = Path(__file__).resolve().parents[1] / "fixtures" / "k8s"


def flow(model: Model, source: str, target: str) -> Flow:
    """The flow from ``source`` to ``target`` (one per pair unless keyed, e.g. by port)."""
    found = [f for f in model.flows if f.source == source and f.target == target]
    assert found, f"no flow {source} -> {target}; flows: {[f.id for f in model.flows]}"
    return found[0]


def pairs(model: Model, *, prefix: str = "") -> set[tuple[str, str]]:
    return {(f.source, f.target) for f in model.flows if f.source.startswith(prefix)}


def warnings(result: ImportResult) -> list[str]:
    return [str(n) for n in result.notices if n.level == "warning"]


def props(model: Model, element_id: str) -> dict:
    element = model.element(element_id)
    assert element is not None, f"no element {element_id}: {[e.id for e in model.elements]}"
    return element.properties
