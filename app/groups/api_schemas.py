"""Request and response models of the groups API (``app.groups.api``).

The OpenAPI document is generated from these classes; the shared bases are the API
machinery's (``app.api.schemas``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.api.schemas import Id, ListQuery, Model, Strict
from app.groups.kinds import (
    BriefingVersion,
    GroupFormat,
    GroupKind,
    LeaderRole,
    Rhythm,
    SessionMode,
    SessionStatus,
)
from app.logbook.kinds import Phase, SessionRole


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
    starts_at: dt.time
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
    starts_at: dt.time
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
