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


V1_FLOWS = """\
stride_model: 1
name: Old host
elements:
  - {id: cli, component: docker.client}
  - {id: sock, component: docker.socket}
  - {id: dockerd, component: docker.daemon}
  - {id: runc, component: docker.runc}
  - {id: kernel, component: docker.host}
  - {id: vol, component: docker.volume}
flows:
  - {id: api, source: cli, target: dockerd, protocol: http, port: 2375}
  - {id: local, source: cli, target: sock, protocol: unix}
  - {id: sys, source: runc, target: kernel, protocol: syscall}
  - {id: data, source: dockerd, target: vol, protocol: file}
  - {id: run, source: dockerd, target: runc, protocol: exec}
  - {id: said, source: sock, target: dockerd, protocol: unix, channel: ipc}
"""


def test_v1_flows_get_the_channel_their_protocol_implies() -> None:
    model = loads_model(V1_FLOWS, source="old.yaml")
    channels = {f.id: f.channel for f in model.flows}
    assert channels == {
        "api": "network",
        "local": "unix_socket",
        "sys": "syscall",
        "data": "mount",
        "run": "ipc",
        "said": "ipc",  # a channel already written is kept
    }
    assert [f.is_network for f in model.flows] == [True, False, False, False, False, False]


def test_v1_model_round_trips_as_v2(tmp_path) -> None:
    from stride_desktop.io import dump_model, load_model, save_model

    old = loads_model(V1_FLOWS, source="old.yaml")
    text = dump_model(old)
    assert text.startswith("stride_model: 2\n")
    assert "channel: unix_socket" in text and "channel: network" not in text  # default left out
    path = tmp_path / "new.yaml"
    save_model(old, path)
    assert load_model(path) == old


def test_unknown_channel_is_a_problem_with_its_path() -> None:
    with pytest.raises(ModelError, match=r"flows\[0\]\.channel: expected one of network"):
        loads_model(
            "stride_model: 2\nelements: [{id: a, component: generic.process},"
            " {id: b, component: generic.process}]\n"
            "flows: [{id: f, source: a, target: b, channel: carrier-pigeon}]\n"
        )
