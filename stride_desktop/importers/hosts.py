"""Which hosts a configuration value names: the flows hidden in environment variables.

``postgres://db:5432/x``, ``http://api:8080`` and ``cartservice:7070`` name a host by their
syntax; ``DB_HOST=db`` names one because the variable is meant to hold a host (its last word
is HOST, ADDR, URL, SERVER, ENDPOINT, ...). A value that merely equals a service name is not a
host: ``MYSQL_USER=wordpress``, ``DB_NAME=postgres``. The patterns have no nested or
overlapping quantifiers; they run on text from untrusted files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HOST_WORDS = frozenset(
    {
        "HOST",
        "HOSTS",
        "HOSTNAME",
        "ADDR",
        "ADDRESS",
        "ADDRS",
        "URL",
        "URLS",
        "URI",
        "URIS",
        "SERVER",
        "SERVERS",
        "ENDPOINT",
        "ENDPOINTS",
        "DSN",
        "BROKER",
        "BROKERS",
        "UPSTREAM",
        "BACKEND",
        "CONN",
        "CONNECTION",
    }
)
_URL = re.compile(
    r"^(?:jdbc:)?([a-z][a-z0-9+.]*)://(?:([^@/?#\s]*)@)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?",
    re.IGNORECASE,
)
_HOST_PORT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*):(\d{1,5})(?:/\S*)?$")
_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_SPLIT = re.compile(r"[,;\s]+")
_K8S_VAR = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")
_NOT_HOSTS = frozenset({"localhost", "true", "false", "yes", "no", "none", "null", "0.0.0.0"})

SCHEMES = {  # scheme -> (protocol, default port, encrypted)
    "http": ("http", 80, False),
    "https": ("https", 443, True),
    "ws": ("websocket", 80, False),
    "wss": ("websocket", 443, True),
    "grpc": ("grpc", None, False),
    "grpcs": ("grpc", None, True),
    "postgres": ("postgresql", 5432, False),
    "postgresql": ("postgresql", 5432, False),
    "mysql": ("mysql", 3306, False),
    "mariadb": ("mysql", 3306, False),
    "redis": ("redis", 6379, False),
    "rediss": ("redis", 6379, True),
    "amqp": ("amqp", 5672, False),
    "amqps": ("amqp", 5671, True),
    "mongodb": ("mongodb", 27017, False),
    "kafka": ("kafka", 9092, False),
    "nats": ("nats", 4222, False),
    "memcached": ("memcached", 11211, False),
    "ldap": ("ldap", 389, False),
    "ldaps": ("ldap", 636, True),
    "smtp": ("smtp", 25, False),
    "smtps": ("smtp", 465, True),
    "ftp": ("ftp", 21, False),
    "sftp": ("ssh", 22, True),
    "ssh": ("ssh", 22, True),
    "tcp": ("tcp", None, False),
    "udp": ("udp", None, False),
}


@dataclass(frozen=True)
class HostRef:
    """A host named in a value, with what the value says about how it is reached."""

    host: str
    port: int | None = None
    protocol: str = "tcp"
    encrypted: bool = False
    credentials: bool = False  # user and password in the URL


def is_host_key(key: str) -> bool:
    """True when a variable named ``key`` is meant to hold a host (its last word says so)."""
    words = [w for w in re.split(r"[_.\-]+", key.upper()) if w]
    return bool(words) and words[-1] in HOST_WORDS


def _scheme(name: str) -> tuple[str, int | None, bool]:
    name = name.lower()
    for part in (name, name.split("+")[0], name.split("+")[-1], name.removeprefix("db+")):
        if part in SCHEMES:
            return SCHEMES[part]
    return (name, None, False)


def _port(text: str | None) -> int | None:
    if text is None:
        return None
    value = int(text)
    return value if 0 < value < 65536 else None


def host_refs(key: str, value: str) -> list[HostRef]:
    """The hosts ``value`` names (``key`` is the variable's name, or "" for arguments)."""
    refs = []
    host_key = is_host_key(key) if key else False
    for item in _SPLIT.split(value.strip()):
        if not item or len(item) > 2048:
            continue
        if "=" in item and "://" not in item.split("=", 1)[0]:  # --flag=value, key=value
            item = item.split("=", 1)[1]
        match = _URL.match(item)
        if match:
            scheme, userinfo, host, port = match.groups()
            protocol, default_port, encrypted = _scheme(scheme)
            creds = bool(userinfo and userinfo.strip(":"))
            refs.append(
                HostRef(host.lower(), _port(port) or default_port, protocol, encrypted, creds)
            )
            continue
        match = _HOST_PORT.match(item)
        if match:
            refs.append(HostRef(match.group(1).lower(), _port(match.group(2))))
            continue
        if host_key and _HOST.match(item):
            refs.append(HostRef(item.lower()))
    return [r for r in refs if r.host not in _NOT_HOSTS and not r.host.startswith("127.")]


def sibling_port(key: str, env: dict[str, str | None]) -> int | None:
    """The port a sibling variable gives for the host in ``key``: ``DB_HOST`` -> ``DB_PORT``."""
    prefix = re.split(r"[_.\-]+", key)[:-1]
    if not prefix:
        return None
    value = env.get("_".join(prefix) + "_PORT")
    return _port(value) if value and value.strip().isdigit() else None


def expand_k8s_vars(value: str, env: dict[str, str]) -> str:
    """Kubernetes' ``$(NAME)`` references to earlier variables of the same container."""
    return _K8S_VAR.sub(lambda m: env.get(m.group(1), m.group(0)), value)


def looks_internal(host: str) -> bool:
    """A bare name (no dots) or a cluster-local one: it should resolve to something imported."""
    return "." not in host or host.endswith((".svc", ".svc.cluster.local", ".cluster.local"))
