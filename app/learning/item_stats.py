"""Item statistics for the question bank: how each question behaves in real attempts.

For every question, over the submitted attempts (knowledge checks and final tests) of
one association that answered its current version:

- **answered**: how many answers there are;
- **facility**: the mean points earned, from 0 to 1. For a single-choice question this
  is the share answered correctly; multiple-choice and classify items earn partial
  credit (see app.learning.scoring), which counts as such;
- **discrimination**: the corrected item-total correlation (item-rest correlation), i.e.
  the Pearson correlation between the points earned on this question and the mean
  points the same attempt earned on its *other* questions. For a right/wrong item it
  is the point-biserial correlation. Leaving the item out of the total avoids the item
  correlating with itself, which flatters short tests such as a lesson's check.
  Positive: trainees who do well elsewhere tend to get it right; negative: strong
  trainees tend to get it wrong (usually a flawed key or an ambiguous option).

Figures are shown only once a question has ``ITEM_STATS_MIN_ANSWERS`` answers, because
a facility of 1.0 from three answers says nothing. Answers to an earlier version of a
question (the content version is a hash of its file, so any edit of the file starts a
new version) are counted separately and left out: the wording they answered is gone.

Computed in one grouped query: the answers are unpacked from each attempt's JSON in the
database (``json_each``) and summed per question and version, so the page costs the
same whatever the number of attempts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Float, cast, func, literal, select, true

from app import policy
from app.accounts.models import User
from app.content.curriculum import Lesson, Question, get_curriculum
from app.extensions import db
from app.learning.models import QuizAttempt

TOO_EASY_ABOVE = 0.9
TOO_HARD_BELOW = 0.3
LOW_DISCRIMINATION_BELOW = 0.2


@dataclass(frozen=True)
class ItemStatistics:
    question: Question
    answered: int
    earlier_versions: int  # answers to earlier versions, not counted
    facility: float | None  # None until there are enough answers
    discrimination: float | None  # None until enough answers, or when nobody's score varies

    @property
    def is_too_easy(self) -> bool:
        return self.facility is not None and self.facility > TOO_EASY_ABOVE

    @property
    def is_too_hard(self) -> bool:
        return self.facility is not None and self.facility < TOO_HARD_BELOW

    @property
    def is_negative(self) -> bool:
        """Strong attempts get it wrong more often than weak ones."""
        return self.discrimination is not None and self.discrimination < 0

    @property
    def is_low(self) -> bool:
        return self.discrimination is not None and 0 <= self.discrimination < LOW_DISCRIMINATION_BELOW

    @property
    def flags(self) -> tuple[str, ...]:
        names = ("too_easy", "too_hard", "negative", "low")
        return tuple(name for name in names if getattr(self, f"is_{name}"))


@dataclass(frozen=True)
class LessonItems:
    lesson: Lesson
    items: tuple[ItemStatistics, ...]


@dataclass(frozen=True)
class ItemReport:
    lessons: tuple[LessonItems, ...]
    min_answers: int

    @property
    def items(self) -> list[ItemStatistics]:
        return [item for group in self.lessons for item in group.items]

    @property
    def shown_count(self) -> int:
        return sum(item.facility is not None for item in self.items)

    @property
    def flagged_count(self) -> int:
        return sum(bool(item.flags) for item in self.items)


def item_statistics(actor: User, association_id: int) -> ItemReport:
    """Every question of the module with its figures, in teaching order (admins only)."""
    policy.require_see_item_statistics(actor, association_id)
    curriculum = get_curriculum()
    min_answers = int(current_app.config["ITEM_STATS_MIN_ANSWERS"])
    sums = _sums_by_question_and_version(association_id)
    lessons = []
    for lesson in curriculum.lessons:
        items = []
        for question in lesson.questions:
            versions = sums.get(question.id, {})
            current = versions.get(question.version)
            earlier = sum(row[0] for version, row in versions.items() if version != question.version)
            items.append(_figures(question, current, earlier, min_answers))
        lessons.append(LessonItems(lesson, tuple(items)))
    return ItemReport(tuple(lessons), min_answers)


def _figures(question: Question, row: tuple | None, earlier: int, min_answers: int) -> ItemStatistics:
    n = int(row[0]) if row else 0
    if n < max(min_answers, 1):
        return ItemStatistics(question, n, earlier, None, None)
    _, sx, sxx, sy, syy, sxy = (float(value) for value in row)
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    discrimination = (n * sxy - sx * sy) / math.sqrt(spread) if spread > 1e-12 else None
    return ItemStatistics(question, n, earlier, sx / n, discrimination)


def _sums_by_question_and_version(association_id: int) -> dict[str, dict[str, tuple]]:
    """question id -> version -> (n, Σx, Σx², Σy, Σy², Σxy), x the item's points, y the rest score."""
    dialect = db.session.get_bind().dialect.name
    answer = func.json_each(QuizAttempt.answers).table_valued("key", "value").alias("answer")
    if dialect == "postgresql":
        points = cast(answer.c.value.op("->>")("points"), Float)
        version = QuizAttempt.question_versions.op("->>")(answer.c.key)
    else:
        points = cast(func.json_extract(answer.c.value, "$.points"), Float)
        path = literal('$."').concat(answer.c.key).concat(literal('"'))
        version = func.json_extract(QuizAttempt.question_versions, path)
    per_answer = (
        select(
            answer.c.key.label("question_id"),
            version.label("version"),
            points.label("x"),
            func.count().over(partition_by=QuizAttempt.id).label("k"),
            func.sum(points).over(partition_by=QuizAttempt.id).label("total"),
        )
        .select_from(QuizAttempt)
        .join(answer, true())
        .where(QuizAttempt.association_id == association_id, QuizAttempt.submitted_at.is_not(None))
        .cte("per_answer")
    )
    x = per_answer.c.x
    rest = (per_answer.c.total - x) / (per_answer.c.k - 1)
    query = (
        select(
            per_answer.c.question_id,
            per_answer.c.version,
            func.count(),
            func.sum(x),
            func.sum(x * x),
            func.sum(rest),
            func.sum(rest * rest),
            func.sum(x * rest),
        )
        .where(per_answer.c.k > 1)
        .group_by(per_answer.c.question_id, per_answer.c.version)
    )
    sums: dict[str, dict[str, tuple]] = {}
    for question_id, question_version, *row in db.session.execute(query):
        sums.setdefault(question_id, {})[question_version] = tuple(row)
    return sums
