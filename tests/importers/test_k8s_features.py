"""Kubernetes features one by one, on small manifests written for the purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.importers import import_files
from stride_desktop.io import validate_model

from .helpers import flow, props, warnings

APP = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: web}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata: {name: endpoints, namespace: shop}
data: {ORDERS_URL: "http://orders.shop.svc.cluster.local:8080", DB_PASSWORD: hunter2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: quiet
      containers:
        - name: web
          image: shop/web
          env:
            - {name: HOST, value: orders}
            - {name: ORDERS_ADDR, value: "$(HOST):8080"}
          envFrom: [{configMapRef: {name: endpoints}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: orders, namespace: shop}
spec:
  template:
    metadata: {labels: {app: orders}}
    spec:
      hostPID: true
      securityContext: {seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: orders
          image: shop/orders:latest
          resources: {limits: {cpu: "1", memory: 1Gi}}
          volumeMounts: [{name: scratch, mountPath: /scratch, readOnly: true}]
      volumes: [{name: scratch, persistentVolumeClaim: {claimName: scratch}}]
  volumeClaimTemplates: [{metadata: {name: data}}]
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: local}
spec: {hostPath: {path: /mnt/scratch}, claimRef: {namespace: shop, name: scratch}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: scratch, namespace: shop}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec:
          containers: [{name: report, image: "shop/report@sha256:abc", args: ["--orders=orders:8080"]}]
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: shop}
spec: {selector: {app: orders}, ports: [{name: http, port: 8080, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations: {nginx.ingress.kubernetes.io/configuration-snippet: "more_set_headers X: y;"}
spec:
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> object:
    path = tmp_path_factory.mktemp("k8s") / "app.yaml"
    path.write_text(APP)
    return import_files([path])


def test_workload_kinds_and_their_settings(app) -> None:
    model = app.model
    assert validate_model(model) == []
    assert warnings(app) == []
    web = props(model, "deploy.shop.web")
    assert web["service_account"] == "quiet"
    assert web["service_account_token"] is False  # from the ServiceAccount object
    assert web["image_mutable_tag"] is True  # shop/web: no tag
    assert web["secrets_in_env"] is True  # DB_PASSWORD comes in through envFrom
    assert web["exposed_to_internet"] is True  # Ingress -> Service web -> web
    orders = props(model, "sts.shop.orders")
    assert orders["workload"] == "StatefulSet"
    assert orders["host_pid"] is True and orders["seccomp_profile"] == "RuntimeDefault"
    assert orders["resource_limits"] is True and orders["image_mutable_tag"] is True
    report = props(model, "cronjob.shop.report")
    assert report["workload"] == "CronJob" and "image_mutable_tag" not in report  # a digest
    assert props(model, "cm.shop.endpoints")["contains_secrets"] is True


def test_flows_from_env_expansion_config_maps_arguments_and_ingress(app) -> None:
    model = app.model
    orders = flow(model, "deploy.shop.web", "svc.shop.orders")
    assert orders.port == 8080
    assert "environment ORDERS_ADDR" in orders.description  # $(HOST):8080
    assert "environment ORDERS_URL" in orders.description  # a ConfigMap key, cluster-local name
    assert flow(model, "cronjob.shop.report", "svc.shop.orders").port == 8080  # --orders=...
    assert flow(model, "users", "ing.shop.web").protocol == "http"
    assert flow(model, "ing.shop.web", "svc.shop.web").port == 80
    assert props(model, "ing.shop.web") == {"snippets_allowed": True}
    assert flow(model, "cm.shop.endpoints", "deploy.shop.web").protocol == "file"


def test_claims_templates_and_host_path_volumes(app) -> None:
    model = app.model
    assert props(model, "pvc.shop.scratch") == {"host_path": True}  # bound to a hostPath PV
    assert flow(model, "pvc.shop.scratch", "sts.shop.orders").name == "read /scratch"
    assert flow(model, "sts.shop.orders", "pvc.shop.data-orders").name == "mount"


RBAC = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: admin-tool, namespace: ops}
spec:
  template:
    metadata: {labels: {app: admin}}
    spec: {serviceAccountName: admin, containers: [{name: a, image: ops/admin:1}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: deployer, namespace: ci}
spec:
  template:
    metadata: {labels: {app: deployer}}
    spec: {serviceAccountName: deployer, containers: [{name: d, image: ci/deployer:1}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: plain, namespace: ci}
spec:
  template:
    metadata: {labels: {app: plain}}
    spec: {containers: [{name: p, image: ci/plain:1}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin-is-admin}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: admin, namespace: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deploy, namespace: ci}
rules: [{apiGroups: [apps], resources: [deployments], verbs: [create, update]}, {apiGroups: [""], resources: [pods/exec], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deploy, namespace: ci}
roleRef: {kind: Role, name: deploy}
subjects: [{kind: ServiceAccount, name: deployer}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: everyone-views, namespace: ci}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: "system:serviceaccounts:ci"}]
"""


def test_rbac_becomes_properties_of_the_workloads_that_use_it(tmp_path: Path) -> None:
    path = tmp_path / "rbac.yaml"
    path.write_text(RBAC)
    result = import_files([path])
    model = result.model
    admin = props(model, "deploy.ops.admin-tool")
    assert admin["rbac_cluster_admin"] and admin["rbac_wildcard"] and admin["rbac_read_secrets"]
    assert (
        "ClusterRoleBinding admin-is-admin -> ClusterRole cluster-admin"
        in model.element("deploy.ops.admin-tool").description
    )
    deployer = props(model, "deploy.ci.deployer")
    assert deployer["rbac_create_pods"] is True  # deployments create + pods/exec
    assert deployer["rbac_read_secrets"] is True  # the built-in edit role, through the group
    plain = props(model, "deploy.ci.plain")  # the namespace's default account, in the group
    assert plain["service_account"] == "default" and plain["rbac_read_secrets"] is True
    assert "rbac_cluster_admin" not in plain


POLICY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: front, namespace: web}
spec:
  template:
    metadata: {labels: {app: front}}
    spec: {containers: [{name: f, image: f:1, env: [{name: API_ADDR, value: "api:8080"}, {name: DB_HOST, value: db}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: web}
spec:
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: a, image: a:1}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: web}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: d, image: postgres:16}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: web}
spec: {selector: {app: api}, ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: web}
spec: {selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: web}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-to-api, namespace: web}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: front}}}], ports: [{port: 8080}]}]
"""


def test_network_policies_decide_which_flows_exist_and_mark_isolation(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY)
    result = import_files([path])
    model = result.model
    assert flow(model, "deploy.web.front", "svc.web.api").port == 8080  # allowed
    assert not any(f.source == "deploy.web.front" and f.target == "svc.web.db" for f in model.flows)
    assert any("reaches Service db, but NetworkPolicies deny it" in w for w in warnings(result))
    for name in ("front", "api", "db"):
        assert props(model, f"deploy.web.{name}")["network_policy"] is True
        assert "network_policy_egress" not in props(model, f"deploy.web.{name}")
