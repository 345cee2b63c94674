"""What a reviewer reads is root causes, not repetitions: the noise targets of issue 11, measured
on every model in models/ (the three examples and the 2019 audit's diagram)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.io import load_model
from stride_desktop.rules import derive, load_rules

MODELS = sorted((Path(__file__).resolve().parents[2] / "models").glob("*.yaml"))
RULES = load_rules()


def noise(path: Path) -> dict[str, float]:
    model = load_model(path)
    open_threats = [t for t in derive(model, RULES) if t.is_open]
    on_elements = [t for t in open_threats if t.target_kind in ("element", "boundary")]
    on_flows = [t for t in open_threats if t.target_kind == "flow"]
    generic = [t for t in open_threats if t.source != "rule"]
    return {
        "per_element": len(on_elements) / len(model.elements),
        "per_flow": len(on_flows) / max(1, len(model.flows)),
        "generic_share": len(generic) / max(1, len(open_threats)),
    }


def test_every_example_and_the_audit_diagram_are_measured():
    names = {p.name for p in MODELS}
    assert {
        "docker-host.yaml",
        "kubernetes-cluster.yaml",
        "online-shop-k8s.yaml",
        "k8s-audit-2019.yaml",
    } <= names


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_noise_targets(path: Path):
    measured = noise(path)
    # (boundary threats count with the elements: they are read next to them)
    assert measured["per_element"] <= 3.0, measured
    assert measured["per_flow"] <= 1.5, measured
    assert measured["generic_share"] <= 0.20, measured
