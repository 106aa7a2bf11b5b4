"""Fixtures for learning tests: a private, editable copy of the curriculum."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import config as settings
from app.content.curriculum import clear_cache


@pytest.fixture
def editable_curriculum(app, tmp_path: Path) -> Path:
    """Point the app at a copy of curriculum/ that the test may edit; reload with clear_cache()."""
    target = tmp_path / "curriculum"
    shutil.copytree(settings.PROJECT_ROOT / "curriculum", target, ignore=shutil.ignore_patterns("programmes"))
    app.config["CURRICULUM_DIR"] = str(target)
    clear_cache()
    yield target
    clear_cache()


def remove_question(path: Path, question_id: str) -> None:
    """Delete one question's block from a question file."""
    head, *blocks = path.read_text(encoding="utf-8").split("\n  - id: ")
    kept = [block for block in blocks if not block.startswith(question_id + "\n")]
    assert len(kept) == len(blocks) - 1, f"{question_id} not found in {path.name}"
    path.write_text("\n  - id: ".join([head, *kept]), encoding="utf-8")
