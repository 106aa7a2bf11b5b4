"""Rules that ask for the status level another person held on the record's date: the co-leader
of a session, the supervisor of a supervision, the observer of an observation. The record
path and the SQL cohort path give the same outcomes, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.logbook.models import SessionRecord
from app.programmes import services as programmes
from app.requirements import services
from app.requirements.engine import MET, NOT_MET
from app.requirements.ruleset import RuleSetError, parse_rule_set
from app.statuslevels import services as levels
from tests.requirements.records import _signature, add_observation, add_supervision
from tests.requirements.test_aggregates import flatten, summary

RULES = """
title: Status on the day
requirements:
  - {id: with-trainer, label: Co-led with a training leader, kind: total, records: sessions,
     where: {role: co-leader, co_leader_status: training-leader}, at_least: 3}
  - {id: with-any-leader, label: Co-led with an accredited leader, kind: total, records: sessions,
     where: {co_leader_status: {one_of: [certified-leader, training-leader]}}, at_least: 2}
  - {id: supervised-by-leaders, label: Supervision by supervisor-leaders, kind: total, records: supervision,
     where: {supervisor_status: supervisor-leader}, at_least: {records: 2, hours: 2}}
  - {id: trainer-share, label: Share with trainers, kind: share, records: sessions,
     numerator: {co_leader_status: training-leader}, at_most: 0.5}
  - {id: trainer-months, label: Months with a trainer, kind: rate, records: sessions, per: month,
     where: {co_leader_status: [training-leader]}, at_least: 1, run: 2}
  - {id: observed-by-trainer, label: Observed by a training leader, kind: total, records: observations,
     where: {observer_level: training-leader}, at_least: 2}
  - {id: old-flag, label: Old flag, kind: total, records: sessions, where: {co_leader_accredited: true}, at_least: 1}
"""


def _session(enrolment, day, co_leader=None, *, name="Dr Co", accredited=False):
    record = SessionRecord(
        association_id=enrolment.association_id,
        enrolment_id=enrolment.id,
        occurred_on=day,
        author_id=enrolment.trainee_id,
        role="co-leader",
        minutes=90,
        mode="in-person",
        group_kind="ongoing",
        setting_category="primary-care",
        setting="GP trainees",
        members=8,
        cases=1,
        co_leader_id=co_leader.id if co_leader else None,
        co_leader_name="" if co_leader else name,
        is_co_leader_accredited=accredited,
        **_signature("signed", enrolment.supervisors[0].id),
    )
    db.session.add(record)
    db.session.flush()
    return record


@pytest.fixture
def scene(world, make_user):
    association = world.association
    trainer = make_user("trainer@x.test", association, Role.SUPERVISOR, name="Tara Trainer")
    plain = make_user("plain@x.test", association, Role.SUPERVISOR, name="Pat Plain")
    # The trainer is a training leader from 1 March to 30 June 2024 only; in the other
    # association they hold it throughout, which counts for nothing here.
    levels.grant(
        world.admin, association.id, trainer.id, "training-leader", dt.date(2024, 3, 1), dt.date(2024, 6, 30)
    )
    db.session.add_all([])
    from app.accounts.models import Membership

    db.session.add(Membership(user_id=trainer.id, association_id=world.other.id, role="supervisor"))
    db.session.flush()
    levels.grant(world.other_admin, world.other.id, trainer.id, "training-leader", dt.date(2020, 1, 1))
    levels.grant(world.admin, association.id, world.supervisor.id, "supervisor-leader", dt.date(2024, 5, 1))
    programme = programmes.create_programme(
        world.admin, association.id, slug="s", title="S", rule_set_source=RULES
    )
    enrolment = programmes.enrol(
        world.admin,
        association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    for day in (dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2024, 6, 30), dt.date(2024, 7, 1)):
        _session(enrolment, day, trainer)
    _session(enrolment, dt.date(2024, 4, 1), plain)
    _session(enrolment, dt.date(2024, 4, 2), name="Dr Hand", accredited=True)
    for day in (dt.date(2024, 4, 30), dt.date(2024, 5, 1), dt.date(2025, 1, 1)):
        add_supervision(enrolment, day, minutes=60)
    add_observation(enrolment, dt.date(2024, 6, 15), trainer)
    add_observation(enrolment, dt.date(2024, 7, 1), trainer)  # the day after the level ended
    db.session.commit()
    return enrolment


def _by_id(progress):
    return {outcome.requirement.id: outcome for outcome in flatten(progress.evaluation.outcomes)}


def test_a_status_counts_only_on_the_days_it_was_held_in_this_association(scene):
    outcomes = _by_id(services.progress_for(scene, dt.date(2026, 1, 1)))
    trainer = outcomes["with-trainer"]
    assert (trainer.status, trainer.current) == (NOT_MET, 2)  # 1 March and 30 June; not 29 Feb, not 1 July
    assert outcomes["with-any-leader"].status == MET
    supervised = outcomes["supervised-by-leaders"]
    assert (supervised.status, supervised.current) == (MET, 2)  # 1 May 2024 and 1 January 2025
    assert outcomes["trainer-share"].status == MET  # 2 of 6
    assert outcomes["trainer-months"].status == NOT_MET  # March and June: no two months in a row
    assert outcomes["old-flag"].status == MET  # the boolean filter keeps working
    observed = outcomes["observed-by-trainer"]
    assert (observed.status, observed.current) == (NOT_MET, 1)


def test_a_left_out_record_says_which_status_the_person_held_that_day(scene):
    outcome = _by_id(services.progress_for(scene, dt.date(2026, 1, 1)))["with-trainer"]
    reasons = {reason for _id, reason in outcome.excluded}
    assert "co-leader held no status level that day, not training-leader" in reasons


def test_the_sql_cohort_path_equals_the_record_path(scene):
    for as_of in (dt.date(2024, 6, 30), dt.date(2026, 1, 1)):
        cohort = services.progress_of_many([scene], as_of)[0]
        one = services.progress_for(scene, as_of)
        assert [summary(o) for o in flatten(cohort.evaluation.outcomes)] == [
            summary(o) for o in flatten(one.evaluation.outcomes)
        ]


def test_ending_a_level_changes_only_the_records_after_its_last_day(scene, world):
    holding = levels.levels_of(world.supervisor.id, world.association.id)[0]
    levels.end(world.admin, world.association.id, holding.id, dt.date(2024, 12, 31))
    db.session.commit()
    for progress in (services.progress_for(scene), services.progress_of_many([scene])[0]):
        assert _by_id(progress)["supervised-by-leaders"].current == 1


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (
            "{co_leader_status: Training Leader}",
            "co_leader_status: 'Training Leader' is not a status level name",
        ),
        ("{co_leader_status: {at_least: 2}}", "co_leader_status: use a level, a list of levels, or one_of"),
        ("{co_leader_status: []}", "co_leader_status: name at least one status level"),
        ("{supervisor_status: supervisor-leader}", "sessions have no field 'supervisor_status'"),
    ],
)
def test_ruleset_check_names_a_bad_status_filter(where, message):
    source = f"title: T\nrequirements:\n  - {{id: a, label: A, kind: total, records: sessions, where: {where}, at_least: 1}}\n"
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(source)
    assert any(message in problem.message for problem in error.value.problems), error.value.problems


def test_a_programme_refuses_a_level_its_association_does_not_declare(world):
    source = RULES.replace("training-leader}", "grand-master}")
    from app.errors import ValidationError

    with pytest.raises(ValidationError) as error:
        programmes.create_programme(
            world.admin, world.association.id, slug="g", title="G", rule_set_source=source
        )
    assert "grand-master" in error.value.message
    levels.define_level(world.admin, world.association.id, "grand-master", "Grand master")
    assert programmes.create_programme(
        world.admin, world.association.id, slug="g", title="G", rule_set_source=source
    )


def test_ruleset_check_refuses_a_preset_naming_a_level_that_is_not_a_default(app, tmp_path):
    body = (
        "title: T\nrequirements:\n"
        "  - {id: a, label: A, kind: total, records: supervision, source: 'Society §1',\n"
        "     where: {supervisor_status: [leader-trainer, supervisor-leader]}, at_least: 1}\n"
    )
    elsewhere = tmp_path / "society.yaml"
    elsewhere.write_text(body)
    warned = app.test_cli_runner().invoke(args=["ruleset", "check", str(elsewhere)])
    assert warned.exit_code == 0
    assert f"{elsewhere}:3: warning: status level 'leader-trainer' is not a default level" in warned.output
    preset = tmp_path / "curriculum" / "programmes" / "society.yaml"
    preset.parent.mkdir(parents=True)
    preset.write_text(body)
    refused = app.test_cli_runner().invoke(args=["ruleset", "check", str(preset)])
    assert refused.exit_code == 1
    assert f"{preset}:3: status level 'leader-trainer' is not a default level" in refused.output


def test_supervisor_accredited_reads_the_sign_off_accreditation_on_the_day_on_both_paths(world):
    from app.logbook.models import SupervisorAccreditation

    rules = (
        "title: T\nrequirements:\n"
        "  - {id: accredited, label: A, kind: total, records: supervision,"
        " where: {supervisor_accredited: true}, at_least: 2}\n"
        "  - {id: not-accredited, label: N, kind: total, records: supervision,"
        " where: {supervisor_accredited: false}, at_least: 1}\n"
    )
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="a", title="A", rule_set_source=rules
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    db.session.add(
        SupervisorAccreditation(
            association_id=world.association.id,
            supervisor_id=world.supervisor.id,
            valid_from=dt.date(2024, 3, 1),
            valid_until=dt.date(2024, 12, 31),
        )
    )
    for day in (dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 1)):
        add_supervision(enrolment, day)
    db.session.commit()
    for progress in (services.progress_for(enrolment), services.progress_of_many([enrolment])[0]):
        outcomes = _by_id(progress)
        assert (outcomes["accredited"].status, outcomes["accredited"].current) == (MET, 2)
        assert outcomes["not-accredited"].current == 2
