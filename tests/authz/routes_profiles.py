"""The admin's page of a trainee's dated profile facts (track, memberships, qualifications,
exams) in the authorization matrix: admins of the association only; another association's
admin never learns the enrolment exists (404)."""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.profiles import services
from tests.authz.cases import NOT_THEIRS, RouteCase, expect

PAGE = expect(302, 403, 403, 200, 404)
SAVED = expect(302, 403, 403, 302, 404)
FORM_AGAIN = expect(302, 403, 403, 422, 404)  # an empty form: the page with its errors


def cases(world) -> list[RouteCase]:
    membership = services.add_membership(
        world.admin, world.enrolment.id, started_on=dt.date(2023, 1, 1), ended_on=None
    )
    db.session.commit()
    base = f"/progress/enrolments/{world.enrolment.id}/facts"
    return [
        RouteCase("profiles.page", "GET", base, PAGE, neighbours=NOT_THEIRS),
        RouteCase("profiles.track", "POST", f"{base}/track", SAVED, data={}, neighbours=NOT_THEIRS),
        RouteCase(
            "profiles.add_membership",
            "POST",
            f"{base}/memberships",
            FORM_AGAIN,
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "profiles.add_qualification",
            "POST",
            f"{base}/qualifications",
            FORM_AGAIN,
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "profiles.record_exam", "POST", f"{base}/exams", FORM_AGAIN, data={}, neighbours=NOT_THEIRS
        ),
        RouteCase(
            "profiles.remove",
            "POST",
            f"{base}/membership/{membership.id}/remove",
            SAVED,
            data={},
            neighbours=NOT_THEIRS,
            is_destructive=True,
        ),
    ]
