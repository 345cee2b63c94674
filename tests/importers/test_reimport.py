"""Re-import keeps the person's work and brings in what changed in the files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stride_desktop.importers import import_files
from stride_desktop.importers.reimport import reimport
from stride_desktop.io import default_catalog, validate_model
from stride_desktop.layout import boundary_violations, element_overlaps
from stride_desktop.model import BenchRun, Element, Finding, Flow, TriageEntry

from .helpers import COMPOSE, K8S

CATALOG = default_catalog()
FLASK = COMPOSE / "awesome-compose__nginx-flask-mysql-compose.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "compose.yaml"
    shutil.copy(FLASK, path)
    return path


def worked_on(path: Path):  # type: ignore[no-untyped-def]
    """The first import, after a person moved things, drew more and triaged."""
    model = import_files([path]).model
    db = model.element("svc.db")
    db.name = "MariaDB (orders)"
    db.description = "Holds the orders."
    db.properties["cpu_limit"] = "2"  # managed: the file will say otherwise
    db.properties["user"] = "mysql"  # the file says nothing: the person knows the image
    model.element("svc.backend").properties["apparmor_profile"] = "custom"
    model.boundary("net.backnet").trust = 4
    model.elements.append(
        Element("laptop", "Admin laptop", "generic.external_entity", pos=(-300, 80))
    )
    model.flows.append(Flow("flow-ssh", "laptop", "svc.proxy", name="ssh", protocol="ssh", port=22))
    model.triage["DOCKER-CONTAINER-PRIVILEGED@svc.proxy"] = TriageEntry(
        "accepted", "needed for now"
    )
    model.triage["DOCKER-CONTAINER-ROOT@svc.backend"] = TriageEntry("mitigated")
    model.bench_runs.append(
        BenchRun(
            "run1",
            "docker-bench-security",
            "dbs-json-structured",
            findings=[
                Finding("5.4", "5.4", "Privileged", "fail", "WARN", elements=["svc.backend"])
            ],
        )
    )
    return model


def test_a_changed_file_updates_the_model_and_keeps_the_persons_work(project: Path) -> None:
    before = worked_on(project)
    positions = {e.id: e.pos for e in before.elements}
    rects = {b.id: b.rect for b in before.boundaries}
    text = project.read_text()
    text = text.replace(
        "  proxy:\n    build: proxy\n", "  proxy:\n    build: proxy\n    privileged: true\n"
    )
    text = text.replace(
        "  backend:\n",
        "  cache:\n    image: redis:7\n    networks:\n      - backnet\n  backend:\n    environment:\n      - CACHE_URL=redis://cache:6379\n",
    )
    project.write_text(text)
    after, summary = reimport(before, import_files([project]), catalog=CATALOG)
    assert validate_model(after) == []
    lines = summary.lines()
    assert "added element svc.cache (cache)" in lines
    assert any(line.startswith("added flow f.svc.backend--svc.cache") for line in lines)
    assert any("svc.proxy (proxy): privileged false -> true" in line for line in lines)
    assert any(
        "svc.db (MariaDB (orders)): " in line and "cpu_limit 2 -> " in line for line in lines
    )
    # the person's work
    db = after.element("svc.db")
    assert (db.name, db.description) == ("MariaDB (orders)", "Holds the orders.")
    assert "cpu_limit" not in db.properties and db.properties["user"] == "mysql"
    assert after.element("svc.backend").properties["apparmor_profile"] == "custom"
    assert after.boundary("net.backnet").trust == 4
    assert after.element("laptop") is not None and after.flow("flow-ssh") is not None
    assert set(after.triage) == set(before.triage)
    assert after.bench_runs[0].findings[0].elements == ["svc.backend"]
    for element_id, pos in positions.items():
        assert after.element(element_id).pos == pos, element_id  # nothing that was there moved
    assert after.boundary("docker-host").rect[:2] == rects["docker-host"][:2]
    # the new service sits inside its boundary, clear of the others
    assert after.element("svc.cache").boundary == "net.backnet"
    assert element_overlaps(after, catalog=CATALOG) == []
    assert [v for v in boundary_violations(after, catalog=CATALOG) if "laptop" not in v] == []


def test_a_removed_service_goes_and_its_triage_stays_stale(project: Path) -> None:
    before = worked_on(project)
    text = project.read_text()
    start, end = text.index("  proxy:\n"), text.index("\nvolumes:\n")
    project.write_text(text[:start] + text[end:])
    after, summary = reimport(before, import_files([project]), catalog=CATALOG)
    assert validate_model(after) == []
    assert after.element("svc.proxy") is None
    assert "removed element svc.proxy (proxy)" in summary.lines()
    assert any(
        "flow-ssh" in line and "drawn by hand; an end was removed" in line
        for line in summary.lines()
    )
    assert "DOCKER-CONTAINER-PRIVILEGED@svc.proxy" in after.triage  # kept, now stale
    assert any("about removed items (shown as stale)" in line for line in summary.lines())
    assert after.element("laptop") is not None


def test_importing_the_same_files_again_changes_nothing(project: Path) -> None:
    before = worked_on(project)
    after, summary = reimport(before, import_files([project]), catalog=CATALOG)
    assert summary.added == [] and summary.removed == []
    assert [c for c in summary.changed if "cpu_limit" not in c] == []
    assert after.element("laptop").pos == (-300, 80)


def test_a_manifest_reimport_keeps_ids_so_triage_still_applies() -> None:
    path = K8S / "microservices-demo__release-kubernetes-manifests.yaml"
    first = import_files([path]).model
    first.triage["K8S-POD-SECRETS-IN-ENV@deploy.default.frontend"] = TriageEntry("accepted")
    again, summary = reimport(first, import_files([path]), catalog=CATALOG)
    assert summary.is_empty
    assert again.element("deploy.default.frontend") is not None
    assert "K8S-POD-SECRETS-IN-ENV@deploy.default.frontend" in again.triage


def test_other_files_than_the_models_own_only_add(project: Path) -> None:
    before = worked_on(project)
    shop = import_files([K8S / "examples__web-guestbook-all-in-one-guestbook-all-in-one.yaml"])
    after, summary = reimport(before, shop, catalog=CATALOG)
    assert summary.removed == []
    assert {e.id for e in before.elements} < {e.id for e in after.elements}
    assert after.element("deploy.default.frontend") is not None
    assert any("share no element" in line for line in summary.lines())
    assert element_overlaps(after, catalog=CATALOG) == []


def test_the_files_decide_a_flows_channel(tmp_path: Path) -> None:
    """A service that joins another's network namespace now reaches it over loopback; the
    person's own judgement of the flow (encrypted) stays."""
    path = tmp_path / "compose.yaml"
    path.write_text(
        "services:\n  vpn: {image: example/vpn}\n"
        "  app:\n    image: example/app\n    environment: {PROXY_URL: 'http://vpn:3128'}\n"
    )
    before = import_files([path]).model
    assert before.flow("f.svc.app--svc.vpn").channel == "network"
    before.flow("f.svc.app--svc.vpn").encrypted = True
    path.write_text(path.read_text() + "    network_mode: service:vpn\n")
    after, summary = reimport(before, import_files([path]), catalog=CATALOG)
    flow = after.flow("f.svc.app--svc.vpn")
    assert (flow.channel, flow.encrypted) == ("loopback", True)
    assert any("channel network -> loopback" in line for line in summary.lines())
