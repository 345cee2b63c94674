"""Which component versions are still supported upstream (``resources/versions.yaml``).

The table is data with an ``as_of`` date, so derivation stays deterministic: a release's status
changes when the table is updated, not when the clock moves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..io.safe_yaml import read_yaml_file
from ..paths import ResourceError, resources_dir

SUPPORTED, UNSUPPORTED, UNKNOWN = "supported", "unsupported", "unknown"
_MINOR = re.compile(r"^v?([0-9]{1,4})\.([0-9]{1,4})")


def minor_of(version: str) -> tuple[int, int] | None:
    """(major, minor) of "1.35.2", "v1.13.4", "3.6"; None when it does not start like that."""
    m = _MINOR.match(version.strip())
    return (int(m[1]), int(m[2])) if m else None


@dataclass(frozen=True)
class Product:
    name: str
    components: tuple[str, ...]
    supported: tuple[tuple[int, int], ...]
    end_of_life: tuple[tuple[int, int], ...] = ()

    def status(self, version: str) -> str:
        minor = minor_of(version) if isinstance(version, str) else None
        if minor is None or not self.supported:
            return UNKNOWN
        if minor in self.end_of_life or minor < min(self.supported):
            return UNSUPPORTED
        return SUPPORTED


@dataclass
class ReleaseTable:
    as_of: str = ""
    products: dict[str, Product] = field(default_factory=dict)

    def product_of(self, component: str) -> Product | None:
        return next((p for p in self.products.values() if component in p.components), None)

    def status(self, component: str, version: object) -> str:
        product = self.product_of(component)
        if product is None or not isinstance(version, str):
            return UNKNOWN
        return product.status(version)


def _minors(keys: object, path: Path, where: str) -> tuple[tuple[int, int], ...]:
    out = []
    for key in keys if isinstance(keys, dict | list) else ():
        minor = minor_of(str(key))
        if minor is None:
            raise ValueError(f"{path}: {where}: {key!r} is not a major.minor release")
        out.append(minor)
    return tuple(out)


def load_release_table(path: Path) -> ReleaseTable:
    data = read_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("products"), dict):
        raise ValueError(f"{path}: expected a mapping with 'as_of' and 'products'")
    table = ReleaseTable(as_of=str(data.get("as_of", "")))
    for key, raw in data["products"].items():
        where = f"products.{key}"
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: {where}: expected a mapping")
        table.products[key] = Product(
            name=str(raw.get("name", key)),
            components=tuple(raw.get("components", ())),
            supported=_minors(raw.get("supported"), path, f"{where}.supported"),
            end_of_life=_minors(raw.get("end_of_life"), path, f"{where}.end_of_life"),
        )
    return table


@cache
def release_table() -> ReleaseTable:
    """The shipped table (empty, so every version is unknown, when it is missing)."""
    try:
        path = resources_dir() / "versions.yaml"
    except ResourceError:
        return ReleaseTable()
    return load_release_table(path) if path.is_file() else ReleaseTable()
