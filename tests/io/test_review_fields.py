"""Review fields of the model file: triage owner/ticket, plan owner/due/state, custom threats."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from stride_desktop.io import ModelError, dump_model, loads_model

ROOT = Path(__file__).resolve().parents[2]

MODEL = """\
stride_model: 1
name: Review fields
elements:
  - {id: web, name: Web, component: docker.container}
  - {id: db, name: DB, component: docker.container}
flows:
  - {id: f1, source: web, target: db, name: SQL}
triage:
  "CUSTOM-c1@web": {status: needs_investigation, owner: Ana, ticket: "SEC-12"}
custom_threats:
  - id: c1
    target: web
    title: Build secrets baked into the image
    category: Information Disclosure
    severity: high
    description: The Dockerfile copies .env into the image.
    mitigation: Use build secrets.
  - {id: c2, target: f1, title: SQL in clear text}
"""


def test_review_fields_load_and_save_the_same() -> None:
    model = loads_model(MODEL)
    assert model.triage["CUSTOM-c1@web"].owner == "Ana"
    assert model.triage["CUSTOM-c1@web"].status == "needs_investigation"
    assert [c.threat_id for c in model.custom_threats] == ["CUSTOM-c1@web", "CUSTOM-c2@f1"]
    assert model.custom_threats[1].category == "Tampering"  # the default
    text = dump_model(model)
    assert loads_model(text) == model
    assert "severity: medium" in text  # written even at its default: a reader sees it


def test_saved_review_fields_match_the_schema() -> None:
    schema = json.loads((ROOT / "resources/schema/stride-model.schema.json").read_text())
    model = loads_model(MODEL)
    model.hardening = []
    data = yaml.safe_load(dump_model(model))
    jsonschema.validate(data, schema)
    data["custom_threats"][0]["severity"] = "extreme"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            "  - {id: c3, target: nowhere, title: X}\n",
            "custom_threats[2].target: unknown element or flow 'nowhere'",
        ),
        ("  - {id: c1, target: web, title: X}\n", "custom_threats[2].id: duplicate id 'c1'"),
        (
            "  - {id: c3, target: web, title: X, category: Spoof}\n",
            "custom_threats[2].category: expected one of Spoofing",
        ),
        ("  - {id: c3, target: web}\n", "custom_threats[2].title: required"),
    ],
)
def test_bad_custom_threats_are_named_with_their_path(edit: str, problem: str) -> None:
    with pytest.raises(ModelError) as info:
        loads_model(MODEL + edit, source="m.yaml")
    assert any(p.startswith(problem) for p in info.value.problems), info.value.problems


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('{finding: "r:1", due: "31/03/2026"}', "hardening[0].due: expected a date"),
        ('{finding: "r:1", state: finished}', "hardening[0].state: expected one of planned"),
    ],
)
def test_bad_plan_fields_are_named(entry: str, problem: str) -> None:
    with pytest.raises(ModelError) as info:
        loads_model(MODEL + f"hardening:\n  - {entry}\n", source="m.yaml")
    assert any(p.startswith(problem) for p in info.value.problems), info.value.problems
