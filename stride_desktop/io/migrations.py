"""Model format migrations: ``MIGRATIONS[n]`` turns a version-n document into version n+1.

Version 2 added ``channel`` to flows (network or a local channel: unix socket, syscall, loopback,
in-pod, mount, IPC); a version-1 flow gets the channel its protocol implies (``unix`` -> unix
socket, ``file`` -> mount, ``syscall``, ``exec``/``env``/``tty`` -> IPC, else network).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import channel_for_protocol

CURRENT_VERSION = 2


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Flows gain ``channel``, inferred from their protocol (left out when it is the network)."""
    flows = data.get("flows")
    if not isinstance(flows, list):
        return data
    migrated = []
    for raw in flows:
        if isinstance(raw, dict) and "channel" not in raw and isinstance(raw.get("protocol"), str):
            channel = channel_for_protocol(raw["protocol"])
            if channel != "network":
                raw = {**raw, "channel": channel}
        migrated.append(raw)
    return {**data, "flows": migrated}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def migrate(data: dict[str, Any], *, source: str) -> tuple[dict[str, Any], list[str]]:
    """Bring a parsed document to CURRENT_VERSION; returns it and the problems found."""
    version = data.get("stride_model")
    if version is None:
        return data, [
            "stride_model: missing; a STRIDE Desktop model starts with "
            f"'stride_model: {CURRENT_VERSION}'"
        ]
    if isinstance(version, bool) or not isinstance(version, int):
        return data, [
            f"stride_model: expected the format version (an integer such as "
            f"{CURRENT_VERSION}), got {version!r}"
        ]
    if version > CURRENT_VERSION:
        return data, [
            f"stride_model: format version {version} is newer than this program "
            f"understands ({CURRENT_VERSION}); update STRIDE Desktop"
        ]
    if version < 1:
        return data, [f"stride_model: unknown format version {version}"]
    while version < CURRENT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["stride_model"] = version
    return data, []
