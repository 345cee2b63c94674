"""The example models: they load, validate, round-trip and are laid out readably on a canvas."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from stride_desktop.io import default_catalog, load_model, save_model, validate_model
from stride_desktop.model import Model

MODELS = Path(__file__).resolve().parents[1] / "models"
EXAMPLES = sorted(MODELS.glob("*.yaml"))
MIN_SPACING = 120  # px between element centres; icons with labels need about this much


def test_the_three_required_examples_exist() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"docker-host.yaml", "kubernetes-cluster.yaml", "online-shop-k8s.yaml"} <= names


@pytest.fixture(params=EXAMPLES, ids=lambda p: p.name)
def example(request: pytest.FixtureRequest) -> tuple[Path, Model]:
    return request.param, load_model(request.param)


def test_example_validates_and_is_documented(example: tuple[Path, Model]) -> None:
    _, model = example
    assert validate_model(model) == []
    assert model.name and model.description and model.author and model.owner


def test_example_round_trips(example: tuple[Path, Model], tmp_path: Path) -> None:
    path, model = example
    copy = tmp_path / path.name
    save_model(model, copy)
    assert load_model(copy) == model
    save_model(load_model(copy), copy)  # a second save is stable too
    assert load_model(copy) == model


def _inside(point: tuple[float, float], rect: tuple[float, ...], margin: float = 0) -> bool:
    x, y, w, h = rect
    return x + margin <= point[0] <= x + w - margin and y + margin <= point[1] <= y + h - margin


def test_elements_sit_inside_their_boundary_and_outside_others(example: tuple[Path, Model]) -> None:
    _, model = example
    by_id = {b.id: b for b in model.boundaries}
    problems = []
    for e in model.elements:
        chain = set()
        current = e.boundary
        while current is not None:
            chain.add(current)
            current = by_id[current].parent
        for b in model.boundaries:
            inside = _inside(e.pos, b.rect, margin=20 if b.id in chain else 0)
            if (b.id in chain) != inside:
                problems.append(
                    f"{e.id} at {e.pos} {'outside' if b.id in chain else 'inside'} {b.id}"
                )
    assert problems == []


def test_nested_boundaries_lie_within_their_parent(example: tuple[Path, Model]) -> None:
    _, model = example
    by_id = {b.id: b for b in model.boundaries}
    for b in model.boundaries:
        if b.parent:
            x, y, w, h = b.rect
            assert _inside((x, y), by_id[b.parent].rect) and _inside(
                (x + w, y + h), by_id[b.parent].rect
            ), b.id


def test_elements_do_not_overlap(example: tuple[Path, Model]) -> None:
    _, model = example
    close = [
        (a.id, b.id)
        for a, b in combinations(model.elements, 2)
        if abs(a.pos[0] - b.pos[0]) < MIN_SPACING and abs(a.pos[1] - b.pos[1]) < MIN_SPACING
    ]
    assert close == []


def test_every_element_takes_part_in_a_flow_or_is_an_identity(example: tuple[Path, Model]) -> None:
    _, model = example
    catalog = default_catalog()
    linked = {f.source for f in model.flows} | {f.target for f in model.flows}
    lonely = [
        e.id
        for e in model.elements
        if e.id not in linked
        and catalog.kind_of(e.component).value != "external_entity"
        and e.component not in ("k8s.service_account", "k8s.configmap")
    ]
    assert lonely == []


def test_online_shop_is_large() -> None:
    model = load_model(MODELS / "online-shop-k8s.yaml")
    assert len(model.elements) >= 30
    assert len(model.flows) >= 30
