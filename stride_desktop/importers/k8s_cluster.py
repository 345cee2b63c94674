"""The cluster around the imported workloads, on request (``--with-cluster``).

Manifests say nothing of the control plane, yet its threats are real: the API server every
change goes through, etcd holding every Secret, the kubelets that run the pods. This adds them
with upstream defaults (the properties the person then corrects) and the flows between them;
workloads whose service account has RBAC powers call the API server.
"""

from __future__ import annotations

from .builder import ModelBuilder

CONTROL_PLANE, NODES = "k8s.control-plane", "k8s.nodes"


def add_cluster(b: ModelBuilder, workloads: list[str], cluster: str) -> None:
    b.boundary(cluster, "Kubernetes cluster", kind="cluster", trust=2)
    b.boundary(CONTROL_PLANE, "Control plane", kind="node", trust=4, parent=cluster)
    b.boundary(NODES, "Worker nodes", kind="node", trust=3, parent=cluster)
    b.boundary("internet", "Internet", kind="internet", trust=0)
    api = b.element("k8s.apiserver", "kube-apiserver", "k8s.apiserver", boundary=CONTROL_PLANE)
    etcd = b.element("k8s.etcd", "etcd", "k8s.etcd", boundary=CONTROL_PLANE)
    scheduler = b.element(
        "k8s.scheduler", "kube-scheduler", "k8s.scheduler", boundary=CONTROL_PLANE
    )
    manager = b.element(
        "k8s.controller-manager",
        "kube-controller-manager",
        "k8s.controller_manager",
        boundary=CONTROL_PLANE,
    )
    kubelet = b.element("k8s.kubelet", "kubelet", "k8s.kubelet", boundary=NODES)
    runtime = b.element("k8s.runtime", "containerd", "k8s.container_runtime", boundary=NODES)
    proxy = b.element("k8s.kube-proxy", "kube-proxy", "k8s.kube_proxy", boundary=NODES)
    admin = b.element("k8s.admin", "Cluster admin (kubectl)", "k8s.user", boundary="internet")
    b.flow(
        admin,
        api,
        name="kubectl",
        protocol="https",
        port=6443,
        encrypted=True,
        authenticated="token",
        data="confidential",
    )
    b.flow(
        api,
        etcd,
        name="etcd v3",
        protocol="grpc",
        port=2379,
        encrypted=True,
        authenticated="mtls",
        data="secret",
    )
    for component in (scheduler, manager, kubelet, proxy):
        b.flow(
            component,
            api,
            name="watch",
            protocol="https",
            port=6443,
            encrypted=True,
            authenticated="mtls",
            data="confidential",
        )
    b.flow(
        api,
        kubelet,
        name="exec / logs",
        protocol="https",
        port=10250,
        encrypted=True,
        authenticated="mtls",
        data="confidential",
    )
    b.flow(kubelet, runtime, name="CRI", protocol="unix", data="internal")
    for workload in workloads:
        props = b.elements[workload].properties
        if any(
            props.get(k)
            for k in (
                "rbac_cluster_admin",
                "rbac_wildcard",
                "rbac_read_secrets",
                "rbac_create_pods",
            )
        ):
            b.flow(
                workload,
                api,
                name="API calls (service account token)",
                protocol="https",
                port=443,
                encrypted=True,
                authenticated="token",
                data="confidential",
            )
