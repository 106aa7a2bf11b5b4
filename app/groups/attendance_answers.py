"""Members confirm their own attendance: after a session closes, the leader asks by e-mail.

Members need no account (a name and an e-mail address are enough), so each present member
gets a one-time link to a page that shows the group and the date and asks one question:
were you there? The answer is kept beside the leader's attendance (which is final once the
session closed) and shown to the leaders; an attendance confirmation or certificate of
attendance can then rest on two people's word. Links expire, work once, and are stored
only as hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select, update

from app import policy
from app.accounts.models import User
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.groups import sessions
from app.groups.kinds import SessionStatus
from app.groups.models import Attendance, AttendanceAnswer, GroupSession
from app.mail.services import send_mail
from app.privacy.guard import guard_free_text
from app.tokens import hash_token, new_token
from app.urls import external_url

ANSWERS = ("confirmed", "not-there")


def valid_days() -> int:
    return int(current_app.config.get("ATTENDANCE_ANSWER_VALID_DAYS", 30))


@dataclass(frozen=True)
class AskOutcome:
    asked: int  # links sent now
    already: int  # members asked before (each is asked once)
    without_email: int  # present, but no address to ask


def ask_members(actor: User, association_id: int, session_id: int) -> AskOutcome:
    """E-mail each present member of a closed session a link to confirm they were there."""
    session = sessions.get_session(actor, association_id, session_id)
    policy.require_run_group(actor, session.group)
    if session.status != SessionStatus.CLOSED:
        raise InvalidState(_("Close the session first: members confirm the attendance you recorded."))
    earlier = {
        row.member_id: row
        for row in db.session.scalars(
            select(AttendanceAnswer).where(AttendanceAnswer.session_id == session.id)
        )
    }
    asked = already = without_email = 0
    now = utcnow()
    expires = now + timedelta(days=valid_days())
    for mark in session.attendance:
        if not mark.is_present:
            continue
        row = earlier.get(mark.member_id)
        if row is not None and (row.answer or row.expires_at > now):
            already += 1  # answered, or a link that still works
            continue
        if not mark.member.email:
            without_email += 1
            continue
        token, token_hash = new_token()
        if row is None:  # first ask; an expired, unanswered link is replaced by a new one
            row = AttendanceAnswer(
                association_id=association_id, session_id=session.id, member_id=mark.member_id
            )
            db.session.add(row)
        row.token_hash, row.asked_at, row.expires_at = token_hash, now, expires
        send_mail(
            mark.member.email,
            _("Please confirm you attended %(group)s", group=session.group.name),
            "\n".join(
                [
                    _(
                        "%(leader)s recorded that you attended the session of %(group)s on %(date)s.",
                        leader=actor.name,
                        group=session.group.name,
                        date=format_date(session.held_on, "long"),
                    ),
                    "",
                    _(
                        "Please confirm it, or tell us you were not there: %(url)s",
                        url=external_url("attendance.answer", token=token),
                    ),
                    "",
                    _("The link works once and for %(days)d days.", days=valid_days()),
                ]
            ),
            association_id=association_id,
        )
        asked += 1
    outcome = AskOutcome(asked, already, without_email)
    db.session.flush()
    audit(
        "group_session.members_asked_to_confirm",
        session,
        actor=actor,
        association_id=association_id,
        asked=outcome.asked,
    )
    return outcome


def _by_token(token: str) -> AttendanceAnswer:
    answer = db.session.scalar(
        select(AttendanceAnswer).where(AttendanceAnswer.token_hash == hash_token(token or ""))
    )
    if answer is None:
        raise NotFound(_("This link is not valid. Ask the group's leader for a new one."))
    return answer


def open_answer(token: str) -> AttendanceAnswer:
    """The question behind a link, while it can still be answered."""
    answer = _by_token(token)
    if answer.answer:
        raise InvalidState(_("You have already answered. Thank you."))
    if answer.expires_at <= utcnow():
        raise InvalidState(_("This link has expired. Ask the group's leader for a new one."))
    return answer


def give_answer(token: str, value: str) -> AttendanceAnswer:
    """The member's answer, once; nobody is signed in, so the trail names no actor."""
    answer = open_answer(token)
    if value not in ANSWERS:
        raise ValidationError(
            _("Choose one of the answers."), fields={"answer": [_("Choose one of the answers.")]}
        )
    # Conditional on still being unanswered: of two answers sent at once, one wins.
    changed = db.session.execute(
        update(AttendanceAnswer)
        .where(AttendanceAnswer.id == answer.id, AttendanceAnswer.answer == "")
        .values(answer=value, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise InvalidState(_("You have already answered. Thank you."))
    db.session.refresh(answer)
    audit(
        "group_session.member_answered",
        answer.session,
        actor=None,
        association_id=answer.association_id,
        member_id=answer.member_id,
        answer=value,
    )
    return answer


def answers_on(actor: User, session: GroupSession) -> dict[int, AttendanceAnswer]:
    """The members' answers by member id, for the session's leaders and the association's admins."""
    if not (policy.can_run_group(actor, session.group) or policy.is_admin(actor, session.association_id)):
        return {}
    rows = db.session.scalars(select(AttendanceAnswer).where(AttendanceAnswer.session_id == session.id))
    return {row.member_id: row for row in rows}


def present(session: GroupSession) -> list[Attendance]:
    return [mark for mark in session.attendance if mark.is_present]


# --- a member's "not there": the leader resolves it ------------------------------------------

RESOLUTIONS = ("corrected", "kept")


def answer_for_leader(actor: User, association_id: int, answer_id: int) -> AttendanceAnswer:
    """A member's answer, for a leader of its group; another association's reads as not found."""
    answer = db.session.get(AttendanceAnswer, answer_id)
    if answer is None or answer.association_id != association_id:
        raise NotFound(_("No such answer."))
    policy.require_run_group(actor, answer.session.group)
    return answer


def resolve(
    actor: User,
    association_id: int,
    answer_id: int,
    resolution: str,
    reason: str,
    *,
    privacy_confirmed: bool = False,
) -> AttendanceAnswer:
    """A leader settles a member's "I was not there": ``corrected`` (the member was not there,
    so the session never counts for them) or ``kept`` (the leader's record stands; a reason is
    required). Until then the session is held back from the member's confirmations. The
    reason is free text about an evening of a Balint group, so it passes the privacy guard."""
    answer = answer_for_leader(actor, association_id, answer_id)
    if answer.answer != "not-there":
        raise InvalidState(_("Only a member's \u201cI was not there\u201d is resolved."))
    if answer.resolution:
        raise InvalidState(_("This answer is resolved already."))
    reason = (reason or "").strip()
    fields: dict[str, list[str]] = {}
    if resolution not in RESOLUTIONS:
        fields["resolution"] = [_("Choose one of the options.")]
    elif resolution == "kept" and not reason:
        fields["reason"] = [_("Say why your record stands although the member says they were not there.")]
    elif len(reason) > 2000:
        fields["reason"] = [_("Keep the reason under 2,000 characters.")]
    if fields:
        raise ValidationError(next(iter(fields.values()))[0], fields=fields)
    guard_free_text(
        {"reason": reason},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=answer.session,
        association_id=association_id,
    )
    answer.resolution, answer.resolution_reason = resolution, reason
    answer.resolved_by_id, answer.resolved_at = actor.id, utcnow()
    db.session.flush()
    audit(
        "group_session.attendance_resolved",
        answer.session,
        actor=actor,
        association_id=association_id,
        member_id=answer.member_id,
        resolution=resolution,
    )
    return answer
