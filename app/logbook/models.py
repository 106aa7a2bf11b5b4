"""The logbook: group sessions, supervision received, training events and observations.

Every record is one row of ``logbook_record`` (the lifecycle every kind shares: status,
signature, correction chain) plus one row of its kind's table (joined inheritance), so
the supervisor's queue and the exports read all kinds in one query while each kind
keeps typed, constrained columns.

Signed is final: the signature stores who, when and a SHA-256 of the record's canonical
content, and database triggers (``app.logbook.triggers``) refuse any UPDATE or DELETE
of a signed row. A correction is a new record whose ``supersedes_id`` names the old one.
"""

from __future__ import annotations

import enum
import hashlib
import json
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Association, User
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.imports.models import ImportDocument
from app.logbook import triggers
from app.logbook.kinds import (
    EventKind,
    GroupKind,
    ObservationOutcome,
    Phase,
    RecordKind,
    RecordStatus,
    SessionMode,
    SessionRole,
    SettingCategory,
    SupervisionChannel,
    SupervisionMode,
)
from app.programmes.models import Enrolment

__all__ = [
    "CoLeaderConfirmation",
    "LogbookRecord",
    "Observation",
    "SessionRecord",
    "SupervisionRecord",
    "SupervisorAccreditation",
    "TrainingEvent",
]


def _values(kind: type[enum.StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


def _known(column: str, kind: type[enum.StrEnum], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN {_values(kind)!r}", name=name)


class LogbookRecord(db.Model):
    """What every kind of record shares: its trainee's enrolment, lifecycle and signature."""

    __tablename__ = "logbook_record"
    __table_args__ = (
        _known("kind", RecordKind, "kind_known"),
        _known("status", RecordStatus, "status_known"),
        CheckConstraint(
            "status != 'signed' OR (signer_id IS NOT NULL AND signed_at IS NOT NULL "
            "AND content_hash IS NOT NULL)",
            name="signed_has_signature",
        ),
        Index("ix_logbook_record_enrolment_status", "enrolment_id", "status"),
        # With the submission time last, the admin's "waiting over 14 days" count and list
        # read only the overdue records of the association (issue 14).
        Index("ix_logbook_record_association_status", "association_id", "status", "submitted_at"),
        # The supervisors' queues and counts read submitted records by trainee: a small
        # index of those alone, holding every column the queue's count and page read, so
        # PostgreSQL answers both without the table (issue 14).
        Index(
            "ix_logbook_record_submitted",
            "enrolment_id",
            "kind",
            postgresql_include=["association_id", "id", "submitted_at"],
            sqlite_where=text("status = 'submitted'"),
            postgresql_where=text("status = 'submitted'"),
        ),
        # The admin's "stalled" count asks, per trainee, for a record since a day.
        Index("ix_logbook_record_enrolment_created", "enrolment_id", "created_at"),
        # The same earlier record imported twice is one record (see app.imports.training).
        Index("uq_logbook_record_import_key", "enrolment_id", "import_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=RecordStatus.DRAFT.value)
    #: The session, supervision or observation date; an event's first day.
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    #: Who wrote it: the trainee, or for an observation the observer.
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    return_comment: Mapped[str] = mapped_column(Text, default="")
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    #: A correction: this record replaces the signed record it names (reopened by an admin).
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("logbook_record.id"), unique=True)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    #: Earlier training brought in by an admin's import: signed by that admin as attesting
    #: it (``signer_id``, ``signed_at``), with the attesting document; shown as "Imported,
    #: attested by ..." and counted or not as the rule set says (``count_imported``).
    is_imported: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: A stable hash of the imported row (trainee, kind, date, role, minutes, title, ...),
    #: so importing the same file again finds the record instead of adding a second one.
    import_key: Mapped[str | None] = mapped_column(String(64))
    import_document_id: Mapped[int | None] = mapped_column(ForeignKey("import_document.id"), index=True)

    association: Mapped[Association] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])
    reopened_by: Mapped[User | None] = relationship(foreign_keys=[reopened_by_id])
    import_document: Mapped[ImportDocument | None] = relationship()
    supersedes: Mapped[LogbookRecord | None] = relationship(
        remote_side=[id], foreign_keys=[supersedes_id], back_populates="superseded_by"
    )
    superseded_by: Mapped[LogbookRecord | None] = relationship(
        foreign_keys=[supersedes_id], back_populates="supersedes", viewonly=True
    )

    # Kinds load inline (outer joins), so one query returns a mixed list of whole records.
    __mapper_args__ = {"polymorphic_on": "kind"}

    @property
    def is_signed(self) -> bool:
        return self.status == RecordStatus.SIGNED

    @property
    def attested_on(self) -> date | None:
        """The day the admin attested an imported record (its signature's day)."""
        return self.signed_at.date() if self.is_imported and self.signed_at else None

    @property
    def is_editable(self) -> bool:
        """Only the author's own drafts and returned records can change."""
        return self.status in (RecordStatus.DRAFT, RecordStatus.RETURNED)

    def content(self) -> dict[str, object]:
        """The fields a signature vouches for, as JSON-ready plain values."""
        return {
            "id": self.id,
            "kind": self.kind,
            "enrolment_id": self.enrolment_id,
            "author_id": self.author_id,
            "occurred_on": self.occurred_on.isoformat(),
            "supersedes_id": self.supersedes_id,
            # Only when imported: the content hash of every other record stays what it was.
            **({"imported": True, "import_document_id": self.import_document_id} if self.is_imported else {}),
            **self.kind_content(),
        }

    def kind_content(self) -> dict[str, object]:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    def canonical_json(self) -> str:
        """A stable serialisation: sorted keys, no whitespace, UTF-8 text."""
        return json.dumps(self.content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.status}>"


class SessionRecord(LogbookRecord):
    """A Balint group session the trainee took part in, presented at, co-led or led."""

    __tablename__ = "logbook_session"
    __table_args__ = (
        _known("role", SessionRole, "role_known"),
        _known("mode", SessionMode, "mode_known"),
        _known("group_kind", GroupKind, "group_kind_known"),
        _known("setting_category", SettingCategory, "setting_category_known"),
        CheckConstraint("minutes BETWEEN 15 AND 600", name="minutes_range"),
        CheckConstraint("members BETWEEN 1 AND 30", name="members_range"),
        CheckConstraint("cases >= 0", name="cases_positive"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("logbook_record.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(20))
    group_kind: Mapped[str] = mapped_column(String(30))
    setting_category: Mapped[str] = mapped_column(String(30))
    setting: Mapped[str] = mapped_column(String(200), default="")
    members: Mapped[int] = mapped_column(Integer)
    cases: Mapped[int] = mapped_column(Integer)
    co_leader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    co_leader_name: Mapped[str] = mapped_column(String(120), default="")
    is_co_leader_accredited: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Comma-separated, in the order of ``Phase`` so the content hash is stable.
    phases_run: Mapped[str] = mapped_column(String(120), default="")
    reflection: Mapped[str] = mapped_column(Text, default="")

    co_leader: Mapped[User | None] = relationship(foreign_keys=[co_leader_id])
    confirmations: Mapped[list[CoLeaderConfirmation]] = relationship(
        back_populates="record", order_by="CoLeaderConfirmation.confirmed_at"
    )

    __mapper_args__ = {"polymorphic_identity": RecordKind.SESSION.value, "polymorphic_load": "inline"}

    @property
    def phases(self) -> list[str]:
        return [phase for phase in self.phases_run.split(",") if phase]

    @phases.setter
    def phases(self, values: list[str]) -> None:
        chosen = set(values)
        self.phases_run = ",".join(phase.value for phase in Phase if phase.value in chosen)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def co_leader_label(self) -> str:
        return self.co_leader.name if self.co_leader else self.co_leader_name

    def confirmation(self) -> CoLeaderConfirmation | None:
        """The co-leader's confirmation of the content as it stands now, if any."""
        current = self.compute_hash()
        return next((c for c in self.confirmations if c.content_hash == current), None)

    def kind_content(self) -> dict[str, object]:
        return {
            "role": self.role,
            "minutes": self.minutes,
            "mode": self.mode,
            "group_kind": self.group_kind,
            "setting_category": self.setting_category,
            "setting": self.setting,
            "members": self.members,
            "cases": self.cases,
            "co_leader_id": self.co_leader_id,
            "co_leader_name": self.co_leader_name,
            "is_co_leader_accredited": self.is_co_leader_accredited,
            "phases": self.phases,
            "reflection": self.reflection,
        }


class SupervisionRecord(LogbookRecord):
    """Supervision the trainee received; signed by the supervisor who gave it."""

    __tablename__ = "logbook_supervision"
    __table_args__ = (
        _known("mode", SupervisionMode, "mode_known"),
        _known("channel", SupervisionChannel, "channel_known"),
        CheckConstraint("minutes BETWEEN 15 AND 600", name="minutes_range"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("logbook_record.id"), primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    has_recording: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])

    __mapper_args__ = {"polymorphic_identity": RecordKind.SUPERVISION.value, "polymorphic_load": "inline"}

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def kind_content(self) -> dict[str, object]:
        return {
            "minutes": self.minutes,
            "mode": self.mode,
            "channel": self.channel,
            "supervisor_id": self.supervisor_id,
            "has_recording": self.has_recording,
            "notes": self.notes,
        }


class TrainingEvent(LogbookRecord):
    """A leadership workshop, residential weekend, intensive or seminar attended."""

    __tablename__ = "logbook_event"
    __table_args__ = (
        _known("event_kind", EventKind, "event_kind_known"),
        CheckConstraint("days >= 1", name="days_positive"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("logbook_record.id"), primary_key=True)
    event_kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    ends_on: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    #: Its teaching length in minutes (a seminar of 3 double sessions: 270), when given:
    #: rules measure events in hours or a rule set's own units with it. None: not given.
    minutes: Mapped[int | None] = mapped_column(Integer)
    #: Random file name under the instance folder; never derived from the upload's name.
    certificate_key: Mapped[str | None] = mapped_column(String(80))
    certificate_name: Mapped[str] = mapped_column(String(200), default="")
    certificate_type: Mapped[str] = mapped_column(String(40), default="")
    certificate_size: Mapped[int | None] = mapped_column(Integer)
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))

    __mapper_args__ = {"polymorphic_identity": RecordKind.EVENT.value, "polymorphic_load": "inline"}

    @property
    def starts_on(self) -> date:
        return self.occurred_on

    @property
    def has_certificate(self) -> bool:
        return self.certificate_key is not None

    def kind_content(self) -> dict[str, object]:
        return {
            "event_kind": self.event_kind,
            "title": self.title,
            "provider": self.provider,
            "ends_on": self.ends_on.isoformat(),
            "days": self.days,
            "certificate_sha256": self.certificate_sha256,
            # Only when given: the content hash of every record signed before events had a
            # length stays what it was.
            **({"minutes": self.minutes} if self.minutes is not None else {}),
        }


class Observation(LogbookRecord):
    """A supervisor watched the trainee lead; it counts once the observer signs it."""

    __tablename__ = "logbook_observation"
    __table_args__ = (_known("outcome", ObservationOutcome, "outcome_known"),)

    id: Mapped[int] = mapped_column(ForeignKey("logbook_record.id"), primary_key=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    setting: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(30))
    report: Mapped[str] = mapped_column(Text)

    observer: Mapped[User] = relationship(foreign_keys=[observer_id])

    __mapper_args__ = {"polymorphic_identity": RecordKind.OBSERVATION.value, "polymorphic_load": "inline"}

    def kind_content(self) -> dict[str, object]:
        return {
            "observer_id": self.observer_id,
            "setting": self.setting,
            "outcome": self.outcome,
            "report": self.report,
        }


class CoLeaderConfirmation(db.Model):
    """A co-leader's word that the session happened as recorded.

    Kept beside the record rather than in it, so it can arrive after the signature
    without touching the signed row. It names the content hash it confirmed; an edit
    after a return makes it stale and the co-leader is asked again.
    """

    __tablename__ = "logbook_confirmation"
    __table_args__ = (UniqueConstraint("record_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("logbook_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    record: Mapped[SessionRecord] = relationship(back_populates="confirmations")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CoLeaderConfirmation record={self.record_id} by={self.user_id}>"


class SupervisorAccreditation(db.Model):
    """A period in which the association recognises a supervisor as accredited to sign."""

    __tablename__ = "supervisor_accreditation"
    __table_args__ = (
        CheckConstraint("valid_until IS NULL OR valid_until >= valid_from", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # None: open-ended
    note: Mapped[str] = mapped_column(String(200), default="")
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def __repr__(self) -> str:
        return f"<SupervisorAccreditation {self.supervisor_id} {self.valid_from}..{self.valid_until}>"


# create_all (tests, first runs) installs the immutability triggers with each table;
# the Alembic migration runs the same statements from ``triggers.TRIGGER_STATEMENTS``.
for _table in (
    LogbookRecord.__table__,
    SessionRecord.__table__,
    SupervisionRecord.__table__,
    TrainingEvent.__table__,
    Observation.__table__,
    CoLeaderConfirmation.__table__,
):
    event.listen(_table, "after_create", triggers.install)
