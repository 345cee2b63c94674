"""Severity reasons a reviewer can sign (issue 11's review): the impact a rule claims holds, the
path it names carries the attack, and the words read as words."""

from __future__ import annotations

import pytest

from stride_desktop.io import loads_model
from stride_desktop.model import BenchRun, Finding
from stride_desktop.rules import RuleError, derive, loads_rules
from stride_desktop.rules.grading import checks_in_words
from stride_desktop.rules.threat import EvidenceLink

SERVICE = """
stride_model: 2
name: probe
boundaries:
  - {id: net, name: LAN, kind: network, trust: 1, rect: [0, 0, 10, 10]}
  - {id: host, name: app01, kind: host, trust: 2, rect: [0, 0, 10, 10]}
elements:
  - {id: user, name: User, component: generic.external_entity, boundary: net}
  - {id: app, name: app, component: generic.process, boundary: host}
flows:
  - {id: f1, source: user, target: app, protocol: https, encrypted: true, data: secret}
"""
PROBES = """
rules:
  - {id: PROBE-D, category: Denial of Service, severity: low, target: element,
     components: [generic.process], title: "{name} stops", description: "{name} stops."}
  - {id: PROBE-I, category: Information Disclosure, severity: low, target: element,
     components: [generic.process], title: "{name} leaks", description: "{name} leaks."}
  - {id: PROBE-I-FIXED, category: Information Disclosure, severity: low, target: element,
     raise_impact: false, components: [generic.process], title: "{name} tells its version",
     description: "{name} tells its version."}
"""


def by_id(threats):
    return {t.id: t for t in threats}


def test_secret_data_raises_a_disclosure_but_not_an_outage():
    threats = by_id(derive(loads_model(SERVICE), loads_rules(PROBES)))
    leak, outage = threats["PROBE-I@app"], threats["PROBE-D@app"]
    assert leak.impact == 3 and "raised: app handles secret data" in leak.severity_reason
    # a CPU or restart weakness is no worse because the service handles secrets
    assert outage.impact == 1 and "secret" not in outage.severity_reason
    assert "Impact: rule base low." in outage.severity_reason


def test_a_rule_that_keeps_its_base_impact_says_so():
    fixed = by_id(derive(loads_model(SERVICE), loads_rules(PROBES)))["PROBE-I-FIXED@app"]
    assert fixed.impact == 1
    assert "rule base low, not raised by what the target is worth" in fixed.severity_reason


REGISTRY = """
stride_model: 2
name: registry probe
boundaries:
  - {id: internet, name: Internet, kind: internet, trust: 0, rect: [0, 0, 10, 10]}
  - {id: lan, name: LAN, kind: network, trust: 1, rect: [0, 0, 10, 10]}
  - {id: host, name: app01, kind: host, trust: 2, rect: [0, 0, 10, 10]}
elements:
  - {id: hub, name: Docker Hub, component: docker.registry, boundary: internet,
     properties: {public: true}}
  - {id: cli, name: Docker CLI, component: docker.client, boundary: lan}
  - {id: dockerd, name: dockerd, component: docker.daemon, boundary: host}
flows:
  - {id: pull, source: hub, target: dockerd, protocol: https, port: 443, encrypted: true,
     data: public}
  - {id: api, source: cli, target: dockerd, protocol: https, port: 2376, encrypted: true,
     authenticated: mtls}
"""
CALLERS = """
rules:
  - {id: PROBE-API, category: Elevation of Privilege, severity: medium, target: element,
     components: [docker.daemon], way_in: requests, title: "{name} lets callers do anything",
     description: "{name} has no authorization plugin."}
  - {id: PROBE-ESCAPE, category: Elevation of Privilege, severity: medium, target: element,
     components: [docker.daemon], title: "{name} maps root to root",
     description: "{name} has no user namespaces."}
"""


def test_an_image_from_a_public_registry_is_no_way_to_call_the_docker_api():
    threats = by_id(derive(loads_model(REGISTRY), loads_rules(CALLERS)))
    api, escape = threats["PROBE-API@dockerd"], threats["PROBE-ESCAPE@dockerd"]
    # a malicious image is code that runs as root: a way to an escape ...
    assert "Docker Hub" in escape.severity_reason
    # ... but not a client of the API: the way in is the mTLS API call from the LAN
    assert "Docker Hub" not in api.severity_reason
    assert "anyone on LAN → dockerd, mTLS" in api.severity_reason
    assert api.likelihood < escape.likelihood


NODE = """
stride_model: 2
name: node probe
boundaries:
  - {id: internet, name: Internet, kind: internet, trust: 0, rect: [0, 0, 10, 10]}
  - {id: cp, name: control plane, kind: node, trust: 4, rect: [0, 0, 10, 10]}
  - {id: w1, name: worker-1, kind: node, trust: 3, rect: [0, 0, 10, 10]}
  - {id: w2, name: worker-2, kind: node, trust: 3, rect: [0, 0, 10, 10]}
elements:
  - {id: user, name: Customer, component: generic.external_entity, boundary: internet}
  - {id: apiserver, name: kube-apiserver, component: k8s.apiserver, boundary: cp}
  - {id: web, name: web pod, component: k8s.pod, boundary: w1}
  - {id: db, name: db pod, component: k8s.pod, boundary: w2}
  - {id: kubelet1, name: kubelet (worker-1), component: k8s.kubelet, boundary: w1}
  - {id: kubelet2, name: kubelet (worker-2), component: k8s.kubelet, boundary: w2}
flows:
  - {id: f1, source: user, target: web, protocol: http, port: 80}
  - {id: f2, source: web, target: db, protocol: postgresql, port: 5432, authenticated: basic}
  - {id: f3, source: apiserver, target: kubelet1, protocol: https, port: 10250,
     encrypted: true, authenticated: mtls}
  - {id: f4, source: apiserver, target: kubelet2, protocol: https, port: 10250,
     encrypted: true, authenticated: mtls}
"""
DOORS = """
rules:
  - {id: PROBE-PORT, category: Spoofing, severity: critical, target: element,
     components: [k8s.kubelet], title: "{name} serves anonymous callers",
     description: "{name} serves anonymous callers.",
     way_in: {from: [k8s.pod], via: "its port on the node network, unauthenticated"}}
  - {id: PROBE-LOCAL, category: Elevation of Privilege, severity: medium, target: element,
     components: [k8s.kubelet], title: "{name} shares its kernel",
     description: "{name} shares its kernel.",
     way_in: {from: [k8s.pod], via: "an escape from a pod it runs", same_host: true}}
"""


def test_an_open_port_is_reached_from_any_pod_not_through_the_api_servers_mtls_call():
    threats = by_id(derive(loads_model(NODE), loads_rules(DOORS)))
    port = threats["PROBE-PORT@kubelet2"]
    assert "kube-apiserver" not in port.severity_reason
    assert (
        "Path: Customer (Internet) → web pod, unauthenticated; then kubelet (worker-2) "
        "through its port on the node network, unauthenticated" in port.severity_reason
    )
    assert port.path == ["user", "web", "kubelet2"]
    # 1 (the pod) + 1 (the open port) = 2: likely; a critical weakness
    assert (port.likelihood, port.severity) == (3, "critical")


def test_a_local_door_counts_only_the_pods_of_the_same_node():
    threats = by_id(derive(loads_model(NODE), loads_rules(DOORS)))
    one, two = threats["PROBE-LOCAL@kubelet1"], threats["PROBE-LOCAL@kubelet2"]
    assert "→ web pod," in one.severity_reason and one.likelihood == 3
    # worker-2 runs only the db pod, one basic-auth hop further
    assert "→ db pod," in two.severity_reason and "web pod;" not in two.severity_reason
    assert two.likelihood == 2


def test_a_door_nothing_reaches_is_unlikely():
    model = NODE.replace("  - {id: f1, source: user, target: web, protocol: http, port: 80}\n", "")
    model = model.replace(
        "  - {id: f2, source: web, target: db, protocol: postgresql, port: 5432, authenticated: "
        "basic}\n",
        "",
    )
    port = by_id(derive(loads_model(model), loads_rules(DOORS)))["PROBE-PORT@kubelet1"]
    assert port.likelihood == 1
    assert "No path from an untrusted zone reaches an element that could use its port" in (
        port.severity_reason
    )


@pytest.mark.parametrize(
    "way_in, where",
    [
        ("{from: [k8s.pod]}", "way_in"),
        ("{from: [k8s.pods], via: x}", "way_in.from[0]"),
        ("{from: [k8s.pod], via: x, authenticated: cert}", "way_in.authenticated"),
        ("{from: [k8s.pod], via: x, over: y}", "way_in.over"),
        ("everything", "way_in"),
        ("{from: zones, via: x}", "way_in.from"),
    ],
)
def test_a_bad_way_in_is_named_with_its_key(way_in, where):
    text = (
        "rules:\n  - {id: PROBE, category: Spoofing, severity: low, target: element,\n"
        f'     title: "t", description: "d", way_in: {way_in}}}\n'
    )
    with pytest.raises(RuleError) as err:
        loads_rules(text)
    assert where in str(err.value)


def test_the_reason_speaks_words_not_property_names():
    exposed = SERVICE.replace(
        "component: generic.process, boundary: host}",
        "component: generic.process, boundary: host, properties: {exposed_to_internet: true}}",
    )
    leak = by_id(derive(loads_model(exposed), loads_rules(PROBES)))["PROBE-I@app"]
    assert "Path: the internet (it is exposed to the internet) → app." in leak.severity_reason
    assert "exposed_to_internet" not in leak.severity_reason


def test_hops_are_told_in_runs():
    chain = """
stride_model: 2
name: chain
boundaries:
  - {id: internet, name: Internet, kind: internet, trust: 0, rect: [0, 0, 10, 10]}
  - {id: dc, name: DC, kind: network, trust: 9, rect: [0, 0, 10, 10]}
elements:
  - {id: user, name: User, component: generic.external_entity, boundary: internet}
  - {id: a, name: a, component: generic.process, boundary: dc}
  - {id: b, name: b, component: generic.process, boundary: dc}
  - {id: c, name: c, component: generic.process, boundary: dc}
  - {id: d, name: d, component: generic.process, boundary: dc}
flows:
  - {id: f1, source: user, target: a, protocol: http}
  - {id: f2, source: a, target: b, protocol: http}
  - {id: f3, source: b, target: c, protocol: mysql, authenticated: basic}
  - {id: f4, source: c, target: d, protocol: http}
"""
    threats = by_id(derive(loads_model(chain), loads_rules(PROBES)))
    assert (
        "User (Internet) → a → b → c → d, first two hops unauthenticated, then one hop basic "
        "auth, then one hop unauthenticated" in threats["PROBE-D@d"].severity_reason
    )
    assert "first hop unauthenticated" not in threats["PROBE-D@d"].severity_reason


def test_checks_are_named_once_per_tool_in_natural_order():
    def link(check: str, tool: str = "docker-bench-security") -> EvidenceLink:
        return EvidenceLink(f"r:{check}", check, "title", "fail", tool)

    words = checks_in_words("failing", [link("1.1.10"), link("1.1.3"), link("2.2")])
    assert words == "failing docker-bench-security checks 1.1.3, 1.1.10 and 2.2"
    assert checks_in_words("passing", [link("4.2.1", "kube-bench")]) == (
        "passing kube-bench check 4.2.1"
    )


def test_a_confirmed_threat_names_its_checks_once():
    model = loads_model(SERVICE)
    rules = loads_rules(
        """
rules:
  - {id: PROBE-E, category: Elevation of Privilege, severity: low, target: element,
     components: [generic.process], title: "{name} runs as root", description: "root",
     evidence: [{tool: docker-bench-security, title: "user for the container"}]}
"""
    )
    findings = [
        Finding(
            key=n,
            check_id=n,
            title="Ensure a user for the container",
            status="fail",
            raw_status="FAIL",
            elements=["app"],
        )
        for n in ("4.10", "4.1")
    ]
    run = BenchRun(
        id="r", tool="docker-bench-security", format="dbs-json-structured", findings=findings
    )
    threat = by_id(derive(model, rules, [run]))["PROBE-E@app"]
    assert "Confirmed by failing docker-bench-security checks 4.1 and 4.10:" in (
        threat.severity_reason
    )


def test_a_zone_door_is_as_likely_as_standing_in_the_zone():
    rules = loads_rules(
        """
rules:
  - {id: PROBE-OPEN, category: Tampering, severity: high, target: element,
     components: [generic.process], title: "{name} takes anything",
     description: "{name} takes anything.", way_in: {from: zone, via: "its port, unauthenticated"}}
"""
    )
    t = by_id(derive(loads_model(SERVICE), rules))["PROBE-OPEN@app"]
    # app01 is trust 2: standing there costs 2, the port 1 more: possible
    assert t.likelihood == 2 and t.path == ["app"]
    assert "Path: anyone on app01 → app through its port, unauthenticated." in t.severity_reason
