"""API operations of the certificates' status, on the API blueprint of ``app.api.core``:
suspending a certificate and lifting the suspension. Their models are in
``app.certificates.api_schemas``; issuing, revoking and reading certificates are in
``app.api.resources_work``.

Each operation calls the service the certificate page calls (``suspension``), so a
suspension made here is checked, privacy-guarded, audited and notified alike. Both take
an ``Idempotency-Key``: a retried request answers as the first did instead of failing
because the certificate is already suspended (or no longer is).
"""

from __future__ import annotations

from app.api.core import current_user, in_acting_association, operation
from app.certificates import api_schemas as s
from app.certificates import records, suspension, verification
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
