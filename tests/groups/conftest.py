"""A group led by the world's trainee with the second trainee as co-leader, and its members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.groups import services, sessions
from app.groups.models import Group, GroupMember
from app.groups.services import GroupInput, LeaderInput
from app.programmes import services as programmes
from tests.api.conftest import api, secrets  # noqa: F401  (the API tests of groups)

SEASON_START = date(2025, 1, 6)


@dataclass
class Scene:
    group: Group
    enrolled_member: GroupMember  # a trainee of the association, enrolled
    guest: GroupMember  # a name and an e-mail address, no account


def make_group(world, *, starts_on: date = SEASON_START) -> Group:
    return services.create_group(
        world.admin,
        world.association.id,
        GroupInput(
            name="Thursday GP group",
            setting_category="primary-care",
            format="mixed",
            kind="ongoing",
            rhythm="fortnightly",
            starts_on=starts_on,
            setting="GP trainees, city practice",
            profession_mix="GPs and practice nurses",
        ),
        [LeaderInput(world.trainee.id, "leader"), LeaderInput(world.trainee2.id, "co-leader")],
    )


def plan(world, group: Group, held_on: date = date(2025, 3, 6), minutes: int = 90):
    return sessions.plan_session(
        world.trainee,
        world.association.id,
        group.id,
        sessions.PlanInput(
            held_on=held_on, starts_at=time(18, 30), planned_minutes=minutes, mode="in-person"
        ),
    )


@pytest.fixture
def scene(world, make_user) -> Scene:
    # The co-leader is in training too, supervised by the second supervisor.
    programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=world.programme.id,
        supervisor_ids=[world.supervisor2.id],
        started_on=date(2024, 9, 1),
    )
    member_user = make_user("mira@x.test", world.association, Role.TRAINEE, name="Mira Member")
    programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=member_user.id,
        programme_id=world.programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=date(2024, 9, 1),
    )
    group = make_group(world)
    enrolled = services.add_member(
        world.trainee, world.association.id, group.id, "Mira Member", "MIRA@x.test", SEASON_START
    )
    guest = services.add_member(
        world.trainee, world.association.id, group.id, "Gus Guest", "gus@example.org", SEASON_START
    )
    db.session.commit()
    return Scene(group=group, enrolled_member=enrolled, guest=guest)


@dataclass(frozen=True)
class MatrixGroup:
    group: int
    session: int  # planned a week ahead: it can be run, but not closed yet
    member: int


def matrix_group(world) -> MatrixGroup:
    """For the authorization matrices: a group the world's trainee leads alone, with one
    member without an account and one planned session. The trainee's assigned supervisor
    may read it; the peer, the unassigned supervisor and the co-leader of the logbook
    rows may not."""
    group = services.create_group(
        world.admin,
        world.association.id,
        GroupInput(
            name="Matrix group",
            setting_category="hospital",
            format="in-person",
            kind="ongoing",
            rhythm="weekly",
            starts_on=date(2025, 1, 6),
        ),
        [LeaderInput(world.trainee.id, "leader")],
    )
    member = services.add_member(
        world.trainee, world.association.id, group.id, "Gus Guest", "gus@example.org", date(2025, 1, 6)
    )
    session = plan(world, group, held_on=date.today() + timedelta(days=7))
    db.session.commit()
    return MatrixGroup(group=group.id, session=session.id, member=member.id)


@dataclass(frozen=True)
class MatrixCoLeading:
    session: int  # held a week ago and closed
    feedback: int  # the co-leader's to the trainee
    observation: int  # the trainee's, assigned to their own supervisor, unsigned


def matrix_co_leading(world) -> MatrixCoLeading:
    """For the API matrix: a closed session the world's trainee led with the second trainee
    (who is enrolled nowhere), the second trainee's feedback to the trainee, and an
    observation of the trainee assigned to their supervisor (who signs once accredited)."""
    from app.groups import closing, feedback, observation

    a = world.association.id
    group = services.create_group(
        world.admin,
        a,
        GroupInput(
            name="Matrix co-led group",
            setting_category="hospital",
            format="in-person",
            kind="ongoing",
            rhythm="weekly",
            starts_on=date(2025, 1, 6),
        ),
        [LeaderInput(world.trainee.id, "leader"), LeaderInput(world.trainee2.id, "co-leader")],
    )
    member = services.add_member(
        world.trainee, a, group.id, "Gwen Guest", "gwen@example.org", date(2025, 1, 6)
    )
    session = plan(world, group, held_on=date.today() - timedelta(days=7))
    sessions.set_attendance(world.trainee, a, session.id, member.id, is_present=True)
    closing.close_session(world.trainee, a, session.id, cases=1, minutes=90)
    given = feedback.give_feedback(
        world.trainee2,
        a,
        session.id,
        world.trainee.id,
        feedback.FeedbackInput(ratings={"C1": 4}, went_well="Kept the time without fuss."),
    )
    report = observation.assign_observer(
        world.admin,
        a,
        session.id,
        trainee_id=world.trainee.id,
        observer_id=world.supervisor.id,
        observer_status="supervisor",
    )
    db.session.commit()
    return MatrixCoLeading(session=session.id, feedback=given.id, observation=report.id)
