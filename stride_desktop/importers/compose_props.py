"""A compose service's settings as the properties of a ``docker.container`` element.

``MANAGED`` lists, per component, the properties the files decide (absent means Docker's
default): on re-import those follow the files. A property the files only sometimes state (the
user, a health check, seccomp and AppArmor profiles: the image or the daemon may set them) is
updated when a file states it and otherwise keeps what the person chose.
"""

from __future__ import annotations

import re
from typing import Any

from .compose_syntax import Mount, Port
from .hosts import host_refs

SENSITIVE_PATHS = (
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/root",
    "/var/run",
    "/run",
    "/var/lib/docker",
    "/var/lib/kubelet",
    "/usr",
    "/lib",
    "/bin",
    "/sbin",
)
SECRET_WORDS = re.compile(
    r"PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|API_KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL|SALT"
)
PORT_PROTOCOLS = {
    80: ("http", False),
    8080: ("http", False),
    8000: ("http", False),
    3000: ("http", False),
    5000: ("http", False),
    9000: ("http", False),
    9200: ("http", False),
    443: ("https", True),
    8443: ("https", True),
    5432: ("postgresql", False),
    3306: ("mysql", False),
    6379: ("redis", False),
    27017: ("mongodb", False),
    5672: ("amqp", False),
    9092: ("kafka", False),
    11211: ("memcached", False),
    22: ("ssh", True),
}
IMAGE_PROTOCOLS = (  # image name fragment -> protocol, for flows that name no port
    ("postgres", "postgresql"),
    ("postgis", "postgresql"),
    ("mysql", "mysql"),
    ("mariadb", "mysql"),
    ("redis", "redis"),
    ("valkey", "redis"),
    ("mongo", "mongodb"),
    ("rabbitmq", "amqp"),
    ("kafka", "kafka"),
    ("memcached", "memcached"),
    ("elasticsearch", "http"),
    ("opensearch", "http"),
    ("nginx", "http"),
)
DATA_IMAGES = (
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "mongo",
    "redis",
    "valkey",
    "cassandra",
    "elasticsearch",
    "opensearch",
    "minio",
    "mssql",
    "oracle",
    "couchdb",
    "influxdb",
)

# protocols of databases, caches and queues: what travels on them is the application's data
DATA_PROTOCOLS = frozenset(
    {"postgresql", "mysql", "mongodb", "redis", "amqp", "kafka", "memcached"}
)

MANAGED: dict[str, frozenset[str]] = {
    "docker.container": frozenset(
        {
            "image",
            "container_name",
            "privileged",
            "read_only_rootfs",
            "memory_limit",
            "cpu_limit",
            "pids_limit",
            "cap_add",
            "cap_drop_all",
            "mounts_docker_socket",
            "host_network",
            "host_pid",
            "host_ipc",
            "sensitive_mounts",
            "secrets_in_env",
            "published_ports",
            "exposed_ports",
            "bind_mounts",
            "build_context",
            "restart_policy",
            "network",
            "exposed_to_internet",
        }
    ),
    "docker.volume": frozenset({"bind_mount", "host_path", "shared"}),
    "docker.secret": frozenset({"source", "in_repository"}),
    "docker.config": frozenset({"source"}),
}


def flow_style(port: int | None, image: str) -> tuple[str, bool]:
    """(protocol, encrypted) of traffic to ``port`` of a container of ``image``."""
    if port in PORT_PROTOCOLS:
        return PORT_PROTOCOLS[port]
    name = image.lower().rsplit("/", 1)[-1]
    for fragment, protocol in IMAGE_PROTOCOLS:
        if fragment in name:
            return protocol, False
    return "tcp", False


def holds_data(image: str) -> bool:
    """A database or storage image: what flows to it is confidential."""
    name = image.lower().rsplit("/", 1)[-1]
    return any(fragment in name for fragment in DATA_IMAGES)


def _sensitive(path: str) -> bool:
    path = path.rstrip("/") or "/"
    return path == "/" or any(path == p or path.startswith(p + "/") for p in SENSITIVE_PATHS)


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _security_opts(opts: list[str]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for opt in opts:
        name, _, value = opt.replace("=", ":", 1).partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "no-new-privileges" and value in ("", "true"):
            props["no_new_privileges"] = True
        elif name in ("seccomp", "apparmor"):
            key = f"{name}_profile"
            props[key] = "unconfined" if value == "unconfined" else "custom"
    return props


def secrets_in_env(env: dict[str, str | None]) -> bool:
    """A password, token or key written into the environment (not a *_FILE path)."""
    for key, value in env.items():
        if not value:
            continue
        upper = key.upper()
        if SECRET_WORDS.search(upper) and not upper.endswith("_FILE"):
            return True
        if any(ref.credentials for ref in host_refs(key, value)):
            return True
    return False


def container_properties(
    service: dict[str, Any],
    ports: list[Port],
    mounts: list[Mount],
    env: dict[str, str | None],
    networks: list[str],
) -> dict[str, Any]:
    """The ``docker.container`` properties a service's settings determine."""
    props: dict[str, Any] = {}
    if isinstance(service.get("image"), str) and service["image"]:
        props["image"] = service["image"]
    build = service.get("build")
    context = build.get("context", ".") if isinstance(build, dict) else build
    if isinstance(context, str) and context:
        props["build_context"] = context
    for key, prop in (("container_name", "container_name"), ("user", "user")):
        if isinstance(service.get(key), str | int) and str(service[key]):
            props[prop] = str(service[key])
    if service.get("privileged") is True:
        props["privileged"] = True
    if service.get("read_only") is True:
        props["read_only_rootfs"] = True
    limits = ((service.get("deploy") or {}).get("resources") or {}).get("limits") or {}
    limits = limits if isinstance(limits, dict) else {}
    memory = service.get("mem_limit") or limits.get("memory")
    if memory:
        props["memory_limit"] = str(memory)
    cpus = service.get("cpus") or limits.get("cpus")
    if cpus:
        props["cpu_limit"] = str(cpus)
    pids = _int(service.get("pids_limit") or limits.get("pids") or 0)
    if pids and pids > 0:
        props["pids_limit"] = pids
    cap_add = [str(c) for c in service.get("cap_add") or []]
    if cap_add:
        props["cap_add"] = cap_add
    if "ALL" in {str(c).upper() for c in service.get("cap_drop") or []}:
        props["cap_drop_all"] = True
    mode = str(service.get("network_mode") or "")
    if mode == "host":
        props["host_network"] = True
    for key, prop in (("pid", "host_pid"), ("ipc", "host_ipc")):
        if service.get(key) == "host":
            props[prop] = True
    binds = [m.source for m in mounts if m.type == "bind" and m.source]
    if any(s.rstrip("/") in ("/var/run/docker.sock", "/run/docker.sock") for s in binds):
        props["mounts_docker_socket"] = True
    if any(_sensitive(s) for s in binds):
        props["sensitive_mounts"] = True
    if binds:
        props["bind_mounts"] = binds
    props.update(_security_opts([str(o) for o in service.get("security_opt") or []]))
    if secrets_in_env(env):
        props["secrets_in_env"] = True
    if ports:
        props["published_ports"] = [str(p) for p in ports]
        if any(not p.loopback for p in ports):
            props["exposed_to_internet"] = True
    exposed = [str(e) for e in service.get("expose") or []]
    if exposed:
        props["exposed_ports"] = exposed
    restart = str(service.get("restart") or "").split(":")[0]
    if restart in ("no", "on-failure", "always", "unless-stopped") and restart != "no":
        props["restart_policy"] = restart
    check = service.get("healthcheck")
    if (
        isinstance(check, dict)
        and not check.get("disable")
        and check.get("test") not in (["NONE"], "NONE")
    ):
        props["healthcheck"] = True
    if mode:
        props["network"] = mode
    else:
        props["network"] = ", ".join(networks) if networks else "default"
    return props
