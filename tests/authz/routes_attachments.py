"""Evidence attachment routes in the authorization matrix.

Files are seen by whoever sees the record or reflection (the trainee, their assigned
supervisor, the admins); only the trainee adds or removes them, and only on a draft;
another association never learns a file exists (404).
"""

from __future__ import annotations

from app.attachments import services
from app.extensions import db
from app.logbook import records
from app.logbook.uploads import Upload
from app.vignettes import services as reflections
from tests.authz.cases import NOT_THEIRS, RouteCase, expect
from tests.authz.routes_logbook import _session
from tests.vignettes.helpers import complete_answers

PDF = b"%PDF-1.4\n%%EOF\n"
SLUG = "the-man-with-the-list"
READER = expect(302, 200, 200, 200, 404)
AUTHOR_WRITE = expect(302, 302, 403, 403, 404)  # the trainee is sent back to the page


def cases(world) -> list[RouteCase]:
    w = world
    draft = records.create_record(w.trainee, w.association.id, w.enrolment.id, _session())
    kept = services.add_to_record(w.trainee, w.association.id, draft.id, Upload("sheet.pdf", PDF))
    removable = services.add_to_record(w.trainee, w.association.id, draft.id, Upload("other.pdf", PDF))
    reflection = reflections.save_draft(w.trainee, w.association.id, SLUG, complete_answers(SLUG))
    db.session.commit()
    return [
        RouteCase("attachments.download", "GET", f"/attachments/{kept.id}", READER, neighbours=NOT_THEIRS),
        RouteCase(
            "attachments.add_to_record",
            "POST",
            f"/attachments/records/{draft.id}",
            AUTHOR_WRITE,  # no file sent: the trainee is told to choose one
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "attachments.add_to_reflection",
            "POST",
            f"/attachments/reflections/{reflection.id}",
            AUTHOR_WRITE,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "attachments.remove",
            "POST",
            f"/attachments/{removable.id}/delete",
            AUTHOR_WRITE,
            neighbours=NOT_THEIRS,
            is_destructive=True,
        ),
    ]
