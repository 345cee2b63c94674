"""The core auto-layout: boundary-aware, no overlaps, and never worse than the drawing it replaces."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

from stride_desktop.io import default_catalog, load_model
from stride_desktop.layout import (
    apply_layout,
    boundary_violations,
    edge_crossings,
    element_overlaps,
    fit_zoom,
    flows_through_elements,
    layout_metrics,
    layout_model,
)
from stride_desktop.layout.compound import Tree
from stride_desktop.layout.refine import Scorer
from stride_desktop.layout.sizes import size_function
from stride_desktop.layout.squeeze import squeeze
from stride_desktop.layout.stretch import stretched
from stride_desktop.model import Boundary, Element, Flow, Model

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "models").glob("*.yaml"))
CATALOG = default_catalog()


def laid_out(model: Model) -> Model:
    copy_ = copy.deepcopy(model)
    apply_layout(copy_, layout_model(copy_, catalog=CATALOG))
    return copy_


# How large the auto-layout is on screen at fit zoom, as a share of the hand drawing's fit zoom
# (1366 x 768): 0.8 or more, but kubernetes-cluster (0.68 here with the estimated boxes, 0.74
# with the editor's, tests/ui/test_auto_layout.py): its smaller drawings run more lines through
# boxes or cross more. Before the squeeze and the size in the score: 0.55, 0.70, 0.44, 0.57
# (docker-host, k8s-audit-2019, kubernetes-cluster, online-shop-k8s).
FIT_SHARE = {"kubernetes-cluster.yaml": 0.65}
# A drawing a quarter smaller on screen may run one line more through a box than the hand
# drawing (``layout_model``): with the estimated boxes, docker-host (0.96 of the hand drawing's
# zoom instead of 0.69) and kubernetes-cluster (0.68 instead of 0.59) take that line. Before
# this: none and 2; before the ports, the stretches and the line-clearing search: 9 and 3.
THROUGH_LEFT = {"docker-host.yaml": 1, "kubernetes-cluster.yaml": 2}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_layout_of_an_example_is_no_worse_than_the_hand_drawing(path: Path) -> None:
    model = load_model(path)
    before = layout_metrics(model, catalog=CATALOG)
    after = layout_metrics(laid_out(model), catalog=CATALOG)
    assert after["overlaps"] == 0
    assert after["boundary_violations"] == 0
    assert after["crossings"] <= before["crossings"], (before, after)
    allowed = max(before["flows_through_elements"], THROUGH_LEFT.get(path.name, 0))
    assert after["flows_through_elements"] <= allowed, (before, after)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_layout_of_an_example_is_about_as_compact_as_the_hand_drawing(path: Path) -> None:
    model = load_model(path)
    hand = fit_zoom(model, catalog=CATALOG)
    auto = fit_zoom(laid_out(model), catalog=CATALOG)
    assert auto >= FIT_SHARE.get(path.name, 0.8) * hand, (hand, auto)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_layout_is_deterministic_and_leaves_the_model_alone(path: Path) -> None:
    model = load_model(path)
    original = copy.deepcopy(model)
    first = layout_model(model, catalog=CATALOG)
    assert model == original
    assert layout_model(model, catalog=CATALOG) == first
    assert set(first.positions) == {e.id for e in model.elements}
    assert set(first.rects) == {b.id for b in model.boundaries}


def _shop() -> Model:
    """Internet users -> proxy -> api -> db, a volume and a secret, two nested boundaries."""
    return Model(
        boundaries=[
            Boundary("internet", "Internet", trust=0, kind="internet"),
            Boundary("host", "Docker host", trust=2, kind="host"),
            Boundary("back", "backend network", trust=3, kind="network", parent="host"),
        ],
        elements=[
            Element("user", "Users", "generic.external_entity", boundary="internet"),
            Element("proxy", "proxy", "docker.container", boundary="host"),
            Element("api", "api", "docker.container", boundary="back"),
            Element("db", "db", "docker.container", boundary="back"),
            Element("data", "db-data", "docker.volume", boundary="host"),
            Element("secret", "db-password", "docker.secret", boundary="host"),
        ],
        flows=[
            Flow("f1", "user", "proxy"),
            Flow("f2", "proxy", "api"),
            Flow("f3", "api", "db"),
            Flow("f4", "db", "data"),
            Flow("f5", "secret", "db"),
        ],
    )


def test_members_sit_inside_their_boundaries_which_fit_their_content() -> None:
    model = laid_out(_shop())
    assert boundary_violations(model, catalog=CATALOG) == []
    assert element_overlaps(model, catalog=CATALOG) == []
    size_of = size_function(CATALOG)
    back = model.boundary("back").rect
    members = [e for e in model.elements if e.boundary == "back"]
    right = max(e.pos[0] + size_of(e)[0] / 2 for e in members)
    bottom = max(e.pos[1] + size_of(e)[1] / 2 for e in members)
    assert back[0] + back[2] - right < 120, "a boundary hugs its content"
    assert back[1] + back[3] - bottom < 120


def test_external_entities_go_left_and_stores_right_of_their_users() -> None:
    model = laid_out(_shop())
    x = {e.id: e.pos[0] for e in model.elements}
    assert x["user"] == min(x.values())
    assert x["proxy"] < x["api"] < x["db"]
    assert x["data"] > x["db"]
    assert x["secret"] > x["db"], "a store read by db still sits right of it"
    internet, host = model.boundary("internet").rect, model.boundary("host").rect
    assert internet[0] + internet[2] < host[0]


def test_a_large_model_lays_out_without_overlaps() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_model

    model = laid_out(make_model(600, seed=3))
    assert element_overlaps(model, catalog=CATALOG) == []
    assert boundary_violations(model, catalog=CATALOG) == []


def test_a_squeeze_takes_the_room_out_and_keeps_members_inside() -> None:
    model = _shop()
    tree = Tree(model, CATALOG, size_function(CATALOG))
    drawn = tree.compose()
    internet = drawn.rects["internet"]  # the internet far left, with a wide gap to the host
    spread = stretched(drawn, (None, set()), 0, internet[0] + internet[2] + 1, 900.0)
    squeezed = squeeze(spread, tree, 0)
    assert Scorer(tree).extent(squeezed)[0] <= Scorer(tree).extent(drawn)[0]
    copy_ = copy.deepcopy(model)
    apply_layout(copy_, squeezed)
    assert element_overlaps(copy_, catalog=CATALOG) == []
    assert boundary_violations(copy_, catalog=CATALOG) == []
    assert squeezed.rects["internet"][0] + squeezed.rects["internet"][2] < squeezed.rects["host"][0]


def test_fit_zoom_is_the_zoom_that_shows_the_whole_drawing() -> None:
    model = Model(
        boundaries=[Boundary("b", "B", rect=(0, 0, 1600, 200))],
        elements=[Element("a", "a", "docker.container", pos=(100, 100), boundary="b")],
    )
    assert fit_zoom(model, catalog=CATALOG) == pytest.approx(0.5)  # 1600 px on an 800 px canvas
    model.boundaries[0].rect = (0, 0, 300, 200)
    assert fit_zoom(model, catalog=CATALOG) == 1.0  # never above 100 %


def test_the_metrics_see_what_they_measure() -> None:
    model = Model(
        boundaries=[Boundary("b", "B", rect=(0, 0, 300, 200))],
        elements=[
            Element("a", "a", "generic.process", boundary="b", pos=(100, 100)),
            Element("c", "c", "generic.process", pos=(150, 110)),  # overlaps a, reaches into b
            Element("p", "p", "generic.process", pos=(500, 0)),
            Element("q", "q", "generic.process", pos=(500, 400)),
            Element("r", "r", "generic.process", pos=(300, 200)),
            Element("s", "s", "generic.process", pos=(700, 200)),
        ],
        flows=[Flow("pq", "p", "q"), Flow("rs", "r", "s"), Flow("pr", "p", "r")],
    )
    assert element_overlaps(model, catalog=CATALOG) == [("a", "c")]
    assert "c reaches into b" in boundary_violations(model, catalog=CATALOG)
    assert edge_crossings(model) == 1  # pq crosses rs; pr shares p with pq


def test_a_flow_drawn_through_a_box_it_does_not_connect_is_seen() -> None:
    model = Model(
        elements=[
            Element(name, name, "generic.process", pos=pos)
            for name, pos in (("a", (0, 0)), ("b", (300, 0)), ("c", (600, 0)), ("d", (300, 200)))
        ],
        flows=[Flow("ac", "a", "c"), Flow("ab", "a", "b"), Flow("ad", "a", "d")],
    )
    assert flows_through_elements(model, catalog=CATALOG) == [("ac", "b")]
    model.element("b").pos = (300, 90)  # the box (64 high) now ends 58 below the line
    assert flows_through_elements(model, catalog=CATALOG) == []
