"""Progress through the psychoeducation module: lesson completions and quiz attempts.

Rows refer to content by lesson slug and question id and record the content version
(a hash of the source file) they were done against, so editing or reordering the
curriculum never deletes or invalidates anyone's progress.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["ExtraAttempts", "LessonCompletion", "QuizAttempt", "QuizKind"]


class QuizKind(enum.StrEnum):
    LESSON = "lesson"  # the knowledge check at the end of one lesson: all its questions
    FINAL = "final"  # the final test: a random draw across lessons, with the pass mark


QUIZ_KIND_VALUES = tuple(kind.value for kind in QuizKind)


class LessonCompletion(db.Model):
    """A trainee marked a lesson as read; marking it again records the newer version."""

    __table_args__ = (UniqueConstraint("association_id", "trainee_id", "lesson_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    lesson_slug: Mapped[str] = mapped_column(String(80))
    content_version: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainee: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<LessonCompletion trainee={self.trainee_id} {self.lesson_slug}@{self.content_version}>"


class QuizAttempt(db.Model):
    """One attempt at a knowledge check, open from the moment its questions are drawn.

    The drawn question ids and the shuffled order of each question's options are stored
    when the attempt opens, so a reload shows the same test and review the same order.
    On submission the answers, score, pass mark applied and the content version of
    every question are stored with it; submitted attempts are never changed.
    """

    __table_args__ = (
        CheckConstraint(f"kind IN {QUIZ_KIND_VALUES!r}", name="kind_known"),
        CheckConstraint(
            "(kind = 'lesson' AND lesson_slug IS NOT NULL) OR (kind = 'final' AND lesson_slug IS NULL)",
            name="lesson_slug_matches_kind",
        ),
        CheckConstraint(
            "score_percent IS NULL OR (score_percent >= 0 AND score_percent <= 100)", name="score_range"
        ),
        Index("ix_quiz_attempt_trainee_kind", "association_id", "trainee_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    lesson_slug: Mapped[str | None] = mapped_column(String(80))
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    answers: Mapped[dict | None] = mapped_column(JSON)  # question id -> answer and points
    question_versions: Mapped[dict | None] = mapped_column(JSON)  # question id -> content version
    # question id -> the options as shown, in order: [{"index", "text", "correct"}, ...]
    # (None for attempts started before orders were recorded; they used a seeded order)
    presented_options: Mapped[dict | None] = mapped_column(JSON)
    score_percent: Mapped[float | None] = mapped_column(Float)
    is_passed: Mapped[bool | None] = mapped_column(Boolean)
    pass_mark: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    trainee: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    @property
    def points(self) -> float | None:
        """Points scored (a question is worth one; partial credit counts its share)."""
        if self.answers is None:
            return None
        return sum(float(answer.get("points", 0)) for answer in self.answers.values())

    @property
    def out_of(self) -> int:
        return len(self.question_ids or [])

    def __repr__(self) -> str:
        state = "open" if self.is_open else f"{self.score_percent}%"
        return f"<QuizAttempt {self.kind} {self.lesson_slug or ''} trainee={self.trainee_id} {state}>"


class ExtraAttempts(db.Model):
    """More attempts at the final test for one trainee, granted with a reason.

    The module's retake policy allows ``max_attempts`` attempts; a trainee who used them
    all without passing would otherwise be stuck. A supervisor assigned to them, or an
    admin, can add attempts; rows are only ever added, and each is in the audit trail.
    """

    __table_args__ = (
        CheckConstraint("attempts BETWEEN 1 AND 3", name="attempts_in_range"),
        Index("ix_extra_attempts_trainee", "association_id", "trainee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"))
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    attempts: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
