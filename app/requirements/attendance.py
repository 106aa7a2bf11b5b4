"""A group member's attendance as the engine's ``attendance`` records.

Members need no account, so participant rule sets cannot read a logbook: they read the
sessions a member attended, straight from the groups' records. One record per closed
session the member was marked present at (in the room or online), with the fields rules
filter on: ``mode``, ``minutes`` (how long the session ran), ``group_size`` (the group's
roster on that day: every member who had joined by then, present or not; the PSGV's "a
group of 8 to 12" describes the group, not who came on one evening) and ``group_kind``.

A member who answered "I was not there" (``attendance_answers``) is held back until the
leader resolves it: if the leader corrects the attendance, the session is not counted;
if the leader keeps it (with a reason), it counts. Held-back sessions are returned apart
so that a confirmation can say why they are missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from app.extensions import db
from app.groups.kinds import SessionMode, SessionStatus
from app.groups.models import Attendance, AttendanceAnswer, Group, GroupMember, GroupSession
from app.requirements.facts import Fact, TraineeFacts

RECORDS = "attendance"
NOT_THERE, CORRECTED, KEPT = "not-there", "corrected", "kept"


@dataclass(frozen=True)
class Attended:
    """One closed session a member was marked present at."""

    attendance_id: int
    session_id: int
    group_id: int
    held_on: dt.date
    minutes: int
    is_online: bool
    group_size: int
    group_kind: str
    #: "" when it counts; else why it is held back (the member's answer awaits the leader).
    held_back: str = ""

    @property
    def mode(self) -> str:
        return SessionMode.ONLINE.value if self.is_online else SessionMode.IN_PERSON.value

    def fact(self) -> Fact:
        return Fact(
            self.attendance_id,
            RECORDS,
            self.held_on,
            "signed",  # a closed session is final: its attendance stands as a signed record
            {
                "mode": self.mode,
                "minutes": self.minutes,
                "group_size": self.group_size,
                "group_kind": self.group_kind,
                "group": f"group:{self.group_id}",
            },
        )


def _roster_size():
    """The members of the session's group who had joined by the day of the session."""
    return (
        select(func.count(GroupMember.id))
        .where(GroupMember.group_id == GroupSession.group_id, GroupMember.joined_on <= GroupSession.held_on)
        .correlate(GroupSession)
        .scalar_subquery()
    )


def attended(
    member_ids: list[int], *, on_or_after: dt.date | None = None, on_or_before: dt.date | None = None
) -> list[Attended]:
    """The closed sessions these members (one person in one or more groups) were present at,
    oldest first, in one query; sessions whose attendance the leader corrected are left out."""
    if not member_ids:
        return []
    query = (
        select(
            Attendance.id,
            GroupSession.id,
            GroupSession.group_id,
            GroupSession.held_on,
            GroupSession.minutes,
            Attendance.is_online,
            _roster_size(),
            Group.kind,
            AttendanceAnswer.answer,
            AttendanceAnswer.resolution,
        )
        .join(Attendance, Attendance.session_id == GroupSession.id)
        .join(Group, Group.id == GroupSession.group_id)
        .join(GroupMember, GroupMember.id == Attendance.member_id)
        .outerjoin(
            AttendanceAnswer,
            and_(
                AttendanceAnswer.session_id == GroupSession.id,
                AttendanceAnswer.member_id == Attendance.member_id,
            ),
        )
        .where(
            Attendance.member_id.in_(member_ids),
            Attendance.is_present.is_(True),
            GroupSession.group_id == GroupMember.group_id,
            GroupSession.status == SessionStatus.CLOSED.value,
        )
        .order_by(GroupSession.held_on, GroupSession.id)
    )
    if on_or_after is not None:
        query = query.where(GroupSession.held_on >= on_or_after)
    if on_or_before is not None:
        query = query.where(GroupSession.held_on <= on_or_before)
    found = []
    for row in db.session.execute(query):
        attendance_id, session_id, group_id, held_on, minutes, is_online, size, kind, answer, resolution = row
        if answer == NOT_THERE and resolution == CORRECTED:
            continue  # the leader agreed: the member was not there
        held_back = (
            "the member says they were not there; the leader has not resolved it yet"
            if answer == NOT_THERE and resolution != KEPT
            else ""
        )
        found.append(
            Attended(
                attendance_id, session_id, group_id, held_on, minutes or 0, is_online, size, kind, held_back
            )
        )
    return found


def member_facts(attendance: list[Attended], as_of: dt.date) -> TraineeFacts:
    """TraineeFacts of the counted attendance, for a participant rule set.

    A member has no enrolment: the start is their first counted session (or ``as_of``)."""
    counted = [item for item in attendance if not item.held_back]
    start = counted[0].held_on if counted else as_of
    return TraineeFacts(enrolment_start=start, as_of=as_of, facts=tuple(item.fact() for item in counted))
