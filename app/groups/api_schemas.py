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


class LeaderOut(Model):
    user_id: int
    name: str
    role: LeaderRole
    is_accredited: bool


class MemberOut(Model):
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
    leaders: list[LeaderOut]
    members: list[MemberOut] = Field(description="Names only: members' e-mail addresses stay on the pages")


class GroupList(Model):
    items: list[GroupOut]
    next_cursor: str | None


class PhaseOut(Model):
    phase: Phase
    started_at: dt.datetime
    ended_at: dt.datetime | None


class AttendanceOut(Model):
    member_id: int
    is_present: bool
    is_online: bool


class RecordLinkOut(Model):
    record_id: int
    user_id: int
    role: SessionRole


class SessionOut(Model):
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
    leaders: list[LeaderOut]
    phases: list[PhaseOut]
    attendance: list[AttendanceOut]
    records: list[RecordLinkOut] = Field(description="The logbook records closing wrote")


class SessionList(Model):
    items: list[SessionOut]
    next_cursor: str | None


class SessionIn(Strict):
    held_on: dt.date
    starts_at: dt.time
    planned_minutes: int = Field(ge=1, le=1440)
    mode: SessionMode


class MarkIn(Strict):
    member_id: Id
    is_present: bool
    is_online: bool = False


class AttendanceIn(Strict):
    """Each member named is set as given (members not named are left as they are), so
    sending the same request twice changes nothing."""

    marks: list[MarkIn] = Field(min_length=1, max_length=60)


class ClosureIn(Strict):
    cases: int = Field(ge=0, le=100)
    minutes: int = Field(ge=1, le=1440)


class ClosedForOut(Model):
    name: str
    role: SessionRole
    record_id: int | None
    reason: str


class ClosureOut(Model):
    session: SessionOut
    written: list[ClosedForOut]


class SessionQuery(ListQuery):
    status: SessionStatus | None = None
