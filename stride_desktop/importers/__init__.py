"""docker-compose files and Kubernetes manifests -> laid-out, editable threat models.

``import_files(paths)`` detects the format from the content (compose, or manifests: plain,
Helm-rendered, kustomize output, ``kubectl get -o yaml`` Lists), builds the model with ids
derived from the files' own names, lays it out, and returns it with the notices (warnings with
file, document and path). ``reimport(model, result)`` merges a newer import into a model the
person has worked on. Nothing here imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Catalog, Model
from .detect import COMPOSE, KUBERNETES, MODEL, sniff, sniff_text
from .errors import ImporterError, Notice, Notices

if TYPE_CHECKING:  # the layout and the builder load when something is imported, not to sniff
    from ..layout import SizeFn
    from .builder import ModelBuilder

__all__ = [
    "COMPOSE",
    "KUBERNETES",
    "ImportResult",
    "ImporterError",
    "Notice",
    "detect_format",
    "import_files",
    "sniff",
    "sniff_text",
]


@dataclass
class ImportResult:
    model: Model
    format: str  # compose | kubernetes
    notices: list[Notice] = field(default_factory=list)
    managed: dict[str, frozenset[str]] = field(default_factory=dict)  # component -> properties
    prefixes: tuple[str, ...] = ()  # ids the importer makes start with one of these

    @property
    def warnings(self) -> list[Notice]:
        return [n for n in self.notices if n.level == "warning"]

    def is_imported_id(self, item_id: str) -> bool:
        """Whether an id is one this importer makes (and may remove on re-import)."""
        return item_id.startswith(self.prefixes) or item_id in self.prefixes


def detect_format(paths: list[Path]) -> str:
    """compose or kubernetes, from the files' content; ImporterError for anything else."""
    from ..io import MAX_FILE_BYTES

    formats = []
    for path in paths:
        if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
            raise ImporterError(
                f"{path}: larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB limit, refused"
            )
        found = sniff(path)
        if found is None:
            if not Path(path).is_file():
                raise ImporterError(f"{path}: no such file")
            raise ImporterError(
                f"{path}: neither a compose file (no 'services:') nor Kubernetes manifests "
                "(no 'apiVersion:' and 'kind:')"
            )
        if found == MODEL:
            raise ImporterError(f"{path}: this is already a STRIDE model; open it instead")
        formats.append(found)
    if len(set(formats)) > 1:
        mixed = ", ".join(f"{p.name} ({f})" for p, f in zip(paths, formats))
        raise ImporterError(f"compose files and manifests cannot be imported together: {mixed}")
    return formats[0]


def import_files(
    paths: list[str | Path],
    *,
    name: str | None = None,
    with_cluster: bool = False,
    profiles: tuple[str, ...] = (),
    catalog: Catalog | None = None,
    size_of: SizeFn | None = None,
) -> ImportResult:
    """Import compose files (merged in order) or manifests into a laid-out model."""
    from ..io import default_catalog
    from ..layout import apply_layout, layout_model
    from .builder import fit_to_limits

    files = [Path(p) for p in paths]
    if not files:
        raise ImporterError("no file to import")
    fmt = detect_format(files)
    notices = Notices()
    if fmt == COMPOSE:
        from .compose import MANAGED, PREFIXES, import_compose

        builder: ModelBuilder = import_compose(files, name=name, profiles=profiles, notices=notices)
        managed, prefixes = MANAGED, tuple(PREFIXES)
    else:
        from .kubernetes import MANAGED as K8S_MANAGED
        from .kubernetes import PREFIXES as K8S_PREFIXES
        from .kubernetes import import_manifests

        builder = import_manifests(files, name=name, with_cluster=with_cluster, notices=notices)
        managed, prefixes = K8S_MANAGED, tuple(K8S_PREFIXES)
    catalog = catalog or default_catalog()
    model = builder.model
    fit_to_limits(model)
    apply_layout(model, layout_model(model, catalog=catalog, size_of=size_of))
    return ImportResult(model, fmt, list(notices), managed, prefixes)
