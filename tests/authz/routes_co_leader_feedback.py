"""Co-leader feedback in the authorization matrix.

The world's trainee leads a closed session with the second supervisor as co-leader and
has signed feedback to them. Only the session's leaders open the feedback form; the
feedback itself is read by its author, its recipient and the supervisors of either
(the world's supervisor supervises the trainee), and is not found by anyone else.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from app.database import utcnow
from app.extensions import db
from app.groups import closing, feedback, services, sessions
from app.groups.services import GroupInput, LeaderInput
from tests.authz.cases import RouteCase, expect, neighbours


def cases(world) -> list[RouteCase]:
    a = world.association.id
    group = services.create_group(
        world.admin,
        a,
        GroupInput(
            name="Feedback group",
            setting_category="hospital",
            format="in-person",
            kind="ongoing",
            rhythm="weekly",
            starts_on=date(2025, 1, 6),
        ),
        [LeaderInput(world.trainee.id, "leader"), LeaderInput(world.supervisor2.id, "co-leader")],
    )
    session = sessions.plan_session(
        world.trainee, a, group.id, sessions.PlanInput(date(2025, 3, 6), time(18, 30), 90, "in-person")
    )
    guest = services.add_member(world.trainee, a, group.id, "Gus Guest", "gus@example.org", date(2025, 1, 6))
    sessions.start_phase(world.trainee, a, session.id, "opening", at=utcnow() - timedelta(minutes=90))
    sessions.set_attendance(world.trainee, a, session.id, guest.id, is_present=True)
    closing.close_session(world.trainee, a, session.id, cases=1, minutes=90)
    given = feedback.give_feedback(
        world.trainee, a, session.id, world.supervisor2.id, feedback.FeedbackInput({"C1": 4}, "Steady.")
    )
    db.session.commit()
    form = f"/groups/sessions/{session.id}/feedback/{world.supervisor2.id}"
    return [
        RouteCase(
            "groups.give_feedback",
            "GET",
            form,
            expect(302, 200, 403, 403, 404),
            neighbours=neighbours(403, 403, 404),  # co_leader: leads it, but this is feedback to them
        ),
        RouteCase(
            "groups.give_feedback",
            "POST",
            form,
            expect(302, 200, 403, 403, 404),  # the form again: nothing ticked
            data={},
            neighbours=neighbours(403, 403, 404),
        ),
        RouteCase(
            "groups.read_feedback",
            "GET",
            f"/groups/feedback/{given.id}",
            expect(302, 200, 200, 404, 404),
            neighbours=neighbours(404, 404, 200),  # co_leader is the recipient
        ),
    ]
