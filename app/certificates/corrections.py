"""Corrections to issued certificates: re-issuing (a new certificate supersedes the old), revoking,
and regenerating the stored PDF (a new version of the same certificate's file).

Issued certificates are never edited: a re-issue is a new certificate with a new serial
that names the one it replaces, and a revocation keeps the record with its date and
reason. All are audited (``certificate.reissued``, ``certificate.revoked``,
``certificate.regenerated``); the holder is told of re-issues and revocations.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from app.accounts.models import User
from app.audit.services import record
from app.certificates import documents, suspension
from app.certificates.issuing import (
    announce,
    check_reason,
    clean_holder_name,
    managed_certificate,
    new_certificate,
    render_and_store,
)
from app.certificates.models import Certificate, CertificateState
from app.certificates.verification import state_label
from app.database import utcnow
from app.documents.models import StoredDocument
from app.errors import InvalidState
from app.extensions import db
from app.privacy.guard import guard_free_text


def reissue(
    actor: User,
    certificate_id: int,
    *,
    reason: str,
    holder_name: str = "",
    privacy_confirmed: bool = False,
    today: dt.date | None = None,
) -> Certificate:
    """A corrected certificate (new serial, same expiry) that supersedes one in force."""
    old = managed_certificate(actor, certificate_id)
    if old.state != CertificateState.VALID:
        raise InvalidState(
            _(
                "Only a certificate in force can be re-issued; this one is %(state)s.",
                state=state_label(old.state),
            )
        )
    if old.open_suspension is not None:
        raise InvalidState(
            _("A suspended certificate cannot be re-issued: lift the suspension first, or revoke it.")
        )
    reason = check_reason(reason, "reason")
    guard_free_text(
        {"reason": reason},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=old,
        association_id=old.association_id,
    )
    old.state = CertificateState.SUPERSEDED.value
    db.session.flush()  # frees the enrolment's one valid certificate for the replacement
    new = new_certificate(
        actor,
        old.association,
        old.enrolment,
        today=today or dt.date.today(),
        holder_name=clean_holder_name(holder_name, old.holder.name),
        achievement=old.achievement,
        expires_on=old.expires_on,
        first_awarded_on=old.first_awarded_on or old.issued_on,
        supersedes_id=old.id,
        reissue_reason=reason,
        override_reason=old.override_reason,
    )
    render_and_store(actor, [new])
    record(
        "certificate.reissued",
        new,
        actor=actor,
        serial=new.serial,
        supersedes=old.serial,
        reason=reason,
        pdf_sha256=new.pdf_sha256,
    )
    announce(
        new,
        _(
            "Your certificate %(old)s has been replaced by a corrected one, %(new)s.",
            old=old.serial,
            new=new.serial,
        ),
    )
    return new


def revoke(actor: User, certificate_id: int, *, reason: str, privacy_confirmed: bool = False) -> Certificate:
    """Withdraw a certificate in force (suspended or not); the record stays, verification shows the date."""
    certificate = managed_certificate(actor, certificate_id)
    if certificate.state != CertificateState.VALID:
        raise InvalidState(
            _(
                "Only a certificate in force can be revoked; this one is %(state)s.",
                state=state_label(certificate.state),
            )
        )
    reason = check_reason(reason, "reason")
    guard_free_text(
        {"reason": reason},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=certificate,
        association_id=certificate.association_id,
    )
    certificate.state = CertificateState.REVOKED.value
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revocation_reason = reason
    suspension.end_by_revocation(actor, certificate)  # revoking a suspended certificate is allowed
    record("certificate.revoked", certificate, actor=actor, serial=certificate.serial, reason=reason)
    announce(
        certificate,
        _("Your certificate %(serial)s has been revoked.", serial=certificate.serial),
    )
    return certificate


def regenerate(actor: User, certificate_id: int, *, reason: str) -> StoredDocument:
    """Render a certificate in force again (after a template or renderer change) and store
    the PDF as a new version that supersedes the old. The row and its serial stay; the old
    file still verifies, as superseded by a newer copy. A name correction is a re-issue."""
    certificate = managed_certificate(actor, certificate_id)
    if certificate.state != CertificateState.VALID:
        raise InvalidState(
            _(
                "Only a certificate in force can be regenerated; this one is %(state)s.",
                state=state_label(certificate.state),
            )
        )
    reason = check_reason(reason, "reason")
    previous = documents.pdf_of(certificate)
    stored = documents.store_regenerated(certificate, documents.render_pdf(certificate), actor.id, reason)
    record(
        "certificate.regenerated",
        certificate,
        actor=actor,
        serial=certificate.serial,
        version=stored.version,
        sha256=stored.sha256,
        supersedes_sha256=previous.sha256,
        reason=reason,
    )
    return stored
