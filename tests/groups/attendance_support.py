"""A group with an accredited leader, members, and a way to hold closed sessions quickly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from app.extensions import db
from app.groups import closing, services, sessions
from app.groups.models import Group, GroupMember
from app.groups.services import GroupInput, LeaderInput
from app.statuslevels import services as status_levels


@dataclass
class AccreditedGroup:
    group: Group
    members: list[GroupMember]


def accredited_group(world, *, size: int = 8, leader_is_accredited: bool = True) -> AccreditedGroup:
    """The world's trainee leads (accredited, unless told otherwise); ``size`` members."""
    association_id = world.association.id
    group = services.create_group(
        world.admin,
        association_id,
        GroupInput(
            name="Wednesday Balint group",
            setting_category="primary-care",
            format="mixed",
            kind="ongoing",
            rhythm="monthly",
            starts_on=date(2025, 1, 1),
        ),
        [LeaderInput(world.trainee.id, "leader", is_accredited=leader_is_accredited)],
    )
    already = {held.level for held in status_levels.levels_of(world.trainee.id, association_id)}
    if leader_is_accredited and "certified-leader" not in already:  # status levels decide who issues
        status_levels.grant(world.admin, association_id, world.trainee.id, "certified-leader", date(2020, 1, 1))
    members = [
        services.add_member(
            world.trainee, association_id, group.id, f"Member {n:02d}", f"m{n}@example.org", date(2025, 1, 1)
        )
        for n in range(1, size + 1)
    ]
    db.session.commit()
    return AccreditedGroup(group, members)


def hold(
    world, group: Group, held_on: date, marks: dict[int, str], *, minutes: int = 90, mode: str = "in-person"
):
    """Plan, take attendance and close one session (``marks``: member id → room/online/absent)."""
    association_id = world.association.id
    session = sessions.plan_session(
        world.trainee,
        association_id,
        group.id,
        sessions.PlanInput(held_on=held_on, starts_at=time(18, 0), planned_minutes=minutes, mode=mode),
    )
    sessions.take_attendance(world.trainee, association_id, session.id, marks)
    closing.close_session(world.trainee, association_id, session.id, cases=1, minutes=minutes)
    db.session.commit()
    return session


def says_not_there(world, session_id: int, email: str):
    """The leader asks a closed session's present members; the one at ``email`` answers
    "not there" through the link mailed to them. Returns the unresolved answer."""
    import re

    import sqlalchemy as sa

    from app.groups import attendance_answers
    from app.mail.models import OutboxMessage

    attendance_answers.ask_members(world.trainee, world.association.id, session_id)
    db.session.commit()  # the e-mail is queued on commit
    bodies = db.session.scalars(
        sa.select(OutboxMessage.body).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)
    )
    links = [t for body in bodies for t in re.findall(r"/attendance/answer/([A-Za-z0-9_-]+)", body)]
    answer = attendance_answers.give_answer(links[-1], "not-there")
    db.session.commit()
    return answer
