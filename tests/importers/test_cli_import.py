"""``stride-desktop import`` and ``threats`` / ``report`` on compose files and manifests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stride_desktop.cli import main
from stride_desktop.io import load_model, loads_model, validate_model

from .helpers import COMPOSE, K8S

FLASK = COMPOSE / "awesome-compose__nginx-flask-mysql-compose.yml"
SHOP = K8S / "microservices-demo__release-kubernetes-manifests.yaml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_writes_a_model_to_stdout_and_notices_to_stderr(capsys) -> None:
    code, out, err = run(capsys, "import", str(SHOP))
    assert code == 0
    model = loads_model(out)
    assert model.element("deploy.default.frontend") is not None
    assert "warning:" in err and "shoppingassistantservice" in err


def test_import_to_a_file_then_reimport_prints_what_changed(capsys, tmp_path: Path) -> None:
    compose, out = tmp_path / "compose.yaml", tmp_path / "model.yaml"
    shutil.copy(FLASK, compose)
    code, stdout, _ = run(capsys, "import", str(compose), "-o", str(out), "--name", "Shop")
    assert code == 0 and "elements" in stdout
    model = load_model(out)
    assert model.name == "Shop" and validate_model(model) == []
    compose.write_text(
        compose.read_text().replace(
            "    build: proxy\n", "    build: proxy\n    privileged: true\n"
        )
    )
    code, stdout, _ = run(capsys, "import", str(compose), "-o", str(out))
    assert code == 0
    assert "re-imported" in stdout
    assert "changed element svc.proxy (proxy): privileged false -> true" in stdout
    assert load_model(out).element("svc.proxy").properties["privileged"] is True
    assert (tmp_path / "model.yaml.bak").exists()  # the previous version is kept


def test_compose_files_merge_in_argument_order(capsys, tmp_path: Path) -> None:
    folder = COMPOSE / "iris-web"
    out = tmp_path / "iris.yaml"
    args = ["import", str(folder / "docker-compose.yml"), str(folder / "docker-compose.dev.yml")]
    assert run(capsys, *args, "-o", str(out))[0] == 0
    assert load_model(out).element("svc.app").properties["image"] == "iriswebapp_app:develop"


def test_profiles_and_the_cluster_skeleton(capsys, tmp_path: Path) -> None:
    out = tmp_path / "airflow.yaml"
    run(
        capsys,
        "import",
        str(COMPOSE / "airflow__docker-compose.yaml"),
        "--profile",
        "flower",
        "-o",
        str(out),
    )
    assert load_model(out).element("svc.flower") is not None
    out = tmp_path / "cilium.yaml"
    run(
        capsys,
        "import",
        str(K8S / "cilium__install-kubernetes-quick-install.yaml"),
        "--with-cluster",
        "-o",
        str(out),
    )
    model = load_model(out)
    assert model.element("k8s.apiserver").component == "k8s.apiserver"
    assert model.element("k8s.etcd").boundary == "k8s.control-plane"
    # the agent's wildcard RBAC makes it call the API server with its token
    api_call = next(
        f
        for f in model.flows
        if f.source == "ds.kube-system.cilium" and f.target == "k8s.apiserver"
    )
    assert api_call.authenticated == "token"


@pytest.mark.parametrize(
    "args, message",
    [
        (["import", "/nonexistent/compose.yml"], "no such file"),
        (["import", str(Path(__file__))], "neither a compose file"),
        (
            ["import", str(Path(__file__).parents[2] / "models" / "docker-host.yaml")],
            "already a STRIDE model",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args: list[str], message: str) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_threats_and_report_accept_compose_and_manifests(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "threats", str(FLASK), "--format", "json")
    assert code == 0
    threats = json.loads(out)["threats"]
    assert any(t["target"] == "svc.backend" for t in threats)
    code, out, _ = run(
        capsys,
        "threats",
        str(K8S / "cilium__install-kubernetes-quick-install.yaml"),
        "--format",
        "json",
    )
    ids = {t["id"] for t in json.loads(out)["threats"]}
    assert "K8S-POD-PRIVILEGED@ds.kube-system.cilium" in ids
    assert "K8S-POD-RBAC-WILDCARD@ds.kube-system.cilium" in ids
    pdf = tmp_path / "shop.pdf"
    code, _, err = run(capsys, "report", str(SHOP), "-o", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    assert "shoppingassistantservice" in err  # the import's notices are shown


def test_control_characters_from_files_are_escaped(capsys, tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_text('services:\n  web:\n    image: nginx\n    depends_on: ["evil\\u001b[31m"]\n')
    code, _, err = run(capsys, "import", str(path))
    assert code == 0
    assert "\x1b" not in err and "\\u001b" in err
