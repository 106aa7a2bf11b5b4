"""API operations of certificates, on the API blueprint of ``app.api.core``.

Each operation calls the service the certificate pages call, so the rules, the audit
trail and the holder's notification are the same whichever way a request comes in.
"""

from __future__ import annotations

import datetime as dt

from app.api import schemas as api_schemas
from app.api.core import current_user, in_acting_association, operation
from app.certificates import api_schemas as s
from app.certificates import records, renewal

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
