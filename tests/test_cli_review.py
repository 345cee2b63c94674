"""``harden``, ``triage`` and ``custom-threat``: atomic edits of the model file from the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stride_desktop.cli import main
from stride_desktop.io import load_model
from stride_desktop.rules import derive, load_rules
from stride_desktop.rules.hardening import rank_actions

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "tests/fixtures/bench/docker-bench-1.6.0.log.json"


@pytest.fixture
def model_file(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "host.yaml"
    shutil.copy(ROOT / "models/docker-host.yaml", path)
    assert main(["import-bench", str(path), str(BENCH)]) == 0
    capsys.readouterr()
    return path


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_harden_lists_actions_then_plans_the_top_three(model_file, capsys):
    code, out, _ = cli(capsys, "harden", model_file)
    assert code == 0 and "risk" in out.splitlines()[0]
    model = load_model(model_file)
    expected = rank_actions(model, derive(model, load_rules(model=model)))[:3]
    code, _, err = cli(capsys, "harden", model_file, "--top", "3", "--owner", "Ana")
    assert code == 0, err
    plan = load_model(model_file).hardening
    assert [h.finding for h in plan] == [f for a in expected for f in a.finding_ids]
    assert all(h.owner == "Ana" and h.state == "planned" and h.threats for h in plan)
    assert (model_file.parent / "host.yaml.bak").exists()


def test_harden_by_check_id_update_and_remove(model_file, capsys):
    assert cli(capsys, "harden", model_file, "5.10", "--note", "set --memory")[0] == 0
    assert (
        cli(capsys, "harden", model_file, "5.10", "--state", "done", "--due", "2026-03-31")[0] == 0
    )
    (entry,) = load_model(model_file).hardening
    assert (entry.note, entry.state, entry.due) == ("set --memory", "done", "2026-03-31")
    assert cli(capsys, "harden", model_file, entry.finding, "--remove")[0] == 0
    assert load_model(model_file).hardening == []


def test_harden_unknown_check_suggests_close_ones(model_file, capsys):
    before = model_file.read_text()
    code, _, err = cli(capsys, "harden", model_file, "5.100")
    assert code == 2 and "unknown check '5.100'; did you mean" in err and "5.10" in err
    with pytest.raises(SystemExit) as info:  # argparse: usage error
        main(["harden", str(model_file), "5.10", "--due", "tomorrow"])
    assert info.value.code == 2 and "not a date" in capsys.readouterr().err
    assert model_file.read_text() == before


def test_triage_sets_status_owner_ticket(model_file, capsys):
    model = load_model(model_file)
    threat = derive(model, load_rules(model=model))[0]
    code, _, err = cli(
        capsys,
        "triage",
        model_file,
        threat.id,
        "--status",
        "needs_investigation",
        "--owner",
        "Bo",
        "--ticket",
        "SEC-1",
        "--note",
        "check with ops",
    )
    assert code == 0, err
    entry = load_model(model_file).triage[threat.id]
    assert (entry.status, entry.owner, entry.ticket, entry.note) == (
        "needs_investigation",
        "Bo",
        "SEC-1",
        "check with ops",
    )
    # back to open with nothing else: the entry disappears
    args = ("--status", "open", "--owner", "", "--ticket", "", "--note", "")
    assert cli(capsys, "triage", model_file, threat.id, *args)[0] == 0
    assert threat.id not in load_model(model_file).triage


def test_triage_unknown_threat_is_named_with_close_matches(model_file, capsys):
    model = load_model(model_file)
    threat = derive(model, load_rules(model=model))[0]
    typo = threat.id[:-1]
    code, _, err = cli(capsys, "triage", model_file, typo, "--status", "accepted")
    assert code == 2 and f"unknown threat '{typo}'; did you mean" in err and threat.id in err


def test_custom_threat_add_from_check_and_remove(model_file, capsys):
    code, _, err = cli(
        capsys,
        "custom-threat",
        model_file,
        "--target",
        "dockerd",
        "--title",
        "Backups unencrypted",
        "--category",
        "I",
        "--severity",
        "high",
    )
    assert code == 0, err
    model = load_model(model_file)
    threats = {t.id: t for t in derive(model, load_rules(model=model))}
    assert threats["CUSTOM-c1@dockerd"].category == "Information Disclosure"
    code, _, err = cli(capsys, "custom-threat", model_file, "--from-check", "2.13")
    assert code == 2 and "already named by DOCKER-DAEMON-NO-REMOTE-LOGGING@dockerd" in err
    assert (
        cli(capsys, "custom-threat", model_file, "--from-check", "2.16", "--target", "dockerd")[0]
        == 0
    )
    c2 = load_model(model_file).custom_threats[1]
    assert c2.finding.endswith(":2.16") and c2.mitigation  # our catalogue's remediation
    code, out, _ = cli(capsys, "custom-threat", model_file)
    assert "CUSTOM-c2@dockerd" in out
    assert cli(capsys, "triage", model_file, "CUSTOM-c2@dockerd", "--status", "accepted")[0] == 0
    assert cli(capsys, "custom-threat", model_file, "--remove", "c1")[0] == 0
    assert [c.id for c in load_model(model_file).custom_threats] == ["c2"]
    code, _, err = cli(capsys, "custom-threat", model_file, "--target", "dockrd", "--title", "x")
    assert code == 2 and "did you mean dockerd" in err


def test_editing_a_broken_model_is_one_line_per_problem(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("stride_model: 1\nelements: [{id: a}]\n")
    code, _, err = cli(capsys, "harden", bad, "1.1")
    assert code == 2 and "bad.yaml" in err and "Traceback" not in err
