"""Attendance confirmation routes in the authorization matrix.

The world's trainee leads a group as an accredited leader and has issued one member a
certificate of attendance. The issuer and the admins read, download and revoke it; the
trainee's supervisor reads the group but not the confirmation; the neighbours are
refused; another association never learns it exists. The checking and issuing page is
the leaders' (the matrix group's trainee leader is not accredited: they see why not).
The verification pages are public.
"""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.groups import attendance_confirmations as confirmations
from tests.authz.cases import NOT_THEIRS, RouteCase, expect
from tests.groups.attendance_support import accredited_group, hold
from tests.groups.conftest import matrix_group

PUBLIC = expect(200, 200, 200, 200, 200)
SIGNED_IN = expect(302, 200, 200, 200, 200)
LEADER_PAGE = expect(302, 200, 403, 403, 404)
LEADER_WRITE = expect(302, 302, 403, 403, 404)  # refused input: back to the page
ISSUER_AND_ADMINS = expect(302, 200, 403, 200, 404)
REVOKERS = expect(302, 302, 403, 302, 404)  # no reason given: nothing revoked


def cases(world) -> list[RouteCase]:
    x = matrix_group(world)
    scene = accredited_group(world, size=2)
    member = scene.members[0]
    hold(world, scene.group, date(2025, 2, 5), {member.id: "room"})
    confirmation = confirmations.issue(
        world.trainee,
        world.association.id,
        scene.group.id,
        member.id,
        kind="period",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
    )
    db.session.commit()
    page = f"/groups/{x.group}/members/{x.member}/attendance"
    c = f"/attendance/confirmations/{confirmation.id}"
    return [
        RouteCase("attendance.issue", "GET", page, LEADER_PAGE, neighbours=NOT_THEIRS),
        RouteCase(
            "attendance.issue", "POST", page, LEADER_WRITE, data={"kind": "period"}, neighbours=NOT_THEIRS
        ),
        RouteCase("attendance.detail", "GET", c, ISSUER_AND_ADMINS, neighbours=NOT_THEIRS),
        RouteCase("attendance.pdf", "GET", f"{c}/pdf", ISSUER_AND_ADMINS, neighbours=NOT_THEIRS),
        RouteCase(
            "attendance.revoke", "POST", f"{c}/revoke", REVOKERS, data={"reason": ""}, neighbours=NOT_THEIRS
        ),
        RouteCase("attendance.mine", "GET", "/attendance/mine", SIGNED_IN),
        RouteCase("attendance.verify", "GET", f"/attendance/{confirmation.serial}", PUBLIC),
        RouteCase("attendance.verify_json", "GET", f"/attendance/{confirmation.serial}.json", PUBLIC),
    ]
