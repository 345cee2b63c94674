"""Model files: load (parse -> migrate -> validate -> build), save (atomic, with backup)."""

from __future__ import annotations

from pathlib import Path

from ..model import Catalog, Model
from .atomic import write_atomic
from .catalog import default_catalog, load_catalog_dir
from .errors import CatalogError, IoError, ModelError, YamlSafetyError
from .migrations import CURRENT_VERSION, migrate
from .model_reader import ModelReader
from .model_writer import dump_model, model_to_data
from .references import reference_problems
from .safe_yaml import MAX_FILE_BYTES, parse_yaml_text, read_yaml_file

__all__ = [
    "CURRENT_VERSION",
    "MAX_FILE_BYTES",
    "CatalogError",
    "IoError",
    "ModelError",
    "YamlSafetyError",
    "default_catalog",
    "dump_model",
    "load_catalog_dir",
    "load_model",
    "loads_model",
    "model_from_data",
    "model_to_data",
    "save_model",
    "validate_model",
    "write_atomic",
]


def model_from_data(
    data: object, *, source: str = "<model>", catalog: Catalog | None = None
) -> Model:
    """Build a model from parsed YAML; raises ModelError listing every problem."""
    if not isinstance(data, dict):
        raise ModelError(
            source, [f"model: expected a mapping with 'stride_model: {CURRENT_VERSION}' at the top"]
        )
    data, problems = migrate(dict(data), source=source)
    if problems:
        raise ModelError(source, problems)
    reader = ModelReader(catalog or default_catalog())
    model = reader.read(data)
    problems = reader.problems + reference_problems(model)
    if problems:
        raise ModelError(source, problems)
    return model


def loads_model(text: str, *, source: str = "<model>", catalog: Catalog | None = None) -> Model:
    try:
        data = parse_yaml_text(text, source=source)
    except YamlSafetyError as exc:
        raise ModelError(source, [str(exc).removeprefix(f"{source}: ")]) from None
    return model_from_data(data, source=source, catalog=catalog)


def load_model(path: str | Path, *, catalog: Catalog | None = None) -> Model:
    """Load a model file; every failure is a ModelError naming the file and each problem."""
    try:
        data = read_yaml_file(path)
    except YamlSafetyError as exc:
        raise ModelError(str(path), [str(exc).removeprefix(f"{path}: ")]) from None
    return model_from_data(data, source=str(path), catalog=catalog)


def validate_model(model: Model, *, catalog: Catalog | None = None) -> list[str]:
    """Problems of an in-memory model (as a save and reload would report them)."""
    try:
        model_from_data(model_to_data(model), catalog=catalog)
    except ModelError as exc:
        return exc.problems
    return []


def save_model(model: Model, path: str | Path) -> None:
    """Write atomically; the previous file is kept as ``NAME.yaml.bak``."""
    write_atomic(path, dump_model(model).encode("utf-8"), backup=True)
