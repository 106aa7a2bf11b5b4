"""Routes of certificates people can carry in the authorization matrix: undoing a batch,
a period's certificates in one file, and the credential a wallet imports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.certificates.models import Certificate, CertificateBatch
from app.extensions import db
from tests.authz.cases import NOT_THEIRS, RouteCase, expect

PUBLIC = expect(200, 200, 200, 200, 200)
# Admins get the file; another association's admin has none in the period: back to the register.
PERIOD = expect(302, 403, 403, 200, 302)


def cases(world) -> list[RouteCase]:
    # The certificate routes_certificates issued (listed before us in FEATURE_MODULES): no
    # second PDF to render.
    serial = db.session.scalar(
        select(Certificate.serial).where(Certificate.association_id == world.association.id).limit(1)
    )
    batch = CertificateBatch(association_id=world.association.id, created_by_id=world.admin.id, size=0)
    db.session.add(batch)
    db.session.commit()
    today = dt.date.today()
    period = f"start={today - dt.timedelta(days=30)}&end={today}"
    return [
        RouteCase(
            "certificates.undo_batch",
            "POST",
            f"/certificates/batches/{batch.id}/undo",
            expect(302, 403, 403, 422, 404),  # the admin did not tick the confirmation
            neighbours=NOT_THEIRS,
        ),
        RouteCase("certificates.period_zip", "GET", f"/certificates/period.zip?{period}", PERIOD),
        RouteCase("certificates.period_pdf", "GET", f"/certificates/period.pdf?{period}", PERIOD),
        RouteCase("certificates.credential_for_wallet", "GET", f"/credentials/{serial}/vc.json", PUBLIC),
    ]
