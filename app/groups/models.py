"""Groups a trainee leads or co-leads, their members, and the sessions they hold.

A session is recorded once, at the source: its leaders, attendance, phase times, the
number of cases, its length and whether the briefing was given. Never case content: the
record is evidence of attendance and leadership, not clinical notes. Closing it writes
the leaders' (and enrolled members') logbook records, linked here by
``SessionRecordLink``; after that the session and everything under it is final, and
database triggers (``app.groups.triggers``) refuse any change.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.groups import attendance_triggers, feedback_triggers, observation_triggers, triggers
from app.groups.kinds import (
    BriefingVersion,
    GroupFormat,
    GroupKind,
    LeaderRole,
    ObserverStatus,
    Rhythm,
    SessionMode,
    SessionStatus,
)
from app.logbook.kinds import ObservationOutcome, Phase, SettingCategory

__all__ = [
    "Attendance",
    "AttendanceAnswer",
    "AttendanceConfirmation",
    "Group",
    "GroupLeader",
    "GroupMember",
    "CoLeaderFeedback",
    "GroupSession",
    "ObservationReport",
    "ProcessNote",
    "SessionLeader",
    "SessionPhase",
    "SessionRecordLink",
]


def _known(column: str, kind: type[enum.StrEnum], name: str) -> CheckConstraint:
    values = tuple(member.value for member in kind)
    return CheckConstraint(f"{column} IN {values!r}", name=name)


class Group(db.Model):
    """A Balint group of an association, led by its named leaders."""

    __tablename__ = "balint_group"
    __table_args__ = (
        _known("format", GroupFormat, "format_known"),
        _known("kind", GroupKind, "kind_known"),
        _known("rhythm", Rhythm, "rhythm_known"),
        _known("setting_category", SettingCategory, "setting_category_known"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    setting_category: Mapped[str] = mapped_column(String(30))
    #: The group in a few words (e.g. "GP trainees, city practice"); never a patient.
    setting: Mapped[str] = mapped_column(String(200), default="")
    profession_mix: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    rhythm: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    leaders: Mapped[list[GroupLeader]] = relationship(
        back_populates="group", order_by="GroupLeader.id", cascade="all, delete-orphan"
    )
    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", order_by="GroupMember.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.name!r}>"


class GroupLeader(db.Model):
    """A leader or co-leader of a group: a user of the association (trainee or accredited)."""

    __tablename__ = "balint_group_leader"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        _known("role", LeaderRole, "role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("balint_group.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    #: An accredited Balint leader (not in training): their co-leaders' records say so.
    is_accredited: Mapped[bool] = mapped_column(Boolean, default=False)

    group: Mapped[Group] = relationship(back_populates="leaders")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<GroupLeader group={self.group_id} user={self.user_id} {self.role}>"


class GroupMember(db.Model):
    """A participant: a name and an e-mail address suffice; ``user_id`` when they have an account."""

    __tablename__ = "balint_group_member"
    __table_args__ = (UniqueConstraint("group_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("balint_group.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    #: The participant rule set the member's attendance is checked against (a preset's
    #: name, ``app.groups.participant_rule_sets``); the German rules unless they chose another.
    rule_set: Mapped[str] = mapped_column(
        String(40), default="participant-de", server_default="participant-de"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<GroupMember {self.id} group={self.group_id}>"


class GroupSession(db.Model):
    """One meeting of a group: planned, run on the run sheet, then closed for good."""

    __tablename__ = "group_session"
    __table_args__ = (
        _known("status", SessionStatus, "status_known"),
        _known("mode", SessionMode, "mode_known"),
        CheckConstraint("planned_minutes BETWEEN 15 AND 600", name="planned_minutes_range"),
        CheckConstraint("minutes IS NULL OR minutes BETWEEN 15 AND 600", name="minutes_range"),
        CheckConstraint("cases IS NULL OR cases BETWEEN 0 AND 20", name="cases_range"),
        CheckConstraint(
            "status != 'closed' OR (closed_at IS NOT NULL AND minutes IS NOT NULL AND cases IS NOT NULL)",
            name="closed_is_complete",
        ),
        CheckConstraint(
            f"briefing_version IN ('', {', '.join(repr(v.value) for v in BriefingVersion)})",
            name="briefing_version_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("balint_group.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.PLANNED.value)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[time] = mapped_column(Time)
    planned_minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(20))
    is_briefing_given: Mapped[bool] = mapped_column(Boolean, default=False)
    briefing_version: Mapped[str] = mapped_column(String(20), default="")
    cases: Mapped[int | None] = mapped_column(Integer)
    #: How long it ran, in minutes, as the leader records it on closing.
    minutes: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    leaders: Mapped[list[SessionLeader]] = relationship(back_populates="session", order_by="SessionLeader.id")
    phases: Mapped[list[SessionPhase]] = relationship(back_populates="session", order_by="SessionPhase.id")
    attendance: Mapped[list[Attendance]] = relationship(back_populates="session", order_by="Attendance.id")
    record_links: Mapped[list[SessionRecordLink]] = relationship(
        back_populates="session", order_by="SessionRecordLink.id"
    )

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED

    def phase(self, name: str) -> SessionPhase | None:
        return next((p for p in self.phases if p.phase == name), None)

    def __repr__(self) -> str:
        return f"<GroupSession {self.id} {self.held_on} {self.status}>"


class SessionLeader(db.Model):
    """Who led or co-led this session (copied from the group when it is planned)."""

    __tablename__ = "group_session_leader"
    __table_args__ = (UniqueConstraint("session_id", "user_id"), _known("role", LeaderRole, "role_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    is_accredited: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[GroupSession] = relationship(back_populates="leaders")
    user: Mapped[User] = relationship()


class SessionPhase(db.Model):
    """When a phase of the run sheet began and ended (UTC), for the session's measured course."""

    __tablename__ = "group_session_phase"
    __table_args__ = (UniqueConstraint("session_id", "phase"), _known("phase", Phase, "phase_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id"), index=True)
    phase: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[GroupSession] = relationship(back_populates="phases")

    @property
    def minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds() / 60)


class Attendance(db.Model):
    """Whether a member was there, and whether online."""

    __tablename__ = "group_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "member_id"),
        CheckConstraint("is_present OR NOT is_online", name="online_means_present"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("balint_group_member.id"), index=True)
    is_present: Mapped[bool] = mapped_column(Boolean, default=False)
    is_online: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[GroupSession] = relationship(back_populates="attendance")
    member: Mapped[GroupMember] = relationship()


class SessionRecordLink(db.Model):
    """A logbook record that closing the session wrote, and for whom."""

    __tablename__ = "group_session_record"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id"), index=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("logbook_record.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    session: Mapped[GroupSession] = relationship(back_populates="record_links")
    user: Mapped[User] = relationship()


# create_all (tests, first runs) installs the finality triggers with each table; migration
# 0023 runs the same statements from ``triggers.TRIGGER_STATEMENTS``.
for _table in (
    GroupSession.__table__,
    SessionLeader.__table__,
    SessionPhase.__table__,
    Attendance.__table__,
    SessionRecordLink.__table__,
):
    event.listen(_table, "after_create", triggers.install)


class ProcessNote(db.Model):
    """A leader's own reflection after a session, along the four dimensions of mentalizing.

    Private to its author and the author's assigned supervisors (not the co-leader, not
    the admins): it is the leader's working material for supervision, not evidence. It
    stays editable; the session it belongs to may be open or closed. ``positions`` maps
    each dimension's key to where the group was (-2 first pole … 2 second pole, as the
    vignettes' ratings); ``movements`` maps it to what moved the group on it.
    """

    __tablename__ = "group_process_note"
    __table_args__ = (UniqueConstraint("session_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    positions: Mapped[dict] = mapped_column(JSON, default=dict)
    movements: Mapped[dict] = mapped_column(JSON, default=dict)
    leader_actions: Mapped[str] = mapped_column(Text, default="")
    for_supervision: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[GroupSession] = relationship()
    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ProcessNote {self.id} session={self.session_id} author={self.author_id}>"


class CoLeaderFeedback(db.Model):
    """What one leader of a session tells the other about their leading, signed when given.

    ``ratings`` maps rubric competency codes (``app.requirements.rubric``) to a level 1..5,
    or to None where the author saw too little to say. Final from the moment it is written:
    the triggers of ``feedback_triggers`` refuse any UPDATE or DELETE.
    """

    __tablename__ = "group_co_leader_feedback"
    __table_args__ = (
        UniqueConstraint("session_id", "author_id", "recipient_id"),
        CheckConstraint("author_id != recipient_id", name="not_to_oneself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    went_well: Mapped[str] = mapped_column(Text, default="")
    to_try: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[GroupSession] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])


event.listen(CoLeaderFeedback.__table__, "after_create", feedback_triggers.install)


class ObservationReport(db.Model):
    """An observer's report on a trainee leading one session, assigned first, then signed.

    ``ratings`` maps each rubric competency code (``app.requirements.rubric``) to a level
    1..5 or None (not seen); ``evidence`` maps it to what the observer saw. Signing sets
    the outcome, links the trainee's logbook observation (``record_id``) and makes the row
    final: the triggers of ``observation_triggers`` refuse any later UPDATE or DELETE.
    """

    __tablename__ = "group_observation_report"
    __table_args__ = (
        UniqueConstraint("session_id", "trainee_id"),
        CheckConstraint("observer_id != trainee_id", name="not_of_oneself"),
        _known("observer_status", ObserverStatus, "observer_status_known"),
        CheckConstraint(
            f"outcome IN ('', {', '.join(repr(v.value) for v in ObservationOutcome)})", name="outcome_known"
        ),
        CheckConstraint(
            "signed_at IS NULL OR (outcome != '' AND record_id IS NOT NULL)", name="signed_is_complete"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    observer_status: Mapped[str] = mapped_column(String(30))
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    outcome: Mapped[str] = mapped_column(String(30), default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The trainee's logbook observation that signing wrote (signed by the observer).
    record_id: Mapped[int | None] = mapped_column(ForeignKey("logbook_record.id"), unique=True)

    session: Mapped[GroupSession] = relationship()
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    observer: Mapped[User] = relationship(foreign_keys=[observer_id])

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def __repr__(self) -> str:
        return f"<ObservationReport {self.id} session={self.session_id} trainee={self.trainee_id}>"


event.listen(ObservationReport.__table__, "after_create", observation_triggers.install)


class AttendanceConfirmation(db.Model):
    """A confirmation of attendance a leader issued to a member: one session, or a period.

    What it says is kept as issued (names, hours, the rules met) so that its public page
    and its stored PDF agree for good; only revocation changes the row afterwards.
    ``rules`` lists the requirements of the member's participant rule set (``rule_set``),
    as the engine judged them at issue (``participant_rule_sets``).
    """

    __tablename__ = "attendance_confirmation"
    __table_args__ = (
        CheckConstraint("kind IN ('session', 'period')", name="kind_known"),
        CheckConstraint("period_to >= period_from", name="period_ordered"),
        CheckConstraint("kind != 'session' OR session_id IS NOT NULL", name="session_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("balint_group.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("balint_group_member.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("group_session.id"))
    kind: Mapped[str] = mapped_column(String(20))
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    member_name: Mapped[str] = mapped_column(String(120))
    group_name: Mapped[str] = mapped_column(String(120))
    association_name: Mapped[str] = mapped_column(String(200))
    issuer_name: Mapped[str] = mapped_column(String(120))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    sessions_count: Mapped[int] = mapped_column(Integer)
    total_minutes: Mapped[int] = mapped_column(Integer)
    in_person_minutes: Mapped[int] = mapped_column(Integer)
    online_minutes: Mapped[int] = mapped_column(Integer)
    #: The sessions confirmed: [{"held_on", "minutes", "is_online"}], as issued.
    sessions: Mapped[list] = mapped_column(JSON, default=list)
    rule_set: Mapped[str] = mapped_column(String(40))
    rules: Mapped[list] = mapped_column(JSON, default=list)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revocation_reason: Mapped[str] = mapped_column(Text, default="")

    group: Mapped[Group] = relationship()
    member: Mapped[GroupMember] = relationship()
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def rules_met(self) -> int:
        return sum(1 for rule in self.rules if rule.get("is_met"))

    def __repr__(self) -> str:
        return f"<AttendanceConfirmation {self.serial} {self.kind}>"


event.listen(AttendanceConfirmation.__table__, "after_create", attendance_triggers.install)


class AttendanceAnswer(db.Model):
    """A member's own answer to "were you at this session?", asked by e-mail after it closed.

    The leader took attendance; the member confirms it (or says they were not there), so
    the record of who attended rests on two people. The link's token is kept only as a
    hash; ``answer`` is empty until the member answers, once.

    A "not there" holds the attendance back from confirmations until a leader resolves it:
    ``corrected`` (the member was not there: never counted) or ``kept`` (the leader's
    record stands, for the reason given). The leader's attendance itself stays as taken,
    final with its closed session.
    """

    __tablename__ = "group_attendance_answer"
    __table_args__ = (
        UniqueConstraint("session_id", "member_id"),
        CheckConstraint("answer IN ('', 'confirmed', 'not-there')", name="answer_known"),
        CheckConstraint("(answer = '') = (answered_at IS NULL)", name="answered_once"),
        CheckConstraint("resolution IN ('', 'corrected', 'kept')", name="resolution_known"),
        CheckConstraint(
            "resolution = '' OR (answer = 'not-there' AND resolved_at IS NOT NULL "
            "AND resolved_by_id IS NOT NULL)",
            name="resolution_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("balint_group_member.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str] = mapped_column(String(20), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str] = mapped_column(String(20), default="", server_default="")
    resolution_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[GroupSession] = relationship()
    member: Mapped[GroupMember] = relationship()
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_disputed(self) -> bool:
        """The member says they were not there and no leader has resolved it yet."""
        return self.answer == "not-there" and not self.resolution

    @property
    def is_expired(self) -> bool:
        return not self.answer and self.expires_at <= utcnow()
