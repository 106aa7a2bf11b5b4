"""Programmes, rule-set versions, enrolments and supervisors."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.programmes import services
from tests.fixtures.world import RULE_SET


def test_a_new_rule_set_version_leaves_existing_enrolments_pinned(world):
    new_source = RULE_SET.replace("at_least: 2", "at_least: 20")
    version2 = services.add_rule_set_version(
        world.admin, world.association.id, world.programme.id, new_source
    )
    enrolment = services.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=world.programme.id,
        supervisor_ids=[world.supervisor2.id],
        started_on=date(2025, 6, 1),
    )
    db.session.commit()
    assert version2.version == 2
    assert world.enrolment.rule_set.version == 1
    assert enrolment.rule_set.version == 2


def test_an_identical_rule_set_is_not_a_new_version(world):
    with pytest.raises(InvalidState):
        services.add_rule_set_version(world.admin, world.association.id, world.programme.id, RULE_SET)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("title: [unclosed", "Line 1: not valid YAML"),
        ("- just\n- a list\n", "a rule set is a mapping"),
        ("title: Missing requirements\n", "needs 'requirements'"),
        ("title: T\nrequirements: nope\n", "Line 2: 'requirements' must be a non-empty list"),
    ],
)
def test_a_broken_rule_set_is_refused_with_a_precise_message(world, source, message):
    with pytest.raises(ValidationError, match=message):
        services.create_programme(
            world.admin, world.association.id, slug="p2", title="P2", rule_set_source=source
        )


def test_programme_slugs_are_unique_within_an_association(world):
    with pytest.raises(ValidationError, match="exists"):
        services.create_programme(
            world.admin, world.association.id, slug="leaders", title="Again", rule_set_source=RULE_SET
        )
    other = services.create_programme(
        world.other_admin, world.other.id, slug="leaders", title="Theirs", rule_set_source=RULE_SET
    )
    assert other.slug == "leaders"


def test_only_admins_create_programmes_and_enrol(world):
    with pytest.raises(Forbidden):
        services.create_programme(
            world.supervisor, world.association.id, slug="x", title="X", rule_set_source=RULE_SET
        )
    with pytest.raises(Forbidden):
        services.enrol(
            world.trainee,
            world.association.id,
            trainee_id=world.trainee.id,
            programme_id=world.programme.id,
            supervisor_ids=[],
            started_on=date.today(),
        )


def test_enrolment_requires_a_trainee_and_supervisors_of_the_same_association(world, make_user):
    from app.accounts.models import Role

    outsider = make_user("sup@other.test", world.other, Role.SUPERVISOR)
    with pytest.raises(ValidationError, match="Only trainees"):
        services.enrol(
            world.admin,
            world.association.id,
            trainee_id=world.supervisor.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=date.today(),
        )
    with pytest.raises(ValidationError, match="supervisor of this association"):
        services.enrol(
            world.admin,
            world.association.id,
            trainee_id=world.trainee2.id,
            programme_id=world.programme.id,
            supervisor_ids=[outsider.id],
            started_on=date.today(),
        )


def test_a_trainee_cannot_be_enrolled_twice_on_the_same_programme(world):
    with pytest.raises(InvalidState, match="already enrolled"):
        services.enrol(
            world.admin,
            world.association.id,
            trainee_id=world.trainee.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=date.today(),
        )


def test_an_enrolment_can_have_several_supervisors(world):
    services.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    db.session.commit()
    assert {s.email for s in world.enrolment.supervisors} == {"sup@x.test", "sup2@x.test"}
    assert world.enrolment in services.enrolments_supervised_by(world.supervisor2, world.association.id)


def test_enrolments_of_another_association_read_as_not_found(world):
    with pytest.raises(NotFound):
        services.get_enrolment(world.other_admin, world.enrolment.id)


def test_lists_are_searchable_and_paginated(app, world, make_user):
    from app.accounts.models import Role
    from app.accounts.services import list_members

    for number in range(30):
        make_user(f"member{number:02d}@x.test", world.association, Role.TRAINEE, name=f"Member {number:02d}")
    app.config["PAGE_SIZE"] = 10
    first, roles = list_members(world.admin, world.association.id, search="member", page=1)
    assert first.total == 30 and len(first.items) == 10 and first.pages == 3
    assert [u.name for u in first.items][:2] == ["Member 00", "Member 01"]
    last, _ = list_members(world.admin, world.association.id, search="member", page=99)
    assert last.page == 3
    supervisors, _ = list_members(world.admin, world.association.id, role="supervisor")
    assert {u.email for u in supervisors.items} == {"sup@x.test", "sup2@x.test"}
    assert all(roles[u.id] == ["trainee"] for u in first.items)
