"""Job records (what a person started, its progress and its result) and reminder bookkeeping."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["Job", "JobState", "ReminderOptOut", "ReminderSent"]


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """One piece of long work started by a person, kept so they can come back for the result.

    The result bytes live here, not on a worker's disk, so any web process can serve
    them; they are loaded only when downloaded (``deferred``).
    """

    __table_args__ = (Index("ix_job_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    # What the job is about, for the "whoever may read it" rule (a logbook's enrolment).
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default=JobState.QUEUED.value)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    stage: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(String(500), default="")
    result_name: Mapped[str] = mapped_column(String(200), default="")
    result_mimetype: Mapped[str] = mapped_column(String(100), default="")
    result_size: Mapped[int] = mapped_column(Integer, default=0)
    result_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def has_result(self) -> bool:
        return self.state == JobState.DONE and self.result_size > 0

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state} {self.progress}%>"


class ReminderSent(db.Model):
    """A reminder that went out, keyed so that the same one is never sent twice.

    ``period`` names what the reminder is once per: an ISO week for the digest, a
    stall's starting day, or a certificate and its 90/30-day mark.
    """

    __table_args__ = (UniqueConstraint("user_id", "association_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"))
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(60))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ReminderSent {self.kind} {self.period} to={self.user_id}>"


class ReminderOptOut(db.Model):
    """A person who switched one kind of reminder off (no row: the reminder is on)."""

    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
