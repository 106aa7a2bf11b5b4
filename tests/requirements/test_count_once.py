"""Double counting is explicit (issue 12, shape 10): ``count_once`` groups hand each record to
one requirement, in a documented order, and say where the others went."""

from __future__ import annotations

import datetime as dt

import pytest

from app.requirements.engine import MET, NOT_APPLICABLE, NOT_MET, evaluate
from app.requirements.ruleset import RuleSetError, parse_rule_set
from tests.requirements.builders import event, trainee

WEEKENDS = """
title: T
{count_once}
requirements:
  - {{id: leadership, label: Leadership training, kind: total, records: events,
     where: {{event_kind: [leadership-workshop, residential-weekend]}}, at_least: 2}}
  - {{id: member-weekends, label: Weekends as a member, kind: total, records: events,
     where: {{event_kind: residential-weekend}}, at_least: 2}}
"""


def outcomes(source, *facts, **kwargs):
    return {o.requirement.id: o for o in evaluate(parse_rule_set(source), trainee(*facts, **kwargs)).outcomes}


def weekends(*days):
    return [event(day, kind="residential-weekend") for day in days]


def test_without_a_group_requirements_share_records():
    facts = weekends(dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    found = outcomes(WEEKENDS.format(count_once=""), *facts)
    assert found["leadership"].status == found["member-weekends"].status == MET


def test_in_a_group_a_weekend_counts_once_and_the_unmet_one_says_where_the_others_went():
    facts = weekends(dt.date(2025, 1, 1), dt.date(2025, 6, 1), dt.date(2025, 9, 1))
    found = outcomes(WEEKENDS.format(count_once="count_once: [[leadership, member-weekends]]"), *facts)
    leadership, member = found["leadership"], found["member-weekends"]
    # The group's order: leadership takes the two oldest, which meet it; the third is left.
    assert leadership.status == MET
    assert leadership.counted == (facts[0].id, facts[1].id)
    assert member.counted == (facts[2].id,)
    assert member.status == NOT_MET
    assert dict(member.excluded) == {
        facts[0].id: "already counted for Leadership training",
        facts[1].id: "already counted for Leadership training",
    }
    assert member.missing == "1 more event. 2 records already counted for Leadership training."


def test_the_order_of_the_group_decides_who_takes_records_first():
    facts = weekends(dt.date(2025, 1, 1), dt.date(2025, 6, 1), dt.date(2025, 9, 1))
    found = outcomes(WEEKENDS.format(count_once="count_once: [[member-weekends, leadership]]"), *facts)
    assert found["member-weekends"].counted == (facts[0].id, facts[1].id)
    assert found["leadership"].counted == (facts[2].id,)


def test_records_the_first_cannot_count_stay_free_for_the_next():
    workshops = [event(dt.date(2025, 1, 1)), event(dt.date(2025, 2, 1))]
    weekend = weekends(dt.date(2024, 12, 1), dt.date(2025, 3, 1))
    found = outcomes(
        WEEKENDS.format(count_once="count_once: [[leadership, member-weekends]]"), *workshops, *weekend
    )
    # Leadership takes the oldest it counts (a weekend, then a workshop) and stops once met;
    # the later weekend goes to the member weekends, and the surplus workshop back to leadership.
    assert found["leadership"].counted == (weekend[0].id, workshops[0].id, workshops[1].id)
    assert found["member-weekends"].counted == (weekend[1].id,)
    assert dict(found["member-weekends"].excluded)[weekend[0].id] == "already counted for Leadership training"


def test_a_requirement_that_does_not_apply_takes_nothing():
    source = WEEKENDS.format(count_once="count_once: [[member-weekends, leadership]]").replace(
        "where: {event_kind: residential-weekend}, at_least: 2}",
        "where: {event_kind: residential-weekend}, at_least: 2, when: {profile: {psychodynamic_training: true}}}",
    )
    facts = weekends(dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    found = outcomes(source, *facts)
    assert found["member-weekends"].status == NOT_APPLICABLE
    assert found["leadership"].status == MET


def test_the_hand_out_does_not_depend_on_the_order_records_were_loaded_in():
    facts = weekends(dt.date(2025, 1, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    source = WEEKENDS.format(count_once="count_once: [[leadership, member-weekends]]")
    forwards = outcomes(source, *facts)
    backwards = outcomes(source, *reversed(facts))
    for key in ("leadership", "member-weekends"):
        assert forwards[key].counted == backwards[key].counted
        assert forwards[key].status == backwards[key].status


@pytest.mark.parametrize(
    ("count_once", "message"),
    [
        ("count_once: [[leadership, nothing]]", "count_once: no requirement has the id 'nothing'"),
        ("count_once: [[leadership]]", "each count_once group lists two or more requirement ids"),
        ("count_once: leadership", "count_once is a list of groups"),
        ("count_once: [[leadership, form]]", "'form' is a manual; only totals share records out"),
        ("count_once: [[leadership, sessions]]", "the group mixes events and sessions"),
        (
            "count_once: [[leadership, member-weekends], [member-weekends, sessions]]",
            "'member-weekends' is already in the group on line 3",
        ),
    ],
)
def test_ruleset_check_names_the_line_of_a_wrong_group(count_once, message):
    source = WEEKENDS.format(count_once=count_once) + (
        "  - {id: form, label: Form, kind: manual}\n"
        "  - {id: sessions, label: Sessions, kind: total, records: sessions, at_least: 1}\n"
    )
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(source)
    assert any(p.line in (2, 3) and message in p.message for p in error.value.problems), error.value.problems


def test_a_group_and_a_window_that_wait_for_each_other_are_a_cycle():
    source = WEEKENDS.format(count_once="count_once: [[leadership, member-weekends]]").replace(
        "where: {event_kind: [leadership-workshop, residential-weekend]}, at_least: 2}",
        "where: {event_kind: [leadership-workshop, residential-weekend]}, at_least: 2,\n"
        "     window: {after: {met: member-weekends}}}",
    )
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(source)
    assert "requirements wait for each other: leadership -> member-weekends -> leadership" in str(error.value)
