"""The status levels page (on the admin blueprint) in the authorization matrix.

Admins only; an admin of another association works on their own association's levels,
and never reaches this association's holdings (404).
"""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.statuslevels import services as levels
from tests.authz.cases import RouteCase, expect

ADMIN_ONLY = expect(302, 403, 403, 200, 200)
ADMIN_FORM_AGAIN = expect(302, 403, 403, 422, 422)  # an empty form: shown again with its errors
ADMIN_POST = expect(302, 403, 403, 302, 302)
ADMIN_OBJECT_POST = expect(302, 403, 403, 302, 404)


def cases(world) -> list[RouteCase]:
    holding = levels.grant(
        world.admin, world.association.id, world.supervisor.id, "certified-leader", dt.date(2020, 1, 1)
    )
    db.session.commit()
    return [
        RouteCase("admin.status_levels", "GET", "/admin/status-levels", ADMIN_ONLY),
        RouteCase(
            "admin.status_level_grant", "POST", "/admin/status-levels/grant", ADMIN_FORM_AGAIN, data={}
        ),
        RouteCase(
            "admin.status_level_define", "POST", "/admin/status-levels/define", ADMIN_FORM_AGAIN, data={}
        ),
        # No level ticked: the permission asks for none (the earlier rule applies).
        RouteCase(
            "admin.status_level_permission",
            "POST",
            "/admin/status-levels/permissions/observe",
            ADMIN_POST,
            data={},
        ),
        # No level chosen: refused with a message, nothing changes.
        RouteCase(
            "admin.status_level_accreditation",
            "POST",
            "/admin/status-levels/accreditation",
            ADMIN_POST,
            data={},
        ),
        RouteCase(
            "admin.status_level_end",
            "POST",
            f"/admin/status-levels/{holding.id}/end",
            ADMIN_OBJECT_POST,
            data={"until": "2030-01-01"},
            is_destructive=True,
        ),
    ]
