"""Application-for-accreditation routes in the authorization matrix.

The world's trainee has an open application with no panel yet: they and the admins read
it; the supervisor, the neighbours and everyone else of the association are refused
(403), and another association never learns it exists (404). Only admins name the panel
and decide; only panel members recommend (nobody here yet: all refused).
"""

from __future__ import annotations

from app.applications import services
from app.extensions import db
from tests.authz.cases import NOT_THEIRS, RouteCase, expect, neighbours

SIGNED_IN = expect(302, 200, 200, 200, 200)
READERS = expect(302, 200, 403, 200, 404)
ADMIN_WRITE = expect(302, 403, 403, 302, 404)
NOBODY_YET = expect(302, 403, 403, 403, 404)


def cases(world) -> list[RouteCase]:
    application = services.apply(world.trainee, world.association.id, world.enrolment.id)
    db.session.commit()
    a = f"/applications/{application.id}"
    return [
        RouteCase("applications.index", "GET", "/applications/", SIGNED_IN),
        RouteCase("applications.new", "GET", "/applications/new", expect(302, 200, 403, 403, 403)),
        # The trainee's application is open already: told so, nothing made.
        RouteCase(
            "applications.new",
            "POST",
            "/applications/new",
            expect(302, 200, 403, 403, 403),
            data={"enrolment_id": str(world.enrolment.id)},
            neighbours=neighbours(403, 403, 403),
        ),
        RouteCase("applications.detail", "GET", a, READERS, neighbours=NOT_THEIRS),
        RouteCase("applications.portfolio", "GET", f"{a}/portfolio.pdf", READERS, neighbours=NOT_THEIRS),
        RouteCase(
            "applications.add_panel_member",
            "POST",
            f"{a}/panel",
            ADMIN_WRITE,
            data={"user_id": ""},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "applications.review",
            "POST",
            f"{a}/review",
            NOBODY_YET,
            data={"recommendation": "accredit", "reasons": "Fine work."},
            neighbours=NOT_THEIRS,
        ),
        # No panel named yet: the admin is told to name one; nothing is decided.
        RouteCase(
            "applications.decide",
            "POST",
            f"{a}/decision",
            ADMIN_WRITE,
            data={"decision": "accredit", "reasons": "Meets every rule.", "confirm_final": "y"},
            neighbours=NOT_THEIRS,
        ),
    ]
