"""Closing a session: final, and the source of its logbook records.

Closing writes each leader's and co-leader's logbook record (and an enrolled member's)
through the logbook's own services, pre-filled from the session and submitted for
sign-off in one step, links them to the session, and closes it for good: the service
refuses any later change (``sessions.runnable_session``) and so does the database
(``app.groups.triggers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import formatting, policy
from app.accounts.models import User
from app.audit.services import record as audit
from app.database import utcnow
from app.extensions import db
from app.groups.kinds import LOGBOOK_GROUP_KIND, GroupKind, LeaderRole, SessionMode, SessionStatus
from app.groups.models import GroupSession, SessionLeader, SessionRecordLink
from app.groups.sessions import moment_of, runnable_session, today
from app.logbook import records
from app.logbook.kinds import SessionRole
from app.logbook.validation import Problems, SessionInput
from app.programmes.models import Enrolment, EnrolmentStatus

#: What a record written from a session says in place of the leader's own reflection,
#: which belongs to the leader's process note, not to the session's shared record. Not
#: translated: it is part of the record's signed content.
REFLECTION = "Written from the group's session record when it was closed ({group}, {day})."


@dataclass(frozen=True)
class ClosedFor:
    """What closing did for one person: the record written, or why none was."""

    name: str
    role: str
    record_id: int | None
    reason: str = ""


def _active_enrolment(user_id: int, association_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment)
        .where(
            Enrolment.trainee_id == user_id,
            Enrolment.association_id == association_id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .order_by(Enrolment.started_on.desc(), Enrolment.id.desc())
        .limit(1)
    )


def _partner(session: GroupSession, leader: SessionLeader) -> SessionLeader | None:
    """Whom a leader's record names as co-leader: the leader for a co-leader, else the first other."""
    others = [other for other in session.leaders if other.user_id != leader.user_id]
    if leader.role == LeaderRole.CO_LEADER:
        others.sort(key=lambda other: other.role != LeaderRole.LEADER)
    return others[0] if others else None


def _input(session: GroupSession, role: str, mode: str, present: int, **extra) -> SessionInput:
    group = session.group
    return SessionInput(
        occurred_on=session.held_on,
        role=role,
        minutes=session.minutes,
        mode=mode,
        group_kind=LOGBOOK_GROUP_KIND[GroupKind(group.kind)].value,
        setting_category=group.setting_category,
        setting=group.setting,
        members=present,
        cases=session.cases,
        phases=tuple(p.phase for p in session.phases),
        **extra,
    )


def _write_record(
    session: GroupSession, user: User, role: str, data: SessionInput, written: list[ClosedFor]
) -> None:
    enrolment = _active_enrolment(user.id, session.association_id)
    if enrolment is None or not policy.is_trainee(user, session.association_id):
        written.append(ClosedFor(user.name, role, None, _("No active enrolment: no logbook record.")))
        return
    # The logbook's own service, in the trainee's name (only the trainee writes in their
    # logbook): checked, audited and sent to their supervisors like any record. The free
    # text is the group's setting, guarded when the admin wrote it.
    record = records.create_record(
        user, session.association_id, enrolment.id, data, privacy_confirmed=True, submit=True
    )
    db.session.add(SessionRecordLink(session_id=session.id, record_id=record.id, user_id=user.id, role=role))
    written.append(ClosedFor(user.name, role, record.id))


def close_session(
    actor: User,
    association_id: int,
    session_id: int,
    *,
    cases: int | None,
    minutes: int | None,
    is_confirmed: bool = True,
    at: datetime | None = None,
) -> list[ClosedFor]:
    """Close a held session for good and write the logbook records it stands for.

    ``is_confirmed``: the leader ticked that closing is final (the page asks; the API's
    request is itself the confirmation)."""
    session = runnable_session(actor, association_id, session_id)
    present = [a for a in session.attendance if a.is_present]
    problems = Problems()
    if not is_confirmed:
        problems.add("confirm", _("Tick the box to confirm: closing is final."))
    if session.held_on > today():
        problems.add(
            "minutes",
            _(
                "This session is planned for %(day)s: close it once it has been held.",
                day=formatting.date(session.held_on),
            ),
        )
    if cases is None or not 0 <= cases <= 20:
        problems.add("cases", _("Enter the number of cases, from 0 to 20."))
    if minutes is None or not 15 <= minutes <= 600:
        problems.add("minutes", _("Enter how long the session ran, from 15 to 600 minutes."))
    if not 1 <= len(present) <= 30:
        problems.add("cases", _("Take attendance first: between 1 and 30 members present."))
    problems.raise_if_any()
    moment = moment_of(at)
    for phase in session.phases:
        if phase.ended_at is None:
            phase.ended_at = max(moment, phase.started_at)
    session.cases, session.minutes = cases, minutes
    db.session.flush()

    reflection = REFLECTION.format(group=session.group.name, day=session.held_on.isoformat())
    written: list[ClosedFor] = []
    for leader in session.leaders:
        partner = _partner(session, leader)
        data = _input(
            session,
            SessionRole.LEADER.value if leader.role == LeaderRole.LEADER else SessionRole.CO_LEADER.value,
            session.mode,
            len(present),
            co_leader_id=partner.user_id if partner else None,
            is_co_leader_accredited=bool(partner and partner.is_accredited),
            reflection=reflection,
        )
        _write_record(session, leader.user, leader.role, data, written)
    members = {member.id: member for member in session.group.members}
    for entry in present:
        member = members[entry.member_id]
        if member.user_id is None or member.user_id in {leader.user_id for leader in session.leaders}:
            continue
        user = db.session.get(User, member.user_id)
        mode = SessionMode.ONLINE.value if entry.is_online else SessionMode.IN_PERSON.value
        _write_record(
            session, user, SessionRole.MEMBER.value, _input(session, "member", mode, len(present)), written
        )
    db.session.flush()  # the links go in while the session is still open to them

    session.status = SessionStatus.CLOSED.value
    session.closed_at = utcnow()
    session.closed_by_id = actor.id
    db.session.flush()
    audit(
        "group_session.closed",
        session,
        actor=actor,
        cases=cases,
        minutes=minutes,
        present=len(present),
        records=[item.record_id for item in written if item.record_id],
    )
    return written
