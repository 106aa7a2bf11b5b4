"""Participant rule sets and members' "I was not there" in the authorization matrix.

The world's trainee leads a group (accredited) where a member said they missed a closed
session. Only the group's leaders record a member's chosen rule set and resolve the
answer; the supervisor and the admins of the association are refused (403), the
neighbours too, and another association never learns the member or the answer exist
(404). An empty form changes nothing: the leader is sent back to the rule-set page, or
shown the session page again with the error beside the answer's form (422).
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.groups import attendance_answers
from app.mail.models import OutboxMessage
from tests.authz.cases import NOT_THEIRS, RouteCase, expect
from tests.groups.attendance_support import accredited_group, hold

LEADER_WRITE = expect(302, 302, 403, 403, 404)  # refused input: back to the page
LEADER_RESOLVES = expect(302, 422, 403, 403, 404)  # refused input: the page again, as typed


def cases(world) -> list[RouteCase]:
    a = world.association.id
    scene = accredited_group(world, size=1)
    member = scene.members[0]
    session = hold(world, scene.group, date(2025, 2, 5), {member.id: "room"})
    attendance_answers.ask_members(world.trainee, a, session.id)
    db.session.commit()
    bodies = db.session.scalars(sa.select(OutboxMessage.body).where(OutboxMessage.recipient == member.email))
    token = next(m.group(1) for body in bodies if (m := re.search(r"/attendance/answer/([\w-]+)", body)))
    answer = attendance_answers.give_answer(token, "not-there")
    db.session.commit()
    return [
        RouteCase(
            "attendance.choose_rule_set",
            "POST",
            f"/groups/{scene.group.id}/members/{member.id}/rule-set",
            LEADER_WRITE,
            data={"rule_set": ""},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "attendance.resolve",
            "POST",
            f"/attendance/answers/{answer.id}/resolve",
            LEADER_RESOLVES,
            data={"reason": ""},
            neighbours=NOT_THEIRS,
        ),
    ]
