"""Shapes 7 and 8 through the database: the services that record profile facts, and the
cohort's SQL path equal to the record-by-record path for exams, tracks and memberships,
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.errors import Forbidden, NotFound, ValidationError
from app.extensions import db
from app.profiles import services as profiles
from app.programmes import services as programmes
from app.requirements import services
from app.requirements.engine import MET, NOT_APPLICABLE, NOT_MET
from tests.requirements.test_aggregates import assert_same_outcomes

EXAMS_AND_TRACKS = """
title: Exams, tracks and membership
tracks: {gp: General practitioners, psych: Psychiatrists and psychotherapists, other: Other professions}
requirements:
  - {id: passed, label: Passed, kind: total, records: exams, where: {outcome: passed}, at_least: 2}
  - {id: intensive, label: Intensive, kind: total, records: exams,
     where: {exam_kind: assessed-intensive, outcome: [satisfactory, passed]}, window: {after: enrolment_start},
     at_least: 1}
  - {id: recent, label: Recent, kind: total, records: exams, window: {within_last_years: 1}, at_least: 1}
  - {id: fixed, label: Fixed, kind: total, records: exams, window: {after: 2024-06-01, before: 2025-06-01},
     at_least: 1}
  - {id: before-qualification, label: Before qualification, kind: total, records: exams,
     window: {before: qualification}, at_least: 1}
  - {id: examiners, label: Examiners, kind: distinct, records: exams, field: examiner, at_least: 2}
  - {id: kinds, label: Kinds, kind: distinct, records: exams, field: exam_kind, at_least: 2}
  - {id: pass-share, label: Pass share, kind: share, records: exams, numerator: {outcome: passed}, at_least: 0.5}
  - {id: yearly, label: Yearly, kind: rate, records: exams, per: year, at_least: 1, run: 2}
  - {id: spread, label: Spread, kind: span, records: exams, months: 6}
  - id: gp-route
    label: GP route
    kind: all_of
    when: {track: gp}
    requirements:
      - {id: gp-years, label: GP years, kind: elapsed, since: {qualification: gp-specialist}, years: 2}
  - id: psych-route
    label: Psych route
    kind: all_of
    when: {track: psych}
    requirements:
      - {id: kept, label: Kept, kind: elapsed, since: membership, years: 2, continuous: true}
      - {id: ever, label: Ever, kind: elapsed, since: membership, years: 3}
  - {id: others, label: Others, kind: manual, when: {track: other}}
"""


def _programme(world, source=EXAMS_AND_TRACKS):
    return programmes.create_programme(
        world.admin, world.association.id, slug="px", title="PX", rule_set_source=source
    )


def _enrol(world, programme, user, started_on):
    return programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=user.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=started_on,
    )


@pytest.mark.parametrize("as_of", [dt.date(2026, 1, 1), dt.date(2025, 2, 28), dt.date(2028, 2, 29)])
def test_exams_tracks_and_memberships_match_record_by_record_evaluation(world, make_user, as_of):
    programme = _programme(world)
    rng = random.Random(as_of.isoformat())
    enrolments = []
    for number in range(8):
        user = make_user(f"exam{number}@x.test", world.association, Role.TRAINEE)
        enrolment = _enrol(
            world, programme, user, dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 200))
        )
        if number % 2:
            enrolment.qualified_on = dt.date(2024, 6, 1)
        profiles.set_track(world.admin, enrolment.id, rng.choice([None, "gp", "psych", "other"]))
        for _ in range(rng.randint(0, 6)):
            profiles.record_exam(
                world.admin,
                enrolment.id,
                kind=rng.choice(["exam", "assessed-intensive"]),
                outcome=rng.choice(["passed", "not-passed", "satisfactory", "not-yet"]),
                occurred_on=dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 900)),
                examiner_id=rng.choice([None, world.supervisor.id, world.supervisor2.id]),
                examiner_name=rng.choice(["Dr Ext", " dr ext ", "Prof Other"]),
            )
        start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        for _ in range(rng.randint(0, 3)):
            end = start + dt.timedelta(days=rng.randint(30, 500))
            profiles.add_membership(world.admin, enrolment.id, started_on=start, ended_on=end)
            start = end + dt.timedelta(days=rng.choice([1, 2, 40]))
        if rng.random() < 0.5 and start <= dt.date.today():
            profiles.add_membership(world.admin, enrolment.id, started_on=start, ended_on=None)
        if rng.random() < 0.6:
            profiles.add_qualification(
                world.admin, enrolment.id, kind="gp-specialist", obtained_on=dt.date(2023, 2, 28)
            )
        enrolments.append(enrolment)
    db.session.commit()
    assert_same_outcomes(enrolments, as_of)


def test_recorded_facts_decide_a_trainees_progress(world, make_user):
    programme = _programme(world)
    enrolment = _enrol(world, programme, world.trainee2, dt.date(2024, 3, 1))
    profiles.set_track(world.admin, enrolment.id, "psych")
    profiles.add_membership(
        world.admin, enrolment.id, started_on=dt.date(2022, 1, 1), ended_on=dt.date(2023, 12, 31)
    )
    profiles.add_membership(world.admin, enrolment.id, started_on=dt.date(2024, 1, 2), ended_on=None)
    db.session.commit()
    outcomes = {o.requirement.id: o for o in _flat(services.progress_for(enrolment, dt.date(2025, 6, 1)))}
    assert outcomes["gp-route"].status == NOT_APPLICABLE
    assert outcomes["kept"].status == NOT_MET and outcomes["kept"].met_on == dt.date(2026, 1, 2)
    assert outcomes["ever"].status == MET  # since 2022-01-01, the break does not matter


def _flat(progress):
    stack = list(progress.evaluation.outcomes)
    while stack:
        outcome = stack.pop()
        stack.extend(outcome.children)
        yield outcome


def test_only_an_admin_of_the_association_records_profile_facts(world):
    enrolment = world.enrolment
    with pytest.raises(Forbidden):
        profiles.add_membership(world.trainee, enrolment.id, started_on=dt.date(2024, 1, 1), ended_on=None)
    with pytest.raises(Forbidden):
        profiles.record_exam(
            world.supervisor,
            enrolment.id,
            kind="exam",
            outcome="passed",
            occurred_on=dt.date(2025, 1, 1),
            examiner_name="Dr X",
        )
    with pytest.raises(NotFound):
        profiles.add_qualification(
            world.other_admin, enrolment.id, kind="medical-degree", obtained_on=dt.date(2020, 1, 1)
        )


def test_bad_profile_input_is_refused_field_by_field(world):
    enrolment = world.enrolment
    with pytest.raises(ValidationError) as error:
        profiles.add_membership(
            world.admin, enrolment.id, started_on=dt.date(2024, 5, 1), ended_on=dt.date(2024, 4, 30)
        )
    assert "ended_on" in error.value.fields
    with pytest.raises(ValidationError) as error:
        profiles.record_exam(
            world.admin, enrolment.id, kind="exam", outcome="passed", occurred_on=dt.date(2025, 1, 1)
        )
    assert "examiner_name" in error.value.fields
    with pytest.raises(ValidationError) as error:
        profiles.record_exam(
            world.admin,
            enrolment.id,
            kind="exam",
            outcome="passed",
            occurred_on=dt.date(2025, 1, 1),
            examiner_id=enrolment.trainee_id,
        )
    assert "examiner_id" in error.value.fields
    with pytest.raises(ValidationError) as error:
        profiles.set_track(world.admin, enrolment.id, "gp")  # the world's rule set declares no tracks
    assert "track" in error.value.fields


def test_every_change_is_audited_and_a_removal_says_what_it_removed(world):
    enrolment = world.enrolment
    exam = profiles.record_exam(
        world.admin,
        enrolment.id,
        kind="exam",
        outcome="passed",
        occurred_on=dt.date(2025, 1, 1),
        examiner_name="Dr X",
    )
    membership = profiles.add_membership(
        world.admin, enrolment.id, started_on=dt.date(2024, 1, 1), ended_on=None
    )
    profiles.remove(world.admin, enrolment.id, "exam", exam.id)
    with pytest.raises(NotFound):
        profiles.remove(world.admin, world.enrolment.id, "qualification", membership.id)
    db.session.commit()
    actions = [event.action for event in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-3:] == ["profile.exam_recorded", "profile.membership_added", "profile.exam_removed"]
    removed = db.session.query(AuditEvent).filter_by(action="profile.exam_removed").one()
    assert removed.details["outcome"] == "passed" and removed.details["occurred_on"] == "2025-01-01"
    facts = profiles.profile_facts(world.trainee, enrolment.id)
    assert facts.exams == [] and [m.started_on for m in facts.memberships] == [dt.date(2024, 1, 1)]
