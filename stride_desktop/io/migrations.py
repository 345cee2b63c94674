"""Model format migrations: ``MIGRATIONS[n]`` turns a version-n document into version n+1.

Version 1 is the first format, so the table is empty; a ``stride_model: 2`` adds
``MIGRATIONS[1] = _v1_to_v2`` here and nothing else has to change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CURRENT_VERSION = 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


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
