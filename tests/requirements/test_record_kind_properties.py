"""Properties of the ``every`` and ``ends`` kinds (the German participant rules use them), as
for the other kinds in ``test_properties.py``: ``every`` is met exactly when no counted record
fails its match, ``ends`` reads only the first and last days, and order never matters."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.requirements.engine import MET, evaluate_requirement
from app.requirements.facts import Fact, TraineeFacts
from app.requirements.ruleset import parse_rule_set

RULES = parse_rule_set(
    "title: T\nrequirements:\n"
    "  - {id: online-short, label: Online short, kind: every, records: sessions,\n"
    "     where: {mode: online}, match: {minutes: {at_most: 90}}}\n"
    "  - {id: ends-in-person, label: Ends in person, kind: ends, records: sessions,\n"
    "     which: [first, last], match: {mode: in-person}}\n"
).requirements
EVERY, ENDS = RULES

sessions = st.lists(
    st.tuples(st.integers(0, 400), st.sampled_from(("in-person", "online")), st.integers(30, 180)),
    min_size=1,
    max_size=20,
)


def _trainee(raw) -> TraineeFacts:
    facts = tuple(
        Fact(
            number,
            "sessions",
            dt.date(2025, 1, 1) + dt.timedelta(days=day),
            "signed",
            {"mode": mode, "minutes": minutes},
        )
        for number, (day, mode, minutes) in enumerate(raw, start=1)
    )
    return TraineeFacts(enrolment_start=dt.date(2025, 1, 1), as_of=dt.date(2027, 1, 1), facts=facts)


@settings(max_examples=200, deadline=None)
@given(raw=sessions)
def test_every_is_met_exactly_when_no_online_session_is_longer_than_90_minutes(raw):
    met = evaluate_requirement(EVERY, _trainee(raw)).status == MET
    assert met == all(minutes <= 90 for _day, mode, minutes in raw if mode == "online")


@settings(max_examples=200, deadline=None)
@given(raw=sessions)
def test_ends_reads_only_the_first_and_the_last_day(raw):
    first, last = min(day for day, _m, _n in raw), max(day for day, _m, _n in raw)
    in_person = all(mode == "in-person" for day, mode, _n in raw if day in (first, last))
    assert (evaluate_requirement(ENDS, _trainee(raw)).status == MET) == in_person


@settings(max_examples=100, deadline=None)
@given(raw=sessions, seed=st.integers(0, 10_000))
def test_the_order_of_the_records_never_matters(raw, seed):
    shuffled = list(raw)
    random.Random(seed).shuffle(shuffled)
    for rule in RULES:
        assert (
            evaluate_requirement(rule, _trainee(raw)).status
            == evaluate_requirement(rule, _trainee(shuffled)).status
        )
