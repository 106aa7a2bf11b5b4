"""Group and session routes in the authorization matrix.

The world's trainee leads the group alone; their assigned supervisor may read it; the
admins of the association create groups and read them but do not run sessions; the
peer, the unassigned supervisor and the logbook rows' co-leader are refused (403), and
another association never learns the group exists (404).
"""

from __future__ import annotations

from tests.authz.cases import NOT_THEIRS, RouteCase, expect
from tests.groups.conftest import matrix_group

SIGNED_IN = expect(302, 200, 200, 200, 200)
ADMINS = expect(302, 403, 403, 200, 200)  # other_admin: for their own association
READERS = expect(302, 200, 200, 200, 404)  # the leader, their supervisor, the admins
LEADER_PAGE = expect(302, 200, 403, 403, 404)
LEADER_WRITE = expect(302, 302, 403, 403, 404)  # the leader is sent back to the run sheet


def cases(world) -> list[RouteCase]:
    x = matrix_group(world)
    g, s = f"/groups/{x.group}", f"/groups/sessions/{x.session}"
    return [
        RouteCase("groups.index", "GET", "/groups/", SIGNED_IN),
        RouteCase("groups.new", "GET", "/groups/new", ADMINS),
        RouteCase("groups.new", "POST", "/groups/new", ADMINS, data={"name": ""}),  # the form again
        RouteCase("groups.detail", "GET", g, READERS, neighbours=NOT_THEIRS),
        RouteCase(
            "groups.add_member",
            "POST",
            f"{g}/members",
            expect(302, 302, 403, 302, 404),  # leaders and admins keep the list
            data={"name": "", "email": "x"},
            neighbours=NOT_THEIRS,
        ),
        RouteCase("groups.plan", "GET", f"{g}/sessions/new", LEADER_PAGE, neighbours=NOT_THEIRS),
        RouteCase("groups.plan", "POST", f"{g}/sessions/new", LEADER_PAGE, neighbours=NOT_THEIRS),
        RouteCase("groups.session", "GET", s, READERS, neighbours=NOT_THEIRS),
        RouteCase("groups.run", "GET", f"{s}/run", LEADER_PAGE, neighbours=NOT_THEIRS),
        RouteCase(
            "groups.briefing",
            "POST",
            f"{s}/briefing",
            LEADER_WRITE,
            data={"version": "short"},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "groups.phase",
            "POST",
            f"{s}/phase",
            LEADER_WRITE,
            data={"phase": "opening"},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "groups.attendance",
            "POST",
            f"{s}/attendance",
            LEADER_WRITE,
            data={f"m-{x.member}": "room"},
            neighbours=NOT_THEIRS,
        ),
        # Not yet held: the leader is told so on the run sheet; nothing is closed.
        RouteCase(
            "groups.close", "POST", f"{s}/close", LEADER_WRITE, data={"cases": "1"}, neighbours=NOT_THEIRS
        ),
    ]
