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
``stride-desktop import FILE -o MODEL`` process (start-up included), from the file on disk.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def measure(label: str, path: Path, target: float) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    result = import_files([path])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    model = result.model
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "stride_desktop",
                "import",
                str(path),
                "-o",
                str(Path(folder) / "m.yaml"),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    process_wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    process_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    verdict = "ok" if wall < target else "SLOW"
    print(
        f"{label:<34} {path.stat().st_size / 1024:7.0f} KB  {len(model.elements):5} elements "
        f"{len(model.flows):5} flows  import+layout {wall:6.2f} s wall {cpu:6.2f} s cpu  "
        f"whole process {process_wall:6.2f} s wall {process_cpu:6.2f} s cpu  target < {target:g} s {verdict}"
    )


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared: compare CPU time)")
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "helm-rendered.yaml"
        manifest.write_text(helm_manifest(), encoding="utf-8")
        count = len(split_documents(manifest.read_text(encoding="utf-8")))
        measure(f"Helm-rendered manifest, {count} docs", manifest, 2.0)
        compose = Path(folder) / "compose.yaml"
        compose.write_text(compose_file(), encoding="utf-8")
        measure("compose file, 2,000 services", compose, 5.0)


if __name__ == "__main__":
    main()
