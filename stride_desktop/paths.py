"""Find the resource folder both in a checkout and in an installed wheel."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


class ResourceError(LookupError):
    """A resource folder or file is missing."""


@cache
def resources_dir() -> Path:
    """``STRIDE_DESKTOP_RESOURCES``, else ``stride_desktop/resources`` (wheel), else ``../resources``."""
    candidates = []
    if env := os.environ.get("STRIDE_DESKTOP_RESOURCES"):
        candidates.append(Path(env))
    candidates += [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    for candidate in candidates:
        if (candidate / "catalog").is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise ResourceError(f"cannot find the resources folder; tried {tried}")


def resource(*parts: str) -> Path:
    """A path inside the resources folder; raises with the known names when it does not exist."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        parent = path.parent
        known = sorted(p.name for p in parent.iterdir()) if parent.is_dir() else []
        raise ResourceError(
            f"no resource '{'/'.join(parts)}'; known in {parent.name}/: "
            + (", ".join(known) or "(none)")
        )
    return path


def models_dir() -> Path | None:
    """The example models: ``resources/models`` in a wheel, ``models/`` in a checkout."""
    for candidate in (resources_dir() / "models", _PACKAGE_DIR.parent / "models"):
        if candidate.is_dir():
            return candidate
    return None
