"""Properties of membership kept without a break (Hypothesis): how periods are written
down does not matter, only the days they cover; a break can only delay the day it is met."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.requirements.engine import evaluate_requirement
from app.requirements.facts import MembershipPeriod, TraineeFacts
from app.requirements.ruleset import parse_rule_set

RULES = parse_rule_set(
    """
title: Membership
requirements:
  - {id: kept, label: Kept, kind: elapsed, since: membership, years: 2, continuous: true}
  - {id: ever, label: Ever, kind: elapsed, since: membership, months: 30}
  - {id: current, label: Current, kind: elapsed, since: membership, months: 0, continuous: true}
"""
).requirements
DAY = dt.timedelta(days=1)

periods = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2026, 6, 1)),
        st.one_of(st.none(), st.integers(min_value=0, max_value=1500)),
    ),
    max_size=5,
)


def facts(raw, as_of):
    return TraineeFacts(
        enrolment_start=dt.date(2024, 1, 1),
        as_of=as_of,
        memberships=tuple(
            MembershipPeriod(start, None if length is None else start + length * DAY) for start, length in raw
        ),
    )


def judged(trainee):
    return [(o.status, o.met_on, o.missing) for o in (evaluate_requirement(r, trainee) for r in RULES)]


@settings(max_examples=200, deadline=None)
@given(
    raw=periods,
    split=st.integers(min_value=0, max_value=1500),
    as_of=st.dates(dt.date(2019, 1, 1), dt.date(2030, 1, 1)),
)
def test_splitting_a_period_into_two_that_touch_changes_nothing(raw, split, as_of):
    trainee = facts(raw, as_of)
    pieces = list(trainee.memberships)
    if pieces:
        first = pieces[0]
        cut = first.started_on + split * DAY
        if first.ended_on is None or cut < first.ended_on:
            pieces[:1] = [
                MembershipPeriod(first.started_on, cut),
                MembershipPeriod(cut + DAY, first.ended_on),
            ]
    split_trainee = TraineeFacts(
        enrolment_start=trainee.enrolment_start, as_of=as_of, memberships=tuple(reversed(pieces))
    )
    assert [s for s, *_ in judged(split_trainee)] == [s for s, *_ in judged(trainee)]
    assert [m for _, m, _ in judged(split_trainee)] == [m for _, m, _ in judged(trainee)]


@settings(max_examples=200, deadline=None)
@given(raw=periods, as_of=st.dates(dt.date(2019, 1, 1), dt.date(2030, 1, 1)))
def test_kept_without_a_break_is_never_met_before_ever_a_member(raw, as_of):
    trainee = facts(raw, as_of)
    kept = evaluate_requirement(
        parse_rule_set(
            "title: T\nrequirements:\n  - {id: k, label: K, kind: elapsed, since: membership, years: 2, continuous: true}\n"
        ).requirements[0],
        trainee,
    )
    ever = evaluate_requirement(
        parse_rule_set(
            "title: T\nrequirements:\n  - {id: e, label: E, kind: elapsed, since: membership, years: 2}\n"
        ).requirements[0],
        trainee,
    )
    if kept.status == "met":
        assert ever.status == "met"
