"""notifications routes in the authorization matrix."""

from __future__ import annotations

from app.extensions import db
from app.notifications.services import notify
from tests.authz.cases import RouteCase, expect, neighbours

EVERYONE_SIGNED_IN = expect(302, 200, 200, 200, 200)


def cases(world) -> list[RouteCase]:
    mine = notify(world.trainee.id, world.association.id, "Your record was signed.", "/logbook/")
    db.session.commit()
    return [
        RouteCase("notifications.index", "GET", "/notifications/", EVERYONE_SIGNED_IN),
        RouteCase("notifications.read_all", "POST", "/notifications/read", expect(302, 302, 302, 302, 302)),
        # Only its recipient may open a notification; everyone else is told it does not exist.
        RouteCase(
            "notifications.open_one",
            "POST",
            f"/notifications/{mine.id}/open",
            expect(302, 302, 404, 404, 404),
            neighbours=neighbours(404, 404, 404),
        ),
    ]
