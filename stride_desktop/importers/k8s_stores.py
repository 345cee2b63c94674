"""ConfigMaps, Secrets and claims that workloads use: stores with read and write flows."""

from __future__ import annotations

from typing import Any

from .compose_props import SECRET_WORDS
from .k8s_context import K8sContext, Workload
from .k8s_objects import K8sObject

STORES = {"ConfigMap": ("cm", "k8s.configmap"), "Secret": ("secret", "k8s.secret")}


class StoresMixin(K8sContext):
    def store(
        self, kind: str, namespace: str, name: str, user: K8sObject, path: str, *, optional: bool
    ) -> str:
        obj = self.by_key.get((kind, namespace, name))
        if obj is None and not optional:
            self.warn(user, f"{kind} '{name}' is not in the files (drawn all the same)", path)
        prefix, component = STORES.get(kind, ("pvc", "k8s.persistent_volume"))
        props: dict[str, Any] = {}
        if kind == "ConfigMap" and obj is not None:
            data = obj.body.get("data")
            if isinstance(data, dict) and any(
                SECRET_WORDS.search(str(k).upper()) and v for k, v in data.items()
            ):
                props["contains_secrets"] = True
        if kind == "PersistentVolumeClaim" and self._host_path_claim(namespace, name, obj):
            props["host_path"] = True
        return self.b.element(
            self.b.new_id(prefix, namespace, name),
            name,
            component,
            boundary=self.namespace(namespace),
            properties=props,
            description=f"{kind} {namespace}/{name}" + ("" if obj else " (not in the files)"),
        )

    def _host_path_claim(self, namespace: str, name: str, claim: K8sObject | None) -> bool:
        volume = claim.spec().get("volumeName") if claim else None
        for obj in self.objects:
            if obj.kind != "PersistentVolume" or not isinstance(obj.spec().get("hostPath"), dict):
                continue
            ref = obj.spec().get("claimRef") or {}
            if obj.name == volume or (
                ref.get("namespace") == namespace and ref.get("name") == name
            ):
                return True
        return False

    def add_stores(self) -> None:
        for w in self.workloads:
            namespace = w.obj.namespace or "default"
            for ref in w.facts.configmaps:
                store = self.store(
                    "ConfigMap", namespace, ref.name, w.obj, ref.path, optional=ref.optional
                )
                self.b.flow(store, w.id, name=ref.mount or "environment", protocol="file")
            for ref in w.facts.secrets:
                store = self.store(
                    "Secret", namespace, ref.name, w.obj, ref.path, optional=ref.optional
                )
                if ref.as_env:
                    self.b.elements[store].properties["mounted_as_env"] = True
                self.b.flow(
                    store, w.id, name=ref.mount or "environment", protocol="file", data="secret"
                )
            for ref in w.facts.claims:
                store = self.store(
                    "PersistentVolumeClaim", namespace, ref.name, w.obj, ref.path, optional=False
                )
                self._mount(w, store, ref.mount, ref.read_only)
            if w.obj.kind == "StatefulSet":
                for i, template in enumerate(w.obj.spec().get("volumeClaimTemplates") or []):
                    name = (
                        ((template or {}).get("metadata") or {}).get("name")
                        if isinstance(template, dict)
                        else None
                    )
                    if isinstance(name, str):
                        claim = f"{name}-{w.obj.name}"
                        store = self.store(
                            "PersistentVolumeClaim",
                            namespace,
                            claim,
                            w.obj,
                            f"spec.volumeClaimTemplates[{i}]",
                            optional=True,
                        )
                        self._mount(w, store, "", False)

    def _mount(self, w: Workload, store: str, mount: str, read_only: bool) -> None:
        data = self.data(w)
        if read_only:
            self.b.flow(store, w.id, name=f"read {mount}".strip(), protocol="file", data=data)
        else:
            self.b.flow(w.id, store, name=f"mount {mount}".strip(), protocol="file", data=data)
