"""Loading and checking case vignettes (being written: returns no problems yet)."""

from __future__ import annotations

from pathlib import Path


def check_vignette_folder(folder: Path) -> list:
    """Every problem in the vignette folder, as app.content.problems.Problem rows."""
    return []
