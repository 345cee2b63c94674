"""Import + layout time of a ~600 KB Helm-rendered manifest and a 2,000-service compose file.

Targets (issue 14): the manifest (~80 documents) imports and lays out in under 2 s, the compose
file in under 5 s. Run from the repository root: ``python benchmarks/bench_importers.py``.

No public Helm chart of that size sits in tests/fixtures, so the manifest is made from the real
ones there (Cilium's Helm-rendered quick-install, ingress-nginx, Online Boutique): their
documents are repeated under renamed releases and namespaces until there are 80, and the
ConfigMaps carry Grafana-dashboard-sized data (the real Cilium ConfigMap's text, repeated) up to
600 KB, as large charts do. The compose file is generated: 2,000 services in 20 networks, each
depending on earlier ones and naming some of them in URLs, databases with volumes, some
published ports. Each is measured in this process (wall and CPU time) and as a whole
``stride-desktop import FILE`` process (start-up and writing the model included), from the file
on disk, through benchmarks/harness.py; ``make bench`` collects the rows into RESULTS.md.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from harness import Row, emit, load_line, median_process, stride_command, timed, verdict  # noqa: E402

from stride_desktop.importers import import_files  # noqa: E402
from stride_desktop.importers.sources import split_documents  # noqa: E402

K8S = ROOT / "tests" / "fixtures" / "k8s"
REAL = [
    "cilium__install-kubernetes-quick-install.yaml",
    "ingress-nginx__deploy-static-provider-baremetal-1.19-deploy.yaml",
    "microservices-demo__release-kubernetes-manifests.yaml",
]


def _renamed(doc: dict, release: int) -> dict:
    meta = doc.setdefault("metadata", {})
    meta["name"] = f"{meta.get('name', 'x')}-r{release}"
    if doc.get("kind") not in ("ClusterRole", "ClusterRoleBinding", "Namespace", "IngressClass"):
        meta["namespace"] = f"{meta.get('namespace', 'default')}-r{release}"
    return doc


def helm_manifest(documents: int = 80, size: int = 600_000) -> str:
    real = []
    for name in REAL:
        for _, _, chunk in split_documents((K8S / name).read_text(encoding="utf-8")):
            data = yaml.safe_load(chunk)
            if isinstance(data, dict):
                real.append((name.split("__")[0], data))
    padding = next(
        c for _, _, c in split_documents((K8S / REAL[0]).read_text()) if "ConfigMap" in c
    )
    out, release = [], 0
    while len(out) < documents:
        release += 1
        for chart, data in real:
            if len(out) >= documents:
                break
            doc = _renamed(yaml.safe_load(yaml.safe_dump(data)), release)
            out.append((chart, doc))
    configmaps = [doc for _, doc in out if doc.get("kind") == "ConfigMap"] or [out[0][1]]
    text = lambda: "".join(
        f"---\n# Source: {chart}/templates/{doc['kind'].lower()}.yaml\n" + yaml.safe_dump(doc)
        for chart, doc in out
    )
    while len(text()) < size:
        for i, doc in enumerate(configmaps):
            doc.setdefault("data", {})[f"dashboard-{i}.json"] = (
                doc.get("data", {}).get(f"dashboard-{i}.json", "") + padding
            )
            if len(text()) >= size:
                break
    return text()


def compose_file(services: int = 2_000, seed: int = 0) -> str:
    rng = random.Random(seed)
    images = ["nginx:1.25", "postgres:16", "redis:7", "rabbitmq:3", "example/app:1.0"]
    lines = ["services:"]
    volumes = []
    for i in range(services):
        image = rng.choice(images)
        lines += [f"  s{i}:", f"    image: {image}", f"    networks: [net{i % 20}]"]
        if i:
            deps = sorted({rng.randrange(i) for _ in range(rng.randint(1, 2))})
            lines.append(f"    depends_on: [{', '.join(f's{d}' for d in deps)}]")
            lines.append("    environment:")
            lines.append(f"      UPSTREAM_URL: http://s{rng.randrange(i)}:8080/api")
            lines.append(f"      DB_HOST: s{rng.randrange(i)}")
            lines.append("      DB_NAME: orders")
        if image.startswith("postgres"):
            lines.append(f"    volumes: [data{i}:/var/lib/postgresql/data]")
            volumes.append(f"data{i}")
        if i % 50 == 0:
            lines.append(f'    ports: ["{8000 + i}:80"]')
    lines.append("networks:")
    lines += [f"  net{n}: {{}}" for n in range(20)]
    lines.append("volumes:")
    lines += [f"  {name}: {{}}" for name in volumes]
    return "\n".join(lines) + "\n"


def measure(label: str, path: Path, target: float) -> bool:
    """The import in this process (median of 3) and ``stride-desktop import FILE`` as a whole
    process (model to stdout, as ``> model.yaml`` would; median of 3 after a warm-up run)."""
    model = import_files([path]).model
    inside = timed(lambda: import_files([path]), repeat=3)
    whole = median_process([*stride_command(), "import", str(path)], repeat=3)
    size = f"{path.stat().st_size / 1024:.0f} KB"
    case = f"{label}, {size}, {len(model.elements):,} elements, {len(model.flows):,} flows"
    rows = []
    for what, measured in (("import + layout", inside), ("whole process", whole)):
        ok, note = verdict(measured, target)
        rows.append(
            Row("importers", f"{case}: {what}", measured, f"< {target:g} s", met=ok, note=note)
        )
    emit(rows)
    return all(row.met for row in rows)


def main() -> int:
    print(load_line())
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "helm-rendered.yaml"
        manifest.write_text(helm_manifest(), encoding="utf-8")
        count = len(split_documents(manifest.read_text(encoding="utf-8")))
        ok = measure(f"Helm-rendered manifest, {count} docs", manifest, 2.0)
        compose = Path(folder) / "compose.yaml"
        compose.write_text(compose_file(), encoding="utf-8")
        ok &= measure("compose file, 2,000 services", compose, 5.0)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
