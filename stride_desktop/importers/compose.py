"""docker-compose files -> a data-flow diagram of one Docker host.

Services become containers inside a "Docker host" boundary; a network that some services use
alone becomes a boundary inside it (an ``internal: true`` one more trusted, unreachable from
outside); named volumes and bind mounts become volume stores, secrets and configs stores read
by the services; the Docker socket, when mounted, is drawn with the daemon behind it. Users
outside reach each published port; a port bound to 127.0.0.1 only serves a local user. Flows
between services come from ``depends_on``, ``links``, and environment values or command
arguments that name another service as a host.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from .builder import ModelBuilder
from .compose_base import DAEMON, HOST, INTERNET, LOCAL_USER, SOCKET, USERS, svc
from .compose_files import load_project
from .compose_props import DATA_PROTOCOLS, MANAGED, container_properties, flow_style, holds_data
from .compose_stores import StoresMixin
from .compose_syntax import Port, env_items, parse_env_file
from .errors import ImporterError, Notices
from .hosts import host_refs, looks_internal, sibling_port
from .sources import read_text


class _ComposeImport(StoresMixin):
    # -- boundaries -----------------------------------------------------------------------
    def _networks_of(self, name: str, service: dict[str, Any]) -> list[str]:
        mode = service.get("network_mode")
        if isinstance(mode, str) and mode:
            return []
        nets = service.get("networks")
        if isinstance(nets, dict):
            return [str(n) for n in nets]
        if isinstance(nets, list):
            return [str(n) for n in nets if isinstance(n, str)]
        return ["default"]

    def boundaries(self) -> dict[str, str | None]:
        """Each service's boundary: its network's, or the host's."""
        b = self.b
        b.boundary(
            HOST,
            "Docker host",
            kind="host",
            trust=2,
            description="The machine running docker compose.",
        )
        for name, service in self.project.services.items():
            self.service_nets[name] = self._networks_of(name, service)
            for net in self.service_nets[name]:
                if net != "default" and net not in self.networks:
                    self.warn(name, f"network '{net}' is not declared under networks:", "networks")
        used = {n for nets in self.service_nets.values() for n in nets}
        alone: dict[str, int] = {}
        for nets in self.service_nets.values():
            if len(nets) == 1:
                alone[nets[0]] = alone.get(nets[0], 0) + 1
        drawn = {}
        for net in sorted(used):
            spec = self.networks.get(net) or {}
            internal = bool(spec.get("internal"))
            if alone.get(net) and (len(used) > 1 or internal):
                label = spec.get("name") if isinstance(spec.get("name"), str) else net
                details = [f"driver {spec.get('driver', 'bridge')}"]
                if internal:
                    details.append("internal: no route to or from outside the host")
                if spec.get("external"):
                    details.append("external (created outside this project)")
                drawn[net] = b.boundary(
                    b.new_id("net", net),
                    f"{label} network",
                    kind="network",
                    trust=3 if internal else 2,
                    parent=HOST,
                    description="; ".join(details) + ".",
                )
        placement: dict[str, str | None] = {}
        for name, nets in self.service_nets.items():
            placement[name] = drawn[nets[0]] if len(nets) == 1 and nets[0] in drawn else HOST
        for name, service in self.project.services.items():  # network_mode: service:x
            mode = service.get("network_mode")
            if isinstance(mode, str) and mode.startswith("service:"):
                placement[name] = placement.get(mode.split(":", 1)[1], HOST)
        return placement

    def netns(self, name: str) -> str:
        """Whose network namespace the service uses (``network_mode: service:x`` joins x's,
        ``host`` the host's); services in one namespace talk over loopback."""
        seen = {name}
        while True:
            mode = self.project.services.get(name, {}).get("network_mode")
            if mode == "host":
                return "host"
            if not (isinstance(mode, str) and mode.startswith("service:")):
                return name
            name = mode.split(":", 1)[1]
            if name in seen:  # a loop: compose refuses it; keep going without one
                return name
            seen.add(name)

    def internal_only(self, name: str) -> bool:
        nets = self.service_nets.get(name) or []
        return bool(nets) and all((self.networks.get(n) or {}).get("internal") for n in nets)

    # -- services -------------------------------------------------------------------------
    def environment(self, name: str, service: dict[str, Any]) -> dict[str, str | None]:
        env: dict[str, str | None] = {}
        files = service.get("env_file") or []
        for entry in files if isinstance(files, list) else [files]:
            path, required = entry, True
            if isinstance(entry, dict):
                path, required = entry.get("path"), entry.get("required", True)
            if not isinstance(path, str):
                continue
            file = self.project.directory / path
            try:
                values, _ = parse_env_file(read_text(file))
            except ImporterError:
                if required:
                    self.warn(name, f"env_file {path} cannot be read; its variables are unknown")
                continue
            env.update(values)
        try:
            items = env_items(service.get("environment") or {})
        except ValueError as exc:
            self.warn(name, str(exc), "environment")
            items = []
        for key, value in items:  # NAME without value: from the project's environment (.env)
            env[key] = value if value is not None else env.get(key, self.project.env.get(key))
        return env

    def add_services(self, placement: dict[str, str | None]) -> None:
        for name, service in self.project.services.items():
            self.hosts.setdefault(name.lower(), name)
            for link in service.get("links") or []:  # "db:database": database names db
                target, _, alias = str(link).partition(":")
                if alias:
                    self.hosts.setdefault(alias.lower(), target)
            for key in ("container_name", "hostname"):
                if isinstance(service.get(key), str):
                    self.hosts.setdefault(service[key].lower(), name)
            nets = service.get("networks")
            for spec in nets.values() if isinstance(nets, dict) else []:
                for alias in (spec or {}).get("aliases") or [] if isinstance(spec, dict) else []:
                    self.hosts.setdefault(str(alias).lower(), name)
        for name, service in self.project.services.items():
            ports = self.ports(name, service)
            mounts = self.mounts(name, service)
            env = self.environment(name, service)
            props = container_properties(service, ports, mounts, env, self.service_nets[name])
            image = service.get("image") or ""
            desc = f"image {image}" if image else ""
            self.b.element(
                svc(name),
                name,
                "docker.container",
                boundary=placement[name],
                properties=props,
                description=desc,
            )
            self.env[name] = env

    # -- flows ----------------------------------------------------------------------------
    def published(self) -> None:
        b = self.b
        for name, service in self.project.services.items():
            for port in self.ports(name, service):
                if self.internal_only(name):
                    self.warn(
                        name,
                        f"port {port} is published but the service is only on internal networks: unreachable",
                        "ports",
                    )
                    continue
                number = port.first("target")
                protocol, encrypted = flow_style(number, service.get("image") or "")
                if port.loopback:
                    source = b.element(
                        LOCAL_USER,
                        "Local user (on the host)",
                        "generic.external_entity",
                        boundary=HOST,
                    )
                else:
                    b.boundary(
                        INTERNET,
                        "Internet",
                        kind="internet",
                        trust=0,
                        description="Whoever reaches the host's published ports.",
                    )
                    source = b.element(USERS, "Users", "generic.external_entity", boundary=INTERNET)
                b.flow(
                    source,
                    svc(name),
                    name=f"{protocol.upper()} :{port.published or number}",
                    protocol=protocol,
                    port=port.first("published") or number,
                    encrypted=encrypted,
                    data="public",
                    reason=f"published port {port}",
                    key=str(port.published or port.target),
                    channel="loopback" if port.loopback else None,
                )

    def service_flows(self) -> None:
        services = self.project.services
        for name, service in services.items():
            targets: list[tuple[str, str, Any]] = []  # (service, reason, HostRef|None)
            depends = service.get("depends_on") or []
            for dep in depends if isinstance(depends, list) else list(depends):
                condition = (
                    depends[dep].get("condition")
                    if isinstance(depends, dict) and isinstance(depends[dep], dict)
                    else None
                )
                if condition != "service_completed_successfully":  # a job that has exited
                    targets.append((str(dep), "depends_on", None))
            for link in service.get("links") or []:
                targets.append((str(link).split(":")[0], f"links {link}", None))
            env = self.env[name]
            for key, value in env.items():
                for ref in host_refs(key, value or ""):
                    if ref.port is None and (port := sibling_port(key, env)):
                        ref = replace(ref, port=port)
                    target = self.hosts.get(ref.host)
                    if target is None:
                        if looks_internal(ref.host):
                            self.warn(
                                name,
                                f"{key} names host '{ref.host}' but no service is called so",
                                "environment",
                            )
                        continue
                    targets.append((target, f"environment {key}", ref))
            command = service.get("command")
            for arg in command if isinstance(command, list) else str(command or "").split():
                for ref in host_refs("", str(arg)):
                    if ref.host in self.hosts:
                        targets.append((self.hosts[ref.host], f"command argument {arg}", ref))
            for target, reason, ref in targets:
                if target == name:
                    continue
                if target not in services:
                    why = (
                        "in a profile that is not enabled"
                        if target in self.project.skipped
                        else "not defined"
                    )
                    (self.notices.info if target in self.project.skipped else self.notices.warn)(
                        self.where(name),
                        f"{reason}: service '{target}' is {why}",
                        what=f"service {name}",
                    )
                    continue
                image = services[target].get("image") or ""
                port = ref.port if ref else None
                if port is None:
                    port = _single_port(self.ports(target, services[target]), services[target])
                if ref and ref.protocol != "tcp":
                    protocol, encrypted = ref.protocol, ref.encrypted
                else:
                    protocol, encrypted = flow_style(port, image)
                self.b.flow(
                    svc(name),
                    svc(target),
                    name=protocol if protocol != "tcp" else "TCP",
                    protocol=protocol,
                    channel="loopback" if self.netns(name) == self.netns(target) else None,
                    port=port,
                    encrypted=encrypted,
                    authenticated="basic" if ref and ref.credentials else "none",
                    data="confidential"
                    if holds_data(image) or protocol in DATA_PROTOCOLS
                    else "internal",
                    reason=reason,
                )

    def build(self) -> ModelBuilder:
        placement = self.boundaries()
        self.add_services(placement)
        self.published()
        self.service_flows()
        self.stores()
        return self.b


def _single_port(ports: list[Port], service: dict[str, Any]) -> int | None:
    """The container port of a service that listens on exactly one (published or exposed)."""
    numbers = {n for p in ports if (n := p.first("target")) is not None}
    for entry in service.get("expose") or []:
        text = str(entry).split("/")[0].split("-")[0]
        if text.isdigit():
            numbers.add(int(text))
    return numbers.pop() if len(numbers) == 1 else None


def import_compose(
    paths: list[Path], *, name: str | None = None, profiles: tuple[str, ...] = (), notices: Notices
) -> ModelBuilder:
    """The model of the compose project made of ``paths`` (merged in this order)."""
    project = load_project(paths, profiles=profiles, notices=notices)
    if not project.services:
        raise ImporterError(f"{paths[0]}: no services to import")
    return _ComposeImport(project, notices, name).build()


# ids this importer makes: a re-import may remove such an element when its service is gone
PREFIXES = (
    "svc.",
    "vol.",
    "bind.",
    "secret.",
    "config.",
    "net.",
    "f.",
    INTERNET,
    HOST,
    USERS,
    LOCAL_USER,
    SOCKET,
    DAEMON,
)

__all__ = ["MANAGED", "PREFIXES", "import_compose"]
