"""What every part of the compose import shares: the project, the model being built, and the
parsed ports and mounts of each service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .builder import ModelBuilder, make_id
from .compose_files import ComposeProject
from .compose_syntax import Mount, Port, parse_mount, parse_port
from .errors import Notices

INTERNET, HOST = "internet", "docker-host"
USERS, LOCAL_USER = "users", "local-user"
SOCKET, DAEMON = "docker-sock", "dockerd"
DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


def svc(name: str) -> str:
    return make_id("svc", name)


class ComposeBase:
    def __init__(self, project: ComposeProject, notices: Notices, name: str | None) -> None:
        self.project = project
        self.notices = notices
        self.b = ModelBuilder(
            name or f"{project.name} (docker compose)",
            f"Imported from {', '.join(Path(f).name for f in project.files)}.",
        )
        self.networks = project.sections["networks"]
        self.service_nets: dict[str, list[str]] = {}
        self.hosts: dict[str, str] = {}  # host name -> service
        self.env: dict[str, dict[str, str | None]] = {}  # service -> its environment

    def where(self, service: str) -> str:
        return self.project.origin.get(service, self.project.files[0])

    def warn(self, service: str, message: str, path: str = "") -> None:
        self.notices.warn(self.where(service), message, what=f"service {service}", path=path)

    def ports(self, name: str, service: dict[str, Any]) -> list[Port]:
        ports = []
        for i, entry in enumerate(service.get("ports") or []):
            try:
                ports.append(parse_port(entry))
            except ValueError as exc:
                self.warn(name, str(exc), f"ports[{i}]")
        return ports

    def mounts(self, name: str, service: dict[str, Any]) -> list[Mount]:
        mounts = []
        for i, entry in enumerate(service.get("volumes") or []):
            try:
                mounts.append(parse_mount(entry))
            except ValueError as exc:
                self.warn(name, str(exc), f"volumes[{i}]")
        return mounts
