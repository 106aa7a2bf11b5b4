"""Decisions an association records about requirements, and supervisors' competency reports."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.programmes.models import Enrolment
from app.requirements import triggers

__all__ = [
    "CompetencyReport",
    "ProgressSnapshot",
    "ReportAcknowledgement",
    "RequirementDecision",
    "ReportStatus",
    "Recommendation",
]


class RequirementDecision(db.Model):
    """A waiver or a manual decision by an admin, with its reason.

    Rows are only added: the newest row for a requirement is the one that holds, and
    the older ones stay as history (and in the audit trail).
    """

    __table_args__ = (
        CheckConstraint("decision IN ('waived', 'met', 'not_met', 'withdrawn')", name="decision_known"),
        Index("ix_requirement_decision_lookup", "enrolment_id", "requirement_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"))
    requirement_id: Mapped[str] = mapped_column(String(80))
    decision: Mapped[str] = mapped_column(String(20))  # waived | met | not_met | withdrawn
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User] = relationship()


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class Recommendation(enum.StrEnum):
    READY = "ready"
    NOT_YET = "not_yet"


class CompetencyReport(db.Model):
    """A supervisor's report on a trainee: a rating per competency, a narrative, a recommendation.

    Signed is final: the signature stores a hash of the content, services refuse every
    change afterwards, and database triggers (``app.requirements.triggers``) refuse any
    UPDATE or DELETE of a signed row.
    """

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'signed')", name="status_known"),
        CheckConstraint("recommendation IN ('ready', 'not_yet')", name="recommendation_known"),
        CheckConstraint("kind IN ('periodic', 'final')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="periodic")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)  # competency id -> 1..5
    #: competency id -> the trainee's records and reflections that support the rating,
    #: as references "record:<id>" / "reflection:<id>" (see ``reports.evidence_options``).
    evidence: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    narrative: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(String(20), default=Recommendation.NOT_YET.value)
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.DRAFT.value)
    is_reviewed_with_trainee: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str | None] = mapped_column(String(64))

    enrolment: Mapped[Enrolment] = relationship()
    supervisor: Mapped[User] = relationship()
    acknowledgement: Mapped[ReportAcknowledgement | None] = relationship(
        back_populates="report", uselist=False, viewonly=True
    )

    @property
    def is_signed(self) -> bool:
        return self.status == ReportStatus.SIGNED.value

    def __repr__(self) -> str:
        return f"<CompetencyReport enrolment={self.enrolment_id} {self.kind} {self.status}>"


class ReportAcknowledgement(db.Model):
    """The trainee's acknowledgement of a signed report, with an optional comment.

    A row of its own, so the signed report stays untouched; one per report, never edited.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("competency_report.id"), unique=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[CompetencyReport] = relationship(back_populates="acknowledgement")
    trainee: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ReportAcknowledgement report={self.report_id}>"


# create_all (tests, first runs) installs the finality triggers with the table; migration
# 0009 runs the same statements from ``triggers.TRIGGER_STATEMENTS``.
event.listen(CompetencyReport.__table__, "after_create", triggers.install)


class ProgressSnapshot(db.Model):
    """An enrolment's evaluated progress, stored so pages need not evaluate it on every view.

    Written only by ``app.requirements.snapshots`` (read its docstring): ``is_stale`` and
    ``generation`` are set by ``mark_progress_stale`` whenever an input changes, and a
    recomputation only lands if the generation it read is still the row's (so a result
    computed from inputs that changed meanwhile is never stored as fresh). A stale row
    may have no outcomes yet (marked before it was ever computed).
    """

    __table_args__ = (Index("ix_progress_snapshot_ready", "is_ready", "fraction"),)

    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    is_stale: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    rule_set_id: Mapped[int | None] = mapped_column(ForeignKey("rule_set.id", ondelete="CASCADE"))
    #: sha256 of what the evaluation read besides records: rule-set version, profile, day.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    as_of: Mapped[date | None] = mapped_column(Date)  # the day the rules were judged on
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_ready: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    fraction: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    outcomes: Mapped[list | None] = mapped_column(JSON)  # ``snapshots.outcome_data`` per requirement

    def __repr__(self) -> str:
        return f"<ProgressSnapshot enrolment={self.enrolment_id} stale={self.is_stale}>"


# Read with the enrolment in the same statement (``joinedload(Enrolment.snapshot)``):
# pages that show progress pay nothing extra to find it stored.
Enrolment.snapshot = relationship(ProgressSnapshot, uselist=False, viewonly=True, lazy="select")

# The flush hook that marks snapshots stale when their inputs change (``staleness``).
from app.requirements import staleness  # noqa: E402,F401
