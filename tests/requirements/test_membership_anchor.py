"""Windows anchored on the membership an admin records (app.profiles): the first day of the
first membership, on the record path and the cohort's SQL path alike, on both databases."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.profiles import services as profiles
from app.requirements import services
from app.requirements.engine import MET, NOT_MET
from tests.requirements.records import add_session
from tests.requirements.test_aggregates import assert_same_outcomes
from tests.requirements.test_profile_aggregates import _enrol, _programme

AFTER_MEMBERSHIP = """
title: Sessions as a member
requirements:
  - {id: as-member, label: As a member, kind: total, records: sessions, at_least: 3,
     window: {after: membership}}
  - {id: first-year, label: In the first year of membership, kind: total, records: sessions, at_least: 2,
     window: {within: {years: 1, after: membership}}}
  - {id: before-joining, label: Before joining, kind: total, records: sessions, at_least: 1,
     window: {within: {months: 6, before: membership}}}
"""


def test_records_count_from_the_first_recorded_membership(world):
    programme = _programme(world, AFTER_MEMBERSHIP)
    enrolment = _enrol(world, programme, world.trainee2, dt.date(2024, 1, 1))
    for day in (dt.date(2024, 2, 1), dt.date(2024, 3, 1), dt.date(2024, 4, 1), dt.date(2024, 5, 1)):
        add_session(enrolment, day)
    db.session.commit()
    before = {
        o.requirement.id: o for o in services.progress_for(enrolment, dt.date(2025, 1, 1)).evaluation.outcomes
    }
    assert (before["as-member"].status, before["as-member"].current) == (NOT_MET, 0)
    profiles.add_membership(
        world.admin, enrolment.id, started_on=dt.date(2024, 3, 1), ended_on=dt.date(2024, 3, 31)
    )
    profiles.add_membership(world.admin, enrolment.id, started_on=dt.date(2024, 6, 1), ended_on=None)
    db.session.commit()
    outcomes = {
        o.requirement.id: o for o in services.progress_for(enrolment, dt.date(2025, 1, 1)).evaluation.outcomes
    }
    # from 1 March 2024, the first membership's first day (the break in May does not move it)
    assert outcomes["as-member"].current == 3 and outcomes["as-member"].status == MET
    assert outcomes["first-year"].current == 3
    # 1 February, and 1 March itself: a "within" window includes both edge days
    assert outcomes["before-joining"].current == 2


@pytest.mark.parametrize("as_of", [dt.date(2025, 2, 28), dt.date(2028, 2, 29)])
def test_the_cohort_path_reads_the_same_membership_start(world, make_user, as_of):
    programme = _programme(world, AFTER_MEMBERSHIP)
    rng = random.Random(as_of.isoformat())
    enrolments = []
    for number in range(8):
        user = make_user(f"member{number}@x.test", world.association, Role.TRAINEE)
        enrolment = _enrol(world, programme, user, dt.date(2023, 1, 1))
        for _ in range(rng.randint(0, 8)):
            add_session(enrolment, dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1000)))
        if number % 4:  # every fourth without a recorded membership
            started = dt.date(2023, 2, 28) + dt.timedelta(days=rng.choice([0, 1, 365, 366, 400]))
            profiles.add_membership(world.admin, enrolment.id, started_on=started, ended_on=None)
        enrolments.append(enrolment)
    db.session.commit()
    assert_same_outcomes(enrolments, as_of)
