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
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work),
                    str(REPO)], check=True, timeout=600)
    wheel = next(work.glob("stride_desktop-*.whl"))
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, timeout=600)
    return target


def test_wheel_validates_example_from_another_folder(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    shutil.copy(REPO / "models" / "docker-host.yaml", tmp_path / "models")
    env = {**os.environ, "PYTHONPATH": str(installed)}
    code = ("import runpy, sys, stride_desktop, stride_desktop.paths as p\n"
            "print(stride_desktop.__file__)\nprint(p.resources_dir())\nprint(p.models_dir())\n"
            "sys.argv = ['stride-desktop', 'validate', 'models/docker-host.yaml']\n"
            "runpy.run_module('stride_desktop', run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    package_file, resources, models, verdict = result.stdout.splitlines()[:4]
    assert package_file.startswith(str(installed))
    assert resources.startswith(str(installed)) and models.startswith(str(installed))
    assert verdict.startswith("models/docker-host.yaml: OK")
    assert (installed / "bin" / "stride-desktop").exists()
