"""The bench mapping patterns (resources/bench/*.yaml) run on titles from untrusted files: none
may backtrack more than linearly (a title repeating a keyword once took minutes)."""

from __future__ import annotations

import re
import warnings

import pytest
import yaml

from stride_desktop.paths import resource

with warnings.catch_warnings():  # the parser of re patterns: deprecated as a module, still there
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants
    import sre_parse


def _patterns() -> list[str]:
    """Every ``pattern:`` of the mapping files and every string under severity.yaml's ``high``."""
    found: list[str] = []

    def walk(node: object, *, strings: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    found.append(value)
                walk(value, strings=strings)
        elif isinstance(node, list):
            for item in node:
                if strings and isinstance(item, str):
                    found.append(item)
                walk(item, strings=strings)

    for name in ("docker.yaml", "kubernetes.yaml"):
        walk(yaml.safe_load(resource("bench", name).read_text(encoding="utf-8")), strings=False)
    severity = yaml.safe_load(resource("bench", "severity.yaml").read_text(encoding="utf-8"))
    walk(severity["high"], strings=True)
    return found


def _letter_free(item: tuple) -> bool:
    """True when a repeated item cannot match a letter (digits, spaces, punctuation): such a
    repeat cannot run across the next occurrence of a keyword, so it stays linear."""
    op, arg = item
    if op == sre_constants.LITERAL:
        return not chr(arg).isalpha()
    if op == sre_constants.IN:
        allowed = (sre_constants.CATEGORY_DIGIT, sre_constants.CATEGORY_SPACE)
        return all(
            (o == sre_constants.LITERAL and not chr(a).isalpha())
            or (o == sre_constants.CATEGORY and a in allowed)
            for o, a in arg
        )
    return False


def unbounded_repeats(tree: object) -> list[str]:
    """Every repeat without an upper bound that can match letters (``.*``, ``\\w+``, ``(ab)+``)
    in a parsed pattern: in a search, each occurrence of the text before it would scan to the
    end of the title."""
    found = []
    for op, arg in tree:  # type: ignore[attr-defined]
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            _, high, sub = arg
            if high == sre_constants.MAXREPEAT and not (len(sub) == 1 and _letter_free(sub[0])):
                found.append(str(sub))
            found += unbounded_repeats(sub)
        elif op == sre_constants.SUBPATTERN:
            found += unbounded_repeats(arg[-1])
        elif op == sre_constants.BRANCH:
            for branch in arg[1]:
                found += unbounded_repeats(branch)
    return found


PATTERNS = _patterns()


def test_all_mapping_patterns_are_seen() -> None:
    assert len(PATTERNS) > 40 and all(re.compile(p) for p in PATTERNS)


@pytest.mark.parametrize("pattern", ["etcd.*tls", "a\\w+b", "(ab)+", "x.+?y", "a[^x]*b"])
def test_the_check_flags_letter_spanning_repeats(pattern: str) -> None:
    assert unbounded_repeats(sre_parse.parse(pattern))


@pytest.mark.parametrize("pattern", ["anonymous\\s+auth", "^\\d+$", "a.{0,80}b", "x-+y"])
def test_the_check_accepts_bounded_and_letter_free_repeats(pattern: str) -> None:
    assert unbounded_repeats(sre_parse.parse(pattern)) == []


@pytest.mark.parametrize("pattern", PATTERNS)
def test_bench_patterns_have_no_letter_spanning_repeat(pattern: str) -> None:
    assert unbounded_repeats(sre_parse.parse(pattern)) == [], pattern
