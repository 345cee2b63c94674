"""Load the component catalog from resources/catalog/*.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..model.catalog import PROPERTY_TYPES, Catalog, ComponentType, DfdKind, PropertySpec
from ..paths import resources_dir
from .errors import CatalogError
from .safe_yaml import read_yaml_file


def _property(path: str, name: str, raw: Any) -> PropertySpec:
    if not isinstance(raw, dict):
        raise CatalogError(f"{path}: expected a mapping with type and default")
    ptype = raw.get("type")
    if ptype not in PROPERTY_TYPES:
        raise CatalogError(
            f"{path}.type: expected one of {', '.join(PROPERTY_TYPES)}, got {ptype!r}"
        )
    values = tuple(str(v) for v in raw.get("values", ()))
    if ptype == "enum" and not values:
        raise CatalogError(f"{path}.values: an enum needs values")
    default = raw.get("default")
    spec = PropertySpec(
        name=name,
        type=ptype,
        default=default,
        label=str(raw.get("label", name)),
        description=str(raw.get("description", "")),
        values=values,
    )
    if (problem := spec.check(default)) is not None:
        raise CatalogError(f"{path}.default: expected {problem}, got {default!r}")
    return spec


def load_catalog_file(path: Path, catalog: Catalog) -> None:
    data = read_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("components"), dict):
        raise CatalogError(f"{path}: expected a mapping with 'platform' and 'components'")
    platform = str(data.get("platform", "generic"))
    for cid, raw in data["components"].items():
        where = f"{path}: components.{cid}"
        if not isinstance(raw, dict):
            raise CatalogError(f"{where}: expected a mapping")
        try:
            kind = DfdKind(raw.get("kind"))
        except ValueError:
            raise CatalogError(
                f"{where}.kind: expected external_entity, process or data_store, "
                f"got {raw.get('kind')!r}"
            ) from None
        props = raw.get("properties") or {}
        if not isinstance(props, dict):
            raise CatalogError(f"{where}.properties: expected a mapping")
        if cid in catalog.components:
            raise CatalogError(f"{where}: component defined twice")
        catalog.components[cid] = ComponentType(
            id=cid,
            name=str(raw.get("name", cid)),
            kind=kind,
            platform=platform,
            description=str(raw.get("description", "")),
            icon=str(raw.get("icon", cid.replace(".", "-").replace("_", "-") + ".svg")),
            bench_components=tuple(str(b) for b in raw.get("bench") or ()),
            properties=tuple(
                _property(f"{where}.properties.{name}", name, spec) for name, spec in props.items()
            ),
        )


def load_catalog_dir(folder: Path) -> Catalog:
    catalog = Catalog()
    for path in sorted(folder.glob("*.yaml")):
        load_catalog_file(path, catalog)
    return catalog


@cache
def default_catalog() -> Catalog:
    """The built-in catalog, loaded once."""
    return load_catalog_dir(resources_dir() / "catalog")
