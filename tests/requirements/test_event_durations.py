"""An event's teaching time, given in the logbook form, is what a rule set's own units
measure, on the record path and the SQL cohort path alike."""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.logbook.models import TrainingEvent
from app.requirements import aggregates, sources
from app.requirements.engine import MET, NOT_MET, evaluate
from app.requirements.ruleset import parse_rule_set
from tests.helpers import csrf_token_in
from tests.requirements.records import add_event

RULES = parse_rule_set(
    """
title: Seminars
units: {double_session: 90}
requirements:
  - id: seminars
    label: "4 double sessions in leader seminars"
    kind: total
    records: events
    count_unsigned: true
    where: {event_kind: seminar}
    at_least: {double_session: 4}
"""
)


def post_event(client, world, minutes: str, day: str):
    page = client.get(f"/logbook/enrolments/{world.enrolment.id}/events/new")
    return client.post(
        f"/logbook/enrolments/{world.enrolment.id}/events/new",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "event_kind": "seminar",
            "title": "Leader seminar",
            "provider": "Balint Society",
            "starts_on": day,
            "ends_on": day,
            "days": "1",
            "minutes": minutes,
            "save": "Save as draft",
        },
    )


def both_paths(enrolment, as_of: dt.date):
    facts = sources.gather([enrolment], as_of)[enrolment.id]
    measured = aggregates.measurements([(RULES, [enrolment.id])], as_of)
    cohort = sources.gather([enrolment], as_of, measurements=measured, kinds={"total"})[enrolment.id]
    return evaluate(RULES, facts).outcomes[0], evaluate(RULES, cohort).outcomes[0]


def test_teaching_time_from_the_form_is_summed_in_the_rule_sets_units(world, client):
    client.login("trainee@x.test")
    assert post_event(client, world, "270", "2025-02-07").status_code == 302
    record = db.session.scalar(db.select(TrainingEvent))
    assert record.minutes == 270
    assert "270 minutes" in client.get(f"/logbook/records/{record.id}").get_data(as_text=True)

    as_of = dt.date(2025, 6, 1)
    for outcome in both_paths(world.enrolment, as_of):
        assert (outcome.status, outcome.current, outcome.missing) == (
            NOT_MET,
            3,
            "1 more double session (90 minutes).",
        )
    assert post_event(client, world, "", "2025-02-08").status_code == 302  # no length: adds nothing
    add_event(world.enrolment, dt.date(2025, 3, 1), kind="seminar", minutes=90, status="draft")
    db.session.commit()
    assert [o.status for o in both_paths(world.enrolment, as_of)] == [MET, MET]


def test_an_event_without_a_length_keeps_the_content_it_was_signed_with(world):
    record = add_event(world.enrolment, dt.date(2025, 3, 1))
    assert "minutes" not in record.kind_content()
    record_with = add_event(world.enrolment, dt.date(2025, 3, 2), minutes=180)
    assert record_with.kind_content()["minutes"] == 180
