"""Attendance confirmations: an accredited leader confirms a member's attendance.

Two kinds: one closed session the member attended, or a certificate of attendance over
a period (the sessions, the hours, in person and online). Before issuing, the member's
attendance is checked by the requirements engine against the member's chosen participant
rule set (``participant_rule_sets``; the German PSGV rules by default) and the leader sees
each rule met or not, with the engine's reason; the confirmation records which rules it
meets. A session the member said they did not attend is held back until a leader resolves
it (``attendance_answers.resolve``). Issuing records the confirmation; a job renders the
PDF once from that record and stores it (``attendance_documents``, ``app.documents``):
downloads serve those bytes, and until then the pages say it is being prepared. A random
serial names it on a public verification page (``/attendance/<serial>``). Once the PDF is
stored the member is sent the link by e-mail; a member with an account also gets a
notification. Revocation (by the issuer or an admin)
is the only change afterwards.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import Association, User
from app.audit.services import record as audit
from app.certificates.serials import RANDOM_ALPHABET, check_character
from app.database import utcnow
from app.documents import services as documents
from app.documents.models import DocumentKind, StoredDocument
from app.errors import Forbidden, InvalidState, NotFound
from app.extensions import db
from app.groups import participant_rule_sets
from app.groups.models import AttendanceConfirmation, Group, GroupMember, GroupSession
from app.groups.services import get_group
from app.logbook.validation import Problems
from app.pagination import Page, paginate
from app.requirements import attendance as attendance_source
from app.requirements.attendance import Attended
from app.urls import external_url

SESSION, PERIOD = "session", "period"
KINDS = (SESSION, PERIOD)
PDF_MEDIA_TYPE = "application/pdf"
SERIAL_PATTERN = re.compile(
    r"^AT-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-Z])$"
)


# --- serials ---------------------------------------------------------------------------------


def new_serial() -> str:
    """``AT-XXXX-XXXX-XXXX-C``: 60 random bits of Crockford base32 and a MOD 37,36 check."""
    groups = ["".join(secrets.choice(RANDOM_ALPHABET) for _ in range(4)) for _ in range(3)]
    body = "AT" + "".join(groups)
    return f"AT-{'-'.join(groups)}-{check_character(body)}"


def is_well_formed(serial: str) -> bool:
    match = SERIAL_PATTERN.match(serial or "")
    if match is None:
        return False
    *parts, check = match.groups()
    return check_character("AT" + "".join(parts)) == check


def verify_url(serial: str) -> str:
    return external_url("attendance.verify", serial=serial)


# --- the member's attendance and the preview -------------------------------------------------


@dataclass
class Preview:
    """What a confirmation would say, and whether this leader may issue it."""

    group: Group
    member: GroupMember
    kind: str
    period_from: date
    period_to: date
    sessions: list[GroupSession]
    attended: list[Attended]
    rules: list[participant_rule_sets.RuleResult]
    may_issue: bool
    why_not: str = ""
    session: GroupSession | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)
    rule_set: str = participant_rule_sets.DEFAULT
    rule_set_title: str = ""
    #: Sessions the member said they missed, not counted until a leader resolves them.
    held_back: list[Attended] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.attended)

    @property
    def online_minutes(self) -> int:
        return sum(item.minutes for item in self.attended if item.is_online)

    @property
    def in_person_minutes(self) -> int:
        return self.total_minutes - self.online_minutes

    @property
    def unmet(self) -> list[participant_rule_sets.RuleResult]:
        return [rule for rule in self.rules if not rule.is_met]


def attended_sessions(
    member: GroupMember, *, on_or_after: date | None = None, on_or_before: date | None = None
) -> list[Attended]:
    """The closed sessions of the member's group the member was present at, oldest first
    (those held back by the member's "not there" included, marked ``held_back``)."""
    return attendance_source.attended([member.id], on_or_after=on_or_after, on_or_before=on_or_before)


def _sessions(items: list[Attended]) -> list[GroupSession]:
    if not items:
        return []
    found = {
        s.id: s
        for s in db.session.scalars(
            select(GroupSession).where(GroupSession.id.in_([i.session_id for i in items]))
        )
    }
    return [found[item.session_id] for item in items]


def led_member(actor: User, association_id: int, group_id: int, member_id: int) -> tuple[Group, GroupMember]:
    """A member of a group the actor leads; another association's reads as not found."""
    group = get_group(actor, association_id, group_id)
    member = next((m for m in group.members if m.id == member_id), None)
    if member is None:
        raise NotFound(_("No such member."))
    policy.require_run_group(actor, group)
    return group, member


def preview(
    actor: User,
    association_id: int,
    group_id: int,
    member_id: int,
    *,
    kind: str,
    session_id: int | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> Preview:
    """The confirmation as it would be issued, checked against the participant rules."""
    group, member = led_member(actor, association_id, group_id, member_id)
    problems = Problems()
    session: GroupSession | None = None
    if kind == SESSION:
        everything = attended_sessions(member)
        chosen = [item for item in everything if item.session_id == session_id and not item.held_back]
        if not chosen:
            problems.add("session_id", _("Choose a closed session the member attended."))
            problems.raise_if_any()
        items = chosen
        session = db.session.get(GroupSession, session_id)
        # The rules look at the member's attendance up to and including that session.
        history = [item for item in everything if item.held_on <= session.held_on]
        period_from = period_to = session.held_on
    elif kind == PERIOD:
        if period_from is None:
            problems.add("period_from", _("Enter the first day of the period."))
        if period_to is None:
            problems.add("period_to", _("Enter the last day of the period."))
        if period_from and period_to and period_to < period_from:
            problems.add("period_to", _("The period ends before it begins."))
        problems.raise_if_any()
        history = attended_sessions(member, on_or_after=period_from, on_or_before=period_to)
        items = [item for item in history if not item.held_back]
        if not items:
            problems.add("period_from", _("The member attended no closed session in this period."))
            problems.raise_if_any()
    else:
        problems.add("kind", _("Choose one of the options."))
        problems.raise_if_any()
    may_issue = policy.can_issue_attendance(actor, group, session)
    why_not = "" if may_issue else policy.why_not_issue_attendance(group)
    return Preview(
        group=group,
        member=member,
        kind=kind,
        period_from=period_from,
        period_to=period_to,
        sessions=_sessions(items),
        attended=items,
        rules=participant_rule_sets.evaluate(member.rule_set, history, period_to),
        may_issue=may_issue,
        why_not=why_not,
        session=session,
        rule_set=participant_rule_sets.effective(member.rule_set),
        rule_set_title=participant_rule_sets.title_of(member.rule_set),
        held_back=[item for item in history if item.held_back],
    )


def issuable_sessions(member: GroupMember) -> list[GroupSession]:
    """The sessions a per-session confirmation can name (not those held back)."""
    return _sessions([item for item in attended_sessions(member) if not item.held_back])


# --- issuing ---------------------------------------------------------------------------------


def issue(
    actor: User,
    association_id: int,
    group_id: int,
    member_id: int,
    *,
    kind: str,
    session_id: int | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> AttendanceConfirmation:
    """Issue the confirmation: stored with its PDF, audited, sent to the member."""
    draft = preview(
        actor,
        association_id,
        group_id,
        member_id,
        kind=kind,
        session_id=session_id,
        period_from=period_from,
        period_to=period_to,
    )
    policy.require_issue_attendance(actor, draft.group, draft.session)
    association = db.session.get(Association, association_id)
    confirmation = AttendanceConfirmation(
        association_id=association_id,
        group_id=draft.group.id,
        member_id=draft.member.id,
        session_id=draft.session.id if draft.session else None,
        kind=kind,
        serial=new_serial(),
        member_name=draft.member.name,
        group_name=draft.group.name,
        association_name=association.name,
        issuer_name=actor.name,
        period_from=draft.period_from,
        period_to=draft.period_to,
        sessions_count=len(draft.attended),
        total_minutes=draft.total_minutes,
        in_person_minutes=draft.in_person_minutes,
        online_minutes=draft.online_minutes,
        sessions=[
            {"held_on": item.held_on.isoformat(), "minutes": item.minutes, "is_online": item.is_online}
            for item in draft.attended
        ],
        rule_set=draft.rule_set,
        rules=[rule.as_dict() for rule in draft.rules],
        issued_by_id=actor.id,
        issued_at=utcnow(),
    )
    db.session.add(confirmation)
    db.session.flush()
    # The PDF (and the member's e-mail, which links to it) come from a job, after the commit.
    from app.groups import attendance_documents  # it builds on this module

    attendance_documents.queue(confirmation)
    audit(
        "attendance_confirmation.issued",
        confirmation,
        actor=actor,
        association_id=association_id,
        kind=kind,
        member_id=draft.member.id,
        serial=confirmation.serial,
        rules_met=confirmation.rules_met,
    )
    return confirmation


# --- reading, downloading, revoking ----------------------------------------------------------


def get_confirmation(actor: User, association_id: int, confirmation_id: int) -> AttendanceConfirmation:
    confirmation = db.session.scalar(
        select(AttendanceConfirmation)
        .where(AttendanceConfirmation.id == confirmation_id)
        .options(selectinload(AttendanceConfirmation.group).selectinload(Group.leaders))
    )
    if confirmation is None or confirmation.association_id != association_id:
        raise NotFound(_("No such confirmation."))
    if not policy.can_view_attendance_confirmation(actor, confirmation):
        raise Forbidden(_("You may not see this confirmation."))
    return confirmation


def stored_pdf(confirmation: AttendanceConfirmation) -> StoredDocument:
    """The PDF as stored; until the job has stored it, a clear refusal (409), not a 404."""
    stored = documents.current(DocumentKind.ATTENDANCE_PDF, confirmation.id)
    if stored is None:
        raise InvalidState(_("The PDF is being prepared. Please try again in a moment."))
    return stored


def pdf_ready(confirmation: AttendanceConfirmation) -> bool:
    return documents.current(DocumentKind.ATTENDANCE_PDF, confirmation.id) is not None


def revoke(actor: User, association_id: int, confirmation_id: int, reason: str) -> AttendanceConfirmation:
    """Revoke for good; the public page shows it revoked from now on."""
    confirmation = get_confirmation(actor, association_id, confirmation_id)
    if not policy.can_revoke_attendance_confirmation(actor, confirmation):
        raise Forbidden(_("Only its issuer or an admin revokes a confirmation."))
    if confirmation.is_revoked:
        raise InvalidState(_("This confirmation is revoked already."))
    reason = (reason or "").strip()
    if not reason:
        problems = Problems()
        problems.add("reason", _("Say why it is revoked."))
        problems.raise_if_any()
    confirmation.revoked_at = utcnow()
    confirmation.revoked_by_id = actor.id
    confirmation.revocation_reason = reason[:2000]
    db.session.flush()
    audit(
        "attendance_confirmation.revoked",
        confirmation,
        actor=actor,
        association_id=association_id,
        serial=confirmation.serial,
    )
    return confirmation


def list_mine(actor: User, association_id: int, *, page: int = 1) -> Page:
    """The confirmations issued to the actor as a member of a group here, newest first."""
    policy.require_member(actor, association_id)
    query = (
        select(AttendanceConfirmation)
        .join(GroupMember, GroupMember.id == AttendanceConfirmation.member_id)
        .where(AttendanceConfirmation.association_id == association_id, GroupMember.user_id == actor.id)
        .order_by(AttendanceConfirmation.issued_at.desc(), AttendanceConfirmation.id.desc())
    )
    return paginate(query, page=page)


def issued_to(member: GroupMember) -> list[AttendanceConfirmation]:
    return list(
        db.session.scalars(
            select(AttendanceConfirmation)
            .where(AttendanceConfirmation.member_id == member.id)
            .order_by(AttendanceConfirmation.issued_at.desc(), AttendanceConfirmation.id.desc())
        )
    )


# --- public verification ---------------------------------------------------------------------


def find_by_serial(serial: str) -> AttendanceConfirmation:
    """Malformed, wrong check character or never issued: the same NotFound."""
    serial = (serial or "").strip().upper()
    confirmation = None
    if is_well_formed(serial):
        confirmation = db.session.scalar(
            select(AttendanceConfirmation).where(AttendanceConfirmation.serial == serial)
        )
    if confirmation is None:
        raise NotFound(_("No attendance confirmation has this number. Check it and try again."))
    return confirmation


def public_record(confirmation: AttendanceConfirmation) -> dict:
    """What anyone may learn: names, group, period, hours, rules met, issuer, status."""
    return {
        "serial": confirmation.serial,
        "status": "revoked" if confirmation.is_revoked else "valid",
        "revoked_on": confirmation.revoked_at.date().isoformat() if confirmation.revoked_at else None,
        "kind": confirmation.kind,
        "member": confirmation.member_name,
        "group": confirmation.group_name,
        "association": confirmation.association_name,
        "issuer": confirmation.issuer_name,
        "issued_on": confirmation.issued_at.date().isoformat(),
        "period": {"from": confirmation.period_from.isoformat(), "to": confirmation.period_to.isoformat()},
        "sessions": confirmation.sessions_count,
        "hours": {
            "total": confirmation.total_minutes / 60,
            "in_person": confirmation.in_person_minutes / 60,
            "online": confirmation.online_minutes / 60,
        },
        "rule_set": confirmation.rule_set,
        "rules": [{"rule": rule["rule"], "is_met": rule["is_met"]} for rule in confirmation.rules],
    }
