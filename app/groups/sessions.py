"""Sessions: planning and the run sheet (briefing, phases, attendance); closing is in ``closing``.

The run sheet's writes are idempotent, because a phone on a poor connection replays
what it could not send: starting a phase records the first time it was started and
ignores repeats; attendance and the briefing are set to a value, not toggled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import User
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.groups import services
from app.groups.kinds import (
    RUN_PHASES,
    BriefingVersion,
    GroupFormat,
    SessionMode,
    SessionStatus,
)
from app.groups.models import (
    Attendance,
    Group,
    GroupSession,
    SessionLeader,
    SessionPhase,
    SessionRecordLink,
)
from app.logbook.validation import Problems

#: How far a replayed timestamp may lie from the server's clock (a phone's clock drifts).
CLOCK_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class PlanInput:
    held_on: date | None
    starts_at: time | None
    planned_minutes: int | None
    mode: str


def today() -> date:
    return utcnow().date()


# --- loading --------------------------------------------------------------------------


def _load(association_id: int, session_id: int) -> GroupSession:
    session = db.session.scalar(
        select(GroupSession)
        .where(GroupSession.id == session_id)
        .options(
            selectinload(GroupSession.leaders).joinedload(SessionLeader.user),
            selectinload(GroupSession.phases),
            selectinload(GroupSession.attendance),
            selectinload(GroupSession.record_links).joinedload(SessionRecordLink.user),
        )
    )
    if session is None or session.association_id != association_id:
        raise NotFound(_("No such session."))
    return session


def get_session(actor: User, association_id: int, session_id: int) -> GroupSession:
    """A session of a group the actor may read."""
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such session."))
    session = _load(association_id, session_id)
    # Loaded into the identity map, so ``session.group`` below costs no statement.
    services.get_group(actor, association_id, session.group_id)
    return session


def runnable_session(actor: User, association_id: int, session_id: int) -> GroupSession:
    """A session the actor leads that is still open for changes."""
    session = get_session(actor, association_id, session_id)
    policy.require_run_group(actor, session.group)
    if session.is_closed:
        raise InvalidState(_("This session is closed and final; it cannot be changed."))
    return session


def list_sessions(group: Group) -> list[GroupSession]:
    """A group's sessions, newest first (the caller has checked the group may be read)."""
    return list(
        db.session.scalars(
            select(GroupSession)
            .where(GroupSession.group_id == group.id)
            .order_by(GroupSession.held_on.desc(), GroupSession.starts_at.desc())
        )
    )


# --- planning ---------------------------------------------------------------------------


def default_mode(group: Group) -> str:
    return SessionMode.ONLINE.value if group.format == GroupFormat.ONLINE else SessionMode.IN_PERSON.value


def plan_session(actor: User, association_id: int, group_id: int, data: PlanInput) -> GroupSession:
    """A session on a date and time; it is led by the group's leaders of that day."""
    group = services.runnable_group(actor, association_id, group_id)
    problems = Problems()
    if data.held_on is None:
        problems.add("held_on", _("Enter the date of the session."))
    elif data.held_on < group.starts_on or (group.ends_on and data.held_on > group.ends_on):
        problems.add("held_on", _("The date lies outside the group's period."))
    if data.starts_at is None:
        problems.add("starts_at", _("Enter the time the session starts."))
    if data.planned_minutes is None or not 15 <= data.planned_minutes <= 600:
        problems.add("planned_minutes", _("Enter the planned length in minutes, from 15 to 600."))
    if data.mode not in {mode.value for mode in SessionMode}:
        problems.add("mode", _("Choose one of the options."))
    problems.raise_if_any()
    session = GroupSession(
        association_id=association_id,
        group_id=group.id,
        held_on=data.held_on,
        starts_at=data.starts_at,
        planned_minutes=data.planned_minutes,
        mode=data.mode,
        created_by_id=actor.id,
        leaders=[
            SessionLeader(user_id=leader.user_id, role=leader.role, is_accredited=leader.is_accredited)
            for leader in group.leaders
        ],
    )
    db.session.add(session)
    db.session.flush()
    audit("group_session.planned", session, actor=actor, held_on=data.held_on.isoformat())
    return session


# --- the run sheet -----------------------------------------------------------------------


def moment_of(at: datetime | None) -> datetime:
    """When something happened: the phone's time if it is plausible, else now."""
    now = utcnow()
    if at is None:
        return now
    if at.tzinfo is None:
        raise ValidationError(_("The time must include its time zone."), fields={"at": [_("Invalid time.")]})
    if at > now + CLOCK_SLACK or at < now - timedelta(hours=24):
        return now
    return at


def _start_running(actor: User, session: GroupSession, at: datetime) -> None:
    if session.status == SessionStatus.PLANNED:
        session.status = SessionStatus.RUNNING.value
        session.opened_at = at
        audit("group_session.opened", session, actor=actor)


def record_briefing(
    actor: User, association_id: int, session_id: int, version: str, *, is_given: bool = True
) -> GroupSession:
    """Whether the briefing was given, and which version (set, so a replay changes nothing)."""
    session = runnable_session(actor, association_id, session_id)
    if is_given and version not in {v.value for v in BriefingVersion}:
        raise ValidationError(
            _("Choose the version you gave."), fields={"version": [_("Choose one of the options.")]}
        )
    wanted = (is_given, version if is_given else "")
    if (session.is_briefing_given, session.briefing_version) != wanted:
        session.is_briefing_given, session.briefing_version = wanted
        _start_running(actor, session, utcnow())
        audit("group_session.briefing", session, actor=actor, is_given=is_given, version=wanted[1])
    return session


def start_phase(
    actor: User, association_id: int, session_id: int, phase: str, *, at: datetime | None = None
) -> GroupSession:
    """Start a phase at ``at`` (the phone's clock); the phase before it ends then.

    A phase already started keeps its first time: a replay, or a second tap, does nothing.
    """
    session = runnable_session(actor, association_id, session_id)
    order = [p.value for p in RUN_PHASES]
    if phase not in order:
        raise ValidationError(_("No such phase."), fields={"phase": [_("Choose a phase of the run sheet.")]})
    if session.phase(phase) is not None:
        return session
    moment = moment_of(at)
    for earlier in session.phases:
        if earlier.ended_at is None and order.index(earlier.phase) < order.index(phase):
            earlier.ended_at = max(moment, earlier.started_at)
    session.phases.append(SessionPhase(phase=phase, started_at=moment))
    _start_running(actor, session, moment)
    db.session.flush()
    audit("group_session.phase_started", session, actor=actor, phase=phase)
    return session


MARKS = {"absent": (False, False), "room": (True, False), "online": (True, True)}


def set_attendance(
    actor: User,
    association_id: int,
    session_id: int,
    member_id: int,
    *,
    is_present: bool,
    is_online: bool = False,
) -> Attendance:
    """Mark one member present (in the room or online) or absent."""
    session = runnable_session(actor, association_id, session_id)
    return _mark(actor, session, member_id, is_present, is_present and is_online)


def take_attendance(actor: User, association_id: int, session_id: int, marks: dict[int, str]) -> GroupSession:
    """Several members at once, each ``absent``, ``room`` or ``online`` (the run sheet's list)."""
    session = runnable_session(actor, association_id, session_id)
    unknown = {member_id for member_id, mark in marks.items() if mark not in MARKS}
    if unknown:
        raise ValidationError(_("Mark each member absent, in the room or online."))
    for member_id, mark in marks.items():
        _mark(actor, session, member_id, *MARKS[mark])
    return session


def _mark(
    actor: User, session: GroupSession, member_id: int, is_present: bool, is_online: bool
) -> Attendance:
    if member_id not in {member.id for member in session.group.members}:
        raise ValidationError(
            _("No such member in this group."), fields={"member_id": [_("Choose a member of the group.")]}
        )
    entry = next((a for a in session.attendance if a.member_id == member_id), None)
    if entry is None:
        entry = Attendance(member_id=member_id, is_present=is_present, is_online=is_online)
        session.attendance.append(entry)
    elif (entry.is_present, entry.is_online) == (is_present, is_online):
        return entry
    entry.is_present, entry.is_online, entry.updated_at = is_present, is_online, utcnow()
    _start_running(actor, session, utcnow())
    db.session.flush()
    audit(
        "group_session.attendance",
        session,
        actor=actor,
        member_id=member_id,
        is_present=is_present,
        is_online=is_online,
    )
    return entry
