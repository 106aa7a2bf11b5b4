"""API operations of the certificates package, on the API blueprint of ``app.api.core``:
suspending a certificate and lifting the suspension, undoing a batch issued in error, and
downloading a period's certificates. Their models are in ``app.certificates.api_schemas``.
(Issuing, reading and revoking one certificate are in ``app.api.resources_work``.)

Each operation calls the service the HTML pages call, so checks, the audit trail,
notifications and the stored bytes are the same whichever way an admin asks. Suspending
and lifting take an ``Idempotency-Key``: a retried request answers as the first did
instead of failing because the certificate is already suspended (or no longer is).
"""

from __future__ import annotations

import datetime as dt

from flask import send_file

from app.api import schemas as api_schemas
from app.api.core import current_association_id, current_user, in_acting_association, operation
from app.certificates import api_schemas as s
from app.certificates import archives, batches, records, renewal, suspension, verification
from app.certificates.models import Certificate


def status_out(certificate: Certificate) -> dict:
    record = verification.public_record(certificate)
    open_one = certificate.open_suspension
    return {
        "id": certificate.id,
        "serial": certificate.serial,
        "status": record.status.value,
        "suspended_since": open_one.suspended_at if open_one is not None else None,
        "suspensions": list(certificate.suspensions),
    }


def _certificate(certificate_id: int) -> Certificate:
    """The certificate, if the caller may see it and it belongs to the acting association."""
    certificate = records.get_certificate(current_user(), certificate_id)
    in_acting_association(certificate.association_id)
    return certificate


@operation(
    "/certificates/<int:certificate_id>/suspend",
    "POST",
    summary="Suspend a valid certificate (admins)",
    tag="certificates",
    body=s.SuspendIn,
    response=s.CertificateStatusOut,
    is_idempotent=True,
)
def suspend_certificate(certificate_id: int, body: s.SuspendIn):
    """The certificate reads as suspended until the suspension is lifted: on the
    verification page, in the suspension status list and to credential verifiers. Only
    a valid certificate can be suspended (409 otherwise). The holder is notified."""
    certificate = _certificate(certificate_id)
    suspension.suspend(
        current_user(), certificate.id, reason=body.reason, privacy_confirmed=body.privacy_confirmed
    )
    return status_out(certificate)


@operation(
    "/certificates/<int:certificate_id>/lift-suspension",
    "POST",
    summary="Lift a certificate's suspension (admins)",
    tag="certificates",
    body=s.LiftSuspensionIn,
    response=s.CertificateStatusOut,
    is_idempotent=True,
)
def lift_certificate_suspension(certificate_id: int, body: s.LiftSuspensionIn):
    """The certificate is valid again; verification shows the dates it was suspended.
    409 when it is not suspended. The holder is notified."""
    certificate = _certificate(certificate_id)
    suspension.lift(current_user(), certificate.id, note=body.note, privacy_confirmed=body.privacy_confirmed)
    return status_out(certificate)


@operation(
    "/certificates/batches/<int:batch_id>/undo",
    "POST",
    summary="Undo a batch issued in error (admins, within the undo window)",
    tag="certificates",
    response=s.BatchUndoOut,
    errors=(404, 409),
)
def undo_certificate_batch(batch_id: int):
    """Revokes every certificate of the batch still valid with the reason "Issued in error";
    each holder is told. 409 once the batch was undone, or after the window
    (`CERTIFICATE_BATCH_UNDO_HOURS`, 24 by default)."""
    batch = batches.managed_batch(current_user(), batch_id)
    in_acting_association(batch.association_id)
    revoked = batches.undo_batch(current_user(), batch.id)
    return {"batch_id": batch.id, "undone_at": batch.undone_at, "revoked": [c.serial for c in revoked]}


@operation(
    "/certificates/archive",
    "GET",
    summary="All certificates issued in a period, as one ZIP or one PDF (admins)",
    tag="certificates",
    query=s.PeriodQuery,
    media_type="application/zip",
    errors=(422,),
)
def certificate_archive(query: s.PeriodQuery):
    """The PDFs stored at issue, whatever each certificate's status now; 422 when none was
    issued in the period, or (for `format=pdf`) when too many for one PDF."""
    writer = archives.period_pdf if query.format == "pdf" else archives.period_zip
    name, data = writer(current_user(), current_association_id(), query.start, query.end)
    mimetype = "application/pdf" if query.format == "pdf" else "application/zip"
    return send_file(data, mimetype=mimetype, as_attachment=True, download_name=name)


# --- renewal ----------------------------------------------------------------------------


def _renewal_out(certificate, progress: renewal.RenewalProgress | None, today: dt.date) -> dict:
    outcomes = progress.evaluation.outcomes if progress is not None else ()
    return {
        "certificate_id": certificate.id,
        "serial": certificate.serial,
        "first_awarded_on": certificate.first_awarded_on or certificate.issued_on,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "renewable_until": renewal.grace_ends_on(certificate),
        "rules": progress.rules.name if progress is not None else None,
        "period_start": certificate.issued_on,
        "period_end": certificate.expires_on,
        "is_met": progress is not None and progress.is_met,
        "refusal": renewal.refusal_for(certificate, progress, today),
        "requirements": [
            {
                "id": o.requirement.id,
                "label": o.requirement.label,
                "level": o.requirement.level,
                "status": o.status,
                "current": o.current,
                "required": o.required,
                "unit": o.unit,
                "missing": o.missing,
            }
            for o in outcomes
        ],
    }


@operation(
    "/certificates/<int:certificate_id>/renewal",
    "GET",
    summary="Progress towards renewing a certificate (its holder and the admins)",
    tag="certificates",
    response=s.RenewalOut,
)
def certificate_renewal(certificate_id: int):
    """The renewal rules evaluated over the holder's records dated within the certificate's
    validity period (issue date to expiry date, both included)."""
    certificate = records.get_certificate(current_user(), certificate_id)
    in_acting_association(certificate.association_id)
    today = dt.date.today()
    return _renewal_out(certificate, renewal.progress_of(certificate, today), today)


@operation(
    "/certificates/<int:certificate_id>/renewal",
    "POST",
    summary="Renew a certificate whose renewal rules are met (admins)",
    tag="certificates",
    response=api_schemas.CertificateOut,
    status=201,
    is_idempotent=True,
)
def renew_certificate(certificate_id: int):
    """A new certificate (new serial, a validity period from today) supersedes this one and
    keeps its original award date; refused (409) while the renewal rules are unmet or more
    than 90 days after expiry."""
    certificate = records.get_certificate(current_user(), certificate_id)
    in_acting_association(certificate.association_id)
    return renewal.renew(current_user(), certificate.id)
