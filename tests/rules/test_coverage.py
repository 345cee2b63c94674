"""Coverage of the reference catalogues, item by item, written from the catalogues.

For every finding of the 2019 Kubernetes audit's threat model, every technique of the Microsoft
Threat Matrix for Kubernetes and every item of the OWASP Kubernetes Top 10 (2025): the example
model, target and rule whose threat answers it - or why a drawn diagram cannot express it. The
tables are checked against the reference list (resources/references/), so an item cannot be left
out, and each listed threat must be derived and cite the item. Targets (issue 11): at least 15 of
the 17 audit findings, 90 % of the applicable Threat Matrix techniques, 10 of 10 OWASP items; the
seed exercise's 11 threats are tests/rules/test_exercise.py.

The audit's own severity of each finding is kept next to it: on the audit's diagram, the first
threat listed for a finding should be within one step of that rating for 80 % of the findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from stride_desktop.io import load_model
from stride_desktop.rules import Threat, derive, load_rules
from stride_desktop.rules.references import reference_list

MODELS = Path(__file__).resolve().parents[2] / "models"
RULES = load_rules()
REFS = reference_list()
AUDIT_MODEL = "k8s-audit-2019.yaml"
DOCKER, CLUSTER, SHOP = "docker-host.yaml", "kubernetes-cluster.yaml", "online-shop-k8s.yaml"


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    covered_by: tuple[tuple[str, str], ...] = ()  # (model, threat id "RULE@TARGET")
    rating: str = ""  # the source's own severity (the audit's findings)
    not_applicable: str = ""  # why a drawn diagram cannot express it


def on(model: str, *threat_ids: str) -> tuple[tuple[str, str], ...]:
    return tuple((model, t) for t in threat_ids)


AUDIT = [
    Item(
        "TM01",
        "Policies may not be applied",
        on(AUDIT_MODEL, "K8S-CNI-NO-POLICY-SUPPORT@iptables")
        + on(AUDIT_MODEL, "K8S-APISERVER-NO-ADMISSION-POLICY@apiserver"),
        rating="Medium",
    ),
    Item(
        "TM02",
        "Insecure TLS by default",
        on(AUDIT_MODEL, "K8S-TLS-WEAK-CIPHERS@apiserver", "K8S-TLS-WEAK-CIPHERS@kubelet"),
        rating="Medium",
    ),
    Item(
        "TM03",
        "Most components accept inbound HTTP",
        on(
            AUDIT_MODEL,
            "K8S-COMPONENT-ACCEPTS-HTTP@scheduler",
            "K8S-COMPONENT-ACCEPTS-HTTP@controllers",
            "K8S-COMPONENT-ACCEPTS-HTTP@kube_proxy",
            "K8S-KUBELET-READ-ONLY-PORT@kubelet",
        ),
        rating="Medium",
    ),
    Item(
        "TM04",
        "Most components do not enforce outbound HTTPS",
        on(
            AUDIT_MODEL,
            "K8S-API-FLOW-CLEARTEXT@f_api_kubelet",
            "K8S-API-FLOW-CLEARTEXT@f_api_proxy",
            "K8S-API-FLOW-CLEARTEXT@f_api_scheduler",
            "K8S-API-FLOW-CLEARTEXT@f_api_controllers",
        ),
        rating="Medium",
    ),
    Item(
        "TM05",
        "Credentials exposed in environment variables and command-line arguments",
        on(AUDIT_MODEL, "K8S-CONTROLLER-CREDENTIALS-IN-ENV@controllers")
        + on(CLUSTER, "K8S-POD-SECRETS-IN-ENV@api"),
        rating="Low",
    ),
    Item(
        "TM06",
        "Names of secrets are leaked in logs",
        rating="Low",
        not_applicable="What a component writes to its log is not part of a data-flow diagram: "
        "the names leak at default verbosity, so no element or flow setting expresses or avoids it.",
    ),
    Item(
        "TM07",
        "No non-repudiation or audit of user actions by default",
        on(AUDIT_MODEL, "K8S-APISERVER-NO-AUDIT@apiserver"),
        rating="Medium",
    ),
    Item(
        "TM08",
        "Secrets not encrypted at rest by default",
        on(AUDIT_MODEL, "K8S-ETCD-SECRETS-PLAINTEXT@etcd"),
        rating="Low",
    ),
    Item(
        "TM09",
        "etcd write-ahead log has no integrity signatures",
        on(AUDIT_MODEL, "K8S-ETCD-FILES-WRITABLE@etcd"),
        rating="Very Low",
    ),
    Item(
        "TM10",
        "Mutual TLS is not the default",
        on(
            AUDIT_MODEL,
            "K8S-CONTROL-PLANE-NO-MTLS@f_scheduler_api",
            "K8S-CONTROL-PLANE-NO-MTLS@f_controllers_api",
            "K8S-CONTROL-PLANE-NO-MTLS@f_proxy_api",
        ),
        rating="Very Low",
    ),
    Item(
        "TM11",
        "Anti-affinity scheduling can claim disproportionate resources",
        on(AUDIT_MODEL, "K8S-SCHEDULER-NO-QUOTAS@scheduler"),
        rating="Low",
    ),
    Item(
        "TM12",
        "No back-off process for scheduling",
        on(AUDIT_MODEL, "K8S-SCHEDULER-NO-QUOTAS@scheduler"),
        rating="Informational",
    ),
    Item(
        "TM13",
        "Controllers not separated by least authority",
        on(AUDIT_MODEL, "K8S-CONTROLLER-SHARED-CREDENTIALS@controllers"),
        rating="Low",
    ),
    Item(
        "TM14",
        "kubelet hosts unauthenticated ports that leak pod spec information",
        on(AUDIT_MODEL, "K8S-KUBELET-READ-ONLY-PORT@kubelet"),
        rating="Medium",
    ),
    Item(
        "TM15",
        "Bootstrap certificate long-lived and not removed",
        on(AUDIT_MODEL, "K8S-KUBELET-NO-CERT-ROTATION@kubelet"),
        rating="Low",
    ),
    Item(
        "TM16",
        "Race condition in Pod IP reuse",
        on(AUDIT_MODEL, "K8S-KUBE-PROXY-IP-REUSE@kube_proxy"),
        rating="Low",
    ),
    Item(
        "TM17",
        "Search space for single-use token too small",
        rating="Low",
        not_applicable="The 8-character token lives inside the kubelet's exec/attach streaming "
        "protocol to the CRI streaming server, which the diagram draws as local IPC with no "
        "element of its own; its length is not a setting a model can state.",
    ),
]

MS_MATRIX = [
    Item("MS-TA9001", "Using cloud credentials", on(SHOP, "K8S-USER-CLOUD-IAM@sre")),
    Item(
        "MS-TA9002",
        "Compromised image in registry",
        on(CLUSTER, "K8S-POD-UNVERIFIED-IMAGE@api") + on(DOCKER, "DOCKER-IMAGE-UNSIGNED@img_api"),
    ),
    Item("MS-TA9003", "Kubeconfig file", on(CLUSTER, "K8S-USER-CLUSTER-ADMIN@admin")),
    Item(
        "MS-TA9004",
        "Application vulnerability",
        on(CLUSTER, "K8S-POD-IMAGE-NOT-SCANNED@frontend")
        + on(AUDIT_MODEL, "K8S-POD-IMAGE-NOT-SCANNED@pods"),
    ),
    Item(
        "MS-TA9005",
        "Exposed sensitive interfaces",
        on(AUDIT_MODEL, "K8S-KUBELET-ANONYMOUS-AUTH@kubelet")
        + on(CLUSTER, "K8S-CONTROL-PLANE-EXPOSED@control_plane"),
    ),
    Item(
        "MS-TA9006",
        "Exec into container",
        on(AUDIT_MODEL, "K8S-KUBELET-AUTHZ-ALWAYSALLOW@kubelet")
        + on(CLUSTER, "K8S-SA-CREATE-PODS@api_sa"),
    ),
    Item("MS-TA9007", "bash/cmd inside container", on(CLUSTER, "K8S-SA-CREATE-PODS@api_sa")),
    Item("MS-TA9008", "New container", on(CLUSTER, "K8S-SA-CREATE-PODS@api_sa")),
    Item(
        "MS-TA9009",
        "Application exploit (RCE)",
        on(CLUSTER, "K8S-RUNTIME-NOT-SANDBOXED@runtime1", "K8S-POD-IMAGE-NOT-SCANNED@frontend"),
    ),
    Item(
        "MS-TA9010", "SSH server running inside container", on(DOCKER, "CONTAINER-SSH-SERVER@api")
    ),
    Item("MS-TA9011", "Sidecar injection", on(CLUSTER, "K8S-WEBHOOK-MUTATING@webhook")),
    Item("MS-TA9012", "Backdoor container", on(CLUSTER, "K8S-SA-CREATE-PODS@api_sa")),
    Item("MS-TA9013", "Writable hostPath mount", on(CLUSTER, "K8S-POD-HOSTPATH@node_exporter")),
    Item("MS-TA9014", "Kubernetes CronJob", on(CLUSTER, "K8S-SA-CREATE-PODS@api_sa")),
    Item(
        "MS-TA9015", "Malicious admission controller", on(CLUSTER, "K8S-WEBHOOK-MUTATING@webhook")
    ),
    Item("MS-TA9016", "Container service account", on(CLUSTER, "K8S-POD-SA-TOKEN-AUTOMOUNT@api")),
    Item(
        "MS-TA9017",
        "Static pods",
        on(CLUSTER, "K8S-KUBELET-CONFIG-FILES@kubelet2", "K8S-POD-HOSTPATH@node_exporter"),
    ),
    Item(
        "MS-TA9018",
        "Privileged container",
        on(CLUSTER, "K8S-POD-PRIVILEGED@node_exporter")
        + on(DOCKER, "DOCKER-CONTAINER-PRIVILEGED@worker"),
    ),
    Item("MS-TA9019", "Cluster-admin binding", on(CLUSTER, "K8S-USER-CLUSTER-ADMIN@admin")),
    Item(
        "MS-TA9020",
        "Access cloud resources",
        on(CLUSTER, "K8S-CCM-BROAD-CLOUD-CREDENTIALS@ccm", "K8S-POD-METADATA-ACCESS@api"),
    ),
    Item(
        "MS-TA9021",
        "Clear container logs",
        on(CLUSTER, "K8S-NODE-LOGS-LOCAL@kubelet1")
        + on(DOCKER, "DOCKER-DAEMON-NO-REMOTE-LOGGING@dockerd"),
    ),
    Item("MS-TA9022", "Delete Kubernetes events", on(CLUSTER, "K8S-APISERVER-NO-AUDIT@apiserver")),
    Item(
        "MS-TA9023",
        "Pod or container name similarity",
        not_applicable="Hiding a workload behind a look-alike name is deception at run time; "
        "a data-flow diagram records what runs, not how its name compares with others, and "
        "detecting it is the job of runtime monitoring.",
    ),
    Item(
        "MS-TA9024",
        "Connect from proxy server",
        on(CLUSTER, "K8S-CONTROL-PLANE-EXPOSED@control_plane"),
    ),
    Item("MS-TA9025", "List Kubernetes secrets", on(CLUSTER, "K8S-SA-READ-SECRETS@api_sa")),
    Item("MS-TA9026", "Mount service principal", on(CLUSTER, "K8S-POD-HOSTPATH@node_exporter")),
    Item(
        "MS-TA9027",
        "Application credentials in configuration files",
        on(CLUSTER, "K8S-POD-SECRETS-IN-ENV@api"),
    ),
    Item(
        "MS-TA9028",
        "Access managed identity credentials",
        on(CLUSTER, "K8S-POD-METADATA-ACCESS@api"),
    ),
    Item(
        "MS-TA9029",
        "Access Kubernetes API server",
        on(CLUSTER, "K8S-POD-SA-TOKEN-AUTOMOUNT@api")
        + on(AUDIT_MODEL, "K8S-APISERVER-ANONYMOUS-AUTH@apiserver"),
    ),
    Item("MS-TA9030", "Access Kubelet API", on(CLUSTER, "K8S-KUBELET-READ-ONLY-PORT@kubelet2")),
    Item("MS-TA9031", "Network mapping", on(CLUSTER, "K8S-CNI-NO-NETWORK-POLICIES@cni")),
    Item(
        "MS-TA9033",
        "Instance Metadata API",
        on(CLUSTER, "K8S-POD-METADATA-ACCESS@api", "K8S-CLOUD-METADATA-V1@cloud_api"),
    ),
    Item(
        "MS-TA9034",
        "Cluster internal networking",
        on(CLUSTER, "K8S-CNI-NO-NETWORK-POLICIES@cni")
        + on(SHOP, "K8S-NAMESPACE-NO-NETWORK-POLICY@shop"),
    ),
    Item("MS-TA9035", "CoreDNS poisoning", on(CLUSTER, "K8S-COREDNS-CONFIG-WRITABLE@coredns")),
    Item(
        "MS-TA9036",
        "ARP poisoning and IP spoofing",
        on(AUDIT_MODEL, "K8S-CNI-L2-SPOOFING@iptables")
        + on(DOCKER, "DOCKER-CONTAINER-DEFAULT-BRIDGE@jenkins"),
    ),
    Item(
        "MS-TA9037",
        "Images from a private registry",
        on(DOCKER, "DOCKER-REGISTRY-NO-AUTH@private_registry"),
    ),
    Item(
        "MS-TA9038",
        "Data destruction",
        on(CLUSTER, "K8S-PV-NO-BACKUP@pv", "K8S-ETCD-DIRECT-ACCESS@etcd"),
    ),
    Item("MS-TA9039", "Resource hijacking", on(CLUSTER, "K8S-POD-NO-RESOURCE-LIMITS@api")),
    Item(
        "MS-TA9040",
        "Denial of service",
        on(CLUSTER, "K8S-APISERVER-NO-RATE-LIMIT@apiserver", "K8S-INGRESS-NO-RATE-LIMIT@ingress"),
    ),
    Item(
        "MS-TA9041",
        "Collecting data from pod",
        on(CLUSTER, "K8S-KUBELET-AUTHZ-ALWAYSALLOW@kubelet2", "K8S-SA-CREATE-PODS@api_sa"),
    ),
]

OWASP_K8S = [
    Item(
        "K01",
        "Insecure Workload Configurations",
        on(CLUSTER, "K8S-POD-PRIVILEGED@node_exporter")
        + on(AUDIT_MODEL, "K8S-POD-DEFAULT-SECURITY-CONTEXT@pods"),
    ),
    Item(
        "K02",
        "Overly Permissive Authorization Configurations",
        on(CLUSTER, "K8S-USER-CLUSTER-ADMIN@admin", "K8S-SA-CREATE-PODS@api_sa"),
    ),
    Item(
        "K03",
        "Secrets Management Failures",
        on(CLUSTER, "K8S-ETCD-SECRETS-PLAINTEXT@etcd", "K8S-POD-SECRETS-IN-ENV@api"),
    ),
    Item(
        "K04",
        "Lack of Cluster Level Policy Enforcement",
        on(AUDIT_MODEL, "K8S-APISERVER-NO-ADMISSION-POLICY@apiserver")
        + on(CLUSTER, "K8S-WEBHOOK-FAIL-OPEN@webhook"),
    ),
    Item(
        "K05",
        "Missing Network Segmentation Controls",
        on(CLUSTER, "K8S-CNI-NO-NETWORK-POLICIES@cni")
        + on(SHOP, "K8S-NAMESPACE-NO-NETWORK-POLICY@shop"),
    ),
    Item(
        "K06",
        "Overly Exposed Kubernetes Components",
        on(
            CLUSTER,
            "K8S-CONTROL-PLANE-EXPOSED@control_plane",
            "K8S-KUBELET-READ-ONLY-PORT@kubelet2",
        ),
    ),
    Item(
        "K07",
        "Misconfigured and Vulnerable Cluster Components",
        on(CLUSTER, "K8S-UNSUPPORTED-VERSION@kubelet2")
        + on(AUDIT_MODEL, "K8S-TLS-WEAK-CIPHERS@apiserver"),
    ),
    Item(
        "K08",
        "Cluster-to-Cloud Lateral Movement",
        on(CLUSTER, "K8S-POD-METADATA-ACCESS@api", "K8S-CCM-BROAD-CLOUD-CREDENTIALS@ccm"),
    ),
    Item(
        "K09",
        "Broken Authentication Mechanisms",
        on(CLUSTER, "K8S-APISERVER-STATIC-TOKENS@apiserver", "K8S-USER-WEAK-AUTH@ci"),
    ),
    Item(
        "K10",
        "Inadequate Logging and Monitoring",
        on(CLUSTER, "K8S-APISERVER-NO-AUDIT@apiserver", "K8S-NODE-LOGS-LOCAL@kubelet1"),
    ),
]

TABLES = {
    "k8s-audit-2019": AUDIT,
    "ms-threat-matrix": MS_MATRIX,
    "owasp": OWASP_K8S,
}
ALL = [(catalogue, item) for catalogue, items in TABLES.items() for item in items]


@cache
def threats(model: str) -> dict[str, Threat]:
    return {t.id: t for t in derive(load_model(MODELS / model), RULES)}


def derived(model: str, threat_id: str) -> Threat | None:
    """The threat, or the specific threat it was folded into (then it is still answered)."""
    found = threats(model)
    if threat_id in found:
        return found[threat_id]
    return next((t for t in found.values() if threat_id in t.covers), None)


def test_tables_hold_every_item_of_the_catalogues_by_its_name() -> None:
    for catalogue, items in TABLES.items():
        listed = {r.id: r.name for r in REFS.catalogue(catalogue)}
        if catalogue == "ms-threat-matrix":
            listed = {k: v for k, v in listed.items() if k.startswith("MS-TA")}
        if catalogue == "owasp":
            listed = {k: v for k, v in listed.items() if k.startswith("K")}
        assert {i.id: i.name for i in items} == listed, catalogue
        for item in items:
            assert bool(item.covered_by) != bool(item.not_applicable), item.id


def test_audit_ratings_are_the_audits() -> None:
    assert {i.id: i.rating for i in AUDIT} == {
        r.id: r.data["severity"] for r in REFS.catalogue("k8s-audit-2019")
    }


@pytest.mark.parametrize(
    "catalogue, item", [(c, i) for c, i in ALL if i.covered_by], ids=lambda v: getattr(v, "id", v)
)
def test_item_is_answered_by_the_listed_threats(catalogue: str, item: Item) -> None:
    citation = REFS.get(catalogue, item.id).citation
    cited = False
    for model, threat_id in item.covered_by:
        threat = derived(model, threat_id)
        assert threat is not None, f"{item.id}: {threat_id} is not derived from {model}"
        rule = RULES.get(threat_id.partition("@")[0])
        assert rule is not None
        cited = cited or citation in rule.references
    assert cited, f"{item.id}: none of its rules cites {citation!r}"


def test_coverage_targets() -> None:
    audit = sum(bool(i.covered_by) for i in AUDIT)
    applicable = [i for i in MS_MATRIX if not i.not_applicable]
    matrix = sum(bool(i.covered_by) for i in applicable) / len(applicable)
    owasp = sum(bool(i.covered_by) for i in OWASP_K8S)
    assert audit >= 15
    assert matrix >= 0.9
    assert owasp == 10


# The audit rates Informational < Very Low < Low < Medium < High; our scale starts at low.
STEP = {"Informational": 0, "Very Low": 0, "Low": 0, "Medium": 1, "High": 2}
OURS = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def calibration() -> list[tuple[str, str, str, bool]]:
    """(finding, the audit's rating, our severity of its first threat, within one step)."""
    out = []
    for item in AUDIT:
        if not item.covered_by:
            continue
        model, threat_id = item.covered_by[0]
        assert model == AUDIT_MODEL, item.id
        threat = derived(model, threat_id)
        assert threat is not None
        ok = abs(OURS[threat.severity] - STEP[item.rating]) <= 1
        out.append((item.id, item.rating, threat.severity, ok))
    return out


def test_severity_on_the_audit_diagram_is_within_one_step_of_the_audit_for_most_findings() -> None:
    rows = calibration()
    within = [r for r in rows if r[3]]
    assert len(within) >= 0.8 * len(rows), [r for r in rows if not r[3]]
