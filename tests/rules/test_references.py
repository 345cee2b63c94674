"""The reference list (resources/references/): every citation of a built-in rule resolves against
it in its canonical form, the complete catalogues are complete, the CIS entries carry the real
check titles, and the loader names the file, rule and key of a citation that does not resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stride_desktop.rules import RuleError, load_rules, loads_rules
from stride_desktop.rules.references import reference_list

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "tests" / "fixtures" / "bench"
RULES = load_rules()
REFS = reference_list()
SUFFIX = re.compile(r"\s*\((Automated|Manual|Scored|Not Scored)\)\s*$")


def test_every_builtin_citation_is_the_canonical_citation_of_an_entry() -> None:
    bad = [
        (rule.id, ref)
        for rule in RULES
        for ref in rule.references
        if (entry := REFS.resolve(ref)) is None or entry.citation != ref
    ]
    assert bad == []


def test_complete_catalogues_hold_every_item() -> None:
    techniques = [r for r in REFS.catalogue("ms-threat-matrix") if r.id.startswith("MS-TA")]
    assert len(techniques) == 40  # MS-TA9001..9041 without the withdrawn MS-TA9032
    assert REFS.get("ms-threat-matrix", "MS-TA9032") is None
    assert [r.id for r in REFS.catalogue("k8s-audit-2019")] == [f"TM{i:02d}" for i in range(1, 18)]
    owasp = {r.id for r in REFS.catalogue("owasp")}
    assert owasp == {f"K{i:02d}" for i in range(1, 11)} | {f"D{i:02d}" for i in range(1, 11)}
    assert REFS.get("owasp", "K07").name == "Misconfigured and Vulnerable Cluster Components"
    assert {r.data["severity"] for r in REFS.catalogue("k8s-audit-2019")} == {
        "Medium",
        "Low",
        "Very Low",
        "Informational",
    }


def test_partial_catalogues_hold_only_what_the_rules_cite() -> None:
    cited = {
        (entry.catalogue, entry.id)
        for rule in RULES
        for ref in rule.references
        if (entry := REFS.resolve(ref)) is not None
    }
    partial = ("cis-docker", "cis-kubernetes", "attack", "cwe")
    unused = sorted(
        (r.catalogue, r.id)
        for r in REFS
        if r.catalogue in partial and (r.catalogue, r.id) not in cited
    )
    assert unused == []


def _titles(path: Path, *, kube: bool) -> dict[str, str]:
    data = json.loads(path.read_text())
    if kube:
        return {
            r["test_number"]: SUFFIX.sub("", r["test_desc"])
            for control in data["Controls"]
            for group in control["tests"]
            for r in group["results"]
        }
    return {
        r["id"]: SUFFIX.sub("", r["desc"]).removeprefix(r["id"] + " ")
        for test in data["tests"]
        for r in test["results"]
    }


def test_cis_entries_carry_the_check_titles_of_the_benchmark_they_name() -> None:
    """CIS Docker as docker-bench-security 1.6.0 numbers it, CIS Kubernetes as kube-bench cis-1.23."""
    docker = _titles(BENCH / "docker-bench-1.6.0.log.json", kube=False)
    kube = _titles(BENCH / "kube-bench-cis-1.23.json", kube=True)
    wrong = [
        (r.catalogue, r.id, r.name)
        for r in REFS
        if (r.catalogue == "cis-docker" and docker.get(r.id) != r.name)
        or (r.catalogue == "cis-kubernetes" and kube.get(r.id) != r.name)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "citation, problem",
    [
        ("MS-TA9018: Data destruction", "MS-TA9018 is 'Privileged container'"),
        ("MS-TA9099: Nothing", "MS-TA9099 is not in the reference list"),
        ("K8s audit TM18", "TM18 is not in the reference list"),
        ("OWASP K11: Something", "K11 is not in the reference list"),
        ("MS-TM Container breakout", "no technique named 'Container breakout'"),
        (
            "CWE-306: Missing Encryption",
            "CWE-306 is 'Missing Authentication for Critical Function'",
        ),
        ("CIS Docker 2.6", "unknown reference format"),
    ],
)
def test_loader_names_file_rule_and_key_of_a_citation_that_does_not_resolve(
    citation: str, problem: str
) -> None:
    text = f"""
rules:
  - id: USER-RULE
    category: Tampering
    severity: low
    target: element
    components: [k8s.pod]
    title: "{{name}} probe"
    description: "probe"
    references: ["CWE-250", "{citation}"]
"""
    with pytest.raises(RuleError) as info:
        loads_rules(text, source="mine.yaml")
    assert str(info.value).startswith("mine.yaml: rules[0] (USER-RULE).references[1]: ")
    assert problem in str(info.value)


def test_user_rules_may_cite_entries_of_partial_catalogues_the_list_does_not_hold() -> None:
    text = """
rules:
  - id: USER-RULE
    category: Tampering
    severity: low
    target: element
    components: [k8s.pod]
    title: "{name} probe"
    description: "probe"
    references: ["CWE-79", "ATT&CK T1059", "MS-TM Privileged container", "OWASP K01"]
"""
    rule = loads_rules(text).get("USER-RULE")
    assert rule is not None and len(rule.references) == 4
    assert REFS.resolve("MS-TM Privileged container").id == "MS-TA9018"
    assert REFS.problem("CWE-79", strict=True) is not None  # a built-in rule may not


def test_builtin_rule_files_must_cite_the_list(tmp_path: Path) -> None:
    from stride_desktop.io import default_catalog
    from stride_desktop.rules.loader import RuleFileReader

    path = tmp_path / "x.yaml"
    path.write_text(
        "rules:\n  - {id: X, category: Tampering, severity: low, target: element,"
        " components: [k8s.pod], title: t, description: d, references: ['CWE-79']}\n"
    )
    strict = RuleFileReader(default_catalog(), strict_references=True)
    with pytest.raises(RuleError, match=r"references\[0\]: CWE-79 is not in the reference list"):
        strict.read_file(path)
    assert RuleFileReader(default_catalog()).read_file(path)[0].references == ("CWE-79",)
