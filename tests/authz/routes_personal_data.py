"""Data-protection routes in the authorization matrix: a person's own data, the admins'
erasure decisions and retention setting."""

from __future__ import annotations

from app.extensions import db
from app.personal_data import erasure
from tests.authz.cases import NOT_THEIRS, RouteCase, expect

EVERYONE_SIGNED_IN = expect(302, 200, 200, 200, 200)
ADMIN_ONLY = expect(302, 403, 403, 200, 200)  # other_admin sees their own association's page


def cases(world) -> list[RouteCase]:
    (request,) = erasure.request_erasure(world.trainee2, "Moving abroad.")
    db.session.commit()
    return [
        RouteCase("personal_data.account", "GET", "/account/data", EVERYONE_SIGNED_IN),
        RouteCase("personal_data.download", "GET", "/account/data/export", EVERYONE_SIGNED_IN),
        # Without the password nothing is asked: every signed-in person gets the form back.
        RouteCase(
            "personal_data.request_erasure", "POST", "/account/data/erasure", expect(302, 422, 422, 422, 422)
        ),
        RouteCase("personal_data.admin", "GET", "/admin/data-protection", ADMIN_ONLY),
        # Declining without a note is refused (422), so the request stays pending for the
        # next role; another association's admin is told it does not exist.
        RouteCase(
            "personal_data.decide",
            "POST",
            f"/admin/data-protection/requests/{request.id}",
            expect(302, 403, 403, 422, 404),
            data={"decline": "Decline"},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "personal_data.save_retention",
            "POST",
            "/admin/data-protection/retention",
            expect(302, 403, 403, 422, 422),
            data={"years": "0"},
        ),
    ]
