"""The psychoeducation module as frozen data, loaded once per app from ``CURRICULUM_DIR``.

Progress in the database refers to lessons and questions by slug and id and stores
the content version (a hash of the source file), so content can be edited freely
without touching anyone's records.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from flask import current_app

from app.content.problems import Problem

#: The four dimensions of mentalizing and their poles. The first pole is the one a
#: troubled presenter drifts towards; the figure draws it below zero.
DIMENSIONS: dict[str, tuple[str, str]] = {
    "automatic-controlled": ("automatic", "controlled"),
    "self-other": ("self", "other"),
    "external-internal": ("external", "internal"),
    "affective-cognitive": ("affective", "cognitive"),
}

QUESTION_KINDS = ("single", "multiple", "classify")
DIFFICULTIES = ("easy", "medium", "hard")


def content_version(data: bytes) -> str:
    """The version recorded with progress: SHA-256 of the source file, first 16 hex digits."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Option:
    text: str
    is_correct: bool


@dataclass(frozen=True)
class Question:
    """One knowledge-check item; ``text`` is the prompt, or the statement to classify."""

    id: str
    lesson_slug: str
    kind: str
    text: str
    explanation: str
    version: str
    options: tuple[Option, ...] = ()
    answer: tuple[str, str] | None = None  # classify: (dimension, pole)
    dimensions: tuple[str, ...] = ()
    topic: str = ""  # short slug naming what the question tests (required in content files)
    difficulty: str = ""  # one of DIFFICULTIES, the author's estimate (required in content files)

    @property
    def correct_options(self) -> frozenset[int]:
        return frozenset(index for index, option in enumerate(self.options) if option.is_correct)

    @property
    def tagged_dimensions(self) -> tuple[str, ...]:
        """The dimension tags; a classify item is tagged with the dimension of its answer."""
        return (self.answer[0],) if self.answer else self.dimensions


@dataclass(frozen=True)
class Lesson:
    slug: str
    position: int  # 1-based teaching order
    title: str
    reading_minutes: int
    summary: str
    objectives: tuple[str, ...]
    body: str  # Markdown, rendered by app.content.markdown
    version: str
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Phase:
    slug: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Curve:
    """One dimension's level over the session: (minute, level) with level in [-1, 1]."""

    slug: str
    label: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    caption: str
    duration_minutes: int
    phases: tuple[Phase, ...]
    curves: tuple[Curve, ...]
    version: str


@dataclass(frozen=True)
class Briefing:
    title: str
    summary: str
    body: str
    version: str


@dataclass(frozen=True)
class Curriculum:
    """The whole module: settings from module.yaml, lessons in teaching order, figures, briefing."""

    slug: str
    title: str
    description: str
    lessons: tuple[Lesson, ...]
    final_test_questions: int
    pass_mark: int
    max_attempts: int
    cooldown_hours: int
    figures: tuple[Figure, ...]
    briefing: Briefing

    @cached_property
    def lessons_by_slug(self) -> dict[str, Lesson]:
        return {lesson.slug: lesson for lesson in self.lessons}

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        return {question.id: question for lesson in self.lessons for question in lesson.questions}

    @cached_property
    def figures_by_slug(self) -> dict[str, Figure]:
        return {figure.slug: figure for figure in self.figures}

    def lesson(self, slug: str) -> Lesson | None:
        return self.lessons_by_slug.get(slug)

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        index = lesson.position - 1
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following


class CurriculumError(Exception):
    """The curriculum folder has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the curriculum, first: {problems[0]}")
        self.problems = problems


def load_curriculum(folder: Path) -> tuple[Curriculum | None, list[Problem]]:
    """Parse and check the whole folder; the curriculum is None when any problem was found."""
    from app.content.curriculum_files import read_curriculum

    return read_curriculum(folder)


_cache: dict[str, Curriculum] = {}
_cache_lock = threading.Lock()


def get_curriculum() -> Curriculum:
    """The current app's curriculum, parsed on first use and kept for the process."""
    folder = str(Path(current_app.config["CURRICULUM_DIR"]).resolve())
    curriculum = _cache.get(folder)
    if curriculum is None:
        with _cache_lock:
            curriculum = _cache.get(folder)
            if curriculum is None:
                curriculum, problems = load_curriculum(Path(folder))
                if curriculum is None:
                    raise CurriculumError(problems)
                _cache[folder] = curriculum
    return curriculum


def clear_cache() -> None:
    """Forget every loaded curriculum (tests that edit content call this before reloading)."""
    with _cache_lock:
        _cache.clear()
