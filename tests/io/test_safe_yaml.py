"""Hostile and surprising YAML: clean errors with the file and place, never a crash."""

from __future__ import annotations

import subprocess
import sys

import pytest

from stride_desktop.io import ModelError, load_model, loads_model
from stride_desktop.io.safe_yaml import MAX_FILE_BYTES, YamlSafetyError, parse_yaml_text

MINIMAL = "stride_model: 1\nname: m\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: no", "no"),
        ("a: off", "off"),
        ("a: yes", "yes"),
        ("a: 22:22", "22:22"),
        ("a: 012", "012"),
        ("a: 0x1F", "0x1F"),
    ],
)
def test_yaml_11_scalars_stay_strings(text: str, expected: str) -> None:
    assert parse_yaml_text(text, source="t.yaml") == {"a": expected}


def test_core_scalars_still_typed() -> None:
    data = parse_yaml_text("a: true\nb: 12\nc: -3\nd: 1.5\ne: null\nf: ~", source="t.yaml")
    assert data == {"a": True, "b": 12, "c": -3, "d": 1.5, "e": None, "f": None}


@pytest.mark.parametrize(
    "snippet, problem",
    [
        ("encrypted: no", "flows[0].encrypted: expected true or false, got 'no'"),
        (
            "port: 22:22",
            "flows[0].port: expected a port number from 0 to 65535 or null, got '22:22'",
        ),
        ("port: 012", "flows[0].port: expected a port number from 0 to 65535 or null, got '012'"),
    ],
)
def test_yaml_11_traps_are_type_errors(snippet: str, problem: str) -> None:
    text = (
        MINIMAL + "elements:\n  - {id: a, component: generic.process}\n"
        f"flows:\n  - {{id: f, source: a, target: a, {snippet}}}\n"
    )
    with pytest.raises(ModelError) as info:
        loads_model(text, source="m.yaml")
    assert problem in info.value.problems


def test_deep_nesting_is_refused_before_parsing() -> None:
    # PyYAML's C parser crashes the interpreter on this; run it in a child to prove we don't.
    code = (
        "from stride_desktop.io import loads_model, ModelError\n"
        "try:\n    loads_model('[' * 100000, source='deep.yaml')\n"
        "except ModelError as e:\n    print(e.problems[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "nesting deeper than" in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        "{a: " * 5000,
        "- " * 5000 + "x",
        "a:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 400)),
    ],
)
def test_other_deep_shapes_are_refused(text: str) -> None:
    with pytest.raises(YamlSafetyError, match=r"nest|indentation"):
        parse_yaml_text(text, source="deep.yaml")


def test_quote_in_comment_does_not_hide_brackets() -> None:
    with pytest.raises(YamlSafetyError, match="line 2"):
        parse_yaml_text('# "\n' + "[" * 1000, source="x.yaml")


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(YamlSafetyError, match="alias"):
        parse_yaml_text("\n".join(lines), source="bomb.yaml")


def test_small_aliases_are_fine() -> None:
    data = parse_yaml_text("base: &b {x: 1}\nother: *b", source="ok.yaml")
    assert data["other"] == {"x": 1}


def test_duplicate_keys_are_reported_with_lines() -> None:
    with pytest.raises(YamlSafetyError, match=r"line 3.*duplicate key 'name' \(first on line 2\)"):
        parse_yaml_text("stride_model: 1\nname: a\nname: b\n", source="dup.yaml")


def test_syntax_error_names_file_line_and_column(tmp_path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("stride_model: 1\nelements: [a, b\n")
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert str(path) in str(info.value)
    assert "line 3" in info.value.problems[0] or "line 2" in info.value.problems[0]


def test_huge_file_is_refused_without_reading(tmp_path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ModelError, match="limit"):
        load_model(path)


def test_binary_and_non_utf8_files(tmp_path) -> None:
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x7fELF\x00\x01\x02")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\xe9".encode("latin-1"))
    with pytest.raises(ModelError, match="binary"):
        load_model(binary)
    with pytest.raises(ModelError, match="UTF-8"):
        load_model(latin)


def test_missing_file_and_folder(tmp_path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        load_model(tmp_path / "nope.yaml")
    with pytest.raises(ModelError, match="cannot read"):
        load_model(tmp_path)


def test_python_tags_are_refused() -> None:
    with pytest.raises(ModelError, match="could not determine a constructor"):
        loads_model("stride_model: 1\nname: !!python/object/apply:os.system [echo hi]\n")


def test_several_documents_with_the_same_guards() -> None:
    from stride_desktop.io.safe_yaml import parse_yaml_documents

    assert parse_yaml_documents("a: 1\n---\n- 2\n--- x\n", source="k.yaml") == [{"a": 1}, [2], "x"]
    with pytest.raises(YamlSafetyError, match="line 3, column 4: found undefined alias 'x'"):
        parse_yaml_documents("a: &x 1\n---\nb: *x\n", source="k.yaml")  # anchors are per document
    with pytest.raises(YamlSafetyError, match="more than 2 documents"):
        parse_yaml_documents("1\n---\n2\n---\n3\n", source="k.yaml", max_documents=2)
    with pytest.raises(YamlSafetyError, match="single document"):
        parse_yaml_text("1\n---\n2\n", source="k.yaml")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("a: &a [1, *a]", "line 1, column 11: alias 'a' refers to the collection it is in"),
        ("a: " + "1" * 5000, "line 1, column 4: a number of 5,000 digits is refused"),
        ("a: !!int 0x1F", "line 1, column 4: '0x1F' is not a YAML 1.2 int"),
        ("a: !!set {x}", "could not determine a constructor for the tag"),
        ("? [1]\n: 2", "line 1, column 3: a mapping key must be a plain value"),
        ("a: 1\n\x07", "line 2, column 1: control character U+0007 is not allowed in YAML"),
    ],
)
@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_refusals_are_one_line_with_the_place(text: str, problem: str, parser: str) -> None:
    from stride_desktop.io.safe_yaml import EventParser, PurePythonParser

    parser_class = EventParser if parser == "libyaml" else PurePythonParser
    with pytest.raises(YamlSafetyError) as info:
        parse_yaml_text(text, source="t.yaml", parser_class=parser_class)
    assert problem in str(info.value) and "\n" not in str(info.value)


def test_the_node_limit_counts_plain_values_too(monkeypatch) -> None:
    from stride_desktop.io import yaml_events

    monkeypatch.setattr(yaml_events, "MAX_NODES", 100)
    parse_yaml_text("[" + "1, " * 90 + "1]", source="t.yaml")
    with pytest.raises(YamlSafetyError, match="more than 100 values"):
        parse_yaml_text("[" + "1, " * 120 + "1]", source="t.yaml")
