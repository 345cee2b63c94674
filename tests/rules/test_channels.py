"""In-transit threats (sniffing, tampering, spoofing of a flow) only on network channels."""

from __future__ import annotations

import pytest

from stride_desktop.io import loads_model
from stride_desktop.model import CHANNELS
from stride_desktop.rules import RuleSet, derive

MODEL = """
stride_model: 2
boundaries:
  - {id: lan, name: LAN, kind: network, trust: 0}
  - {id: host, name: Host, kind: host, trust: 2}
elements:
  - {id: app, name: App, component: generic.process, boundary: lan}
  - {id: sock, name: Control socket, component: generic.process, boundary: host}
flows:
  - {id: f, source: app, target: sock, name: Commands, protocol: unix, CHANNEL
     data: confidential}
"""
IN_TRANSIT = {
    "INTERACTION-SPOOFING",
    "INTERACTION-TAMPERING",
    "INTERACTION-SNIFFING",
    "STRIDE-T-FLOW",
    "STRIDE-I-FLOW",
}


def flow_rules(channel: str) -> set[str]:
    """The generic rules that arise on the flow, listed or folded into another threat."""
    model = loads_model(MODEL.replace("CHANNEL", f"channel: {channel},"))
    threats = [t for t in derive(model, RuleSet()) if t.target == "f"]
    return {t.rule for t in threats} | {c.partition("@")[0] for t in threats for c in t.covers}


def test_a_network_flow_into_a_more_trusted_zone_gets_in_transit_threats():
    assert {
        "INTERACTION-SPOOFING",
        "INTERACTION-TAMPERING",
        "INTERACTION-SNIFFING",
    } <= flow_rules("network")


@pytest.mark.parametrize("channel", [c for c in CHANNELS if c != "network"])
def test_a_local_channel_gets_none_but_keeps_elevation(channel: str):
    rules = flow_rules(channel)
    assert not rules & IN_TRANSIT
    # acting on input from a less trusted zone is a threat whatever carries it
    assert "INTERACTION-ELEVATION" in rules


def test_an_old_model_gets_its_channel_from_the_protocol():
    old = MODEL.replace("stride_model: 2", "stride_model: 1").replace("CHANNEL", "")
    model = loads_model(old)
    assert model.flows[0].channel == "unix_socket"
    assert not {t.rule for t in derive(model, RuleSet()) if t.target == "f"} & IN_TRANSIT
