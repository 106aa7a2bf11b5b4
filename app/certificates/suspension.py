"""Suspending a certificate and lifting the suspension: a hold, not a revocation.

An association can hold a valid certificate back while something is looked into (a
complaint, say) and lift the hold afterwards. The certificate row is final and stays
untouched (``triggers``): each suspension is a ``CertificateSuspension`` row, open until
lifted, and the history stays. While one is open, the certificate's status is
``suspended``, its bit is set in the association's suspension list (``status_list``) and
the verification page says since when; after lifting it is valid again and the page
says it was suspended from one date to another. The reason and the note stay with the
association, like a revocation's reason.

Both are audited (``certificate.suspended``, ``certificate.suspension_lifted``) and the
holder is told of both. Revoking a suspended certificate is allowed: the revocation
ends the suspension (``end_by_revocation``).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit.services import record
from app.certificates.issuing import announce, check_reason, managed_certificate
from app.certificates.models import Certificate, CertificateStatus, CertificateSuspension
from app.certificates.verification import state_label
from app.database import utcnow
from app.errors import InvalidState
from app.extensions import db
from app.privacy.guard import guard_free_text


def open_suspension(certificate: Certificate, *, for_update: bool = False) -> CertificateSuspension | None:
    """The certificate's open suspension, read afresh (locked on PostgreSQL when changing it)."""
    query = select(CertificateSuspension).where(
        CertificateSuspension.certificate_id == certificate.id, CertificateSuspension.lifted_at.is_(None)
    )
    return db.session.scalar(query.with_for_update() if for_update else query)


def _refresh(certificate: Certificate) -> None:
    """The status of ``certificate`` depends on its suspensions: load them again."""
    db.session.expire(certificate, ["suspensions"])


def suspend(
    actor: User,
    certificate_id: int,
    *,
    reason: str,
    privacy_confirmed: bool = False,
    today: dt.date | None = None,
) -> CertificateSuspension:
    """Hold back a certificate in force, with a reason kept for the association."""
    certificate = managed_certificate(actor, certificate_id)
    status = certificate.status_on(today or dt.date.today())
    if status != CertificateStatus.VALID:
        raise InvalidState(
            _("Only a valid certificate can be suspended; this one is %(state)s.", state=state_label(status))
        )
    reason = check_reason(reason, "reason")
    guard_free_text(
        {"reason": reason},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=certificate,
        association_id=certificate.association_id,
    )
    suspension = CertificateSuspension(
        certificate_id=certificate.id,
        association_id=certificate.association_id,
        suspended_at=utcnow(),
        suspended_by_id=actor.id,
        reason=reason,
    )
    db.session.add(suspension)
    try:
        db.session.flush()  # the partial unique index allows one open suspension per certificate
    except IntegrityError as error:
        db.session.rollback()
        raise InvalidState(_("This certificate was suspended a moment ago.")) from error
    _refresh(certificate)
    record("certificate.suspended", certificate, actor=actor, serial=certificate.serial, reason=reason)
    announce(
        certificate,
        _(
            "Your certificate %(serial)s has been suspended by the association while a matter is "
            "looked into. Verification shows it as suspended until the suspension is lifted.",
            serial=certificate.serial,
        ),
    )
    return suspension


def lift(
    actor: User, certificate_id: int, *, note: str, privacy_confirmed: bool = False
) -> CertificateSuspension:
    """End the open suspension of a certificate, with a note kept for the association."""
    certificate = managed_certificate(actor, certificate_id)
    suspension = open_suspension(certificate, for_update=True)
    if suspension is None:
        raise InvalidState(_("This certificate is not suspended."))
    note = check_reason(note, "note")
    guard_free_text(
        {"note": note},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=certificate,
        association_id=certificate.association_id,
    )
    suspension.lifted_at = utcnow()
    suspension.lifted_by_id = actor.id
    suspension.lift_note = note
    db.session.flush()
    _refresh(certificate)
    record(
        "certificate.suspension_lifted",
        certificate,
        actor=actor,
        serial=certificate.serial,
        suspended_at=suspension.suspended_at.isoformat(),
        note=note,
    )
    announce(
        certificate,
        _("The suspension of your certificate %(serial)s has been lifted.", serial=certificate.serial),
    )
    return suspension


def end_by_revocation(actor: User, certificate: Certificate) -> None:
    """A revocation ends an open suspension (at the same moment): the revocation is final."""
    suspension = open_suspension(certificate, for_update=True)
    if suspension is None:
        return
    suspension.lifted_at = certificate.revoked_at or utcnow()
    suspension.lifted_by_id = actor.id
    suspension.lift_note = _("Ended by the certificate's revocation.")
    db.session.flush()
    _refresh(certificate)
