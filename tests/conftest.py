"""Shared test set-up: Qt offscreen, paths to the fixtures (tests/fixtures) and example models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
MODELS = REPO_ROOT / "models"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def models_dir() -> Path:
    return MODELS
