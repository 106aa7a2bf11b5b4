"""Programmes, their versioned rule sets, and the trainees enrolled in them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Association, User
from app.database import UTCDateTime, utcnow
from app.extensions import db


class Programme(db.Model):
    """An association's training path towards accreditation as a leader."""

    __table_args__ = (UniqueConstraint("association_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    slug: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    validity_months: Mapped[int | None] = mapped_column(Integer)  # None: never expires
    module_pass_mark: Mapped[int] = mapped_column(Integer, default=80)  # % for the module's final test
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    association: Mapped[Association] = relationship()
    rule_sets: Mapped[list[RuleSet]] = relationship(back_populates="programme", order_by="RuleSet.version")

    @property
    def current_rule_set(self) -> RuleSet | None:
        return self.rule_sets[-1] if self.rule_sets else None

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


class RuleSet(db.Model):
    """One version of a programme's competence requirements, kept as its YAML source.

    Versions are never edited: a change is a new version, so enrolments pinned to an
    older one keep being judged by the rules they signed up under.
    """

    __table_args__ = (UniqueConstraint("programme_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    source_yaml: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    programme: Mapped[Programme] = relationship(back_populates="rule_sets")

    def __repr__(self) -> str:
        return f"<RuleSet programme={self.programme_id} v{self.version}>"


class EnrolmentStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


ENROLMENT_STATUS_VALUES = tuple(status.value for status in EnrolmentStatus)

enrolment_supervisor = Table(
    "enrolment_supervisor",
    db.metadata,
    Column("enrolment_id", ForeignKey("enrolment.id", ondelete="CASCADE"), primary_key=True),
    Column("supervisor_id", ForeignKey("user.id"), primary_key=True, index=True),
)


class Enrolment(db.Model):
    """A trainee on a programme, pinned to the rule-set version they enrolled under."""

    __table_args__ = (CheckConstraint(f"status IN {ENROLMENT_STATUS_VALUES!r}", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_set.id"))
    status: Mapped[str] = mapped_column(String(20), default=EnrolmentStatus.ACTIVE.value)
    started_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The trainee's profile, which rule sets may put conditions on.
    has_psychodynamic_training: Mapped[bool] = mapped_column(Boolean, default=False)
    qualified_on: Mapped[date | None] = mapped_column(Date)
    #: The professional-background track (one the rule set declares under ``tracks``), or None.
    track: Mapped[str | None] = mapped_column(String(40))

    programme: Mapped[Programme] = relationship()
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    rule_set: Mapped[RuleSet] = relationship()
    supervisors: Mapped[list[User]] = relationship(secondary=enrolment_supervisor, order_by="User.name")

    def __repr__(self) -> str:
        return f"<Enrolment trainee={self.trainee_id} programme={self.programme_id}>"
