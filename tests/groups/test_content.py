"""The run sheet's content: the shipped files load; a broken one is reported with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.groups.content import check_run_sheet

CURRICULUM = Path(__file__).parents[2] / "curriculum"


def test_the_shipped_run_sheet_has_five_phases_in_order_and_four_briefings():
    sheet, problems = check_run_sheet(CURRICULUM)
    assert problems == []
    assert [p.slug for p in sheet.phases] == ["opening", "presentation", "questions", "push-back", "return"]
    assert {b.slug for b in sheet.briefings} == {"short", "full", "new-members", "online"}
    assert sum(sheet.planned_minutes(90).values()) == 90


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    shutil.copytree(CURRICULUM / "run_sheet", tmp_path / "run_sheet")
    phases = tmp_path / "run_sheet" / "phases.yaml"
    phases.write_text(phases.read_text().replace(old, new, 1))
    sheet, problems = check_run_sheet(tmp_path)
    assert sheet is None
    return [str(problem) for problem in problems]


def test_an_unknown_key_is_reported_with_its_file_and_line(tmp_path):
    messages = _broken(tmp_path, "purpose:", "purpos:")
    assert any("unknown key 'purpos'" in m and "phases.yaml:" in m for m in messages), messages


def test_phases_out_of_order_are_refused(tmp_path):
    messages = _broken(tmp_path, "slug: questions", "slug: return")
    assert any("in this order" in m for m in messages), messages
