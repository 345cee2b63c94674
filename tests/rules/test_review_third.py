"""The third reading (docs/threat-review.md): a port published on every interface of an
internet-facing host is where the attack paths into its container start, so every threat that
goes through the container's requests reads the same way in."""

from __future__ import annotations

import pytest

from stride_desktop.io import load_model, loads_model
from stride_desktop.model.edits import RecordingEditor
from stride_desktop.paths import resource
from stride_desktop.rules import derive
from stride_desktop.rules.risk import RiskTableError, default_risk, load_risk_table
from stride_desktop.rules.session import DerivationSession

from .test_review_examples import MODELS, RULES, threats

PORTAINER_DOOR = (
    "Path: anyone on Internet → Portainer through its port published on every interface of "
    "Docker host (app01), basic auth"
)


def test_portainers_threats_name_the_same_way_in_through_its_published_port():
    # the ports threat started on the internet, the others at "anyone on Corporate LAN →
    # Portainer, basic auth": two ways into one container
    found = [t for t in threats("docker-host.yaml").values() if t.target == "portainer"]
    assert {t.rule for t in found} >= {
        "DOCKER-CONTAINER-PORTS-ALL-INTERFACES",
        "DOCKER-CONTAINER-DOCKER-SOCKET",
        "DOCKER-CONTAINER-NOT-HARDENED",
    }
    for t in found:
        assert t.severity_reason.count(PORTAINER_DOOR) == 1, (t.id, t.severity_reason)
        assert t.path == ["portainer"]
    # its socket mount is reached from the internet, past the web UI's login
    socket = next(t for t in found if t.rule == "DOCKER-CONTAINER-DOCKER-SOCKET")
    assert (socket.likelihood, socket.severity) == (3, "critical")


def test_what_the_published_container_reaches_starts_at_the_same_door():
    found = threats("docker-host.yaml")
    # the predict API's 5023 is unauthenticated: the worker it calls is one more hop
    worker = found["DOCKER-CONTAINER-PRIVILEGED@worker"]
    assert (
        "Path: anyone on Internet → predict API through its port published on every interface "
        "of Docker host (app01) → GPU worker, every hop unauthenticated." in worker.severity_reason
    ), worker.severity_reason
    assert worker.path == ["api", "worker"]
    # the MySQL volume: the port's login, then the mount
    volume = found["DOCKER-VOLUME-HOST-BIND@mysql_data"]
    assert (
        "through its port published on every interface of Docker host (app01) → mysql-data "
        "volume, first hop basic auth, then one hop unauthenticated." in volume.severity_reason
    ), volume.severity_reason


def test_a_drawn_path_as_cheap_as_the_port_is_the_one_told():
    # nginx publishes 443 on purpose; the customer's HTTPS request is as cheap and is drawn
    for t in threats("docker-host.yaml").values():
        if t.target == "nginx" and "Path:" in t.severity_reason:
            assert "Path: Web user (Internet) → nginx" in t.severity_reason, t.severity_reason


def test_a_port_bound_to_one_address_opens_no_door():
    model = load_model(MODELS / "docker-host.yaml")
    portainer = model.element("portainer")
    assert portainer is not None
    portainer.properties["published_ports"] = ["127.0.0.1:9000:9000"]
    found = {t.id: t for t in derive(model, RULES)}
    assert "DOCKER-CONTAINER-PORTS-ALL-INTERFACES@portainer" not in found
    socket = found["DOCKER-CONTAINER-DOCKER-SOCKET@portainer"]
    assert "Path: anyone on Corporate LAN → Portainer, basic auth." in socket.severity_reason
    assert socket.severity == "high"


HOST = """
stride_model: 2
name: one host
boundaries:
  - {{id: net, name: Office, kind: network, trust: {trust}}}
  - {{id: host, name: app01, kind: host, trust: 2}}
elements:
  - {{id: user, name: User, component: generic.external_entity, boundary: net}}
  - {{id: web, name: web, component: docker.container, boundary: host,
     properties: {{published_ports: ["8080:80"]}}}}
  - {{id: db, name: db, component: docker.container, boundary: host,
     properties: {{published_ports: ["5432:5432"]}}}}
flows:
  - {{id: f1, source: user, target: web, protocol: http, port: 8080, authenticated: token,
     encrypted: false, data: internal}}
"""


def test_only_a_less_trusted_network_reaching_the_host_opens_the_door():
    # db has no drawn flow: its door asks nothing (unauthenticated), from where web is reached
    lan = {t.id: t for t in derive(loads_model(HOST.format(trust=1)), RULES)}
    db = lan["DOCKER-CONTAINER-NOT-HARDENED@db"]
    assert (
        "Path: anyone on Office → db through its port published on every interface of app01, "
        "unauthenticated." in db.severity_reason
    ), db.severity_reason
    assert db.likelihood == 3
    # a network as trusted as the containers is no way in
    same = {t.id: t for t in derive(loads_model(HOST.format(trust=2)), RULES)}
    assert "published" not in same["DOCKER-CONTAINER-NOT-HARDENED@db"].severity_reason


def test_the_rule_and_the_paths_agree_on_what_every_interface_means():
    rule = RULES.get("DOCKER-CONTAINER-PORTS-ALL-INTERFACES")
    assert rule is not None and rule.when is not None
    ports = next(
        c["property"] for c in rule.when["all"] if c["property"]["name"] == "published_ports"
    )
    risk = default_risk()
    assert risk.published_property == ports["name"]
    assert risk.published_every_interface is not None
    assert risk.published_every_interface.pattern == ports["matches"]
    for port, everywhere in (
        ("9000:9000", True),
        ("0.0.0.0:3310:3306", True),
        ("[::]:80:80/tcp", True),
        ("127.0.0.1:5432:5432", False),
        ("10.0.0.5:80:80", False),
    ):
        assert risk.publishes_everywhere({"published_ports": [port]}) is everywhere, port


def test_publishing_or_binding_a_port_in_a_session_ends_where_a_full_derivation_does():
    model = load_model(MODELS / "docker-host.yaml")
    editor = RecordingEditor(model)
    session = DerivationSession(model, RULES)
    session.refresh()
    for ports in (["127.0.0.1:9000:9000"], ["0.0.0.0:9000:9000"], None):
        editor.set_element_property("portainer", "published_ports", ports)
        for change in editor.changes:
            session.note(change)
        editor.changes.clear()
        assert session.needs_full  # where paths start changed
        session.refresh()
        full = derive(model, RULES)
        assert [t.id for t in session.threats] == [t.id for t in full]
        assert [t.severity_reason for t in session.threats] == [t.severity_reason for t in full]


def test_a_malformed_published_ports_entry_names_the_file_and_the_key(tmp_path):
    shipped = resource("risk", "severity.yaml").read_text()
    good = shipped[shipped.index("    every_interface:") :].splitlines()[0]
    bad = tmp_path / "severity.yaml"
    bad.write_text(shipped.replace(good, "    every_interface: '(unclosed'"))
    with pytest.raises(RiskTableError) as error:
        load_risk_table(bad)
    assert str(bad) in str(error.value)
    assert "attack_paths.published_ports.every_interface" in str(error.value)
