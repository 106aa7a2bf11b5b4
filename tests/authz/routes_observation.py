"""Observed leadership in the authorization matrix.

The world's trainee leads a session alone and has asked the second supervisor (the
``co_leader`` neighbour) to observe it as a leader trainer; the report is not signed yet.
An admin or the trainee leader asks for an observer; only the observer writes the
report; the observer, the trainee, the trainee's supervisor and the admins read it, and
nobody else finds it.
"""

from __future__ import annotations

from datetime import date, time

from app.extensions import db
from app.groups import observation, services, sessions
from app.groups.services import GroupInput, LeaderInput
from tests.authz.cases import RouteCase, expect, neighbours


def cases(world) -> list[RouteCase]:
    a = world.association.id
    group = services.create_group(
        world.admin,
        a,
        GroupInput(
            name="Observed group",
            setting_category="hospital",
            format="in-person",
            kind="ongoing",
            rhythm="weekly",
            starts_on=date(2025, 1, 6),
        ),
        [LeaderInput(world.trainee.id, "leader")],
    )
    session = sessions.plan_session(
        world.trainee, a, group.id, sessions.PlanInput(date(2025, 3, 6), time(18, 30), 90, "in-person")
    )
    report = observation.assign_observer(
        world.trainee,
        a,
        session.id,
        trainee_id=world.trainee.id,
        observer_id=world.supervisor2.id,
        observer_status="leader-trainer",
    )
    db.session.commit()
    assign = f"/groups/sessions/{session.id}/observation"
    sign = f"/groups/observations/{report.id}/sign"
    return [
        RouteCase(
            "groups.assign_observer",
            "GET",
            assign,
            expect(302, 200, 403, 200, 404),
            neighbours=neighbours(403, 403, 403),
        ),
        RouteCase(
            "groups.assign_observer",
            "POST",
            assign,
            expect(302, 200, 403, 200, 404),  # the form again: no observer chosen
            data={},
            neighbours=neighbours(403, 403, 403),
        ),
        RouteCase(
            "groups.sign_observation",
            "GET",
            sign,
            expect(302, 403, 403, 403, 404),
            neighbours=neighbours(404, 404, 200),  # co_leader is the observer
        ),
        RouteCase(
            "groups.sign_observation",
            "POST",
            sign,
            expect(302, 403, 403, 403, 404),  # the form again: nothing ticked
            data={},
            neighbours=neighbours(404, 404, 200),
        ),
        RouteCase(
            "groups.read_observation",
            "GET",
            f"/groups/observations/{report.id}",
            expect(302, 200, 200, 200, 404),
            neighbours=neighbours(404, 404, 200),
        ),
    ]
