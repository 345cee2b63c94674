"""Broken, odd and hostile files: a clear error or a notice naming the place, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.importers import ImporterError, import_files
from stride_desktop.io import MAX_FILE_BYTES, validate_model

from .helpers import warnings

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_invalid_yaml_in_a_compose_file_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yml", "services:\n  web:\n    image: [nginx\n")
    with pytest.raises(ImporterError) as error:
        import_files([path])
    assert str(path) in str(error.value) and "line " in str(error.value)


def test_a_broken_document_is_skipped_and_the_others_import(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "all.yaml",
        DEPLOYMENT + "---\nkind: [Service\n---\n" + DEPLOYMENT.replace("web", "api"),
    )
    result = import_files([path])
    assert {e.name for e in result.model.elements} == {"web", "api"}
    (warning,) = warnings(result)
    # the parser notices the open bracket where the document ends (line 11)
    assert "document 2" in warning and "line 11" in warning and "skipped" in warning


def test_a_list_at_the_top_level(tmp_path: Path) -> None:
    compose = write(tmp_path, "compose.yml", "- services: {}\n")
    with pytest.raises(ImporterError, match="this one is a list"):
        import_files([compose])
    manifests = write(tmp_path, "list.yaml", "- " + DEPLOYMENT.replace("\n", "\n  "))
    result = import_files([manifests])
    assert result.model.element("deploy.shop.web") is not None
    assert any("a list at the top level" in w for w in warnings(result))


def test_unknown_kinds_and_missing_metadata_are_notices(tmp_path: Path) -> None:
    text = (
        DEPLOYMENT
        + "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: a}\n"
        + "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: b}\n"
        + "---\napiVersion: v1\nkind: Service\nspec: {selector: {app: web}}\n"
        + "---\nkind: Deployment\nmetadata: {name: x}\n"
        + "---\n42\n"
    )
    result = import_files([write(tmp_path, "mixed.yaml", text)])
    found = warnings(result)
    assert any("document 2" in w and "2 ServiceMonitor object(s)" in w for w in found)
    assert any("document 4" in w and "Service without metadata.name" in w for w in found)
    assert any("document 5" in w and "no apiVersion and kind" in w for w in found)
    assert any("document 6" in w and "not a Kubernetes object (a int)" in w for w in found)
    assert validate_model(result.model) == []


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("services: {web: {image: nginx, labels: *a8}}")
    with pytest.raises(ImporterError, match="alias bomb"):
        import_files([write(tmp_path, "compose.yml", "\n".join(lines) + "\n")])


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yml", "services: {web: " + "[" * 200 + "]" * 200 + "}\n")
    with pytest.raises(ImporterError, match="nesting deeper"):
        import_files([path])


def test_huge_binary_and_missing_files(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as handle:
        handle.write(b"services:\n")
        handle.seek(MAX_FILE_BYTES + 10)
        handle.write(b"\n")
    with pytest.raises(ImporterError, match="larger than"):
        import_files([huge])
    with pytest.raises(ImporterError, match="neither a compose file"):
        import_files([write(tmp_path, "x.bin", b"\x00\x01services:\x00")])
    with pytest.raises(ImporterError, match="no such file"):
        import_files([tmp_path / "absent.yml"])


def test_a_model_or_mixed_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImporterError, match="already a STRIDE model"):
        import_files([write(tmp_path, "m.yaml", "stride_model: 1\nname: x\n")])
    compose = write(tmp_path, "compose.yml", "services: {web: {image: nginx}}\n")
    with pytest.raises(ImporterError, match="cannot be imported together"):
        import_files([compose, write(tmp_path, "k.yaml", DEPLOYMENT)])


def test_duplicate_keys_and_yaml_11_surprises(tmp_path: Path) -> None:
    with pytest.raises(ImporterError, match="duplicate key"):
        import_files(
            [write(tmp_path, "compose.yml", "services:\n  web: {image: a}\n  web: {image: b}\n")]
        )
    result = import_files(
        [
            write(
                tmp_path,
                "c.yml",
                "services:\n  web:\n    image: nginx\n    ports: [80:80, 22:22]\n",
            )
        ]
    )
    assert result.model.element("svc.web").properties["published_ports"] == ["80:80", "22:22"]


def test_extends_that_loops_or_points_nowhere(tmp_path: Path) -> None:
    text = """\
services:
  a: {extends: b, image: x}
  b: {extends: a}
  c: {extends: {file: missing.yml, service: base}, image: y}
  d: {extends: {service: nobody}, image: z}
"""
    result = import_files([write(tmp_path, "compose.yml", text)])
    found = warnings(result)
    assert any("service a" in w and "extends loops" in w for w in found)
    assert any("service c" in w and "cannot read missing.yml" in w for w in found)
    assert any("service d" in w and "no service 'nobody'" in w for w in found)
    assert {e.name for e in result.model.elements if e.component == "docker.container"} == {
        "a",
        "b",
        "c",
        "d",
    }


def test_references_to_nothing_are_notices_and_the_import_goes_on(tmp_path: Path) -> None:
    text = """\
services:
  web:
    image: nginx
    depends_on: [api]
    environment: {DB_HOST: db, CACHE_URL: "redis://cache:6379", MYSQL_USER: web}
    volumes: [data:/var/lib/data]
    secrets: [token]
"""
    result = import_files([write(tmp_path, "compose.yml", text)])
    found = warnings(result)
    assert any("depends_on: service 'api' is not defined" in w for w in found)
    assert any("DB_HOST names host 'db'" in w for w in found)
    assert any("CACHE_URL names host 'cache'" in w for w in found)
    assert not any("MYSQL_USER" in w for w in found)
    assert any("volume 'data' is not declared" in w for w in found)
    assert any("secret 'token' is not declared" in w for w in found)
    assert validate_model(result.model) == []


def test_kubernetes_references_to_nothing(tmp_path: Path) -> None:
    text = (
        DEPLOYMENT.replace(
            "image: nginx}]", "image: nginx, env: [{name: API_ADDR, value: 'api:8080'}]}]"
        )
        + """\
---
apiVersion: v1
kind: Service
metadata: {name: orphan, namespace: shop}
spec: {selector: {app: nothing}, ports: [{port: 80}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: shop}
roleRef: {kind: Role, name: missing-role}
subjects: [{kind: ServiceAccount, name: default}]
"""
    )
    found = warnings(import_files([write(tmp_path, "m.yaml", text)]))
    assert any(
        "document 1 (Deployment shop/web)" in w and "API_ADDR names host 'api'" in w for w in found
    )
    assert any(
        "document 2 (Service shop/orphan)" in w and "matches no workload" in w for w in found
    )
    assert any(
        "document 3 (RoleBinding shop/rb)" in w and "Role 'missing-role' is not in the files" in w
        for w in found
    )


def test_manifests_with_nothing_to_draw_say_why(tmp_path: Path) -> None:
    path = write(
        tmp_path, "broken.yaml", "kind: [Deployment\n---\napiVersion: v1\nkind: ConfigMap\n"
    )
    with pytest.raises(ImporterError) as error:
        import_files([path])
    lines = error.value.lines
    assert "no workloads, Services or Ingresses to draw" in lines[0]
    assert any("document 1: skipped" in line for line in lines[1:])
    assert any("ConfigMap without metadata.name" in line for line in lines[1:])


def test_names_and_values_beyond_the_model_limits_still_import_a_loadable_model(
    tmp_path: Path,
) -> None:
    """What an import writes, the loader opens: ids get only id characters, names lose control
    characters and are cut, huge numbers are bounded (fuzzing found a service named 'd  db')."""
    long = "x" * 300
    compose = write(
        tmp_path,
        "compose.yml",
        "services:\n"
        "  d  db:\n    image: mariadb\n"
        f'  "bell\\a{long}":\n    image: nginx\n    depends_on: ["d  db"]\n'
        f"    environment:\n      NOTE: {'y' * 25_000}\n",
    )
    result = import_files([compose])
    assert validate_model(result.model) == []
    ids = {e.id for e in result.model.elements}
    assert "svc.d-db" in ids
    bell = next(e for e in result.model.elements if e.name.startswith("bell"))
    assert "\a" not in bell.name and len(bell.name) <= 200 and len(bell.id) <= 100
    assert any(f.source == bell.id and f.target == "svc.d-db" for f in result.model.flows)
    manifests = write(
        tmp_path,
        "k8s.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
        "spec:\n  replicas: 99999999999999999999\n  template:\n    spec:\n"
        "      containers: [{name: web, image: nginx}]\n",
    )
    result = import_files([manifests])
    assert validate_model(result.model) == []
    web = result.model.element("deploy.shop.web")
    assert web is not None and web.properties["replicas"] == 2**31 - 1
