"""Members' own confirmation of attendance in the authorization matrix.

The world's trainee leads a closed session with one member present and has asked them to
confirm. Only the session's leaders ask (others of the association: 403, another
association: 404); the member's page is public, reached by its one-time link (an empty
answer leaves it unanswered, so every role sees the same page), and an unknown link is
not found for anyone.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.groups import attendance_answers, closing, services, sessions
from app.groups.services import GroupInput, LeaderInput
from app.mail.models import OutboxMessage
from tests.authz.cases import RouteCase, expect, neighbours

PUBLIC = expect(200, 200, 200, 200, 200)


def cases(world) -> list[RouteCase]:
    a = world.association.id
    group = services.create_group(
        world.admin,
        a,
        GroupInput(
            name="Answers group",
            setting_category="hospital",
            format="in-person",
            kind="ongoing",
            rhythm="weekly",
            starts_on=date(2025, 1, 6),
        ),
        [LeaderInput(world.trainee.id, "leader")],
    )
    member = services.add_member(
        world.trainee, a, group.id, "Ann Answer", "ann@example.org", date(2025, 1, 6)
    )
    session = sessions.plan_session(
        world.trainee, a, group.id, sessions.PlanInput(date(2025, 3, 6), time(18, 30), 90, "in-person")
    )
    sessions.start_phase(world.trainee, a, session.id, "opening", at=utcnow() - timedelta(minutes=90))
    sessions.set_attendance(world.trainee, a, session.id, member.id, is_present=True)
    closing.close_session(world.trainee, a, session.id, cases=1, minutes=90)
    attendance_answers.ask_members(world.trainee, a, session.id)
    db.session.commit()
    body = db.session.scalar(
        sa.select(OutboxMessage.body).where(OutboxMessage.recipient == "ann@example.org")
    )
    token = re.search(r"/attendance/answer/([A-Za-z0-9_-]+)", body).group(1)
    return [
        RouteCase(
            "groups.ask_members",
            "POST",
            f"/groups/sessions/{session.id}/ask-members",
            expect(302, 302, 403, 403, 404),
            neighbours=neighbours(403, 403, 403),
        ),
        RouteCase("attendance.answer", "GET", f"/attendance/answer/{token}", PUBLIC),
        RouteCase("attendance.answer", "POST", f"/attendance/answer/{token}", PUBLIC, data={}),
        RouteCase(
            "attendance.answer", "GET", "/attendance/answer/not-a-link", expect(404, 404, 404, 404, 404)
        ),
    ]
