"""``every`` and ``ends``: their format errors, their outcomes on a logbook, and the cohort's
SQL path agreeing with the record-by-record path on random logbooks."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from app.extensions import db
from app.programmes import services as programmes
from app.requirements.engine import evaluate
from app.requirements.facts import Fact, TraineeFacts
from app.requirements.ruleset import RuleSetError, parse_rule_set
from tests.requirements.test_aggregates import EDGE_STARTS, assert_same_outcomes, edge_days, fill_logbook

RECORD_KINDS = """
title: Every record, the first and the last
requirements:
  - {id: long-member-sessions, label: Long, kind: every, records: sessions, where: {role: member},
     match: {minutes: {at_least: 60}}}
  - {id: known-kinds, label: Kinds, kind: every, records: sessions, count_unsigned: true,
     match: {group_kind: [ongoing, intensive], mode: in-person}}
  - {id: long-events, label: Long events, kind: every, records: events, match: {minutes: {at_least: 120}}}
  - {id: ends-in-person, label: Ends, kind: ends, records: sessions, match: {mode: in-person}}
  - {id: first-individual, label: First, kind: ends, records: supervision, which: first,
     window: {after: enrolment_start}, match: {mode: individual}}
  - {id: last-led, label: Last, kind: ends, records: sessions, which: [last], count_imported: false,
     match: {role: [co-leader, leader]}}
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(RuleSetError) as error:
        parse_rule_set("title: T\nrequirements:\n" + text)
    return [str(problem) for problem in error.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "  - {id: a, label: A, kind: every, records: attendance}\n",
            "line 3: a every requirement needs 'match'",
        ),
        (
            "  - {id: a, label: A, kind: every, records: attendance, match: {}}\n",
            "line 3: match names at least one field the records must have",
        ),
        (
            "  - {id: a, label: A, kind: every, records: attendance, match: {room: 3}}\n",
            "line 3: attendance have no field 'room'; use mode, minutes, group_size, group_kind",
        ),
        (
            "  - {id: a, label: A, kind: every, records: attendance, match: online}\n",
            "line 3: match must be a mapping of field to value(s)",
        ),
        (
            "  - {id: a, label: A, kind: ends, records: attendance, match: {mode: online}, which: middle}\n",
            "line 3: which is first, last or [first, last]",
        ),
        (
            "  - {id: a, label: A, kind: ends, records: attendance, match: {mode: online},"
            " which: [first, first]}\n",
            "line 3: which names first and last once each",
        ),
        (
            "  - {id: a, label: A, kind: every, records: attendance, match: {mode: online}, which: first}\n",
            "line 3: unknown key 'which' in a every requirement",
        ),
        (
            "  - {id: a, label: A, kind: every, records: attendance, match: {group_size: {between: [12, 8]}}}\n",
            "line 3: group_size: between takes [low, high] alone, both included, low not above high",
        ),
    ],
)
def test_ruleset_check_names_the_line_of_each_mistake(text, expected):
    assert expected in _problems(text)


def _session(number: int, day: dt.date, **values) -> Fact:
    return Fact(number, "sessions", day, "signed", {"role": "member", "mode": "in-person", **values})


def test_every_and_ends_on_a_logbook_say_which_days_fail():
    rule_set = parse_rule_set(RECORD_KINDS)
    facts = TraineeFacts(
        enrolment_start=dt.date(2025, 1, 1),
        as_of=dt.date(2026, 1, 1),
        facts=(
            _session(1, dt.date(2025, 1, 6), minutes=90, group_kind="ongoing"),
            _session(2, dt.date(2025, 2, 6), minutes=50, group_kind="ongoing", mode="online"),
            _session(3, dt.date(2025, 3, 6), minutes=45, group_kind="ongoing"),
            _session(4, dt.date(2025, 3, 6), minutes=90, group_kind="ongoing", mode="online"),
        ),
    )
    found = {o.requirement.id: o for o in evaluate(rule_set, facts).outcomes}
    long = found["long-member-sessions"]
    assert (long.status, long.current, long.required) == ("not_met", 2, 4)
    assert long.missing == "2 of 4 sessions do not have minutes at least 60: 2025-02-06, 2025-03-06."
    # On the last day one session of two was online: that end is not in person.
    assert found["ends-in-person"].missing == "The last session (2025-03-06) does not have mode in-person."
    assert found["known-kinds"].missing.startswith("2 of 4 sessions do not have group kind")
    assert found["long-events"].status == "met"  # no events: nothing breaks it
    assert found["first-individual"].missing == "No records count yet."


@pytest.mark.parametrize("as_of", [dt.date(2026, 1, 1), dt.date(2028, 2, 29)])
def test_the_cohort_path_gives_the_same_outcomes(world, make_user, as_of):
    from app.accounts.models import Role

    programme = programmes.create_programme(
        world.admin, world.association.id, slug="rk", title="RK", rule_set_source=RECORD_KINDS
    )
    rng = random.Random(f"record-kinds-{as_of.isoformat()}")
    enrolments = []
    for number, start in enumerate([*EDGE_STARTS, dt.date(2024, 2, 29)]):
        user = make_user(f"rk{number}@x.test", world.association, Role.TRAINEE)
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=start,
        )
        if number < len(EDGE_STARTS):  # the last one keeps an empty logbook
            days = edge_days(start)
            rng.shuffle(days)
            fill_logbook(enrolment, rng, days, count=rng.randint(5, len(days)))
        enrolments.append(enrolment)
    db.session.commit()
    assert_same_outcomes(enrolments, as_of)
