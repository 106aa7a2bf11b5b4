"""Renewal and validity routes in the authorization matrix: the admins' confirmation step and
renewal of a certificate, and a programme's certificate validity."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.certificates import issuing
from app.certificates.models import Certificate, CertificateState
from app.extensions import db
from tests.authz.cases import RouteCase, expect, neighbours
from tests.requirements.records import add_session

OBJECT_NEIGHBOURS = neighbours(404, 404, 404)


def _world_certificate(world) -> Certificate:
    """The world trainee's certificate in force (routes_certificates issues it; else issue one)."""
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
    c, p = _world_certificate(world).id, world.programme.id
    return [
        RouteCase("certificates.renewals", "GET", "/certificates/renewals", expect(302, 403, 403, 200, 200)),
        RouteCase(
            "certificates.renewal_page",
            "GET",
            f"/certificates/{c}/renewal",
            expect(302, 403, 404, 200, 404),
            neighbours=OBJECT_NEIGHBOURS,
        ),
        RouteCase(
            "certificates.renew",
            "POST",
            f"/certificates/{c}/renewal",
            expect(302, 403, 404, 409, 404),  # 409: the world's programme gives no expiry to renew
            data={"confirm_final": "y"},
            neighbours=OBJECT_NEIGHBOURS,
        ),
        RouteCase(
            "admin.programme_validity",
            "POST",
            f"/admin/programmes/{p}/validity",
            expect(302, 403, 403, 422, 404),
            data={"validity-validity_months": "0"},
            neighbours=neighbours(403, 403, 403),
        ),
    ]
