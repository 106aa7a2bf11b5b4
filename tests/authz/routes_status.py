"""Routes of the certificates' status in the authorization matrix: suspending, lifting, the lists.

Suspending and lifting belong to the certificate's association's admins: another
association's admin gets 404 (the certificate is not theirs to know of), the holder
403 (they may see it, not suspend it), anyone else of the association 404.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.certificates import issuing
from app.certificates.models import Certificate, CertificateState
from app.extensions import db
from tests.authz.cases import RouteCase, expect, neighbours
from tests.requirements.records import add_session

PUBLIC = expect(200, 200, 200, 200, 200)
ADMINS_OF_ITS_ASSOCIATION = expect(302, 403, 404, 422, 404)  # 422: the matrix posts no reason


def _trainees_certificate(world) -> Certificate:
    """The world's trainee's certificate (``routes_certificates`` may have issued it already)."""
    certificate = db.session.scalar(
        select(Certificate).where(
            Certificate.enrolment_id == world.enrolment.id, Certificate.state == CertificateState.VALID.value
        )
    )
    if certificate is None:
        add_session(world.enrolment, dt.date(2025, 3, 4), signer=world.supervisor)
        add_session(world.enrolment, dt.date(2025, 9, 9), signer=world.supervisor)
        certificate = issuing.issue(world.admin, world.enrolment.id)
        db.session.commit()
    return certificate


def cases(world) -> list[RouteCase]:
    c, slug = _trainees_certificate(world).id, world.association.slug
    return [
        RouteCase(
            "certificates.suspend",
            "POST",
            f"/certificates/{c}/suspend",
            ADMINS_OF_ITS_ASSOCIATION,
            neighbours=neighbours(404, 404, 404),
        ),
        RouteCase(
            "certificates.lift_suspension",
            "POST",
            f"/certificates/{c}/lift-suspension",
            ADMINS_OF_ITS_ASSOCIATION,
            neighbours=neighbours(404, 404, 404),
        ),
        RouteCase("certificates.status_list_credential", "GET", f"/issuers/{slug}/status/revocation", PUBLIC),
        RouteCase("certificates.status_list_credential", "GET", f"/issuers/{slug}/status/suspension", PUBLIC),
    ]
