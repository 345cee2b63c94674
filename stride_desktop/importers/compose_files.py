"""Loading a compose project: files merged in order, ``extends``, ``.env``, profiles.

What comes out is what ``docker compose config`` would show for the services the import draws:
variables interpolated (``${VAR:-default}`` from the project's ``.env``), each service merged
with the services it extends (in the same file or another, relative to the file that names
it), the files merged in the order given (``-f a.yml -f b.yml``), and services of profiles that
are not enabled left out. Everything odd is a notice naming the file and the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compose_syntax import Interpolator, env_items, parse_env_file, parse_mount
from .errors import ImporterError, Notices
from .sources import parse_documents, read_text

TOP_SECTIONS = ("volumes", "networks", "secrets", "configs")
# Lists that accumulate when files or extends merge (the Compose Specification's merge rules).
APPEND = ("ports", "expose", "dns", "dns_search", "cap_add", "cap_drop", "security_opt", "links")
BY_TARGET = ("volumes", "devices")
AS_MAPPING = ("environment", "labels", "depends_on", "networks", "extra_hosts", "annotations")
MAX_EXTENDS = 10


@dataclass
class ComposeProject:
    name: str
    directory: Path
    files: list[str]
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)  # volumes, networks, ...
    env: dict[str, str] = field(default_factory=dict)  # the project's .env
    skipped: dict[str, list[str]] = field(default_factory=dict)  # service -> its profiles
    origin: dict[str, str] = field(default_factory=dict)  # service -> file defining it


def _as_mapping(value: Any) -> dict[str, Any]:
    """A list form (``["A=b", "C"]``, ``["db", "cache"]``) as a mapping."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        if all(isinstance(v, str) and "=" in v for v in value):
            return dict(env_items(value))
        return {str(v): None for v in value if isinstance(v, str | int)}
    return {}


def merge_service(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base`` as compose merges files and ``extends``."""
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if key in AS_MAPPING and (isinstance(old, dict | list) or isinstance(value, dict | list)):
            combined = _as_mapping(old)
            combined.update(_as_mapping(value))
            merged[key] = combined
        elif key in APPEND and isinstance(old, list) and isinstance(value, list):
            merged[key] = old + [v for v in value if v not in old]
        elif key in BY_TARGET and isinstance(old, list) and isinstance(value, list):
            merged[key] = _merge_by_target(old, value)
        elif isinstance(old, dict) and isinstance(value, dict):
            merged[key] = merge_service(old, value)
        else:
            merged[key] = value
    return merged


def _merge_by_target(old: list[Any], new: list[Any]) -> list[Any]:
    def target(entry: Any) -> str:
        try:
            return parse_mount(entry).target.rstrip("/")
        except ValueError:
            return repr(entry)

    by_target = {target(v): v for v in old}
    by_target.update({target(v): v for v in new})
    return list(by_target.values())


class _Loader:
    def __init__(self, directory: Path, notices: Notices) -> None:
        self.directory = directory
        self.notices = notices
        self.env: dict[str, str] = {}
        env_path = directory / ".env"
        if env_path.is_file():
            self.env, bad = parse_env_file(read_text(env_path))
            for number in bad:
                notices.warn(str(env_path), f"line {number}: not NAME=value, ignored")
        self.interpolate = Interpolator(self.env)
        self.files: dict[Path, dict[str, Any]] = {}

    def read(self, path: Path, *, required: bool = True) -> dict[str, Any] | None:
        """A compose file, parsed and interpolated (cached)."""
        path = path.resolve()
        if path in self.files:
            return self.files[path]
        try:
            text = read_text(path)
        except ImporterError:
            if required:
                raise
            return None
        documents = parse_documents(text, source=str(path), notices=self.notices, strict=True)
        if not documents:
            self.notices.warn(str(path), "empty file: nothing to import")
            data: Any = {}
        else:
            data = documents[0].data
            if len(documents) > 1:
                self.notices.warn(str(path), "several YAML documents: only the first is read")
        if not isinstance(data, dict):
            kind = "list" if isinstance(data, list) else type(data).__name__
            raise ImporterError(
                f"{path}: a compose file is a mapping with 'services' at the top; this one is a {kind}"
            )
        data = self.interpolate.walk(data)
        if (
            "services" not in data
            and data
            and all(isinstance(v, dict) and ("image" in v or "build" in v) for v in data.values())
        ):
            self.notices.warn(str(path), "compose file format version 1: read as services")
            data = {"services": data}
        services = data.get("services")
        if services is not None and not isinstance(services, dict):
            raise ImporterError(f"{path}: services: expected a mapping of service names")
        self.files[path] = data
        return data

    def resolve(self, path: Path, name: str, trail: tuple[tuple[Path, str], ...] = ()) -> dict:
        """Service ``name`` of the file at ``path`` with what it extends merged in."""
        services = (self.read(path) or {}).get("services") or {}
        config = services.get(name)
        if not isinstance(config, dict):
            return {}
        extends = config.get("extends")
        if extends is None:
            return dict(config)
        own = {k: v for k, v in config.items() if k != "extends"}
        if isinstance(extends, str):
            extends = {"service": extends}
        if not isinstance(extends, dict) or not isinstance(extends.get("service"), str):
            self.notices.warn(str(path), "extends: expected a service name", what=f"service {name}")
            return own
        base_path = path.parent / str(extends["file"]) if extends.get("file") else path
        key = (base_path.resolve(), extends["service"])
        if key in trail or len(trail) >= MAX_EXTENDS:
            chain = " -> ".join(n for _, n in (*trail, key))
            self.notices.warn(
                str(path), f"extends loops ({chain}); stopped", what=f"service {name}"
            )
            return own
        try:
            base_file = self.read(base_path, required=False)
        except ImporterError as exc:
            self.notices.warn(str(path), f"extends: {exc}", what=f"service {name}")
            return own
        if base_file is None:
            self.notices.warn(
                str(path), f"extends: cannot read {extends['file']}", what=f"service {name}"
            )
            return own
        if extends["service"] not in (base_file.get("services") or {}):
            self.notices.warn(
                str(path),
                f"extends: no service '{extends['service']}' in {base_path.name}",
                what=f"service {name}",
            )
            return own
        base = self.resolve(base_path, extends["service"], (*trail, key))
        return merge_service(base, own)


def load_project(
    paths: list[Path], *, profiles: tuple[str, ...] = (), notices: Notices
) -> ComposeProject:
    """The project of compose ``paths`` (merged in this order)."""
    if not paths:
        raise ImporterError("no compose file given")
    directory = paths[0].resolve().parent
    loader = _Loader(directory, notices)
    project = ComposeProject(directory.name, directory, [str(p) for p in paths], env=loader.env)
    for section in TOP_SECTIONS:
        project.sections[section] = {}
    for path in paths:
        data = loader.read(path) or {}
        if isinstance(data.get("name"), str) and data["name"]:
            project.name = data["name"]
        for name in data.get("services") or {}:
            service = loader.resolve(path.resolve(), str(name))
            if name in project.services:
                service = merge_service(project.services[name], service)
            else:
                project.origin[str(name)] = str(path)
            project.services[str(name)] = service
        for section in TOP_SECTIONS:
            entries = data.get(section)
            if isinstance(entries, dict):
                for key, value in entries.items():
                    old = project.sections[section].get(key)
                    new = value if isinstance(value, dict) else {}
                    project.sections[section][str(key)] = merge_service(old or {}, new)
            elif entries is not None:
                notices.warn(str(path), f"{section}: expected a mapping of names, ignored")
    enabled = set(profiles)
    for name, service in list(project.services.items()):
        wanted = service.get("profiles")
        if isinstance(wanted, list) and wanted and not enabled & {str(p) for p in wanted}:
            project.skipped[name] = [str(p) for p in wanted]
            del project.services[name]
            notices.info(
                project.origin.get(name, str(paths[0])),
                f"left out: only in profile {', '.join(project.skipped[name])}",
                what=f"service {name}",
            )
    interpolate = loader.interpolate
    for variable in sorted(interpolate.unset):
        notices.warn(
            str(paths[0]), f"variable {variable} is not set (no .env entry): read as empty"
        )
    for variable, message in sorted(interpolate.required.items()):
        notices.warn(str(paths[0]), f"required variable {variable} is not set: {message}")
    return project
