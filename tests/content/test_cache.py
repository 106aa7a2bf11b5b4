"""The curriculum is loaded once per app and folder, and can be reloaded on request."""

from __future__ import annotations

import pytest

from app.content.curriculum import CurriculumError, clear_cache, get_curriculum


def test_the_curriculum_is_parsed_once_and_kept(app):
    clear_cache()
    first = get_curriculum()
    assert get_curriculum() is first


def test_each_configured_folder_has_its_own_cache_entry(app, curriculum_copy):
    clear_cache()
    real = get_curriculum()
    lesson = curriculum_copy / "lessons/01-caring-for-the-caregivers.md"
    lesson.write_text(
        lesson.read_text().replace("title: Caring for the caregivers", "title: Caring for carers")
    )
    app.config["CURRICULUM_DIR"] = str(curriculum_copy)
    copy = get_curriculum()
    assert copy is not real
    assert copy.lessons[0].title == "Caring for carers"
    assert real.lessons[0].title == "Caring for the caregivers"


def test_an_edit_shows_after_the_cache_is_cleared(app, curriculum_copy):
    app.config["CURRICULUM_DIR"] = str(curriculum_copy)
    clear_cache()
    before = get_curriculum().lessons[0]
    path = curriculum_copy / "lessons/01-caring-for-the-caregivers.md"
    path.write_text(path.read_text() + "\nOne more sentence for the key points.\n")
    assert get_curriculum().lessons[0].version == before.version  # still the cached one
    clear_cache()
    assert get_curriculum().lessons[0].version != before.version


def test_broken_content_raises_with_every_problem(app, curriculum_copy):
    path = curriculum_copy / "module.yaml"
    path.write_text(path.read_text().replace("pass_mark: 80", "pass_mark: 180"))
    app.config["CURRICULUM_DIR"] = str(curriculum_copy)
    clear_cache()
    with pytest.raises(CurriculumError) as raised:
        get_curriculum()
    assert "between 0 and 100" in str(raised.value.problems[0])
