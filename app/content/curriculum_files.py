"""Reading the curriculum folder file by file, with the rules of curriculum/README.md.

Each reader returns the parsed object, or None after reporting what is wrong; the
folder reader then checks that the files agree with each other (every lesson listed
in module.yaml has a lesson file and a question file, ids are unique, and so on).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from app.content.curriculum import Briefing, Curriculum, Lesson
from app.content.figure_file import read_figure
from app.content.markdown import check_body
from app.content.problems import Problem
from app.content.question_file import QuestionFile, read_question_file
from app.content.schema import FileReport, YamlMap, display_path, read_source

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LESSON_FILE = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
QUESTION_FILE = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$")
LESSON_WORDS = (900, 1800)
BRIEFING_WORDS = (250, 400)
LESSON_KEYS = ["slug", "title", "reading_minutes", "summary", "objectives"]


@dataclass(frozen=True)
class ModuleSettings:
    """module.yaml as read; a value is None when it was wrong (and reported)."""

    slug: str | None
    title: str | None
    description: str | None
    lessons: tuple[str, ...]
    lesson_lines: tuple[int, ...]
    final_test_questions: int | None
    final_test_line: int
    pass_mark: int | None
    max_attempts: int | None
    cooldown_hours: int | None


def split_front_matter(text: str, report: FileReport) -> tuple[str, str, int] | None:
    """(front matter, body, line of the body's first line) for a ``---`` fenced file."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        report.add(1, "the file must start with a '---' line that opens the YAML front matter")
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    report.add(1, "the front matter opened on line 1 is never closed by a '---' line")
    return None


def read_module(path: Path, problems: list[Problem]) -> ModuleSettings | None:
    report = FileReport(path, problems)
    source = read_source(path, report)
    data = report.load_yaml(source[0]) if source else None
    module = report.mapping(data, "module.yaml", 1) if source and report.is_clean else None
    if module is None:
        return None
    where = "module.yaml"
    report.keys(module, ["slug", "title", "description", "lessons", "final_test", "retakes"], where=where)
    slug = _slug(report, module, "slug", where)
    title = report.text(module, "title", where)
    description = report.text(module, "description", where)
    lessons = report.text_list(module, "lessons", where)
    lesson_lines: tuple[int, ...] = ()
    if lessons is not None:
        lesson_lines = tuple(module["lessons"].item_lines)
        seen: set[str] = set()
        for lesson, line in zip(lessons, lesson_lines, strict=True):
            if not SLUG.match(lesson):
                report.add(line, f"lesson slug '{lesson}' must be lowercase-with-hyphens")
            if lesson in seen:
                report.add(line, f"lesson '{lesson}' is listed twice")
            seen.add(lesson)
    final = _section(report, module, "final_test", ["questions", "pass_mark"])
    retakes = _section(report, module, "retakes", ["max_attempts", "cooldown_hours"])
    questions = pass_mark = max_attempts = cooldown = None
    if final is not None:
        questions = report.integer(final, "questions", "final_test", minimum=1)
        pass_mark = report.integer(final, "pass_mark", "final_test", minimum=0, maximum=100)
    if retakes is not None:
        max_attempts = report.integer(retakes, "max_attempts", "retakes", minimum=1)
        cooldown = report.integer(retakes, "cooldown_hours", "retakes", minimum=0)
    # Returned even when some values are wrong, so the checks across files still run.
    return ModuleSettings(
        slug=slug,
        title=title,
        description=description,
        lessons=lessons or (),
        lesson_lines=lesson_lines,
        final_test_questions=questions,
        final_test_line=report.line(final, "questions") if final is not None else module.line,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        cooldown_hours=cooldown,
    )


def _section(report: FileReport, data: YamlMap, key: str, keys: list[str]) -> YamlMap | None:
    if key not in data:
        return None
    section = report.mapping(data[key], f"'{key}'", report.line(data, key))
    if section is not None:
        report.keys(section, keys, where=f"'{key}'")
    return section


def _slug(report: FileReport, data: YamlMap, key: str, where: str) -> str | None:
    value = report.text(data, key, where)
    if value is not None and not SLUG.match(value):
        report.add(
            report.line(data, key), f"'{key}' in {where} must be lowercase-with-hyphens, not '{value}'"
        )
        return None
    return value


def read_lesson(path: Path, problems: list[Problem], figure_slugs: set[str]) -> Lesson | None:
    """A lesson without its questions; position comes from the file name's NN."""
    report = FileReport(path, problems)
    match = LESSON_FILE.match(path.name)
    if match is None:
        report.add(None, "a lesson file must be named NN-<slug>.md, e.g. 01-caring-for-the-caregivers.md")
        return None
    source = read_source(path, report)
    parts = split_front_matter(source[0], report) if source else None
    if parts is None:
        return None
    front, body, body_line = parts
    data = report.load_yaml(front, line_offset=1)
    meta = report.mapping(data, "the front matter", 2) if report.is_clean else None
    if meta is None:
        return None
    where = "the front matter"
    report.keys(meta, LESSON_KEYS, where=where)
    slug = _slug(report, meta, "slug", where)
    if slug is not None and slug != match.group(2):
        report.add(report.line(meta, "slug"), f"slug '{slug}' does not match the file name '{path.name}'")
    title = report.text(meta, "title", where)
    minutes = report.integer(meta, "reading_minutes", where, minimum=1, maximum=120)
    summary = report.text(meta, "summary", where)
    objectives = report.text_list(meta, "objectives", where)
    check_body(
        body,
        report,
        first_line=body_line,
        figure_slugs=figure_slugs,
        words=LESSON_WORDS,
        needs_key_points=True,
    )
    if not report.is_clean:
        return None
    return Lesson(
        slug=slug,
        position=int(match.group(1)),
        title=title,
        reading_minutes=minutes,
        summary=" ".join(summary.split()),
        objectives=objectives,
        body=body,
        version=source[1],
    )


def read_briefing(path: Path, problems: list[Problem]) -> Briefing | None:
    report = FileReport(path, problems)
    source = read_source(path, report)
    parts = split_front_matter(source[0], report) if source else None
    if parts is None:
        return None
    front, body, body_line = parts
    data = report.load_yaml(front, line_offset=1)
    meta = report.mapping(data, "the front matter", 2) if report.is_clean else None
    if meta is None:
        return None
    report.keys(meta, ["title", "summary"], where="the front matter")
    title = report.text(meta, "title", "the front matter")
    summary = report.text(meta, "summary", "the front matter")
    check_body(body, report, first_line=body_line, figure_slugs=(), words=BRIEFING_WORDS)
    if not report.is_clean:
        return None
    return Briefing(title=title, summary=" ".join(summary.split()), body=body, version=source[1])


def _content_files(folder: Path, pattern: re.Pattern, problems: list[Problem], what: str) -> list[Path]:
    """Files in ``folder`` named like ``pattern``; anything else there is reported."""
    if not folder.is_dir():
        problems.append(Problem(display_path(folder), None, f"the {what} folder is missing"))
        return []
    paths = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_file() and pattern.match(path.name):
            paths.append(path)
        else:
            problems.append(
                Problem(display_path(path), None, f"unexpected file in {what}/: name files NN-<slug>")
            )
    return paths


def read_curriculum(folder: Path) -> tuple[Curriculum | None, list[Problem]]:
    """Every file of the folder, then the rules that span files. None if anything is wrong."""
    problems: list[Problem] = []
    if not folder.is_dir():
        return None, [Problem(display_path(folder), None, "the curriculum folder does not exist")]
    module = read_module(folder / "module.yaml", problems)
    figures = []
    figure_folder = folder / "figures"
    if figure_folder.is_dir():
        for path in sorted(figure_folder.glob("*.yaml")):
            figure = read_figure(path, problems)
            if figure is not None:
                figures.append(figure)
    figure_slugs = {path.stem for path in figure_folder.glob("*.yaml")} if figure_folder.is_dir() else set()
    lessons = [
        read_lesson(path, problems, figure_slugs)
        for path in _content_files(folder / "lessons", LESSON_FILE, problems, "lessons")
    ]
    question_paths = _content_files(folder / "questions", QUESTION_FILE, problems, "questions")
    question_sets = {path: read_question_file(path, problems) for path in question_paths}
    briefing = read_briefing(folder / "briefing.md", problems)
    lesson_paths = sorted((folder / "lessons").glob("*.md")) if (folder / "lessons").is_dir() else []
    if module is not None:
        _check_files_against_module(folder, module, lesson_paths, question_paths, problems)
        _check_question_ids(question_sets, problems)
        total = sum(len(qf.questions) for qf in question_sets.values() if qf)
        if module.final_test_questions is not None and module.final_test_questions > total:
            problems.append(
                Problem(
                    display_path(folder / "module.yaml"),
                    module.final_test_line,
                    f"final_test.questions is {module.final_test_questions}, "
                    f"but the module has only {total} questions",
                )
            )
    if problems:
        return None, problems
    by_slug = {lesson.slug: lesson for lesson in lessons}
    questions_by_slug = {qf.lesson_slug: qf.questions for qf in question_sets.values()}
    return (
        Curriculum(
            slug=module.slug,
            title=module.title,
            description=module.description,
            lessons=tuple(
                dataclasses.replace(by_slug[slug], position=index, questions=questions_by_slug[slug])
                for index, slug in enumerate(module.lessons, start=1)
            ),
            final_test_questions=module.final_test_questions,
            pass_mark=module.pass_mark,
            max_attempts=module.max_attempts,
            cooldown_hours=module.cooldown_hours,
            figures=tuple(figures),
            briefing=briefing,
        ),
        [],
    )


def _check_files_against_module(
    folder: Path,
    module: ModuleSettings,
    lesson_paths: list[Path],
    question_paths: list[Path],
    problems: list[Problem],
) -> None:
    """Each listed lesson has exactly one lesson file and one question file, numbered by position."""
    module_label = display_path(folder / "module.yaml")
    for what, paths, pattern, suffix in (
        ("lessons", lesson_paths, LESSON_FILE, ".md"),
        ("questions", question_paths, QUESTION_FILE, ".yaml"),
    ):
        found: dict[str, list[tuple[int, Path]]] = {}
        for path in paths:
            match = pattern.match(path.name)
            if match:
                found.setdefault(match.group(2), []).append((int(match.group(1)), path))
        for position, (slug, line) in enumerate(
            zip(module.lessons, module.lesson_lines, strict=True), start=1
        ):
            files = found.get(slug, [])
            expected = f"{what}/{position:02d}-{slug}{suffix}"
            if not files:
                problems.append(Problem(module_label, line, f"lesson '{slug}' has no file {expected}"))
            elif len(files) > 1:
                names = ", ".join(path.name for _, path in files)
                problems.append(
                    Problem(module_label, line, f"lesson '{slug}' has several {what} files: {names}")
                )
            elif files[0][0] != position:
                problems.append(
                    Problem(
                        display_path(files[0][1]),
                        None,
                        f"lesson '{slug}' is number {position} in module.yaml; rename the file to {expected}",
                    )
                )
        for slug, files in found.items():
            if slug not in module.lessons:
                for _, path in files:
                    problems.append(
                        Problem(
                            display_path(path),
                            None,
                            f"lesson '{slug}' is not listed in module.yaml 'lessons'",
                        )
                    )


def _check_question_ids(question_sets: dict[Path, QuestionFile | None], problems: list[Problem]) -> None:
    seen: dict[str, Path] = {}
    for path, question_file in question_sets.items():
        if question_file is None:
            continue
        for question, line in zip(question_file.questions, question_file.lines, strict=True):
            if question.id in seen:
                problems.append(
                    Problem(
                        display_path(path),
                        line,
                        f"question id '{question.id}' is already used in {seen[question.id].name}; "
                        "ids must be unique across the module",
                    )
                )
            seen.setdefault(question.id, path)
