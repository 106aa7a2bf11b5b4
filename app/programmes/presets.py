"""Rule-set presets shipped in ``curriculum/programmes/``: a starting point for admins."""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def preset_paths() -> dict[str, Path]:
    """Preset name (the file stem) to its file, sorted by name."""
    folder = Path(current_app.config["PROGRAMME_PRESETS_DIR"])
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def read_preset(name: str) -> str | None:
    path = preset_paths().get(name)
    return path.read_text(encoding="utf-8") if path else None
