"""Erasure on request: the person asks, each association's admin decides.

What goes: the account's name, e-mail address and password, its sessions and tokens,
notifications, pending invitations and password resets, and every draft or unsigned
record and reflection. What stays: records that were signed or reviewed, supervisor
reports and certificates, which an association must keep as evidence of training it
vouched for. They stay linked to the account, which is reduced to a pseudonym
("Erased person 17"); public verification of a certificate then answers valid or
revoked without a name.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import policy
from app.accounts import sessions
from app.accounts.models import Invitation, Membership, PasswordReset, User
from app.api.models import ApiToken
from app.attachments.services import forget as forget_evidence
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.groups.models import ProcessNote
from app.logbook.models import LogbookRecord, RecordStatus
from app.logbook.records import discard_unsigned
from app.mail.models import OutboxMessage
from app.notifications.models import Notification
from app.notifications.services import link_to, notify
from app.personal_data.models import ErasureRequest, ErasureStatus
from app.programmes.models import Enrolment, EnrolmentStatus, enrolment_supervisor
from app.vignettes.models import Reflection, ReflectionStatus

REASON_LIMIT = 2000
#: An erased account's password can never match: it is not a hash of anything.
ERASED_PASSWORD_HASH = "!erased"  # noqa: S105 (a marker, not a secret)


def erased_name(user_id: int) -> str:
    return _("Erased person %(id)d", id=user_id)


def pending_of(user: User) -> list[ErasureRequest]:
    return list(
        db.session.scalars(
            select(ErasureRequest).where(
                ErasureRequest.user_id == user.id, ErasureRequest.status == ErasureStatus.PENDING.value
            )
        )
    )


def request_erasure(actor: User, reason: str = "") -> list[ErasureRequest]:
    """Ask every association the actor belongs to; already pending requests are kept."""
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            _("Please correct the highlighted fields."),
            fields={"reason": [_("Keep this under %(n)d characters.", n=REASON_LIMIT)]},
        )
    associations = sorted(policy.roles_by_association(actor))
    if not associations:
        raise InvalidState(_("You belong to no association; there is nobody to decide on a request."))
    waiting = {request.association_id for request in pending_of(actor)}
    made = []
    for association_id in associations:
        if association_id in waiting:
            continue
        request = ErasureRequest(user_id=actor.id, association_id=association_id, reason=reason)
        db.session.add(request)
        db.session.flush()
        audit("personal_data.erasure_requested", request, actor=actor)
        for admin_id in _admins_of(association_id, but=actor.id):
            notify(
                admin_id,
                association_id,
                _("%(name)s asked for their personal data to be erased.", name=actor.name),
                link_to("personal_data.admin"),
            )
        made.append(request)
    return made


def _admins_of(association_id: int, *, but: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.association_id == association_id,
                Membership.role == "admin",
                Membership.is_active.is_(True),
                Membership.user_id != but,
            )
        )
    )


def requests_for(actor: User, association_id: int) -> list[ErasureRequest]:
    """The association's requests, pending first, for its admins."""
    policy.require_admin(actor, association_id)
    return list(
        db.session.scalars(
            select(ErasureRequest)
            .where(ErasureRequest.association_id == association_id)
            .order_by(
                ErasureRequest.status != ErasureStatus.PENDING.value, ErasureRequest.requested_at.desc()
            )
            .limit(200)
        )
    )


def _pending_request(actor: User, association_id: int, request_id: int) -> ErasureRequest:
    policy.require_admin(actor, association_id)
    request = db.session.get(ErasureRequest, request_id)
    if request is None or request.association_id != association_id:
        raise NotFound(_("No such request."))
    if not request.is_pending:
        raise InvalidState(_("This request has already been decided."))
    if request.user_id == actor.id:
        raise InvalidState(_("Another admin decides on your own request."))
    return request


def decline(actor: User, association_id: int, request_id: int, note: str) -> ErasureRequest:
    """Refuse, with the reason the person is told (for example a complaint still open)."""
    request = _pending_request(actor, association_id, request_id)
    note = note.strip()
    if not note:
        raise ValidationError(
            _("Please correct the highlighted fields."),
            fields={"note": [_("Tell the person why: they are entitled to know.")]},
        )
    _decide(request, actor, ErasureStatus.DECLINED, note)
    audit("personal_data.erasure_declined", request, actor=actor)
    notify(
        request.user_id,
        association_id,
        _("Your request to erase your personal data was declined: %(note)s", note=note),
        link_to("personal_data.account"),
    )
    return request


def approve(actor: User, association_id: int, request_id: int, note: str = "") -> ErasureRequest:
    """Erase what this association holds; the account goes when no association is left."""
    request = _pending_request(actor, association_id, request_id)
    person = request.user
    _decide(request, actor, ErasureStatus.APPROVED, note.strip())
    counts = erase_in_association(person, association_id)
    audit("personal_data.erasure_approved", request, actor=actor, **counts)
    policy.forget_roles(person)
    if not policy.roles_by_association(person):
        erase_account(person, actor=actor)
    return request


def _decide(request: ErasureRequest, actor: User, status: ErasureStatus, note: str) -> None:
    request.status = status.value
    request.decided_by_id = actor.id
    request.decided_at = utcnow()
    request.decision_note = note[:REASON_LIMIT]


def erase_in_association(person: User, association_id: int) -> dict[str, int]:
    """Unsigned work goes; signed work stays; the person leaves the association."""
    enrolment_ids = select(Enrolment.id).where(
        Enrolment.trainee_id == person.id, Enrolment.association_id == association_id
    )
    unsigned = list(
        db.session.scalars(
            select(LogbookRecord).where(
                LogbookRecord.association_id == association_id,
                LogbookRecord.status != RecordStatus.SIGNED.value,
                (LogbookRecord.enrolment_id.in_(enrolment_ids)) | (LogbookRecord.author_id == person.id),
            )
        )
    )
    for record in unsigned:
        discard_unsigned(record)
    open_reflections = list(
        db.session.scalars(
            select(Reflection).where(
                Reflection.association_id == association_id,
                Reflection.trainee_id == person.id,
                Reflection.status.in_([ReflectionStatus.DRAFT.value, ReflectionStatus.SUBMITTED.value]),
            )
        )
    )
    for reflection in open_reflections:
        forget_evidence(reflection_id=reflection.id)
        db.session.delete(reflection)
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.id.in_(enrolment_ids))):
        if enrolment.status == EnrolmentStatus.ACTIVE:
            enrolment.status = EnrolmentStatus.WITHDRAWN.value
    db.session.execute(
        delete(enrolment_supervisor).where(
            enrolment_supervisor.c.supervisor_id == person.id,
            enrolment_supervisor.c.enrolment_id.in_(
                select(Enrolment.id).where(Enrolment.association_id == association_id)
            ),
        )
    )
    for membership in db.session.scalars(
        select(Membership).where(Membership.user_id == person.id, Membership.association_id == association_id)
    ):
        membership.is_active = False
    db.session.execute(
        delete(Notification).where(
            Notification.user_id == person.id, Notification.association_id == association_id
        )
    )
    # A process note is the leader's working material, not evidence: it goes with them.
    notes = db.session.execute(
        delete(ProcessNote).where(
            ProcessNote.author_id == person.id, ProcessNote.association_id == association_id
        )
    ).rowcount
    db.session.flush()
    return {
        "records_deleted": len(unsigned),
        "reflections_deleted": len(open_reflections),
        "process_notes_deleted": notes,
    }


def erase_account(person: User, *, actor: User) -> None:
    """Reduce the account to a pseudonym that nobody can sign in to."""
    if person.erased_at is not None:
        return
    address = person.email
    db.session.execute(delete(Notification).where(Notification.user_id == person.id))
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == person.id))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == address))
    db.session.execute(
        delete(Invitation).where(Invitation.email == address, Invitation.accepted_at.is_(None))
    )
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == person.id)):
        token.revoked_at = token.revoked_at or utcnow()
    sessions.end_all_sessions(person.id)
    person.name = erased_name(person.id)
    person.email = f"erased-{person.id}@erased.invalid"
    person.password_hash = ERASED_PASSWORD_HASH
    person.is_enabled = False
    person.erased_at = utcnow()
    audit("personal_data.account_erased", person, actor=actor)
    db.session.flush()
