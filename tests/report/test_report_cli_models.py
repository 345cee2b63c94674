"""The ``report`` sub-command, the example models with real derivation, diagram scaling, layering."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stride_desktop.cli import main
from stride_desktop.io import default_catalog, load_model
from stride_desktop.report import ReportOptions, render_report_bytes
from stride_desktop.report.data import build_data
from stride_desktop.report.diagram import ELEMENT_H, ELEMENT_W, MIN_BOX_H, MIN_BOX_W, scene_bounds
from stride_desktop.report.diagram_plan import plan_diagram

from .conftest import make_model, make_threats, pdf_text, squash

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted((ROOT / "models").glob("*.yaml"))
BENCH = ROOT / "tests" / "fixtures" / "bench"


def test_cli_writes_the_report(tmp_path, capsys):
    out = tmp_path / "r.pdf"
    code = main(["report", str(MODELS[0]), "-o", str(out), "--invariant"])
    assert code == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "pages" in capsys.readouterr().err


def test_cli_bench_run_appears_in_the_report(tmp_path):
    model = ROOT / "models" / "docker-host.yaml"
    out = tmp_path / "r.pdf"
    bench = BENCH / "docker-bench-1.6.0.log.json"
    assert main(["report", str(model), "-o", str(out), "--bench", f"{bench}@docker_host"]) == 0
    _, text = pdf_text(out.read_bytes())
    assert "docker-bench-security" in text and "FAIL" in text


def test_cli_bad_input_exits_2_and_leaves_no_file(tmp_path, capsys):
    out = tmp_path / "r.pdf"
    assert main(["report", str(MODELS[0]), "-o", str(out), "--bench", "nope.json@nowhere"]) == 2
    assert "unknown boundary 'nowhere'" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("stride_model: 1\nelements: 7\n")
    assert main(["report", str(bad), "-o", str(out)]) == 2
    assert str(bad) in capsys.readouterr().err
    assert main(["report", str(MODELS[0]), "-o", str(tmp_path / "missing" / "r.pdf")]) == 2
    assert list(tmp_path.iterdir()) == [bad]


def test_failed_build_keeps_the_old_file_whole(tmp_path, monkeypatch):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"%PDF old")
    from stride_desktop import report

    def boom(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(report.ReportDoc, "build_once", boom)
    with pytest.raises(RuntimeError):
        main(["report", str(MODELS[0]), "-o", str(out)])
    assert out.read_bytes() == b"%PDF old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_example_models_list_every_threat(path):
    from stride_desktop.rules import derive, load_rules, stale_triage

    model = load_model(path)
    threats = derive(model, load_rules(model=model, model_path=path))
    data = render_report_bytes(
        model,
        threats,
        stale_triage(model, threats),
        options=ReportOptions(include_closed=True, invariant=True, appendix=True),
    )
    reader, text = pdf_text(data)
    flat = squash(text)
    missing = [t.id for t in threats if squash(t.id) not in flat]
    assert not missing
    assert len(reader.outline) > 5
    assert len(reader.pages) < 40 + len(threats) // 3


A4_LANDSCAPE = ("landscape", (770.0, 400.0))
A3_LANDSCAPE = ("a3", (1089.0, 600.0))


def _inside(region, pos) -> bool:
    x, y = pos
    return (
        region[0] <= x - ELEMENT_W / 2
        and x + ELEMENT_W / 2 <= region[2]
        and region[1] <= y - ELEMENT_H / 2
        and y + ELEMENT_H / 2 <= region[3]
    )


def test_big_diagram_gets_an_overview_and_tiles_cut_along_boundaries():
    model = make_model(60)
    for i, e in enumerate(model.elements):  # a dense 60-element grid, far wider than a page
        e.pos = (400.0 + 230 * (i % 12), 100.0 + 120 * (i // 12))
    model.boundaries[1].rect = (340, 0, 2900, 800)
    model.elements[0].pos = (150.0, 100.0)
    data = build_data(model, [], [], include_closed=False, catalog=default_catalog())
    plan = plan_diagram(data, [A4_LANDSCAPE, A3_LANDSCAPE])
    assert plan.template == "a3" and 2 <= len(plan.tiles) <= 6
    owners = [t for e in model.elements for t in plan.tiles if e.id in t.elements]
    assert len(owners) == len(model.elements)  # every element in exactly one tile
    for tile in plan.tiles:
        assert tile.elements  # no empty tile
        assert all(_inside(tile.box, data.elements[eid].pos) for eid in tile.elements)
        width, height = tile.box[2] - tile.box[0], tile.box[3] - tile.box[1]
        assert width * tile.scale <= 1089 and height * tile.scale <= 600
    assert any("Internet" in t.name for t in plan.tiles)  # named after their boundaries
    pdf = render_report_bytes(model, make_threats(model), [])
    _reader, text = pdf_text(pdf)
    for e in model.elements:  # every name is written on some tile page
        assert e.name in text
    assert "Diagram tile 1:" in text


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_example_diagrams_fit_one_legible_page(path):
    model = load_model(path)
    data = build_data(model, [], [], include_closed=False, catalog=default_catalog())
    plan = plan_diagram(data, [A4_LANDSCAPE, A3_LANDSCAPE])
    assert plan.tiles == [] and plan.scale >= 0.38


def test_small_diagram_fits_on_one_page():
    model = make_model(6)
    data = build_data(model, [], [], include_closed=False, catalog=default_catalog())
    plan = plan_diagram(data, [A4_LANDSCAPE, A3_LANDSCAPE])
    assert not plan.tiles
    room = dict([A4_LANDSCAPE, A3_LANDSCAPE])[plan.template]
    x0, y0, x1, y1 = scene_bounds(data)
    assert (x1 - x0) * plan.scale <= room[0] and (y1 - y0) * plan.scale <= room[1]
    assert MIN_BOX_W >= 70 and MIN_BOX_H >= 25


def test_report_package_never_imports_qt():
    code = (
        "import sys, stride_desktop.report, stride_desktop.cli.report; "
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_far_apart_elements_make_few_tiles_not_a_huge_grid():
    model = make_model(3)
    model.elements[2].pos = (5_000_000.0, 5_000_000.0)
    data = build_data(model, [], [], include_closed=False, catalog=default_catalog())
    plan = plan_diagram(data, [A4_LANDSCAPE, A3_LANDSCAPE])
    assert 1 <= len(plan.tiles) <= 3
    reader, _ = pdf_text(render_report_bytes(model, make_threats(model), []))
    assert len(reader.pages) < 30
