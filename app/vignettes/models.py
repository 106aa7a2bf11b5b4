"""Reflections on vignettes and the supervisor feedback on them.

A reflection belongs to a trainee's enrolment and refers to its vignette by slug,
recording the content version it was written against. It moves
draft -> submitted -> accepted | revision_requested. A revision is a new row (the
next ``version``, linked to the one before), so earlier versions and their
feedback stay as they were. Rows that reached a decision are final: the mapper
refuses to update or delete them, whatever code path tries.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.programmes.models import Enrolment
from app.vignettes import triggers

__all__ = ["Reflection", "ReflectionFeedback", "ReflectionStatus", "Decision", "FinalRecordViolation"]


class ReflectionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REVISION_REQUESTED = "revision_requested"


class Decision(enum.StrEnum):
    """What a supervisor decides about a submitted reflection."""

    ACCEPTED = "accepted"
    REVISION_REQUESTED = "revision_requested"


STATUS_VALUES = tuple(status.value for status in ReflectionStatus)
DECISION_VALUES = tuple(decision.value for decision in Decision)
FINAL_STATUSES = frozenset({ReflectionStatus.ACCEPTED.value, ReflectionStatus.REVISION_REQUESTED.value})


class Reflection(db.Model):
    """One version of a trainee's answers to a vignette's exercises.

    ``answers`` maps exercise id to ``{"text": str}``, plus ``"ratings"`` (dimension
    key -> -2..2) for rate-dimensions, ``"choice"`` (option id) for
    choose-intervention, ``"feeling"`` and ``"sided_with"`` (a person's id or
    ``no-one``) for reader-response, and ``"marked"`` (detail ids) for colleague-test.

    ``option_order`` maps each choose-intervention exercise to its option ids in the
    order this trainee was shown them (see ``app.vignettes.ordering``); empty on rows
    written before options were shuffled, which saw the file's order.
    """

    __table_args__ = (
        UniqueConstraint("enrolment_id", "vignette_slug", "version"),
        CheckConstraint(f"status IN {STATUS_VALUES!r}", name="status_known"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_reflection_queue", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    vignette_slug: Mapped[str] = mapped_column(String(80))
    content_version: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default=ReflectionStatus.DRAFT.value)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    option_order: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("reflection.id"), unique=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    enrolment: Mapped[Enrolment] = relationship()
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    previous: Mapped[Reflection | None] = relationship(remote_side=[id])
    feedback: Mapped[ReflectionFeedback | None] = relationship(back_populates="reflection", uselist=False)

    @property
    def is_draft(self) -> bool:
        return self.status == ReflectionStatus.DRAFT.value

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def shows_guidance(self) -> bool:
        """Guidance is for after submitting: showing it earlier would give the answers away."""
        return self.status != ReflectionStatus.DRAFT.value

    def answer(self, exercise_id: str) -> dict:
        return (self.answers or {}).get(exercise_id) or {}

    def __repr__(self) -> str:
        return f"<Reflection {self.vignette_slug} v{self.version} {self.status} trainee={self.trainee_id}>"


class ReflectionFeedback(db.Model):
    """A supervisor's written feedback and decision on one submitted version. Never edited."""

    __table_args__ = (CheckConstraint(f"decision IN {DECISION_VALUES!r}", name="decision_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(ForeignKey("reflection.id"), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    exercise_comments: Mapped[dict] = mapped_column(JSON, default=dict)  # exercise id -> comment
    decision: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reflection: Mapped[Reflection] = relationship(back_populates="feedback")
    author: Mapped[User] = relationship()

    def comment(self, exercise_id: str) -> str:
        return (self.exercise_comments or {}).get(exercise_id, "")

    def __repr__(self) -> str:
        return f"<ReflectionFeedback reflection={self.reflection_id} {self.decision}>"


class FinalRecordViolation(RuntimeError):
    """Something tried to change a reflection after its decision, or to rewrite feedback."""


def _stored_status(connection, reflection_id: int) -> str | None:
    # Read from the database, not the object: an expired or hand-set attribute must not
    # let a change through.
    table = Reflection.__table__
    return connection.scalar(select(table.c.status).where(table.c.id == reflection_id))


@event.listens_for(Reflection, "before_update")
def _refuse_changes_to_decided_reflections(mapper, connection, target: Reflection) -> None:
    session = object_session(target)
    if session is not None and not session.is_modified(target, include_collections=False):
        return
    stored = _stored_status(connection, target.id)
    if stored in FINAL_STATUSES:
        raise FinalRecordViolation(f"reflection {target.id} is {stored} and cannot change")


@event.listens_for(Reflection, "before_delete")
def _refuse_deleting_decided_reflections(mapper, connection, target: Reflection) -> None:
    stored = _stored_status(connection, target.id)
    if stored in FINAL_STATUSES:
        raise FinalRecordViolation(f"reflection {target.id} is {stored} and cannot be deleted")


@event.listens_for(ReflectionFeedback, "before_update")
@event.listens_for(ReflectionFeedback, "before_delete")
def _refuse_changes_to_feedback(mapper, connection, target: ReflectionFeedback) -> None:
    raise FinalRecordViolation("feedback on a reflection is never edited or removed")


# create_all (tests, first runs) installs the database guards with each table; migration
# 0013 runs the same statements from ``triggers.TRIGGER_STATEMENTS``.
for _table in (Reflection.__table__, ReflectionFeedback.__table__):
    event.listen(_table, "after_create", triggers.install)
