"""Services (selectors, NodePort and LoadBalancer exposure) and Ingresses (users in, backends
out, TLS certificates read): the ways into the workloads."""

from __future__ import annotations

from typing import Any

from .k8s_context import Workload, port_style
from .k8s_stores import StoresMixin

SNIPPETS = ("configuration-snippet", "server-snippet", "auth-snippet", "stream-snippet")
RATE_LIMITS = ("limit-rps", "limit-rpm", "limit-connections", "rate-limit")


class ServicesMixin(StoresMixin):
    def add_services(self) -> None:
        for obj in self.objects:
            if obj.kind != "Service":
                continue
            namespace = obj.namespace or "default"
            spec = obj.spec()
            kind = (
                spec.get("type")
                if spec.get("type") in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
                else "ClusterIP"
            )
            element = self.b.element(
                self.b.new_id("svc", namespace, obj.name),
                obj.name,
                "k8s.service",
                boundary=self.namespace(namespace),
                properties={"type": kind} if kind != "ClusterIP" else {},
                description=f"Service {namespace}/{obj.name} ({kind})",
            )
            self.services[(namespace, obj.name)] = element
            ports = []
            for entry in spec.get("ports") or []:
                if isinstance(entry, dict):
                    port = entry.get("port") if isinstance(entry.get("port"), int) else None
                    ports.append(
                        (
                            str(entry.get("name") or entry.get("appProtocol") or ""),
                            port,
                            entry.get("targetPort", port),
                        )
                    )
            self.service_ports[element] = ports
            selector = spec.get("selector")
            if isinstance(selector, dict) and selector:
                matched = [
                    w
                    for w in self.workloads
                    if (w.obj.namespace or "default") == namespace
                    and all(w.facts.labels.get(str(k)) == str(v) for k, v in selector.items())
                ]
                if not matched:
                    shown = ", ".join(f"{k}={v}" for k, v in selector.items())
                    self.warn(
                        obj, f"selector {shown} matches no workload in the files", "spec.selector"
                    )
                for workload in matched:
                    self.backends[element].append(workload)
                    self._service_to_pods(element, workload, ports)
            elif kind == "ExternalName":
                self.b.elements[element].description += f"; points to {spec.get('externalName')}"
            if kind in ("NodePort", "LoadBalancer"):
                for name, port, _ in ports or [("", None, None)]:
                    protocol, encrypted = port_style(name, port)
                    self.b.flow(
                        self.users(),
                        element,
                        name=f"{protocol.upper()} :{port}",
                        protocol=protocol,
                        port=port,
                        encrypted=encrypted,
                        data="public",
                        reason=f"{kind} Service",
                        key=str(port or ""),
                    )
                self.exposed.add(element)

    def _service_to_pods(self, service: str, workload: Workload, ports: list) -> None:
        for name, port, target in ports or [("", None, None)]:
            number = workload.facts.named_ports.get(target) if isinstance(target, str) else target
            protocol, encrypted = port_style(name, number or port)
            self.b.flow(
                service,
                workload.id,
                name=protocol,
                protocol=protocol,
                port=number or port,
                encrypted=encrypted,
                data=self.data(workload),
                reason="Service selector",
            )

    def add_ingresses(self) -> None:
        for obj in self.objects:
            if obj.kind != "Ingress":
                continue
            namespace = obj.namespace or "default"
            spec, notes = obj.spec(), obj.annotations()
            tls = [t for t in spec.get("tls") or [] if isinstance(t, dict)]
            props: dict[str, Any] = {}
            if tls:
                props["tls"] = True
            if any(k.endswith(SNIPPETS) for k in notes):
                props["snippets_allowed"] = True
            if any(any(r in k for r in RATE_LIMITS) for k in notes):
                props["rate_limiting"] = True
            if any(k.endswith("enable-modsecurity") and v == "true" for k, v in notes.items()):
                props["waf"] = True
            element = self.b.element(
                self.b.new_id("ing", namespace, obj.name),
                obj.name,
                "k8s.ingress",
                boundary=self.namespace(namespace),
                properties=props,
                description=f"Ingress {namespace}/{obj.name}",
            )
            self.b.flow(
                self.users(),
                element,
                name="HTTPS" if tls else "HTTP",
                protocol="https" if tls else "http",
                port=443 if tls else 80,
                encrypted=bool(tls),
                data="public",
                reason="Ingress",
            )
            for path, backend in self._backends(spec):
                name, port = backend
                target = self.services.get((namespace, name))
                if target is None:
                    self.warn(obj, f"backend Service '{name}' is not in the files", path)
                    continue
                number = port if isinstance(port, int) else None
                protocol, encrypted = port_style(port if isinstance(port, str) else "", number)
                self.b.flow(
                    element,
                    target,
                    name=protocol,
                    protocol=protocol,
                    port=number,
                    encrypted=encrypted,
                    reason="Ingress backend",
                )
                self.exposed.add(target)
            for i, entry in enumerate(tls):
                if isinstance(entry.get("secretName"), str):
                    store = self.store(
                        "Secret",
                        namespace,
                        entry["secretName"],
                        obj,
                        f"spec.tls[{i}].secretName",
                        optional=True,
                    )
                    self.b.flow(
                        store, element, name="TLS certificate", protocol="file", data="secret"
                    )

    @staticmethod
    def _backends(spec: dict[str, Any]) -> list[tuple[str, tuple[str, Any]]]:
        found = []

        def backend(value: Any, path: str) -> None:
            if not isinstance(value, dict):
                return
            service = value.get("service")
            if isinstance(service, dict) and isinstance(service.get("name"), str):
                port = service.get("port") or {}
                found.append((path, (service["name"], port.get("number") or port.get("name"))))
            elif isinstance(value.get("serviceName"), str):  # extensions/v1beta1
                found.append((path, (value["serviceName"], value.get("servicePort"))))

        for key in ("defaultBackend", "backend"):
            backend(spec.get(key), f"spec.{key}")
        for i, rule in enumerate(spec.get("rules") or []):
            paths = (
                ((rule or {}).get("http") or {}).get("paths") if isinstance(rule, dict) else None
            )
            for j, entry in enumerate(paths or []):
                if isinstance(entry, dict):
                    backend(entry.get("backend"), f"spec.rules[{i}].http.paths[{j}].backend")
        return found

    def mark_exposed(self) -> None:
        for service in self.exposed:
            for w in self.backends.get(service, []):
                self.b.elements[w.id].properties["exposed_to_internet"] = True
