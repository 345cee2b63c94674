"""Errors of io/: each names the file, the place inside it and what was expected."""

from __future__ import annotations


class IoError(Exception):
    """Base of everything io/ raises for bad input."""


class YamlSafetyError(IoError):
    """The file is too large, too deep, too aliased or not valid YAML."""


class ModelError(IoError):
    """A model file that cannot be loaded; ``problems`` lists every one as ``path: message``."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        head = f"{source}: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        super().__init__(head + "".join(f"\n  {p}" for p in self.problems))


class CatalogError(IoError):
    """A catalog file that does not describe component types correctly."""
