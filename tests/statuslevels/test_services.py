"""Status levels as association data: declared, granted and ended with dates, and asked for by
supervising, observing and issuing attendance confirmations."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.errors import Forbidden, ValidationError
from app.extensions import db
from app.programmes import services as programmes
from app.statuslevels import permissions
from app.statuslevels import services as levels
from app.statuslevels.models import Permission

TODAY = dt.date.today()


def test_every_association_starts_with_the_default_levels_and_permissions(world):
    assert levels.slugs(world.association.id) == ["certified-leader", "training-leader", "supervisor-leader"]
    assert levels.accreditation_level(world.association.id) == "certified-leader"
    assert permissions.required_levels(world.association.id, Permission.CONFIRM_ATTENDANCE) == (
        "certified-leader",
        "supervisor-leader",
        "training-leader",
    )
    assert permissions.required_levels(world.association.id, Permission.SUPERVISE) == ()


def test_a_level_is_held_between_its_dates_and_ending_it_keeps_the_earlier_days(world):
    since = dt.date(2024, 3, 1)
    row = levels.grant(world.admin, world.association.id, world.supervisor.id, "supervisor-leader", since)
    db.session.commit()
    held = permissions.held_levels
    assert held(world.supervisor.id, world.association.id, since) == {"supervisor-leader"}
    assert held(world.supervisor.id, world.association.id, since - dt.timedelta(days=1)) == set()
    assert held(world.supervisor.id, world.other.id, since) == set()
    levels.end(world.admin, world.association.id, row.id, dt.date(2024, 12, 31))
    db.session.commit()
    assert held(world.supervisor.id, world.association.id, dt.date(2024, 12, 31)) == {"supervisor-leader"}
    assert held(world.supervisor.id, world.association.id, dt.date(2025, 1, 1)) == set()
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["status_level.granted", "status_level.ended"]


def test_granting_checks_the_level_the_dates_the_person_and_overlaps(world):
    association_id = world.association.id
    with pytest.raises(ValidationError) as unknown:
        levels.grant(world.admin, association_id, world.supervisor.id, "grand-master", TODAY)
    assert "level" in unknown.value.fields
    with pytest.raises(ValidationError) as backwards:
        levels.grant(
            world.admin,
            association_id,
            world.supervisor.id,
            "certified-leader",
            TODAY,
            TODAY.replace(year=2000),
        )
    assert "until" in backwards.value.fields
    with pytest.raises(ValidationError) as stranger:
        levels.grant(world.admin, association_id, world.other_admin.id, "certified-leader", TODAY)
    assert "user_id" in stranger.value.fields
    levels.grant(world.admin, association_id, world.supervisor.id, "certified-leader", dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        levels.grant(world.admin, association_id, world.supervisor.id, "certified-leader", TODAY)
    with pytest.raises(Forbidden):
        levels.grant(world.supervisor, association_id, world.supervisor.id, "supervisor-leader", TODAY)
    with pytest.raises(Forbidden):
        levels.grant(world.other_admin, association_id, world.supervisor.id, "supervisor-leader", TODAY)


def test_an_association_declares_its_own_level_and_a_permission_can_ask_for_it(world):
    association_id = world.association.id
    levels.define_level(world.admin, association_id, "leader-trainer", "Leader Trainer")
    with pytest.raises(ValidationError):
        levels.define_level(world.admin, association_id, "leader-trainer", "Again")
    with pytest.raises(ValidationError):
        levels.define_level(world.admin, association_id, "Not A Slug", "Bad")
    assert levels.set_permission(world.admin, association_id, "observe", ["leader-trainer"]) == [
        "leader-trainer"
    ]
    with pytest.raises(ValidationError):
        levels.set_permission(world.admin, association_id, "observe", ["grand-master"])
    db.session.commit()
    assert "leader-trainer" not in levels.slugs(world.other.id)
    assert permissions.required_levels(world.other.id, "observe") == ()
    assert "Leader Trainer" in permissions.refusal(association_id, "observe", "Sam")


def test_assigning_a_supervisor_without_the_required_level_is_refused_with_a_clear_message(world):
    association_id = world.association.id
    levels.set_permission(world.admin, association_id, "supervise", ["supervisor-leader"])
    db.session.commit()
    with pytest.raises(ValidationError) as refused:
        programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor2.id])
    assert world.supervisor2.name in refused.value.message
    assert "Supervisor-leader" in refused.value.message
    assert refused.value.fields["supervisor_ids"] == [refused.value.message]
    db.session.rollback()
    levels.grant(world.admin, association_id, world.supervisor2.id, "supervisor-leader", TODAY)
    enrolment = programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor2.id])
    assert [s.id for s in enrolment.supervisors] == [world.supervisor2.id]


def test_a_supervisor_already_assigned_keeps_their_place_when_the_list_changes(world):
    # The world's supervisor was assigned before supervising asked for a level.
    association_id = world.association.id
    levels.set_permission(world.admin, association_id, "supervise", ["supervisor-leader"])
    levels.grant(world.admin, association_id, world.supervisor2.id, "supervisor-leader", TODAY)
    enrolment = programmes.set_supervisors(
        world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id]
    )
    assert {s.id for s in enrolment.supervisors} == {world.supervisor.id, world.supervisor2.id}


def test_a_permission_without_levels_falls_back_to_the_earlier_rule(world):
    association_id = world.association.id
    assert permissions.allows(world.supervisor.id, association_id, "supervise") is None
    levels.set_permission(world.admin, association_id, "confirm_attendance", [])
    assert permissions.allows(world.trainee.id, association_id, "confirm_attendance") is None
    levels.set_permission(world.admin, association_id, "confirm_attendance", ["training-leader"])
    assert permissions.allows(world.trainee.id, association_id, "confirm_attendance") is False
    levels.grant(world.admin, association_id, world.trainee.id, "training-leader", TODAY)
    assert permissions.allows(world.trainee.id, association_id, "confirm_attendance") is True
    assert (
        permissions.allows(world.trainee.id, association_id, "confirm_attendance", TODAY.replace(year=2000))
        is False
    )


def test_the_level_accreditation_grants_is_the_associations_choice(world):
    levels.set_accreditation_level(world.admin, world.association.id, "training-leader")
    assert levels.accreditation_level(world.association.id) == "training-leader"
    assert levels.accreditation_level(world.other.id) == "certified-leader"
    with pytest.raises(ValidationError):
        levels.set_accreditation_level(world.admin, world.association.id, "grand-master")
    with pytest.raises(Forbidden):
        levels.set_accreditation_level(world.supervisor, world.association.id, "certified-leader")
