"""Format migrations: older documents are brought forward step by step before validation."""

from __future__ import annotations

import pytest

from stride_desktop.io import ModelError, loads_model, migrations


def test_a_registered_migration_runs_before_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the current format is 2 and version 1 named the model "title".
    def v1_to_v2(data: dict) -> dict:
        data = dict(data)
        data["name"] = data.pop("title")
        return data

    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, v1_to_v2)
    model = loads_model("stride_model: 1\ntitle: Old model\n", source="old.yaml")
    assert model.name == "Old model"


def test_newer_format_is_refused_with_advice() -> None:
    with pytest.raises(ModelError, match="update STRIDE Desktop"):
        loads_model("stride_model: 99\nname: x\n", source="future.yaml")
