"""Imported diagrams come out laid out (no overlapping boxes, members inside their boundary) and
are models like any other: they save and load back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.importers import import_files
from stride_desktop.io import default_catalog, load_model, save_model
from stride_desktop.layout import boundary_violations, element_overlaps

from .helpers import COMPOSE, K8S

CATALOG = default_catalog()
FIXTURES = [
    [COMPOSE / "awesome-compose__nginx-flask-mysql-compose.yml"],
    [COMPOSE / "example-voting-app__docker-compose.yml"],
    [COMPOSE / "airflow__docker-compose.yaml"],
    [COMPOSE / "iris-web" / "docker-compose.yml", COMPOSE / "iris-web" / "docker-compose.dev.yml"],
    *([p] for p in sorted(K8S.glob("*.yaml"))),
]


@pytest.mark.parametrize("files", FIXTURES, ids=lambda files: files[-1].name)
def test_imported_fixture_has_no_overlaps_and_no_boundary_violations(files: list[Path]) -> None:
    model = import_files(files).model
    assert element_overlaps(model, catalog=CATALOG) == []
    assert boundary_violations(model, catalog=CATALOG) == []
    users = [e for e in model.elements if e.component == "generic.external_entity"]
    if users and all(e.boundary == "internet" for e in users):
        assert min(e.pos[0] for e in model.elements) == min(e.pos[0] for e in users)


@pytest.mark.parametrize("files", FIXTURES, ids=lambda files: files[-1].name)
def test_imported_fixture_saves_and_loads_back_unchanged(files: list[Path], tmp_path: Path) -> None:
    model = import_files(files).model
    save_model(model, tmp_path / "model.yaml")
    assert load_model(tmp_path / "model.yaml") == model
