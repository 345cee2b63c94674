"""docker-bench ``items``: re-join split image lists and type each affected object (§1.8)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

from ..io.limits import MAX_AFFECTED
from ..model.findings import AffectedObject

TRUNCATED = "(truncated)"
_HEX_ID = re.compile(r"^[0-9a-f]{12}$|^[0-9a-f]{64}$")
_NET_CONTAINER = re.compile(r"^([0-9a-f]{64}):(.+)$")
_PORT = re.compile(r"^(.+):(\d+)$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_HEX_OR_COLON = frozenset("0123456789abcdefABCDEF:")


def split_bind(item: str) -> tuple[str, str] | None:
    """``container:0.0.0.0`` or ``container:[::1]`` -> (container, address), else None.

    The same split as ``^(.+):(IPV4|\\[?[0-9a-f:]*:[0-9a-f:]*\\]?)$`` (the longest container
    name wins), found in one pass from the right: that regular expression backtracks in cubic
    time on a run of colons.
    """
    name, colon, tail = item.rpartition(":")
    if colon and name and _IPV4.match(tail):
        return name, tail
    end = len(item) - 1 if item.endswith("]") else len(item)
    start = end  # the run of hex digits and colons that ends the item (before a "]")
    while start > 0 and item[start - 1] in _HEX_OR_COLON:
        start -= 1
    last = item.rfind(":", start, end)
    split = item.rfind(":", start, last) if last >= 0 else -1  # an address holds a colon
    if split >= 1:
        return item[:split], item[split + 1 :]
    if start >= 3 and item[start - 1] == "[" and item[start - 2] == ":" and last >= 0:
        return item[: start - 2], item[start - 1 :]
    return None


def rejoin(items: Iterable[str]) -> tuple[list[str], bool]:
    """Re-join items split on whitespace inside ``[...]`` (#490). Returns (items, truncated)."""
    joined: list[str] = []
    pending: list[str] | None = None
    truncated = False
    for raw in items:
        item = str(raw)
        if item == TRUNCATED:
            truncated = True
            continue
        if pending is not None:
            pending.append(item)
            if item.endswith("]"):
                joined.append(" ".join(pending))
                pending = None
            continue
        if item.startswith("[") and not item.endswith("]"):
            pending = [item]
        else:
            joined.append(item)
    if pending is not None:  # unbalanced to the end: keep what there is
        joined.append(" ".join(pending))
    return joined, truncated


def affected_object(item: str, kind: str) -> AffectedObject:
    """Type one (re-joined) item; ``kind`` is the section's usual object kind."""
    if item.startswith("["):
        name = item.strip("[]").strip()
        return AffectedObject(kind="image", name=name, raw=item)
    if match := _NET_CONTAINER.match(item):
        return AffectedObject(
            kind="container", name=match.group(2), qualifier=match.group(1), raw=item
        )
    if kind == "image" and _HEX_ID.match(item):
        return AffectedObject(kind="image", name=item, raw=item)
    if kind == "container":
        if match := _PORT.match(item):
            return AffectedObject(
                kind="container", name=match.group(1), qualifier=match.group(2), raw=item
            )
        if bind := split_bind(item):
            return AffectedObject(kind="container", name=bind[0], qualifier=bind[1], raw=item)
        return AffectedObject(kind="container", name=item, raw=item)
    if kind in ("user", "network", "image"):
        return AffectedObject(kind=kind, name=item, raw=item)
    return AffectedObject(kind="other", name=item, raw=item)


def affected_objects(items: Iterable[str], kind: str) -> tuple[list[AffectedObject], bool]:
    """Typed objects of the items, at most MAX_AFFECTED of them (the most a finding keeps)."""
    joined, truncated = rejoin(islice(items, 2 * MAX_AFFECTED))
    named = (affected_object(i, kind) for i in joined if i.strip())
    return list(islice(named, MAX_AFFECTED)), truncated


# One detail names one object in a form other than the JSON items (§1.8 and the <= 1.3.4 scripts):
# "104 in seas-pacs-1" (5.7 port), "0.0.0.0 in web" (5.13 bind address), "/etc in web" (5.5 mount),
# "CapAdd=[SYS_ADMIN] to web" (5.3 capabilities), "ingress (swarm)" (7.4 overlay network).
_LABEL = re.compile(r"^([^:\[\]]+?):\s+(\S.*)$")
_SCOPED = re.compile(r"^([^\s()]+)\s+\((\w+)\)$")


def split_in_container(value: str) -> tuple[str, str] | None:
    """``<what> in <container>`` or ``<what> to <container>`` -> (what, container), else None.

    The same split as ``^(.+?)\\s+(?:in|to)\\s+([^\\s\\[\\]]+)$``, found by walking back
    from the end once: that regular expression backtracks in quadratic time on runs of spaces.
    """
    token = len(value)
    while token > 0 and not value[token - 1].isspace():
        token -= 1
    container = value[token:]
    if not container or "[" in container or "]" in container:
        return None
    gap = token
    while gap > 0 and value[gap - 1].isspace():
        gap -= 1
    word = gap - 2
    if gap == token or word < 1 or value[word:gap] not in ("in", "to"):
        return None
    space = word
    while space > 0 and value[space - 1].isspace():
        space -= 1
    what = max(space, 1)  # at least one character, then at least one space before the word
    if what >= word:  # also "xin": the word must stand alone
        return None
    return value[:what], container


def detail_objects(text: str, kind: str, *, labelled: bool) -> list[AffectedObject]:
    """Affected objects named by one detail: a text-log line ``<label>: <items>`` (``labelled``)
    or a flat-JSON value without its status (not labelled). ``kind`` is the check's object kind.

    A labelled detail may list several items ("Containers using privileged ports:  a:104 b:80");
    an unlabelled one must be a single item (after re-joining ``[repo:a repo:b]``), because a
    sentence such as "Using 23.0.2, verify is it up to date" names nothing.
    """
    text = text.strip()
    match = _LABEL.match(text) if labelled else None
    value = match.group(2).strip() if match else text
    if not value or kind == "other":
        return []
    if kind == "container" and not value.startswith("[") and (split := split_in_container(value)):
        return [AffectedObject(kind="container", name=split[1], qualifier=split[0], raw=value)]
    if kind == "network" and (found := _SCOPED.match(value)):
        return [
            AffectedObject(kind="network", name=found.group(1), qualifier=found.group(2), raw=value)
        ]
    objects, _ = affected_objects(value.split(), kind)
    if labelled and not match and len(objects) != 1:
        return []  # an unlabelled sentence
    return objects
