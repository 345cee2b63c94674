"""Numbers and strings in a model have bounds, checked at load with the usual one-line message."""

from __future__ import annotations

import pytest

from stride_desktop.cli import main
from stride_desktop.io import ModelError, loads_model
from stride_desktop.io.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS

HEAD = "stride_model: 1\nname: m\n"
ELEMENT = "elements:\n  - {id: a, component: generic.process"
BOUNDARY = "boundaries:\n  - {id: b"
FLOW = ELEMENT + "}\nflows:\n  - {id: f, source: a, target: a"


def problems_of(text: str) -> list[str]:
    with pytest.raises(ModelError) as info:
        loads_model(text, source="m.yaml")
    return info.value.problems


@pytest.mark.parametrize(
    "body, expected",
    [
        (BOUNDARY + ", trust: 10}", "boundaries[0].trust: expected a trust level from 0 to 9"),
        (BOUNDARY + ", trust: -1}", "boundaries[0].trust: expected a trust level from 0 to 9"),
        (FLOW + ", port: 65536}", "flows[0].port: expected a port number from 0 to 65535 or null"),
        (
            ELEMENT + ", name: '" + "n" * (MAX_NAME_CHARS + 1) + "'}",
            f"elements[0].name: expected a name (one line of at most {MAX_NAME_CHARS} characters",
        ),
        (ELEMENT + ', name: "web\\x1b]0;pwned\\x07"}', "elements[0].name: expected a name"),
        (ELEMENT + ', name: "two\\nlines"}', "elements[0].name: expected a name"),
        (ELEMENT + ', name: "abc\u202edef"}', "elements[0].name: expected a name"),
        (ELEMENT + ', name: "abc\\u202edef"}', "elements[0].name: expected a name"),
        (ELEMENT + ", pos: [1e300, 0]}", "elements[0].pos: expected a list of 2 numbers from"),
        (ELEMENT + ", pos: [1e999, 0]}", "elements[0].pos: expected a list of 2 numbers from"),
        (BOUNDARY + ", rect: [0, 0, 5e6, 10]}", "boundaries[0].rect: expected a list of 4"),
        (BOUNDARY + ", rect: [999999, 0, 999, 10]}", "boundaries[0].rect: the rectangle reaches"),
        (
            ELEMENT + ", description: '" + "d" * (MAX_TEXT_CHARS + 1) + "'}",
            f"elements[0].description: text of {MAX_TEXT_CHARS + 1:,} characters is too long",
        ),
        (
            "elements:\n  - {id: c, component: docker.container, properties: {image: '"
            + "i" * (MAX_TEXT_CHARS + 1)
            + "'}}",
            "elements[0].properties: text of",
        ),
        ("description: x\nauthor: " + "9" * 40, "model.author: expected a string"),
        ("version: 99999999999999999999\n", "model.version: expected a string"),
    ],
)
def test_out_of_bounds_values_name_their_place(body: str, expected: str) -> None:
    problems = problems_of(HEAD + body + "\n")
    assert any(p.startswith(expected) for p in problems), problems
    assert all("\n" not in p and len(p) < 400 for p in problems)


def test_integers_are_bounded_in_every_field() -> None:
    """Fields without a range of their own (here a catalog property) get the generic bound."""
    text = "elements:\n  - {id: c, component: docker.container, properties: {pids_limit: %d}}\n"
    assert loads_model(HEAD + text % (2**31 - 1)).elements[0].properties["pids_limit"] > 0
    problems = problems_of(HEAD + text % 2**40)
    assert problems == [
        "elements[0].properties: 1099511627776 is out of range (at most 2,147,483,647 either way)"
    ]


def test_a_long_key_is_shortened_in_the_message() -> None:
    key = "k" * 5000
    problems = problems_of(HEAD + f"? {key}\n: 1\ntriage:\n  ? '{key}'\n  : {{status: nope}}\n")
    assert all(len(p) < 300 for p in problems), problems
    assert any(p.startswith("model.'kkkk") and "(5,000 characters)" in p for p in problems)
    assert any(p.startswith("triage['kkkk") for p in problems)


def test_a_number_of_5000_digits_is_one_line_through_the_cli(tmp_path, capsys) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(HEAD + FLOW + ", port: " + "7" * 5000 + "}\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "line 6, column" in err and "a number of 5,000 digits is refused" in err
    for command in (["threats", str(path)], ["report", str(path), "-o", str(tmp_path / "r.pdf")]):
        assert main(command) == 2
        assert "a number of 5,000 digits is refused" in capsys.readouterr().err


def test_control_characters_in_yaml_give_one_line(tmp_path, capsys) -> None:
    path = tmp_path / "ctl.yaml"
    path.write_bytes(b"stride_model: 1\nname: a\x07b\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"{path}: line 2, column 8: control character U+0007 is not allowed in YAML "
        "(write it as an escape such as \\x1b inside double quotes)\n"
    )
