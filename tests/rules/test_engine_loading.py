"""Rule files: errors name file, rule id and the path of the bad key; user rules override."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride_desktop.io import loads_model
from stride_desktop.rules import RuleError, derive, load_rules, loads_rules
from stride_desktop.rules.references import reference_kind

GOOD = """
rules:
  - id: PROBE-OK
    category: Spoofing
    severity: high
    target: element
    components: [k8s.etcd]
    when: {all: [{property: {name: tls, equals: false}}]}
    title: "t {name}"
    description: "d {boundary}"
"""


def test_good_rule_loads():
    rules = loads_rules(GOOD)
    assert [r.id for r in rules] == ["PROBE-OK"]


@pytest.mark.parametrize(
    "replace, expected",
    [
        (
            "name: tls,",
            "rules[0] (PROBE-OK).when.all[0].property.name: unknown property 'tlz' of k8s.etcd",
        ),
        ("category: Spoofing", "rules[0] (PROBE-OK).category: expected one of Spoofing"),
        (
            "severity: high",
            "rules[0] (PROBE-OK).severity: expected one of low, medium, high, critical",
        ),
        (
            "components: [k8s.etcd]",
            "rules[0] (PROBE-OK).components[0]: unknown component 'k8s.etcdd'",
        ),
        ("equals: false", "rules[0] (PROBE-OK).when.all[0].property.equals: expected a boolean"),
        ("{all: [", "rules[0] (PROBE-OK).when.every: unknown matcher for a element target"),
        (
            '"d {boundary}"',
            "rules[0] (PROBE-OK).description: unknown placeholder {source} for a element rule",
        ),
        ("id: PROBE-OK", "rules[0] (probe ok).id: expected upper-case letters"),
    ],
)
def test_errors_name_file_rule_and_key_path(replace, expected):
    bad = {
        "name: tls,": "name: tlz,",
        "category: Spoofing": "category: Spoof",
        "severity: high": "severity: severe",
        "components: [k8s.etcd]": "components: [k8s.etcdd]",
        "equals: false": "equals: 'no'",
        "{all: [": "{every: [",
        '"d {boundary}"': '"d {source}"',
        "id: PROBE-OK": "id: probe ok",
    }[replace]
    with pytest.raises(RuleError) as info:
        loads_rules(GOOD.replace(replace, bad), source="rules/x.yaml")
    assert str(info.value).startswith("rules/x.yaml: ")
    assert expected in str(info.value)


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("    references: ['CIS Docker 2.6']\n", "references[0]: unknown reference format"),
        ("    references: ['CWE306']\n", "references[0]: unknown reference format"),
        ("    evidence: [{tool: docker-bench, title: x}]\n", "evidence[0].tool: expected one of"),
        (
            "    evidence: [{tool: kube-bench, title: '(unclosed'}]\n",
            "evidence[0].title: invalid regular expression",
        ),
        ("    colour: red\n", "colour: unknown key"),
        (
            "    when: {property: {name: tls, equals: true}, kind: process}\n",
            "when: expected a mapping with exactly one key",
        ),
    ],
)
def test_more_rejections(extra, expected):
    text = GOOD.replace("    when: {all: [{property: {name: tls, equals: false}}]}\n", "") + extra
    with pytest.raises(RuleError, match="PROBE-OK"):
        loads_rules(text)
    with pytest.raises(RuleError) as info:
        loads_rules(text)
    assert expected in str(info.value)


def test_flow_matcher_on_element_rule_is_explained():
    text = GOOD.replace(
        "{all: [{property: {name: tls, equals: false}}]}", "{enters_higher_trust: true}"
    )
    with pytest.raises(RuleError, match="it applies to flow targets"):
        loads_rules(text)


def test_not_yaml_and_not_rules():
    with pytest.raises(RuleError, match=r"broken.yaml: line \d"):
        loads_rules("rules: [", source="broken.yaml")
    with pytest.raises(RuleError, match="one key, 'rules'"):
        loads_rules("- id: X", source="list.yaml")


def test_duplicate_id_in_one_file():
    with pytest.raises(RuleError, match=r"rules\[1\] \(PROBE-OK\)\.id: duplicate rule id"):
        loads_rules(GOOD + GOOD.replace("rules:\n", ""))


def test_reference_formats():
    for ref in (
        "CIS Docker 2.6: Ensure TLS authentication for Docker daemon is configured",
        "CIS Kubernetes 1.2.1: Ensure that the --anonymous-auth argument is set to false",
        "ATT&CK T1610",
        "ATT&CK T1552.007",
        "CWE-306",
        "MS-TM Privileged container",
        "MS-TA9018",
        "OWASP K01 Insecure Workload Configurations",
        "K8s audit TM07",
    ):
        assert reference_kind(ref), ref
    for ref in ("CIS 2.6", "T1610", "cwe-306", "ATT&CK T16", "Microsoft"):
        assert reference_kind(ref) is None, ref


USER_RULES = """
rules:
  - id: {rid}
    category: Tampering
    severity: critical
    target: element
    components: [k8s.etcd]
    title: "User version for {{name}}"
    description: "ours"
"""


def test_user_rule_overrides_builtin_with_same_id(tmp_path: Path):
    builtin = load_rules()
    some = next(r for r in builtin if r.target == "element")
    user_dir = tmp_path / "mine"
    user_dir.mkdir()
    (user_dir / "override.yaml").write_text(USER_RULES.format(rid=some.id))
    rules = load_rules([user_dir])
    assert rules.get(some.id).title == "User version for {name}"
    assert rules.overrides == {some.id: str(user_dir / "override.yaml")}
    assert len(rules) == len(builtin)


def test_model_rule_files_are_relative_to_the_model(tmp_path: Path):
    (tmp_path / "extra.yaml").write_text(USER_RULES.format(rid="MY-ETCD-RULE"))
    model = loads_model("""
stride_model: 1
rule_files: [extra.yaml]
elements: [{id: etcd, name: etcd, component: k8s.etcd}]
""")
    rules = load_rules(model=model, model_path=tmp_path / "model.yaml", builtin=False)
    threats = {t.id: t for t in derive(model, rules)}
    assert threats["MY-ETCD-RULE@etcd"].title == "User version for etcd"
    model.rule_files = ["missing.yaml"]
    with pytest.raises(RuleError, match=r"missing\.yaml.*does not exist"):
        load_rules(model=model, model_path=tmp_path / "model.yaml")


def test_bad_user_rule_file_names_its_path(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("severity: high", "severity: huge"))
    with pytest.raises(RuleError) as info:
        load_rules([path], builtin=False)
    assert str(info.value).startswith(f"{path}: rules[0] (PROBE-OK).severity:")


def test_placeholders_are_data_not_code():
    with pytest.raises(RuleError, match="unknown placeholder"):
        loads_rules(GOOD.replace('"t {name}"', '"t {name.__class__}"'))
    rules = loads_rules(GOOD.replace('"t {name}"', '"literal {{braces}} for {name}"'))
    model = loads_model("""
stride_model: 1
elements: [{id: e, name: "{id} evil", component: k8s.etcd}]
""")
    titles = {t.title for t in derive(model, rules)}
    assert "literal {braces} for {id} evil" in titles
