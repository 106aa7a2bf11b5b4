"""Issuing by batch, before and after: the preview an admin confirms, and undoing a batch.

The preview says exactly who gets what (the name as it will be printed, the programme,
the validity) and who will be e-mailed, by the same rule ``notify`` applies, and who
will not be (an account that is disabled or erased gets the in-app notice only). It
writes nothing: no certificate, no notification, no e-mail exists before the admin
confirms (``issuing.issue_batch``).

A batch issued in error can be undone within ``CERTIFICATE_BATCH_UNDO_HOURS`` of
issuing: every certificate of it still valid is revoked with the reason "Issued in
error" through ``corrections.revoke`` (so each revocation is audited and its holder
told, as any other), and the batch records who undid it and when
(``certificate.batch_undone``). After the window the service refuses; the certificates
can still be revoked one by one, with a reason of their own. A certificate of the batch
re-issued since is superseded already, and its replacement (with a reason of its own) is
not part of the batch, so undoing leaves both alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.certificates import corrections, issuing
from app.certificates.models import Certificate, CertificateBatch, CertificateState
from app.database import utcnow
from app.errors import InvalidState, NotFound
from app.extensions import db
from app.notifications.services import will_email
from app.requirements.services import Progress


@dataclass(frozen=True)
class PlannedCertificate:
    """One line of the preview: who, what, until when, and whether they are e-mailed."""

    progress: Progress
    holder_name: str
    programme_title: str
    expires_on: dt.date | None
    email: str | None  # None: notified in the app only
    no_email_reason: str = ""

    @property
    def enrolment_id(self) -> int:
        return self.progress.enrolment.id


def _no_email_reason(user: User) -> str:
    if user.erased_at is not None:
        return _("personal data erased")
    if not user.is_enabled:
        return _("account disabled")
    return _("no e-mail address")


def preview_batch(
    actor: User, association_id: int, enrolment_ids: list[int], *, today: dt.date | None = None
) -> list[PlannedCertificate]:
    """What ``issue_batch`` would do with these trainees, checked the same way; writes nothing."""
    today = today or dt.date.today()
    planned = []
    for progress in issuing.plan_batch(actor, association_id, enrolment_ids, today=today):
        enrolment, trainee = progress.enrolment, progress.enrolment.trainee
        validity = enrolment.programme.validity_months
        emailed = will_email(trainee)
        planned.append(
            PlannedCertificate(
                progress=progress,
                holder_name=trainee.name,  # what issue_batch prints
                programme_title=enrolment.programme.title,
                expires_on=issuing.add_months(today, validity) if validity else None,
                email=trainee.email if emailed else None,
                no_email_reason="" if emailed else _no_email_reason(trainee),
            )
        )
    return planned


# -- undoing a batch ---------------------------------------------------------------------


def undo_window() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["CERTIFICATE_BATCH_UNDO_HOURS"])


def undo_deadline(batch: CertificateBatch) -> dt.datetime:
    return batch.created_at + undo_window()


def can_undo(batch: CertificateBatch, now: dt.datetime | None = None) -> bool:
    """Whether the batch may still be undone: not yet undone, and inside the window."""
    return batch.undone_at is None and (now or utcnow()) <= undo_deadline(batch)


def managed_batch(actor: User, batch_id: int) -> CertificateBatch:
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or not policy.is_member(actor, batch.association_id):
        raise NotFound(_("No such batch."))
    policy.require_manage_certificates(actor, batch.association_id)
    return batch


def undo_batch(actor: User, batch_id: int, *, now: dt.datetime | None = None) -> list[Certificate]:
    """Revoke every certificate of the batch still valid, as issued in error (audited; the
    holders are told). Refused once undone, and after the window."""
    batch = managed_batch(actor, batch_id)
    now = now or utcnow()
    if batch.undone_at is not None:
        raise InvalidState(_("This batch was undone already."))
    if now > undo_deadline(batch):
        raise InvalidState(
            _(
                "A batch can be undone only within %(hours)d hours of issuing. "
                "Revoke its certificates one by one instead.",
                hours=current_app.config["CERTIFICATE_BATCH_UNDO_HOURS"],
            )
        )
    standing = list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.batch_id == batch.id, Certificate.state == CertificateState.VALID.value)
            .order_by(Certificate.id)
        )
    )
    reason = _("Issued in error")
    revoked = [
        corrections.revoke(actor, certificate.id, reason=reason, privacy_confirmed=True)
        for certificate in standing
    ]
    batch.undone_at = now
    batch.undone_by_id = actor.id
    record(
        "certificate.batch_undone",
        batch,
        actor=actor,
        association_id=batch.association_id,
        reason=reason,
        serials=[certificate.serial for certificate in revoked],
    )
    return revoked
