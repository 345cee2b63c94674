"""What a file is, from its content (never from its name): a model, compose, or manifests.

``sniff`` looks at the top-level keys of the first part of the text, cheaply enough for a drag
over the window; ``classify`` decides from parsed documents. A compose file is a mapping with
``services`` (or, in the old version 1 format, of services); manifests are documents with
``apiVersion`` and ``kind``; a model starts with ``stride_model``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

MODEL, COMPOSE, KUBERNETES = "model", "compose", "kubernetes"
SNIFF_BYTES = 256 * 1024
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:", re.MULTILINE)
_MODEL_KEY = re.compile(r"^stride_model[ \t]*:", re.MULTILINE)  # _TOP_KEY's "stride_model"
_K8S_KEYS = {"apiVersion", "kind"}
_COMPOSE_KEYS = {"services", "volumes", "networks", "secrets", "configs", "include", "name"}


def sniff_text(text: str) -> str | None:
    """The format suggested by the top-level keys of ``text`` (None: not one we import)."""
    if _MODEL_KEY.search(text):  # a model names itself on its first line: no need to read on
        return MODEL
    keys = set(_TOP_KEY.findall(text))
    if keys >= _K8S_KEYS or re.search(r"^- apiVersion[ \t]*:", text, re.MULTILINE):
        return KUBERNETES
    if "services" in keys or re.search(r"^-[ \t]+services[ \t]*:", text, re.MULTILINE):
        return COMPOSE  # (a list at the top level is reported when the file is read)
    stripped = text.lstrip()
    if stripped.startswith("{"):  # JSON
        if '"stride_model"' in text[:4096]:
            return MODEL
        if '"apiVersion"' in text and '"kind"' in text:
            return KUBERNETES
        if '"services"' in text:
            return COMPOSE
    return None


def sniff(path: str | Path) -> str | None:
    """The format of the file at ``path`` from its first 256 KB (None when unreadable)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    if b"\x00" in head[:8192]:
        return None
    return sniff_text(head.decode("utf-8", errors="replace"))


def classify(data: Any) -> str | None:
    """The format of one parsed document."""
    if not isinstance(data, dict):
        return None
    if "stride_model" in data:
        return MODEL
    if "apiVersion" in data and "kind" in data:
        return KUBERNETES
    if isinstance(data.get("services"), dict):
        return COMPOSE
    if data and set(data) <= _COMPOSE_KEYS | {"version"} | {
        k for k in data if str(k).startswith("x-")
    }:
        return COMPOSE
    return None
