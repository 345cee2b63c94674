"""Typed changes: what one mutation of a model did (which kind of object, which ids, which fields).

Every mutation (``model.edits.ModelEditor``) reports exactly one ``Change``; the editor's Document
emits it as its one signal, and the derivation session (``rules.session``) turns it into a threat
delta. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = (
    "model",
    "element",
    "flow",
    "boundary",
    "triage",
    "bench_run",
    "finding",
    "hardening",
    "custom_threat",
)
ACTIONS = ("reset", "add", "remove", "edit")
PROPERTY = "properties."  # an element property edit is the field "properties.NAME"


def property_field(name: str) -> str:
    return PROPERTY + name


@dataclass(frozen=True, slots=True)
class Change:
    """``kind`` of object, ``action`` done to it, the ``ids`` touched (element, flow, boundary,
    threat, run or finding ids) and, for an edit, the ``fields`` set (``properties.NAME`` for a
    typed element property, ``properties`` for all of them). A reset means the document now holds
    a different model: everything changed."""

    kind: str
    action: str
    ids: tuple[str, ...] = ()
    fields: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown change kind {self.kind!r}; known: {', '.join(KINDS)}")
        if self.action not in ACTIONS:
            raise ValueError(f"unknown change action {self.action!r}; known: {', '.join(ACTIONS)}")

    @classmethod
    def reset(cls) -> Change:
        return cls("model", "reset")

    @classmethod
    def edit(cls, kind: str, ids: tuple[str, ...] | list[str], *fields: str) -> Change:
        return cls(kind, "edit", tuple(ids), frozenset(fields))

    @property
    def is_reset(self) -> bool:
        return self.action == "reset"

    def touches(self, *kinds: str) -> bool:
        """Whether objects of one of ``kinds`` may have changed (a reset changes every kind)."""
        return self.is_reset or self.kind in kinds

    def properties(self) -> set[str | None]:
        """The element properties an edit set; None stands for "any of them"."""
        out: set[str | None] = set()
        for name in self.fields:
            if name == "properties":
                out.add(None)
            elif name.startswith(PROPERTY):
                out.add(name[len(PROPERTY) :])
        return out
