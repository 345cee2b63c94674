"""The standing fuzz test: no input makes a reader raise anything but its clean, one-line errors.

``make test`` runs a modest budget per reader; ``make fuzz`` a large one
(``STRIDE_FUZZ_EXAMPLES``). Readers are listed in targets.py (one line adds one).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stride_desktop.io import ModelError, YamlSafetyError
from stride_desktop.io.safe_yaml import EventParser, PurePythonParser, parse_yaml_text

from .strategies import inputs, model_documents, mutated, token_soup
from .targets import TARGETS, Target, seeds

pytestmark = pytest.mark.slow  # a few seconds per reader, still run by make test

EXAMPLES = int(os.environ.get("STRIDE_FUZZ_EXAMPLES", "30"))
BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=None,  # time is checked by tests/test_linear_time.py, not per example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def one_line(error: BaseException) -> None:
    """Each problem is one line (a ModelError's problems, an ImporterError's lines)."""
    if isinstance(error, ModelError):
        lines = error.problems
    else:
        lines = getattr(error, "lines", None) or [str(error)]
    assert lines and all(line and "\n" not in line for line in lines), lines


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
@BUDGET
@given(data=st.data())
def test_no_input_breaks_a_reader(target: Target, data: st.DataObject) -> None:
    blob = data.draw(inputs(target.seeds, model=target.name == "model loader"), label="input")
    try:
        target.read(blob)
    except target.errors as error:
        one_line(error)


YAML_SEEDS = seeds("models", "*.yaml")


@BUDGET
@given(st.one_of(mutated(YAML_SEEDS), token_soup, model_documents()))
def test_both_yaml_event_parsers_agree(blob: bytes) -> None:
    """libyaml's parser and PyYAML's pure-Python one (the fallback) read the same data when
    both read the text (their scanners differ on a few syntax corners, e.g. tabs in keys)."""
    text = blob.decode("utf-8", "replace")
    results = []
    for parser_class in (EventParser, PurePythonParser):
        try:
            results.append(
                ("data", parse_yaml_text(text, source="f.yaml", parser_class=parser_class))
            )
        except YamlSafetyError as error:
            one_line(error)
            results.append(("refused", None))
    if results[0][0] == results[1][0] == "data":
        assert results[0] == results[1]
