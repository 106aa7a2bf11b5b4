"""Request and response models of the groups API (``app.groups.api``).

The OpenAPI document is generated from these classes; the shared bases are the API
machinery's (``app.api.schemas``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from app.api.schemas import Id, ListQuery, LocalTime, Model, Strict
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
from app.logbook.kinds import ObservationOutcome, Phase, SessionRole


class GroupLeaderOut(Model):
    user_id: int
    name: str
    role: LeaderRole
    is_accredited: bool


class GroupMemberOut(Model):
    id: int
    name: str
    has_account: bool
    joined_on: dt.date
    rule_set: str = Field(description="The participant rule set the member's attendance is checked against")


class GroupOut(Model):
    id: int
    name: str
    setting_category: str
    setting: str
    profession_mix: str
    format: GroupFormat
    kind: GroupKind
    rhythm: Rhythm
    starts_on: dt.date
    ends_on: dt.date | None
    leaders: list[GroupLeaderOut]
    members: list[GroupMemberOut] = Field(
        description="Names only: members' e-mail addresses stay on the pages"
    )


class GroupList(Model):
    items: list[GroupOut]
    next_cursor: str | None


class SessionPhaseOut(Model):
    phase: Phase
    started_at: dt.datetime
    ended_at: dt.datetime | None


class SessionAttendanceOut(Model):
    member_id: int
    is_present: bool
    is_online: bool


class SessionRecordLinkOut(Model):
    record_id: int
    user_id: int
    role: SessionRole


class GroupSessionOut(Model):
    """A session as recorded: evidence of attendance and leadership, never case content."""

    id: int
    group_id: int
    status: SessionStatus
    held_on: dt.date
    starts_at: LocalTime
    planned_minutes: int
    mode: SessionMode
    is_briefing_given: bool
    briefing_version: BriefingVersion | Literal[""]
    cases: int | None
    minutes: int | None
    closed_at: dt.datetime | None
    leaders: list[GroupLeaderOut]
    phases: list[SessionPhaseOut]
    attendance: list[SessionAttendanceOut]
    records: list[SessionRecordLinkOut] = Field(description="The logbook records closing wrote")


class GroupSessionList(Model):
    items: list[GroupSessionOut]
    next_cursor: str | None


class GroupSessionIn(Strict):
    held_on: dt.date
    starts_at: LocalTime
    planned_minutes: int = Field(ge=1, le=1440)
    mode: SessionMode


class AttendanceMarkIn(Strict):
    member_id: Id
    is_present: bool
    is_online: bool = False


class GroupAttendanceIn(Strict):
    """Each member named is set as given (members not named are left as they are), so
    sending the same request twice changes nothing."""

    marks: list[AttendanceMarkIn] = Field(min_length=1, max_length=60)


class SessionClosureIn(Strict):
    cases: int = Field(ge=0, le=100)
    minutes: int = Field(ge=1, le=1440)


class SessionClosedForOut(Model):
    name: str
    role: SessionRole
    record_id: int | None
    reason: str


class SessionClosureOut(Model):
    session: GroupSessionOut
    written: list[SessionClosedForOut]


class GroupSessionQuery(ListQuery):
    status: SessionStatus | None = None


# --- co-leader feedback and observation reports -----------------------------------------


class PersonOut(Model):
    id: int
    name: str


class CoLeaderFeedbackOut(Model):
    """Signed when given, and final: a leader's feedback to another leader of a session."""

    id: int
    session_id: int
    author: PersonOut
    recipient: PersonOut
    ratings: dict[str, int | None] = Field(
        description="Level 1..5 per co-leading item of the rubric (C1, C2, C3, C6, C7, C8); null: not seen"
    )
    went_well: str
    to_try: str
    signed_at: dt.datetime


class CoLeaderFeedbackList(Model):
    items: list[CoLeaderFeedbackOut]
    next_cursor: str | None


class CoLeaderFeedbackIn(Strict):
    """Given once per session and recipient, signed at once: a second time is a conflict (409)."""

    recipient_id: Id
    ratings: dict[str, Annotated[int, Field(ge=1, le=5)] | None] = Field(
        description="Level 1..5 per co-leading item (C1, C2, C3, C6, C7, C8); leave out or null: not seen",
        max_length=10,
    )
    went_well: str = Field(max_length=2000)
    to_try: str = Field(default="", max_length=2000)
    privacy_confirmed: bool = False


class ObservationReportOut(Model):
    """Unsigned (``signed_at`` null, the rubric empty) until its observer signs it; then final."""

    id: int
    session_id: int
    trainee: PersonOut
    observer: PersonOut
    observer_status: ObserverStatus
    assigned_at: dt.datetime
    ratings: dict[str, int | None] = Field(description="Level 1..5 per canonical competency; null: not seen")
    evidence: dict[str, str]
    outcome: ObservationOutcome | Literal[""]
    narrative: str
    signed_at: dt.datetime | None
    record_id: int | None = Field(description="The trainee's logbook observation that signing wrote")


class ObservationReportList(Model):
    items: list[ObservationReportOut]
    next_cursor: str | None


class ObserverIn(Strict):
    trainee_id: Id
    observer_id: Id
    observer_status: ObserverStatus


class ObservationSignatureIn(Strict):
    """The observer's rubric, outcome and narrative: signing is final and writes the trainee's
    signed logbook observation."""

    ratings: dict[str, Annotated[int, Field(ge=1, le=5)] | None] = Field(
        description="Level 1..5 per canonical competency (C1..C10); leave out or null: not seen",
        max_length=20,
    )
    evidence: dict[str, Annotated[str, Field(max_length=1000)]] = Field(default_factory=dict, max_length=20)
    outcome: ObservationOutcome
    narrative: str = Field(max_length=4000)
    privacy_confirmed: bool = False


class SessionFilterQuery(ListQuery):
    """Lists of feedback and observation reports: optionally of one session."""

    session_id: Id | None = None


# --- participant rule sets and members' answers ----------------------------------------------


class ParticipantRuleSetOut(Model):
    name: str
    title: str


class ParticipantRuleSetList(Model):
    """Every participant rule set offered, the default (the German rules) first."""

    items: list[ParticipantRuleSetOut]
    next_cursor: str | None = Field(description="Always null: the list is whole")


class MemberRuleSetIn(Strict):
    rule_set: str = Field(
        min_length=1, max_length=40, description="The name of an offered participant rule set"
    )


class MemberRuleSetOut(Model):
    group_id: int
    member_id: int
    name: str
    rule_set: str
    rule_set_title: str


class AttendanceAnswerOut(Model):
    """A present member's own answer to "were you there?"; a "not-there" holds the session
    back from their confirmations until a leader resolves it."""

    id: int
    session_id: int
    member_id: int
    member_name: str
    asked_at: dt.datetime
    answer: Literal["", "confirmed", "not-there"] = Field(description="Empty until the member answers")
    answered_at: dt.datetime | None
    is_disputed: bool = Field(description="Says not there, and no leader has resolved it yet")
    resolution: Literal["", "corrected", "kept"]
    resolution_reason: str
    resolved_by: PersonOut | None
    resolved_at: dt.datetime | None


class AttendanceAnswerList(Model):
    """Present members' answers on one session, oldest first."""

    items: list[AttendanceAnswerOut]
    next_cursor: str | None = Field(description="Always null: one per member present, the list is whole")


class AnswerResolutionIn(Strict):
    """``corrected``: the member was not there, the session never counts for them; ``kept``:
    the leader's record stands, for the reason given (required)."""

    resolution: Literal["corrected", "kept"]
    reason: str = Field(default="", max_length=2000)
