"""Model files: validation with paths, atomic save with backup, round trips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stride_desktop.io import ModelError, dump_model, load_model, loads_model, save_model
from stride_desktop.model import (
    AffectedObject,
    BenchRun,
    Boundary,
    CustomThreat,
    Element,
    Finding,
    Flow,
    HardeningEntry,
    Model,
    TriageEntry,
)

BAD_MODEL = """\
stride_model: 1
name: Docker host
boundaries:
  - {id: host, name: Docker host, trust: 2, rect: [0, 0, 900, 600]}
  - {id: a, name: A, parent: b}
  - {id: b, name: B, parent: a}
elements:
  - {id: cli, name: Docker CLI, component: docker.client, pos: [60, 300]}
  - {id: dockerd, component: docker.daemon, boundary: hots, properties: {tls_verify: 1, colour: red}}
  - {id: x, component: docker.deamon}
  - {id: cli, component: generic.process}
flows:
  - {id: f1, source: cli, target: dockrd, authenticated: false}
  - {source: cli, target: cli, port: 70000}
triage:
  "R@f1": {status: done}
hardening:
  - {finding: "run9:5.10"}
colour: blue
"""


def test_every_problem_is_reported_with_its_path() -> None:
    with pytest.raises(ModelError) as info:
        loads_model(BAD_MODEL, source="bad.yaml")
    problems = info.value.problems
    expected = [
        "elements[1].properties.tls_verify: expected a boolean (true or false), got 1",
        "elements[1].boundary: unknown boundary 'hots'",
        "elements[2].component: unknown component 'docker.deamon'",
        "elements[3].id: duplicate id 'cli' (also elements[0])",
        "flows[0].target: unknown element 'dockrd'",
        "flows[0].authenticated: expected one of none, basic, token, mtls, got False",
        "flows[1].id: required",
        "flows[1].port: expected a port number from 0 to 65535 or null, got 70000",
        "boundaries[1].parent: boundaries nest in a cycle: a -> b -> a",
        "hardening[0].finding: unknown finding 'run9:5.10'",
    ]
    for line in expected:
        assert line in problems, f"missing {line!r} in {problems}"
    assert any(
        p.startswith("elements[1].properties.colour: unknown property of docker.daemon")
        for p in problems
    )
    assert any(p.startswith("triage['R@f1'].status: expected one of open") for p in problems)
    assert any(p.startswith("model.colour: unknown key") for p in problems)
    assert str(info.value).startswith("bad.yaml: ")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("name: no version\n", "stride_model: missing"),
        ("stride_model: 3\n", "newer than this program"),
        ("stride_model: '1'\n", "expected the format version"),
        ("- a\n- b\n", "model: expected a mapping"),
        ("", "model: expected a mapping"),
    ],
)
def test_wrong_top_level(text: str, problem: str) -> None:
    with pytest.raises(ModelError) as info:
        loads_model(text, source="t.yaml")
    assert problem in info.value.problems[0]


def sample_model() -> Model:
    finding = Finding(
        key="5.10",
        check_id="5.10",
        title="Ensure memory usage is limited",
        status="fail",
        raw_status="WARN",
        section_id="5",
        severity="medium",
        evidence={"details": "Container running without memory restrictions:  web"},
        affected=[AffectedObject(kind="container", name="web", raw="web")],
        component="container",
        locator="/tests/4/results/9",
        elements=["web"],
    )
    return Model(
        name="Sample",
        description="multi\nline <b>&",
        author="Ana",
        owner="Platform team",
        boundaries=[
            Boundary(
                id="host", name="Docker host", trust=2, kind="host", rect=(0.0, 0.0, 900.5, 600.0)
            ),
            Boundary(id="app", name="App", trust=3, parent="host"),
        ],
        elements=[
            Element(id="cli", name="Docker CLI", component="docker.client", pos=(60.0, 300.0)),
            Element(
                id="web",
                name="Web",
                component="docker.container",
                boundary="app",
                properties={"privileged": True, "cap_add": ["NET_ADMIN"], "pids_limit": 5},
            ),
        ],
        flows=[
            Flow(
                id="f1",
                source="cli",
                target="web",
                name="API",
                port=2375,
                authenticated="token",
                data="secret",
            )
        ],
        triage={
            "R@web": TriageEntry(status="accepted", note="risk owner: Ana"),
            "CUSTOM-c1@f1": TriageEntry(
                status="needs_investigation", owner="Bo", ticket="https://tracker.invalid/SEC-7"
            ),
        },
        bench_runs=[
            BenchRun(
                id="run1",
                tool="docker-bench-security",
                format="dbs-json-structured",
                benchmark="CIS Docker",
                source_file="log.json",
                scope="host",
                imported_at="2026-11-28T10:00:00Z",
                findings=[finding],
            )
        ],
        hardening=[
            HardeningEntry(
                finding="run1:5.10",
                note="set --memory",
                threats=["R@web"],
                owner="Ana",
                due="2026-03-31",
                state="in_progress",
            )
        ],
        custom_threats=[
            CustomThreat(
                id="c1",
                target="f1",
                title="API token replayed from CI logs",
                category="Spoofing",
                severity="high",
                description="CI prints the token.",
                mitigation="Mask secrets in CI output.",
                finding="run1:5.10",
            )
        ],
        rule_files=["rules/extra.yaml"],
    )


def test_save_then_load_gives_the_same_model(tmp_path: Path) -> None:
    model = sample_model()
    path = tmp_path / "m.yaml"
    save_model(model, path)
    assert load_model(path) == model


def test_saved_layout_is_stable_and_readable(tmp_path: Path) -> None:
    text = dump_model(sample_model())
    assert text.startswith("stride_model: 2\nname: Sample\n")
    assert "pos: [60, 300]" in text and "cap_add: [NET_ADMIN]" in text
    assert dump_model(loads_model(text)) == text


def test_save_keeps_backup_and_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.yaml"
    first = sample_model()
    save_model(first, path)
    second = sample_model()
    second.name = "Second"
    save_model(second, path)
    assert load_model(path.with_name("m.yaml.bak")).name == "Sample"
    assert load_model(path).name == "Second"

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    third = sample_model()
    third.name = "Third"
    with pytest.raises(OSError):
        save_model(third, path)
    assert load_model(path).name == "Second"  # the file on disk is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_saved_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """A new file is readable like any other the user creates (umask), an existing one keeps its
    mode: the temporary file of an atomic save starts as 0600."""
    old = os.umask(0o022)
    try:
        path = tmp_path / "m.yaml"
        save_model(sample_model(), path)
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o640)
        save_model(sample_model(), path)
        assert path.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


_ids = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)
_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
# names are one line without control characters (the loader refuses others); texts are free
_name = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    max_size=30,
)
_coord = st.floats(-5000, 5000, allow_nan=False).map(lambda v: round(v, 2))


@st.composite
def models(draw) -> Model:
    ids = draw(st.lists(_ids, min_size=1, max_size=12, unique=True))
    n_boundaries = draw(st.integers(0, min(3, len(ids) - 1)))
    boundary_ids, element_ids = ids[:n_boundaries], ids[n_boundaries:]
    boundaries = []
    for i, bid in enumerate(boundary_ids):
        parent = draw(st.sampled_from([None] + boundary_ids[:i]))
        boundaries.append(
            Boundary(
                id=bid,
                name=draw(_name),
                trust=draw(st.integers(0, 5)),
                parent=parent,
                rect=(draw(_coord), draw(_coord), 100.0, 50.0),
            )
        )
    components = ["docker.container", "k8s.pod", "generic.data_store", "docker.daemon"]
    elements = []
    for eid in element_ids:
        component = draw(st.sampled_from(components))
        props = (
            {"privileged": draw(st.booleans())}
            if component in ("docker.container", "k8s.pod")
            else {}
        )
        elements.append(
            Element(
                id=eid,
                name=draw(_name),
                component=component,
                boundary=draw(st.sampled_from([None] + boundary_ids)),
                pos=(draw(_coord), draw(_coord)),
                properties=props,
                description=draw(_text),
            )
        )
    flows = []
    for i in range(draw(st.integers(0, 5))):
        flows.append(
            Flow(
                id=f"flow-{i}",
                source=draw(st.sampled_from(element_ids)),
                target=draw(st.sampled_from(element_ids)),
                name=draw(_name),
                port=draw(st.none() | st.integers(0, 65535)),
                encrypted=draw(st.booleans()),
                authenticated=draw(st.sampled_from(["none", "token", "mtls"])),
            )
        )
    triage = {
        f"R@{eid}": TriageEntry(status="mitigated", note=draw(_text))
        for eid in draw(st.lists(st.sampled_from(element_ids), unique=True, max_size=3))
    }
    return Model(
        name=draw(_name),
        description=draw(_text),
        boundaries=boundaries,
        elements=elements,
        flows=flows,
        triage=triage,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_round_trip_random_models(model: Model) -> None:
    assert loads_model(dump_model(model)) == model
