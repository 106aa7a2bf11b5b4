"""A session from planning to closing: the run sheet's writes, the records closing writes, finality."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.groups import closing, services, sessions
from app.groups.models import GroupSession, SessionRecordLink
from app.logbook.models import SessionRecord
from tests.groups.conftest import plan


def _run(world, scene, session) -> None:
    a, s = world.association.id, session.id
    start = utcnow() - timedelta(minutes=95)
    sessions.record_briefing(world.trainee, a, s, "short")
    for minute, phase in zip(
        (0, 6, 20, 28, 75), ("opening", "presentation", "questions", "push-back", "return"), strict=True
    ):
        sessions.start_phase(world.trainee, a, s, phase, at=start + timedelta(minutes=minute))
    sessions.set_attendance(world.trainee, a, s, scene.enrolled_member.id, is_present=True, is_online=True)
    sessions.set_attendance(world.trainee, a, s, scene.guest.id, is_present=True)


def test_closing_writes_each_leaders_and_the_enrolled_members_record_submitted_and_linked(world, scene):
    session = plan(world, scene.group)
    _run(world, scene, session)
    outcome = closing.close_session(world.trainee, world.association.id, session.id, cases=2, minutes=90)
    db.session.commit()

    by_role = {item.role: item for item in outcome}
    assert set(by_role) == {"leader", "co-leader", "member"}
    records = {r.author_id: r for r in db.session.scalars(sa.select(SessionRecord))}
    leader, co_leader = records[world.trainee.id], records[world.trainee2.id]
    member = records[scene.enrolled_member.user_id]
    assert {r.status for r in records.values()} == {"submitted"}
    assert (leader.role, leader.co_leader_id, co_leader.role, co_leader.co_leader_id) == (
        "leader",
        world.trainee2.id,
        "co-leader",
        world.trainee.id,
    )
    for record in (leader, co_leader, member):
        assert (record.minutes, record.cases, record.members, record.group_kind) == (90, 2, 2, "ongoing")
        assert record.phases == ["opening", "presentation", "questions", "push-back", "return"]
        assert record.occurred_on == session.held_on
    assert (member.role, member.mode, leader.mode) == ("member", "online", "in-person")
    links = {link.record_id for link in db.session.scalars(sa.select(SessionRecordLink))}
    assert links == {leader.id, co_leader.id, member.id}
    session = db.session.get(GroupSession, session.id)
    assert session.is_closed and session.is_briefing_given and session.briefing_version == "short"
    assert [p.minutes for p in session.phases] == [6, 14, 8, 47, 20]


def test_a_closed_session_is_final_in_the_service_and_in_the_database(world, scene):
    session = plan(world, scene.group)
    _run(world, scene, session)
    closing.close_session(world.trainee, world.association.id, session.id, cases=1, minutes=90)
    db.session.commit()
    with pytest.raises(InvalidState):
        sessions.set_attendance(
            world.trainee, world.association.id, session.id, scene.guest.id, is_present=False
        )
    for statement in (
        "UPDATE group_session SET cases = 5 WHERE id = :id",
        "DELETE FROM group_session WHERE id = :id",
        "UPDATE group_attendance SET is_present = false WHERE session_id = :id",
        "DELETE FROM group_session_phase WHERE session_id = :id",
        "INSERT INTO group_session_phase (session_id, phase, started_at) VALUES (:id, 'closing', '2025-03-06')",
        "DELETE FROM group_session_record WHERE session_id = :id",
    ):
        with pytest.raises(sa.exc.IntegrityError, match="closed session is final"):
            db.session.execute(sa.text(statement), {"id": session.id})
        db.session.rollback()


def test_the_run_sheet_takes_a_replay_without_harm(world, scene):
    session = plan(world, scene.group)
    a, s = world.association.id, session.id
    first = datetime.now(UTC) - timedelta(minutes=3)
    sessions.start_phase(world.trainee, a, s, "opening", at=first)
    sessions.start_phase(world.trainee, a, s, "opening", at=first + timedelta(minutes=2))
    for _ in range(2):
        sessions.set_attendance(world.trainee, a, s, scene.guest.id, is_present=True)
    db.session.commit()
    session = db.session.get(GroupSession, s)
    assert [(p.phase, p.started_at) for p in session.phases] == [("opening", first)]
    assert len(session.attendance) == 1 and session.status == "running"


def test_closing_needs_attendance_and_a_held_date(world, scene):
    future = plan(world, scene.group, held_on=utcnow().date() + timedelta(days=7))
    with pytest.raises(ValidationError) as error:
        closing.close_session(world.trainee, world.association.id, future.id, cases=1, minutes=90)
    assert set(error.value.fields) == {"minutes", "cases"}


def test_who_may_read_run_and_create_groups(world, scene, make_user):
    a, g = world.association.id, scene.group.id
    assert services.get_group(world.supervisor2, a, g)  # supervises the co-leader
    assert services.get_group(world.supervisor, a, g)  # supervises the leader
    outsider = make_user("sup9@x.test", world.association, Role.SUPERVISOR)
    with pytest.raises(Forbidden):
        services.get_group(outsider, a, g)
    with pytest.raises(NotFound):
        services.get_group(world.other_admin, world.other.id, g)
    with pytest.raises(Forbidden):
        sessions.plan_session(world.supervisor, a, g, sessions.PlanInput(None, None, None, ""))
    with pytest.raises(Forbidden):
        services.leader_candidates(world.trainee, a)
