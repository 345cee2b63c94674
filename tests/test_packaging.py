"""An installed wheel finds its resources and example models without the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work), str(REPO)],
        check=True,
        timeout=600,
    )
    wheel = next(work.glob("stride_desktop-*.whl"))
    target = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=600,
    )
    return target


@pytest.mark.slow
def test_wheel_validates_example_from_another_folder(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    shutil.copy(REPO / "models" / "docker-host.yaml", tmp_path / "models")
    env = {**os.environ, "PYTHONPATH": str(installed)}
    code = (
        "import runpy, sys, stride_desktop, stride_desktop.paths as p\n"
        "print(stride_desktop.__file__)\nprint(p.resources_dir())\nprint(p.models_dir())\n"
        "sys.argv = ['stride-desktop', 'validate', 'models/docker-host.yaml']\n"
        "runpy.run_module('stride_desktop', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    package_file, resources, models, verdict = result.stdout.splitlines()[:4]
    assert package_file.startswith(str(installed))
    assert resources.startswith(str(installed)) and models.startswith(str(installed))
    assert verdict.startswith("models/docker-host.yaml: OK")
    assert (installed / "bin" / "stride-desktop").exists()


def test_every_package_folder_is_listed_in_pyproject() -> None:
    """pyproject lists the packages by hand (setuptools cannot mix `find` with mapped packages):
    a new sub-package missing from the list would be left out of the wheel."""
    import tomllib

    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "stride_desktop").rglob("__init__.py")
    }
    assert on_disk - listed == set()
    assert {"stride_desktop.resources", "stride_desktop.resources.models"} <= listed


@pytest.mark.slow
def test_wheel_ships_every_module_and_resource(installed: Path) -> None:
    shipped = {
        p.relative_to(installed).as_posix() for p in (installed / "stride_desktop").rglob("*.py")
    }
    source = {p.relative_to(REPO).as_posix() for p in (REPO / "stride_desktop").rglob("*.py")}
    assert source - shipped == set()
    rules = {p.name for p in (installed / "stride_desktop" / "resources" / "rules").glob("*.yaml")}
    assert rules == {p.name for p in (REPO / "resources" / "rules").glob("*.yaml")}
    models = {
        p.name for p in (installed / "stride_desktop" / "resources" / "models").glob("*.yaml")
    }
    assert models == {p.name for p in (REPO / "models").glob("*.yaml")}
