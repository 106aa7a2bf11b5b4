"""Certificate routes in the authorization matrix: admins' pages, the holder's, and the public ones."""

from __future__ import annotations

import datetime as dt

from app.certificates import issuing
from app.extensions import db
from app.programmes import services as programmes
from tests.authz.cases import NOT_THEIRS, RouteCase, expect, neighbours
from tests.requirements.records import add_session

ADMIN_ONLY = expect(302, 403, 403, 200, 200)  # other_admin sees their own association's page
ADMIN_OBJECT = expect(302, 403, 403, 200, 404)
HOLDER_OR_ADMIN = expect(302, 200, 404, 200, 404)  # the world's trainee holds the certificate
PUBLIC = expect(200, 200, 200, 200, 200)


def _ready(enrolment, signer) -> None:
    add_session(enrolment, dt.date(2025, 3, 4), signer=signer)
    add_session(enrolment, dt.date(2025, 9, 9), signer=signer)


def cases(world) -> list[RouteCase]:
    _ready(world.enrolment, world.supervisor)
    second = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=world.programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2025, 1, 20),
    )
    db.session.flush()
    _ready(second, world.supervisor)
    certificate = issuing.issue(world.admin, world.enrolment.id)
    batch = issuing.issue_batch(world.admin, world.association.id, [second.id])
    db.session.commit()
    c, b, e, serial = certificate.id, batch.id, world.enrolment.id, certificate.serial
    return [
        RouteCase("certificates.index", "GET", "/certificates/?q=t&status=valid", ADMIN_ONLY),
        RouteCase("certificates.ready", "GET", "/certificates/ready", ADMIN_ONLY),
        RouteCase(
            "certificates.preview_batch",
            "POST",
            "/certificates/batches/preview",
            expect(302, 403, 403, 422, 422),
        ),
        RouteCase(
            "certificates.issue_batch", "POST", "/certificates/batches", expect(302, 403, 403, 422, 422)
        ),
        RouteCase(
            "certificates.batch",
            "GET",
            f"/certificates/batches/{b}",
            ADMIN_OBJECT,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "certificates.batch_zip",
            "GET",
            f"/certificates/batches/{b}/certificates.zip",
            ADMIN_OBJECT,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "certificates.batch_pdf",
            "GET",
            f"/certificates/batches/{b}/certificates.pdf",
            ADMIN_OBJECT,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "certificates.issue",
            "GET",
            f"/certificates/issue/{e}",
            ADMIN_OBJECT,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "certificates.issue",
            "POST",
            f"/certificates/issue/{e}",
            expect(302, 403, 403, 422, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "certificates.detail",
            "GET",
            f"/certificates/{c}",
            HOLDER_OR_ADMIN,
            neighbours=neighbours(404, 404, 404),
        ),
        RouteCase(
            "certificates.download",
            "GET",
            f"/certificates/{c}/certificate.pdf",
            HOLDER_OR_ADMIN,
            neighbours=neighbours(404, 404, 404),
        ),
        RouteCase(
            "certificates.revoke",
            "POST",
            f"/certificates/{c}/revoke",
            expect(302, 403, 404, 422, 404),
            neighbours=neighbours(404, 404, 404),
        ),
        RouteCase(
            "certificates.reissue",
            "POST",
            f"/certificates/{c}/reissue",
            expect(302, 403, 404, 422, 404),
            neighbours=neighbours(404, 404, 404),
        ),
        RouteCase(
            "certificates.regenerate",
            "POST",
            f"/certificates/{c}/regenerate",
            expect(302, 403, 404, 422, 404),
            neighbours=neighbours(404, 404, 404),
        ),
        RouteCase("certificates.mine", "GET", "/certificates/mine", expect(302, 200, 200, 200, 200)),
        RouteCase("certificates.settings_page", "GET", "/certificates/settings", ADMIN_ONLY),
        RouteCase(
            "certificates.settings_page", "POST", "/certificates/settings", expect(302, 403, 403, 422, 422)
        ),
        RouteCase("certificates.sample", "GET", "/certificates/settings/sample.pdf", ADMIN_ONLY),
        RouteCase("certificates.verify", "GET", "/verify", PUBLIC),
        RouteCase("certificates.verify", "POST", "/verify", expect(422, 422, 422, 422, 422)),
        RouteCase("certificates.verify_serial", "GET", f"/verify/{serial}", PUBLIC),
        RouteCase("certificates.verify_serial_json", "GET", f"/verify/{serial}.json", PUBLIC),
        RouteCase("certificates.credential_document", "GET", f"/credentials/{serial}.json", PUBLIC),
        RouteCase("certificates.credential_status", "GET", f"/credentials/{serial}/status.json", PUBLIC),
        RouteCase(
            "certificates.credential_verify", "POST", "/credentials/verify", expect(400, 400, 400, 400, 400)
        ),
        RouteCase("certificates.issuer", "GET", f"/issuers/{world.association.slug}.json", PUBLIC),
        RouteCase("certificates.issuer_key", "GET", f"/issuers/{world.association.slug}/key.json", PUBLIC),
    ]
