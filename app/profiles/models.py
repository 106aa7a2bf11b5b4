"""Dated profile facts an association's admin records: membership periods, qualifications
and assessed events (exams, assessed intensives).

They are the person's (memberships, qualifications) or the enrolment's (assessed events)
and belong to the association that recorded them: nothing of one is seen by another.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.profiles.kinds import EXAM_KINDS, EXAM_OUTCOMES, QUALIFICATION_KINDS
from app.programmes.models import Enrolment

__all__ = ["AssessedEvent", "Qualification", "SocietyMembership"]


def _known(column: str, values, name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN {tuple(values)!r}", name=name)


class SocietyMembership(db.Model):
    """One period of a person's membership of the association: from its first day to its
    last (inclusive; open while ``ended_on`` is None). Periods that touch make one unbroken
    membership; a day between them is a break."""

    __tablename__ = "society_membership"
    __table_args__ = (CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<SocietyMembership user={self.user_id} {self.started_on}..{self.ended_on}>"


class Qualification(db.Model):
    """A professional qualification of a person, of a known kind, with the day obtained."""

    __table_args__ = (_known("kind", QUALIFICATION_KINDS, "kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    obtained_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def label(self) -> str:
        return QUALIFICATION_KINDS[self.kind]

    def __repr__(self) -> str:
        return f"<Qualification user={self.user_id} {self.kind} {self.obtained_on}>"


class AssessedEvent(db.Model):
    """An exam or assessed intensive of an enrolment: its examiner's outcome, recorded by an
    admin from the examiner's result (recording it is the admin's attestation, as for
    imported training), so it counts as signed."""

    __tablename__ = "assessed_event"
    __table_args__ = (
        _known("kind", EXAM_KINDS, "kind_known"),
        _known("outcome", EXAM_OUTCOMES, "outcome_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[date] = mapped_column(Date)
    #: The examiner: a user of the association, or a name (an external examiner).
    examiner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    examiner_name: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()
    examiner: Mapped[User | None] = relationship(foreign_keys=[examiner_id])

    @property
    def kind_label(self) -> str:
        return EXAM_KINDS[self.kind]

    @property
    def outcome_label(self) -> str:
        return EXAM_OUTCOMES[self.outcome]

    @property
    def examiner_label(self) -> str:
        return self.examiner.name if self.examiner is not None else self.examiner_name

    def __repr__(self) -> str:
        return f"<AssessedEvent {self.kind} {self.outcome} {self.occurred_on}>"
