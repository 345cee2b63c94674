"""The shipped JSON Schema is current and agrees with the loader."""

from __future__ import annotations

import json

import jsonschema
import pytest

from stride_desktop.io import model_to_data
from stride_desktop.io.schema import schema_text
from stride_desktop.paths import resource

from .test_model_file import sample_model


def shipped_schema() -> dict:
    return json.loads(resource("schema", "stride-model.schema.json").read_text())


def test_shipped_schema_is_current() -> None:
    assert resource("schema", "stride-model.schema.json").read_text() == schema_text(), (
        "regenerate: python -m stride_desktop.io.schema > resources/schema/stride-model.schema.json"
    )


def test_schema_accepts_a_saved_model() -> None:
    jsonschema.validate(model_to_data(sample_model()), shipped_schema())


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["elements"][0].update(component="docker.deamon"),
        lambda d: d["elements"][1]["properties"].update(privileged="yes"),
        lambda d: d["elements"][1]["properties"].update(colour="red"),
        lambda d: d["flows"][0].update(port="22:22"),
        lambda d: d.update(stride_model=99),
    ],
)
def test_schema_rejects_what_the_loader_rejects(mutate) -> None:
    data = model_to_data(sample_model())
    mutate(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, shipped_schema())
