"""Import of earlier training and its attesting document, in the authorization matrix.

The import pages are for admins only (an admin of another association imports into
their own). The attesting document of an imported record is seen by whoever sees the
record; another association never learns it exists (404).
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.imports import training
from app.logbook.models import LogbookRecord
from app.logbook.uploads import Upload
from tests.authz.cases import NOT_THEIRS, RouteCase, expect

ADMIN_ONLY = expect(302, 403, 403, 200, 200)
ADMIN_ONLY_FORM_AGAIN = expect(302, 403, 403, 422, 422)  # an empty upload: the form with its error
ADMIN_ONLY_POST = expect(302, 403, 403, 302, 302)
READER = expect(302, 200, 200, 200, 404)


def cases(world) -> list[RouteCase]:
    w = world
    text = (
        "email,programme,kind,date,minutes,role,members\n"
        f"{w.trainee.email},{w.enrolment.programme.slug},session,2023-03-12,90,member,8\n"
    )
    training.apply(w.admin, w.association.id, "t.csv", text.encode(), Upload("logbook.pdf", b"%PDF-1.4\n"))
    db.session.commit()
    record_id = db.session.scalar(
        select(LogbookRecord.id).where(
            LogbookRecord.is_imported.is_(True), LogbookRecord.enrolment_id == w.enrolment.id
        )
    )
    return [
        RouteCase("admin.import_training_upload", "GET", "/admin/import/training", ADMIN_ONLY),
        RouteCase(
            "admin.import_training_preview", "POST", "/admin/import/training", ADMIN_ONLY_FORM_AGAIN, data={}
        ),
        # No file came back with the form: sent back to the upload page, nothing written.
        RouteCase(
            "admin.import_training_confirm",
            "POST",
            "/admin/import/training/confirm",
            ADMIN_ONLY_POST,
            data={},
        ),
        RouteCase("admin.import_training_template", "GET", "/admin/import/training/template.csv", ADMIN_ONLY),
        RouteCase(
            "attachments.attestation",
            "GET",
            f"/attachments/records/{record_id}/attestation",
            READER,
            neighbours=NOT_THEIRS,
        ),
    ]
