"""The model writer uses libyaml's emitter when PyYAML has it: a model's file is the text the
pure-Python emitter writes (the format does not depend on how PyYAML was installed), and awkward
strings, which the two emitters fold differently inside quotes, read back as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stride_desktop.io import load_model, model_writer
from stride_desktop.io.model_writer import dump_data, model_to_data
from stride_desktop.io.safe_yaml import parse_yaml_text

MODELS = sorted((Path(__file__).resolve().parents[2] / "models").glob("*.yaml"))
AWKWARD = [
    "yes",
    "0x1F",
    "1e3",
    "~",
    "",
    " lead",
    "a: b",
    "#x",
    "multi\nline\n",
    "tab\there",
    "nel\x85",
    "ünï ✓",
    "- dash",
    "null",
    "2026-12-03",
    "'quoted'",
    "x" * 150,
]


@pytest.fixture
def pure_python_dumper(monkeypatch: pytest.MonkeyPatch) -> type[yaml.SafeDumper]:
    class Pure(yaml.SafeDumper):
        pass

    Pure.yaml_implicit_resolvers = model_writer._Dumper.yaml_implicit_resolvers
    Pure.yaml_representers = model_writer._Dumper.yaml_representers
    return Pure


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_libyaml_writes_what_the_python_emitter_writes(path: Path, pure_python_dumper) -> None:
    assert issubclass(model_writer._Dumper, yaml.CSafeDumper)
    data = model_to_data(load_model(path))
    assert dump_data(data) == python_dump(data, pure_python_dumper)


def test_awkward_strings_read_back_as_they_were(pure_python_dumper) -> None:
    data = model_to_data(load_model(MODELS[0]))
    data["description"] = "\n".join(AWKWARD)
    data["elements"][0]["properties"] = {f"k{i}": v for i, v in enumerate(AWKWARD)}
    data["elements"][0]["tags"] = AWKWARD[:10]
    written = dump_data(data)
    assert parse_yaml_text(written, source="written") == data
    assert parse_yaml_text(python_dump(data, pure_python_dumper), source="python") == data


def python_dump(data: dict, dumper: type[yaml.SafeDumper]) -> str:
    return yaml.dump(
        data,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
