"""Properties of the status filters (a level held on the record's day), as for the other
kinds in ``test_properties.py``: the count is the records whose person held a wanted level
that day, granting a level never lowers it, and the records' order never matters."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.requirements.engine import evaluate_requirement
from app.requirements.facts import Fact, TraineeFacts
from app.requirements.ruleset import parse_rule_set

LEVELS = ("certified-leader", "training-leader", "supervisor-leader")
RULE = parse_rule_set(
    "title: T\nrequirements:\n"
    "  - {id: with-trainers, label: With trainers, kind: total, records: sessions,\n"
    "     where: {co_leader_status: {one_of: [training-leader, supervisor-leader]}}, at_least: 3}\n"
).requirements[0]
WANTED = {"training-leader", "supervisor-leader"}

held_sets = st.frozensets(st.sampled_from(LEVELS))
histories = st.lists(st.tuples(st.integers(0, 900), held_sets), max_size=25)


def _trainee(raw) -> TraineeFacts:
    facts = tuple(
        Fact(
            number,
            "sessions",
            dt.date(2024, 1, 1) + dt.timedelta(days=offset),
            "signed",
            {"role": "co-leader", "co_leader_status": held},
        )
        for number, (offset, held) in enumerate(raw, start=1)
    )
    return TraineeFacts(enrolment_start=dt.date(2024, 1, 1), as_of=dt.date(2027, 1, 1), facts=facts)


@settings(max_examples=200, deadline=None)
@given(raw=histories)
def test_the_count_is_the_records_whose_person_held_a_wanted_level_that_day(raw):
    outcome = evaluate_requirement(RULE, _trainee(raw))
    assert outcome.current == sum(1 for _day, held in raw if held & WANTED)


@settings(max_examples=200, deadline=None)
@given(raw=histories, which=st.integers(0, 24), level=st.sampled_from(LEVELS))
def test_granting_a_level_on_a_records_day_never_lowers_the_count(raw, which, level):
    if not raw:
        return
    index = which % len(raw)
    granted = [*raw[:index], (raw[index][0], raw[index][1] | {level}), *raw[index + 1 :]]
    assert (
        evaluate_requirement(RULE, _trainee(granted)).current
        >= evaluate_requirement(RULE, _trainee(raw)).current
    )


@settings(max_examples=100, deadline=None)
@given(raw=histories, seed=st.integers(0, 10_000))
def test_the_order_of_the_records_never_matters(raw, seed):
    shuffled = list(raw)
    random.Random(seed).shuffle(shuffled)
    first, second = evaluate_requirement(RULE, _trainee(raw)), evaluate_requirement(RULE, _trainee(shuffled))
    assert (first.status, first.current) == (second.status, second.current)
