"""Volumes, bind mounts, the Docker socket, secrets and configs: the stores of a compose project."""

from __future__ import annotations

from typing import Any

from .compose_base import DAEMON, DOCKER_SOCKETS, HOST, SOCKET, ComposeBase, svc
from .compose_props import holds_data


class StoresMixin(ComposeBase):
    def stores(self) -> None:
        b = self.b
        volumes = self.project.sections["volumes"]
        users: dict[str, set[str]] = {}
        for name, service in self.project.services.items():
            for mount in self.mounts(name, service):
                if mount.type == "bind" and mount.source.rstrip("/") in DOCKER_SOCKETS:
                    b.element(DAEMON, "Docker daemon", "docker.daemon", boundary=HOST)
                    b.element(SOCKET, "/var/run/docker.sock", "docker.socket", boundary=HOST)
                    b.flow(SOCKET, DAEMON, name="Engine API", protocol="unix", data="confidential")
                    b.flow(
                        svc(name),
                        SOCKET,
                        name="Docker API",
                        protocol="unix",
                        data="confidential",
                        reason=f"mounts {mount.source}",
                    )
                    continue
                if mount.type not in ("volume", "bind") or not mount.source:
                    continue
                if mount.type == "volume" and mount.source not in volumes:
                    self.warn(
                        name, f"volume '{mount.source}' is not declared under volumes:", "volumes"
                    )
                if mount.type == "volume":
                    store = b.new_id("vol", mount.source)
                else:  # "." is the project folder
                    store = b.new_id("bind", mount.source.strip("./") or "project-folder")
                users.setdefault(store, set()).add(name)
                label = mount.source
                if mount.type == "volume" and not mount.source.lower().endswith("volume"):
                    label += " volume"
                props = (
                    {"bind_mount": True, "host_path": mount.source} if mount.type == "bind" else {}
                )
                spec = volumes.get(mount.source) or {}
                desc = "external volume" if spec.get("external") else ""
                b.element(
                    store, label, "docker.volume", boundary=HOST, properties=props, description=desc
                )
                data = (
                    "confidential"
                    if holds_data(self.project.services[name].get("image") or "")
                    else "internal"
                )
                if mount.read_only:
                    b.flow(
                        store, svc(name), name=f"read {mount.target}", protocol="file", data=data
                    )
                else:
                    b.flow(
                        svc(name), store, name=f"mount {mount.target}", protocol="file", data=data
                    )
        for store, names in users.items():
            if len(names) > 1:
                b.elements[store].properties["shared"] = True
        for section, component, prefix in (
            ("secrets", "docker.secret", "secret"),
            ("configs", "docker.config", "config"),
        ):
            declared = self.project.sections[section]
            for name, service in self.project.services.items():
                for i, entry in enumerate(service.get(section) or []):
                    source = entry.get("source") if isinstance(entry, dict) else entry
                    if not isinstance(source, str):
                        self.warn(name, f"expected a {prefix} name", f"{section}[{i}]")
                        continue
                    if source not in declared:
                        self.warn(
                            name,
                            f"{prefix} '{source}' is not declared under {section}:",
                            f"{section}[{i}]",
                        )
                    spec = declared.get(source) or {}
                    store = b.new_id(prefix, source)
                    b.element(
                        store,
                        source,
                        component,
                        boundary=HOST,
                        properties=_store_props(prefix, spec),
                        description=_store_description(spec),
                    )
                    target = entry.get("target") if isinstance(entry, dict) else None
                    path = target or (
                        f"/run/secrets/{source}" if prefix == "secret" else f"/{source}"
                    )
                    b.flow(
                        store,
                        svc(name),
                        name=path,
                        protocol="file",
                        data="secret" if prefix == "secret" else "internal",
                    )


def _store_props(prefix: str, spec: dict[str, Any]) -> dict[str, Any]:
    if spec.get("external"):
        source = "external"
    elif "environment" in spec:
        source = "environment"
    elif "content" in spec and prefix == "config":
        source = "content"
    else:
        source = "file"
    props: dict[str, Any] = {"source": source}
    file = spec.get("file")
    if prefix == "secret" and isinstance(file, str) and not file.startswith(("/", "~", "..")):
        props["in_repository"] = True  # a file inside the project folder, next to the compose file
    return props


def _store_description(spec: dict[str, Any]) -> str:
    for key in ("file", "environment", "name"):
        if isinstance(spec.get(key), str):
            return f"{key}: {spec[key]}"
    return ""
