"""What an import reports: notices (the import went on) and errors (it could not)."""

from __future__ import annotations

from dataclasses import dataclass


class ImporterError(Exception):
    """The files cannot be imported; each line names the file and the place."""

    def __init__(self, lines: str | list[str]):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


@dataclass(frozen=True)
class Notice:
    """Something the import skipped, guessed or could not resolve, and where it is.

    ``document`` counts from 1 in a multi-document file; ``what`` names the object
    (``Deployment shop/frontend``, ``service web``); ``path`` is the place inside it
    (``spec.template.spec.containers[0].env[2]``).
    """

    source: str
    message: str
    document: int | None = None
    what: str = ""
    path: str = ""
    level: str = "warning"  # warning | info

    def __str__(self) -> str:
        where = self.source
        if self.document is not None:
            where += f": document {self.document}"
        if self.what:
            where += f" ({self.what})" if self.document is not None else f": {self.what}"
        if self.path:
            where += f": {self.path}"
        return f"{where}: {self.message}"


class Notices(list[Notice]):
    """The notices of one import, in order, without repeats."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[Notice] = set()

    def add(self, notice: Notice) -> None:
        if notice not in self._seen:
            self._seen.add(notice)
            self.append(notice)

    def warn(
        self,
        source: str,
        message: str,
        *,
        document: int | None = None,
        what: str = "",
        path: str = "",
    ) -> None:
        self.add(Notice(source, message, document, what, path))

    def info(
        self,
        source: str,
        message: str,
        *,
        document: int | None = None,
        what: str = "",
        path: str = "",
    ) -> None:
        self.add(Notice(source, message, document, what, path, level="info"))
