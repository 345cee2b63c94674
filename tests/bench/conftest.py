"""Shared helpers of the bench tests. Fixtures live in tests/fixtures/bench."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "bench"


def fixture_path(name: str) -> Path:
    return FIXTURES / name


@pytest.fixture
def fixture():
    return fixture_path


@pytest.fixture
def fixture_json():
    def load(name: str):
        return json.loads(fixture_path(name).read_text(encoding="utf-8"))

    return load
