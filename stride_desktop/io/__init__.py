"""Model files: load (parse -> migrate -> validate -> build), save (atomic, with backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Catalog, Model
from .atomic import SaveRefusedError, write_atomic
from .catalog import default_catalog, load_catalog_dir
from .errors import CatalogError, IoError, ModelError, YamlSafetyError
from .limits import MAX_NODES
from .migrations import CURRENT_VERSION, migrate
from .model_reader import ModelReader
from .model_writer import dump_data, dump_model, measure, model_to_data
from .references import reference_problems
from .safe_yaml import MAX_FILE_BYTES, collector_paused, parse_yaml_text, read_yaml_file

__all__ = [
    "CURRENT_VERSION",
    "MAX_FILE_BYTES",
    "CatalogError",
    "IoError",
    "ModelError",
    "SaveRefusedError",
    "YamlSafetyError",
    "default_catalog",
    "dump_model",
    "load_catalog_dir",
    "load_model",
    "loadable_problems",
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
    with collector_paused():  # thousands of new objects, no cycles among them
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


def _size_problems(data: dict[str, Any]) -> tuple[list[str], bytes | None]:
    """What would make the loader refuse the file of ``data`` (it opens what we write), and
    the file's bytes when nothing does. The cheap counts come first: YAML for a model over
    the limits would take minutes and gigabytes to produce, only to be refused."""
    nodes, chars = measure(data)
    problems = []
    if nodes > MAX_NODES:
        problems.append(
            f"the model would hold {nodes:,} values; more than {MAX_NODES:,} are refused "
            "when loading"
        )
    payload = None if problems or chars > MAX_FILE_BYTES else dump_data(data).encode("utf-8")
    size = len(payload) if payload is not None else chars
    if size > MAX_FILE_BYTES:
        problems.append(
            f"the model would be {'over ' if payload is None else ''}{size / 2**20:.3g} MB; "
            f"files over {MAX_FILE_BYTES / 2**20:.3g} MB are refused when loading"
        )
    return problems, None if problems else payload


def loadable_problems(model: Model, *, catalog: Catalog | None = None) -> list[str]:
    """Everything that would stop the loader from opening this model once saved (empty: fine)."""
    problems, _ = _size_problems(model_to_data(model))
    return problems or validate_model(model, catalog=catalog)


def save_model(model: Model, path: str | Path) -> Path:
    """Write atomically; the previous file is kept as ``NAME.yaml.bak``. A model too large for
    the loader is refused (SaveRefusedError) rather than written. Returns the file written
    (``path`` with symbolic links followed)."""
    problems, payload = _size_problems(model_to_data(model))
    if problems or payload is None:
        raise SaveRefusedError("; ".join(problems))
    return write_atomic(path, payload, backup=True)
