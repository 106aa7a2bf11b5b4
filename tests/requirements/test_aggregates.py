"""The cohort's SQL measurements agree with the engine's record-by-record path."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from app.extensions import db
from app.programmes import services as programmes
from app.requirements import services
from tests.requirements.records import add_event, add_session, add_supervision

PRESETS = Path(__file__).resolve().parents[2] / "curriculum" / "programmes"

WIDE = """
title: Everything the SQL path measures
requirements:
  - {id: hours, label: Hours, kind: total, records: sessions, at_least: {hours: 30, double_hours: 10, cases: 25}}
  - {id: led-after-start, label: Led after start, kind: total, records: sessions,
     where: {role: [co-leader, leader], mode: in-person}, window: {after: enrolment_start}, at_least: 5}
  - {id: member-before, label: Member before, kind: total, records: sessions, where: {role: member},
     window: {before: enrolment_start}, at_least: 3}
  - {id: after-qualification, label: After qualification, kind: total, records: sessions,
     window: {after: qualification}, at_least: 4}
  - {id: recent, label: Recent, kind: total, records: sessions, window: {within_last_years: 1}, at_least: 6}
  - {id: fixed-window, label: Fixed window, kind: total, records: supervision,
     window: {after: 2024-03-01, before: 2025-03-01}, at_least: {hours: 5}}
  - {id: co-leaders, label: Co-leaders, kind: distinct, records: sessions, field: co_leader, at_least: 3}
  - {id: settings, label: Settings, kind: distinct, records: sessions, field: setting_category, at_least: 2}
  - {id: face-to-face, label: Face to face, kind: share, records: sessions, numerator: {mode: in-person},
     at_least: 0.5}
  - {id: conferences, label: Conferences, kind: share, records: events, numerator: {event_kind: seminar},
     measure: days, at_most: 0.3}
  - {id: unsigned-too, label: Unsigned too, kind: total, records: sessions, count_unsigned: true, at_least: 8}
  - id: either
    label: Either
    kind: any_of
    requirements:
      - {id: workshops, label: Workshops, kind: total, records: events, where: {event_kind: leadership-workshop},
         at_least: 2}
      - {id: intensives, label: Intensives, kind: total, records: events, where: {event_kind: intensive},
         at_least: 1}
"""


def flatten(outcomes):
    for outcome in outcomes:
        yield outcome
        yield from flatten(outcome.children)


def summary(outcome):
    return (
        outcome.requirement.id,
        outcome.status,
        round(outcome.current, 6),
        outcome.required,
        outcome.missing,
    )


@pytest.mark.parametrize("source", ["wide", "uk-style", "anz-style", "short-course"])
def test_cohort_measurements_match_record_by_record_evaluation(world, make_user, source):
    from app.accounts.models import Role

    text = WIDE if source == "wide" else (PRESETS / f"{source}.yaml").read_text()
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="p", title="P", rule_set_source=text
    )
    rng = random.Random(source)
    enrolments = []
    for number in range(8):
        user = make_user(f"agg{number}@x.test", world.association, Role.TRAINEE)
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 200)),
        )
        if number % 2:
            enrolment.qualified_on = dt.date(2024, 6, 1)
        for _ in range(rng.randint(0, 25)):
            day = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 900))
            status = rng.choice(["signed", "signed", "signed", "submitted", "draft"])
            roll = rng.random()
            if roll < 0.6:
                record = add_session(
                    enrolment,
                    day,
                    role=rng.choice(["member", "co-leader", "leader"]),
                    status=status,
                    mode=rng.choice(["in-person", "online"]),
                    cases=rng.randint(0, 3),
                    minutes=rng.choice([60, 90, 120]),
                    setting_category=rng.choice(["primary-care", "hospital"]),
                )
                if status == "signed" and rng.random() < 0.1:  # a signed correction replaces it
                    add_session(enrolment, day, supersedes=record, cases=1)
            elif roll < 0.85:
                add_supervision(enrolment, day, minutes=rng.choice([45, 60, 90]), status=status)
            else:
                add_event(
                    enrolment,
                    day,
                    kind=rng.choice(["leadership-workshop", "intensive", "seminar"]),
                    days=rng.randint(1, 3),
                    status=status,
                )
        enrolments.append(enrolment)
    db.session.commit()

    as_of = dt.date(2026, 1, 1)
    cohort = {p.enrolment.id: p for p in services.progress_of_many(enrolments, as_of)}
    for enrolment in enrolments:
        one_by_one = services.progress_for(enrolment, as_of)
        expected = [summary(o) for o in flatten(one_by_one.evaluation.outcomes)]
        assert [summary(o) for o in flatten(cohort[enrolment.id].evaluation.outcomes)] == expected
