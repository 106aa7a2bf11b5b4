"""Fixtures for content tests: a private copy of the real curriculum to break or edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import config as settings

REAL_CURRICULUM = settings.PROJECT_ROOT / "curriculum"


@pytest.fixture
def curriculum_copy(tmp_path: Path) -> Path:
    """A copy of curriculum/ (without the programme presets, which belong elsewhere)."""
    target = tmp_path / "curriculum"
    shutil.copytree(REAL_CURRICULUM, target, ignore=shutil.ignore_patterns("programmes"))
    return target
