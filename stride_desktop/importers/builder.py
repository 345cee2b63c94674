"""Building a model from imported objects with ids that stay the same on every import.

Ids are made from what names the object in its file (a compose service name, a Kubernetes
kind + namespace + name), so a re-import finds the same elements and the person's triage, keyed
by threat id, keeps applying. Characters an id cannot hold become '-'; an id longer than the
model allows is cut and ends in a short hash of the full name. Two objects asking for one id
get one flow or element (flows merge their reasons). ``fit_to_limits`` bounds names, texts and
numbers the way the model loader does, so whatever an import produces can be saved and opened.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

from ..io.fields import CONTROL
from ..io.limits import MAX_COORDINATE, MAX_INT, MAX_NAME_CHARS, MAX_TEXT_CHARS
from ..model import Boundary, Element, Flow, Model, channel_for_protocol

_BAD = re.compile(r"[^A-Za-z0-9_.-]+")
MAX_ID = 100


def make_id(*parts: str) -> str:
    """A model id from ``parts`` (joined with dots), e.g. ``deploy.shop.frontend``."""
    clean = ".".join(_BAD.sub("-", str(p)).strip("-.") or "x" for p in parts)
    if not clean[0].isalnum():
        clean = "x" + clean
    if len(clean) > MAX_ID:
        digest = hashlib.sha1(".".join(map(str, parts)).encode("utf-8")).hexdigest()[:8]
        clean = clean[: MAX_ID - 9].rstrip(".-_") + "-" + digest
    return clean


class ModelBuilder:
    """Collects boundaries, elements and flows by id; the first definition of an id wins."""

    def __init__(self, name: str, description: str = "") -> None:
        self.model = Model(name=name, description=description)
        self.boundaries: dict[str, Boundary] = {}
        self.elements: dict[str, Element] = {}
        self.flows: dict[str, Flow] = {}
        self._raw: dict[str, tuple[str, ...]] = {}

    def new_id(self, *parts: str) -> str:
        """The id for ``parts``; a different object whose parts clean to the same id gets a
        hash suffix so both survive."""
        candidate = make_id(*parts)
        owner = self._raw.setdefault(candidate, tuple(parts))
        if owner != tuple(parts):
            digest = hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:6]
            candidate = make_id(candidate[: MAX_ID - 8], digest)
            self._raw.setdefault(candidate, tuple(parts))
        return candidate

    def boundary(
        self,
        boundary_id: str,
        name: str,
        *,
        kind: str,
        trust: int,
        parent: str | None = None,
        description: str = "",
    ) -> str:
        if boundary_id not in self.boundaries:
            boundary = Boundary(
                id=boundary_id,
                name=name,
                trust=trust,
                kind=kind,
                parent=parent,
                description=description,
            )
            self.boundaries[boundary_id] = boundary
            self.model.boundaries.append(boundary)
        return boundary_id

    def element(
        self,
        element_id: str,
        name: str,
        component: str,
        *,
        boundary: str | None = None,
        properties: dict[str, Any] | None = None,
        description: str = "",
    ) -> str:
        if element_id not in self.elements:
            element = Element(
                id=element_id,
                name=name,
                component=component,
                boundary=boundary,
                properties=dict(properties or {}),
                description=description,
            )
            self.elements[element_id] = element
            self.model.elements.append(element)
        return element_id

    def flow(
        self,
        source: str,
        target: str,
        *,
        name: str,
        protocol: str = "tcp",
        channel: str | None = None,
        port: int | None = None,
        encrypted: bool = False,
        authenticated: str = "none",
        data: str = "internal",
        reason: str = "",
        key: str = "",
    ) -> str:
        """One flow per (source, target, key); a second reason for the same flow is added to
        its description, a port learnt later fills a missing one. The channel defaults to the
        one the protocol implies (``file`` -> mount, ``unix`` -> unix socket, else network)."""
        flow_id = make_id("f", source + "--" + target, *([key] if key else []))
        existing = self.flows.get(flow_id)
        if existing is None:
            flow = Flow(
                id=flow_id,
                source=source,
                target=target,
                name=name,
                protocol=protocol,
                channel=channel or channel_for_protocol(protocol),
                port=port,
                encrypted=encrypted,
                authenticated=authenticated,
                data=data,
                description=reason,
            )
            self.flows[flow_id] = flow
            self.model.flows.append(flow)
            return flow_id
        if reason and reason not in existing.description.split("; "):
            existing.description = "; ".join(filter(None, [existing.description, reason]))
        if existing.port is None and port is not None:
            existing.port = port
        if existing.protocol == "tcp" and protocol != "tcp":
            existing.protocol = protocol
        existing.encrypted = existing.encrypted or encrypted
        if existing.authenticated == "none":
            existing.authenticated = authenticated
        return flow_id


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit_name(text: str) -> str:
    """A name the loader accepts: one line, no control characters, at most MAX_NAME_CHARS."""
    return _cut(CONTROL.sub(" ", text), MAX_NAME_CHARS)


def fit_value(value: Any) -> Any:
    """A property value within the loader's bounds (long texts cut, numbers clamped)."""
    if isinstance(value, str):
        return _cut(value, MAX_TEXT_CHARS)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return max(-MAX_INT, min(MAX_INT, value))
    if isinstance(value, float):
        return max(-MAX_COORDINATE, min(MAX_COORDINATE, value)) if not math.isnan(value) else 0.0
    if isinstance(value, list):
        return [fit_value(v) for v in value]
    if isinstance(value, dict):
        return {fit_value(k): fit_value(v) for k, v in value.items()}
    return value


def fit_to_limits(model: Model) -> None:
    """Bound every name, text and property value of an imported ``model`` (ids are already
    made by make_id)."""
    model.name = fit_name(model.name)
    model.description = _cut(model.description, MAX_TEXT_CHARS)
    parts: list[Boundary | Element | Flow] = [*model.boundaries, *model.elements, *model.flows]
    for obj in parts:
        obj.name = fit_name(obj.name)
        obj.description = _cut(obj.description, MAX_TEXT_CHARS)
    for element in model.elements:
        element.properties = {name: fit_value(v) for name, v in element.properties.items()}
