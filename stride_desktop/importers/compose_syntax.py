"""The small languages inside a compose file: ports, volumes, environment, ``${VAR}``, ``.env``.

Each parser takes what the Compose Specification allows (short and long syntax) and returns a
plain value, or raises ValueError with what was expected; the caller turns that into a notice
naming the service and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$")


@dataclass(frozen=True)
class Port:
    target: str  # container port or range ("80", "8000-8010")
    published: str | None = None  # host port or range; None: a random host port
    host_ip: str = ""
    protocol: str = "tcp"

    @property
    def loopback(self) -> bool:
        return self.host_ip.startswith("127.") or self.host_ip in ("::1", "[::1]", "localhost")

    def first(self, which: str) -> int | None:
        text = self.published if which == "published" else self.target
        if not text:
            return None
        head = text.split("-")[0]
        return int(head) if head.isdigit() else None

    def __str__(self) -> str:
        text = f"{self.host_ip}:" if self.host_ip else ""
        text += f"{self.published}:" if self.published else ""
        return text + self.target + (f"/{self.protocol}" if self.protocol != "tcp" else "")


def parse_port(entry: Any) -> Port:
    """``"8080:80"``, ``"127.0.0.1:5432:5432"``, ``"6060:6060/udp"``, ``3000``, ``{target: 80}``."""
    if isinstance(entry, dict):
        target = entry.get("target")
        if target is None:
            raise ValueError("a port mapping needs 'target'")
        published = entry.get("published")
        return Port(
            str(target),
            str(published) if published not in (None, "") else None,
            str(entry.get("host_ip") or ""),
            str(entry.get("protocol") or "tcp"),
        )
    if isinstance(entry, int) and not isinstance(entry, bool):
        return Port(str(entry))
    if not isinstance(entry, str) or not entry.strip():
        raise ValueError("a port like '8080:80' or a mapping with 'target'")
    text, _, protocol = entry.strip().partition("/")
    host_ip = ""
    if text.startswith("["):  # [::1]:6001:6001
        end = text.find("]")
        host_ip, text = text[: end + 1], text[end + 2 :]
    parts = text.split(":")
    if len(parts) == 3:
        host_ip, published, target = parts
    elif len(parts) == 2:
        published, target = parts
    elif len(parts) == 1:
        published, target = "", parts[0]
    else:
        raise ValueError(f"a port like '8080:80', not {entry!r}")
    for value in (published, target):
        if value and not re.fullmatch(r"\d{1,5}(?:-\d{1,5})?", value):
            raise ValueError(f"port numbers, not {entry!r}")
    return Port(target, published or None, host_ip, protocol or "tcp")


@dataclass(frozen=True)
class Mount:
    type: str  # volume | bind | tmpfs | npipe | cluster
    source: str  # volume name or host path ("" for anonymous volumes and tmpfs)
    target: str
    read_only: bool = False


def _looks_like_path(source: str) -> bool:
    return source.startswith(("/", ".", "~", "$")) or (len(source) > 1 and source[1] == ":")


def parse_mount(entry: Any) -> Mount:
    """``"db-data:/var/lib/mysql"``, ``"./app:/app:ro"``, ``"/data"`` or the long syntax."""
    if isinstance(entry, dict):
        kind = str(entry.get("type") or "volume")
        target = entry.get("target")
        if not isinstance(target, str):
            raise ValueError("a volume mapping needs 'target'")
        source = entry.get("source")
        return Mount(kind, str(source or ""), target, bool(entry.get("read_only", False)))
    if not isinstance(entry, str) or not entry.strip():
        raise ValueError("a volume like 'name:/path' or a mapping with 'type' and 'target'")
    text = entry.strip()
    if len(text) > 1 and text[1] == ":" and text[0].isalpha():  # C:\data:/data (Windows)
        drive, rest = text[:2], text[2:]
        parts = rest.split(":")
        parts[0] = drive + parts[0]
    else:
        parts = text.split(":")
    if len(parts) == 1:
        return Mount("volume", "", parts[0])
    source, target = parts[0], parts[1]
    options = set(parts[2].split(",")) if len(parts) > 2 else set()
    kind = "bind" if _looks_like_path(source) else "volume"
    return Mount(kind, source, target, "ro" in options)


def env_items(value: Any) -> list[tuple[str, str | None]]:
    """``environment`` as (name, value) pairs; a name without value passes the host's through."""
    if isinstance(value, dict):
        return [(str(k), None if v is None else _scalar(v)) for k, v in value.items()]
    if isinstance(value, list):
        items: list[tuple[str, str | None]] = []
        for item in value:
            if isinstance(item, str):
                name, sep, val = item.partition("=")
                items.append((name.strip(), val if sep else None))
        return items
    raise ValueError("a list of NAME=value or a mapping")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_env_file(text: str) -> tuple[dict[str, str], list[int]]:
    """A ``.env`` file's variables, and the line numbers it could not read."""
    values: dict[str, str] = {}
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if not match:
            bad.append(number)
            continue
        name, raw = match.groups()
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
            raw = raw[1:-1]
        elif " #" in raw:
            raw = raw.split(" #", 1)[0].rstrip()
        values[name] = raw
    return values, bad


class Interpolator:
    """``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``, ``${VAR:+alt}``,
    ``$VAR`` and ``$$``, with defaults that nest. Scans each string once (linear)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.unset: set[str] = set()
        self.required: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch != "$" or i + 1 >= n:
                out.append(ch)
                i += 1
                continue
            nxt = text[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
            elif nxt == "{":
                end = self._closing(text, i + 2)
                if end < 0:
                    out.append(text[i:])
                    break
                out.append(self._expand(text[i + 2 : end]))
                i = end + 1
            elif nxt.isalpha() or nxt == "_":
                j = i + 1
                while j < n and (text[j].isalnum() or text[j] == "_"):
                    j += 1
                out.append(self._lookup(text[i + 1 : j]))
                i = j
            else:
                out.append(ch)
                i += 1
        return "".join(out)

    @staticmethod
    def _closing(text: str, start: int) -> int:
        depth = 1
        i = start
        while i < len(text):
            if text.startswith("${", i):
                depth += 1
                i += 2
                continue
            if text[i] == "}":
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        return -1

    def _lookup(self, name: str) -> str:
        if name in self.env:
            return self.env[name]
        self.unset.add(name)
        return ""

    def _expand(self, body: str) -> str:
        match = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?", body)
        if not match:
            return ""
        name, op = match.group(1), match.group(2) or ""
        rest = body[match.end() :]
        value = self.env.get(name)
        empty = value is None or (op.startswith(":") and value == "")
        if op.endswith("-"):
            return self(rest) if empty else value  # type: ignore[return-value]
        if op.endswith("+"):
            return "" if empty else self(rest)
        if op.endswith("?"):
            if empty:
                self.required[name] = self(rest) or f"{name} is required"
                return ""
            return value  # type: ignore[return-value]
        return self._lookup(name)

    def walk(self, data: Any) -> Any:
        """``data`` with every string (but no mapping key) interpolated."""
        if isinstance(data, str):
            return self(data) if "$" in data else data
        if isinstance(data, dict):
            return {k: self.walk(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.walk(v) for v in data]
        return data
