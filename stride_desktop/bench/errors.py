"""The one exception of the bench package: a file that cannot be imported, and why."""

from __future__ import annotations


class BenchError(Exception):
    """A bench output that cannot be imported.

    ``file`` names the input, ``place`` says where in it (a line, a JSON pointer) when known,
    ``reason`` is the bare explanation. ``str(error)`` combines them into one line.
    """

    def __init__(self, reason: str, *, file: str, place: str | None = None):
        self.reason = reason
        self.file = file
        self.place = place
        where = f"{file}: {place}" if place else file
        super().__init__(f"{where}: {reason}")


class UnsupportedToolError(BenchError):
    """The file comes from a different tool (e.g. aquasecurity/docker-bench)."""
