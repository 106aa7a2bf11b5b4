"""``flask content check``: every problem as path:line: message, a summary when clean,
a non-zero exit on problems, and no database access."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.content.problems import Problem
from app.extensions import db


@contextmanager
def no_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == [], "content check touched the database"


def test_check_passes_on_the_real_content_with_a_summary(app):
    with no_queries():
        result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(
        "OK: module 'mentalization-psychoeducation' with 15 lessons"
    )


def test_check_prints_each_problem_with_file_and_line_and_fails(app, curriculum_copy):
    (curriculum_copy / "module.yaml").write_text(
        (curriculum_copy / "module.yaml").read_text().replace("pass_mark: 80", "pass_mark: 180")
    )
    lesson = curriculum_copy / "lessons/04-mentalization.md"
    lesson.write_text(lesson.read_text().replace("reading_minutes: 10", "reading_minutes: ten"))
    app.config["CURRICULUM_DIR"] = str(curriculum_copy)
    with no_queries():
        result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    module_lines = (curriculum_copy / "module.yaml").read_text().splitlines()
    at = next(number for number, text in enumerate(module_lines, start=1) if "pass_mark" in text)
    assert any(
        line.endswith(f"module.yaml:{at}: 'pass_mark' in final_test must be between 0 and 100, not 180")
        for line in lines
    )
    assert any("lessons/04-mentalization.md:4: 'reading_minutes'" in line for line in lines)
    assert "2 problem(s) found." in result.output
    assert "OK:" not in result.output


@pytest.fixture
def broken_vignettes(monkeypatch):
    import app.vignettes.content as vignettes

    problem = Problem("case_vignettes/01-night-call.md", 7, "unknown key 'colour'")
    monkeypatch.setattr(vignettes, "check_vignette_folder", lambda folder: [problem])


def test_check_reports_vignette_problems_too(app, broken_vignettes):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "case_vignettes/01-night-call.md:7: unknown key 'colour'" in result.output
