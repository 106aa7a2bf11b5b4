"""jobs routes (and the pages this branch added elsewhere) in the authorization matrix."""

from __future__ import annotations

from app.extensions import db
from app.jobs import kinds
from tests.authz.cases import NOT_THEIRS, RouteCase, expect, neighbours

EVERYONE_SIGNED_IN = expect(302, 200, 200, 200, 200)
# A logbook's job: whoever may read that logbook (trainee, assigned supervisor, admins).
LOGBOOK_READER = expect(302, 200, 200, 200, 404)
ADMIN_ONLY = expect(302, 403, 403, 200, 200)  # other_admin sees their own association's page
# Someone else's job does not exist for the neighbours.
NOT_THEIR_JOB = neighbours(404, 404, 404)


def cases(world) -> list[RouteCase]:
    w = world
    job = kinds.start_logbook_pdf(w.trainee, w.association.id, w.enrolment.id)
    db.session.commit()  # the tests run jobs at once (immediate mode): it is done now
    enrolment = f"/logbook/enrolments/{w.enrolment.id}"
    return [
        RouteCase("jobs.index", "GET", "/jobs/", EVERYONE_SIGNED_IN),
        RouteCase("jobs.detail", "GET", f"/jobs/{job.id}", LOGBOOK_READER, neighbours=NOT_THEIR_JOB),
        RouteCase(
            "jobs.status", "GET", f"/jobs/{job.id}/status.json", LOGBOOK_READER, neighbours=NOT_THEIR_JOB
        ),
        RouteCase(
            "jobs.download", "GET", f"/jobs/{job.id}/download", LOGBOOK_READER, neighbours=NOT_THEIR_JOB
        ),
        RouteCase(
            "logbook.export_pdf",
            "POST",
            f"{enrolment}/export.pdf",
            expect(302, 302, 302, 302, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase("admin.dead_letters", "GET", "/admin/outbox/dead", ADMIN_ONLY),
        RouteCase("notifications.settings", "GET", "/notifications/settings", EVERYONE_SIGNED_IN),
        RouteCase(
            "notifications.settings",
            "POST",
            "/notifications/settings",
            expect(302, 302, 302, 302, 302),
            data={"supervisor_digest": "y", "stalled_progress": "y", "certificate_expiry": "y"},
        ),
    ]
