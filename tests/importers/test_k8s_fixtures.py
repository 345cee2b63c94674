"""Real Kubernetes manifests import with the workloads, Services, flows and settings they hold.

The expected facts are written down from reading each file (tests/fixtures/k8s), not from the
importer's output.
"""

from __future__ import annotations

import pytest

from stride_desktop.importers import import_files
from stride_desktop.io import validate_model

from .helpers import K8S, flow, pairs, props, warnings

SHOP = [
    "frontend",
    "adservice",
    "currencyservice",
    "cartservice",
    "redis-cart",
    "loadgenerator",
    "recommendationservice",
    "checkoutservice",
    "emailservice",
    "paymentservice",
    "shippingservice",
    "productcatalogservice",
]


@pytest.fixture(scope="module")
def shop() -> object:
    return import_files([K8S / "microservices-demo__release-kubernetes-manifests.yaml"])


def test_online_boutique_workloads_services_and_exposure(shop) -> None:
    model = shop.model
    assert validate_model(model) == []
    assert shop.format == "kubernetes"
    assert {e.id for e in model.elements if e.component == "k8s.pod"} == {
        f"deploy.default.{name}" for name in SHOP
    }
    services = {e.name for e in model.elements if e.component == "k8s.service"}
    assert services == (set(SHOP) - {"loadgenerator"}) | {"frontend-external"}
    assert model.element("deploy.default.frontend").boundary == "ns.default"
    assert model.boundary("ns.default").parent == "cluster"
    assert props(model, "svc.default.frontend-external") == {"type": "LoadBalancer"}
    assert flow(model, "users", "svc.default.frontend-external").port == 80
    assert flow(model, "svc.default.frontend-external", "deploy.default.frontend").port == 8080
    assert props(model, "deploy.default.frontend")["exposed_to_internet"] is True
    assert "exposed_to_internet" not in props(model, "deploy.default.cartservice")


def test_online_boutique_flows_from_env_addresses(shop) -> None:
    model = shop.model
    expected = {
        ("frontend", "productcatalogservice", 3550),
        ("frontend", "currencyservice", 7000),
        ("frontend", "cartservice", 7070),
        ("frontend", "recommendationservice", 8080),
        ("frontend", "shippingservice", 50051),
        ("frontend", "checkoutservice", 5050),
        ("frontend", "adservice", 9555),
        ("cartservice", "redis-cart", 6379),
        ("recommendationservice", "productcatalogservice", 3550),
        ("checkoutservice", "emailservice", 5000),
        ("checkoutservice", "paymentservice", 50051),
        ("loadgenerator", "frontend", 80),
    }
    for source, target, port in expected:
        assert flow(model, f"deploy.default.{source}", f"svc.default.{target}").port == port
    assert flow(model, "svc.default.emailservice", "deploy.default.emailservice").port == 8080
    redis = flow(model, "deploy.default.cartservice", "svc.default.redis-cart")
    assert redis.data == "confidential"
    # SHOPPING_ASSISTANT_SERVICE_ADDR names a Service that is not in the file
    assert any("shoppingassistantservice" in w and "env[" in w for w in warnings(shop))


def test_online_boutique_security_settings(shop) -> None:
    frontend = props(shop.model, "deploy.default.frontend")
    assert frontend["run_as_non_root"] is True
    assert frontend["allow_privilege_escalation"] is False
    assert frontend["read_only_rootfs"] is True
    assert frontend["service_account"] == "frontend"
    assert "image_mutable_tag" not in frontend  # :v0.10.6
    assert props(shop.model, "deploy.default.redis-cart")["service_account"] == "default"


def test_guestbook_selectors_nodeport_and_no_invented_flows() -> None:
    result = import_files([K8S / "examples__web-guestbook-all-in-one-guestbook-all-in-one.yaml"])
    model = result.model
    assert validate_model(model) == []
    assert warnings(result) == []
    assert props(model, "deploy.default.redis-replica")["replicas"] == 2
    assert props(model, "deploy.default.frontend")["replicas"] == 3
    assert flow(model, "svc.default.redis-master", "deploy.default.redis-master").port == 6379
    assert flow(model, "users", "svc.default.frontend").port == 80  # type: NodePort
    assert props(model, "svc.default.frontend") == {"type": "NodePort"}
    # the PHP frontend finds redis by DNS names written in its code, not in the manifest
    assert pairs(model, prefix="deploy.") == set()
    assert "resource_limits" not in props(model, "deploy.default.frontend")  # requests only


@pytest.fixture(scope="module")
def cilium() -> object:
    return import_files([K8S / "cilium__install-kubernetes-quick-install.yaml"])


def test_helm_rendered_cilium_privileged_daemonset(cilium) -> None:
    model = cilium.model
    assert validate_model(model) == []
    assert warnings(cilium) == []  # its Secret references are optional
    agent = props(model, "ds.kube-system.cilium")
    assert agent["workload"] == "DaemonSet"
    assert agent["privileged"] is True
    assert agent["cap_add"] == ["NET_ADMIN", "SYS_MODULE"]
    assert agent["host_network"] is True
    assert agent["host_path"] is True
    assert agent["service_account"] == "cilium"
    assert agent["rbac_wildcard"] is True  # verbs: '*' on the cilium.io resources
    assert "rbac_read_secrets" not in agent
    assert model.element("ds.kube-system.cilium").boundary == "ns.kube-system"
    config = flow(model, "cm.kube-system.cilium-config", "ds.kube-system.cilium")
    assert (config.protocol, config.channel) == ("file", "mount")
    assert (
        flow(model, "secret.kube-system.cilium-clustermesh", "ds.kube-system.cilium").data
        == "secret"
    )


def test_helm_rendered_cilium_operator(cilium) -> None:
    operator = props(cilium.model, "deploy.kube-system.cilium-operator")
    assert operator["host_network"] is True
    assert operator["secrets_in_env"] is True  # AWS_SECRET_ACCESS_KEY from a secretKeyRef
    assert operator["rbac_wildcard"] is True
    assert props(cilium.model, "secret.kube-system.cilium-aws")["mounted_as_env"] is True


@pytest.fixture(scope="module")
def nginx() -> object:
    return import_files([K8S / "ingress-nginx__deploy-static-provider-baremetal-1.19-deploy.yaml"])


def test_kustomize_ingress_nginx_rbac_and_exposure(nginx) -> None:
    model = nginx.model
    assert validate_model(model) == []
    controller = props(model, "deploy.ingress-nginx.ingress-nginx-controller")
    assert controller["rbac_read_secrets"] is True  # Role and ClusterRole list/watch secrets
    assert "rbac_wildcard" not in controller
    assert controller["run_as_non_root"] is True  # runAsUser: 101
    assert "allow_privilege_escalation" not in controller  # allowPrivilegeEscalation: true
    assert controller["cap_add"] == ["NET_BIND_SERVICE"]
    assert controller["exposed_to_internet"] is True
    service = "svc.ingress-nginx.ingress-nginx-controller"
    assert props(model, service) == {"type": "NodePort"}
    assert {f.port for f in model.flows if f.source == "users" and f.target == service} == {80, 443}
    # targetPort: http -> the container port named http (80); webhook -> 8443
    assert flow(model, service, "deploy.ingress-nginx.ingress-nginx-controller").port == 80
    admission = "svc.ingress-nginx.ingress-nginx-controller-admission"
    assert flow(model, admission, "deploy.ingress-nginx.ingress-nginx-controller").port == 8443
    job = props(model, "job.ingress-nginx.ingress-nginx-admission-create")
    assert job["allow_privilege_escalation"] is False
    assert job["rbac_read_secrets"] is True  # Role ingress-nginx-admission: get secrets


def test_kustomize_ingress_nginx_reports_the_secret_it_does_not_contain(nginx) -> None:
    (warning,) = warnings(nginx)
    assert "document 15 (Deployment ingress-nginx/ingress-nginx-controller)" in warning
    assert "spec.template.spec.volumes[0]" in warning
    assert "Secret 'ingress-nginx-admission' is not in the files" in warning


def test_kubectl_get_list_of_ingresses_from_a_live_cluster() -> None:
    result = import_files([K8S / "kubevious-parser__mock-data-big-data-ingresses.yaml"])
    model = result.model
    assert validate_model(model) == []
    ingresses = {e.id for e in model.elements if e.component == "k8s.ingress"}
    assert ingresses == {
        "ing.book.book-web-ingress",
        "ing.gitlab.gitlab-minio",
        "ing.gitlab.gitlab-registry",
        "ing.gitlab.gitlab-unicorn",
        "ing.kubevious.kubevious",
        "ing.openfaas.openfaas-ingress",
    }
    assert props(model, "ing.gitlab.gitlab-minio") == {"tls": True}
    assert props(model, "ing.book.book-web-ingress") == {}
    assert flow(model, "users", "ing.gitlab.gitlab-unicorn").port == 443
    assert flow(model, "users", "ing.openfaas.openfaas-ingress").port == 80
    assert (
        flow(model, "secret.gitlab.gitlab-gitlab-tls", "ing.gitlab.gitlab-unicorn").data == "secret"
    )
    # none of the backend Services is in the file: one warning per backend, with its place
    missing = [w for w in warnings(result) if "backend Service" in w]
    assert len(missing) == 8
    assert any("items[3].spec.rules[0].http.paths[1].backend" in w for w in missing)
    assert {b.id for b in model.boundaries} >= {
        "ns.book",
        "ns.gitlab",
        "ns.kubevious",
        "ns.openfaas",
    }


def test_live_object_with_managed_fields_and_status() -> None:
    result = import_files([K8S / "argo-cd__controller-testdata-live-deployment-env-vars.yaml"])
    model = result.model
    assert validate_model(model) == []
    assert warnings(result) == []
    ui = props(model, "deploy.default.kustomize-guestbook-ui")
    assert ui["replicas"] == 4
    assert ui["image"] == "gcr.io/heptio-images/ks-guestbook-demo:0.1"
    assert model.flows == []  # SOME_ENV_VAR=some_value names no host
