"""Properties of the engine over random logbooks (Hypothesis).

Adding a signed record can only help a requirement that has no upper bound. Shares
(a new online session lowers the face-to-face share) and continuity (a late record
can open a gap) are bounded in that sense and are left out on purpose.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.requirements.engine import evaluate, evaluate_requirement
from app.requirements.facts import Fact, TraineeFacts
from app.requirements.ruleset import Requirement, parse_rule_set
from tests.requirements.shapes import SHAPES

PRESET_DIR = Path(__file__).resolve().parents[2] / "curriculum" / "programmes"
RULE_SETS = [parse_rule_set(path.read_text()) for path in sorted(PRESET_DIR.glob("*.yaml"))]
RULE_SETS.append(parse_rule_set(SHAPES))  # issue 12: units, comparisons, strict bounds, runs, elapsed
START, AS_OF = dt.date(2023, 1, 1), dt.date(2026, 1, 1)
NON_MONOTONE = {"share", "span"}


def is_monotone(requirement: Requirement) -> bool:
    return requirement.kind not in NON_MONOTONE and all(is_monotone(c) for c in requirement.children)


MONOTONE = [r for rule_set in RULE_SETS for r in rule_set.requirements if is_monotone(r)]

days = st.dates(min_value=dt.date(2022, 6, 1), max_value=AS_OF)
statuses = st.sampled_from(["signed", "signed", "signed", "submitted", "draft", "returned"])
sessions = st.builds(
    lambda day, status, role, mode, cases, minutes, kind, setting: (
        "sessions",
        day,
        status,
        {
            "role": role,
            "mode": mode,
            "cases": cases,
            "minutes": minutes,
            "group_kind": kind,
            "setting_category": setting,
            "co_leader": "x",
        },
    ),
    days,
    statuses,
    st.sampled_from(["member", "presenter", "co-leader", "leader"]),
    st.sampled_from(["in-person", "online"]),
    st.integers(0, 4),
    st.integers(15, 180),
    st.sampled_from(["ongoing", "residential-weekend", "intensive", "study-conference"]),
    st.sampled_from(["primary-care", "hospital", "education"]),
)
supervision = st.builds(
    lambda day, status, minutes: ("supervision", day, status, {"minutes": minutes, "mode": "individual"}),
    days,
    statuses,
    st.integers(15, 120),
)
events = st.builds(
    lambda day, status, kind, length, minutes: (
        "events",
        day,
        status,
        {"event_kind": kind, "days": length, "minutes": minutes},
    ),
    days,
    statuses,
    st.sampled_from(
        ["leadership-workshop", "residential-weekend", "intensive", "international-workshop", "seminar"]
    ),
    st.integers(1, 5),
    st.one_of(st.none(), st.integers(45, 900)),
)
observations = st.builds(
    lambda day, status, who: ("observations", day, status, {"observer": who, "outcome": "satisfactory"}),
    days,
    statuses,
    st.sampled_from(["t1", "t2", "t3"]),
)
raw_records = st.lists(st.one_of(sessions, supervision, events, observations), max_size=40)


def to_facts(raw) -> tuple[Fact, ...]:
    return tuple(Fact(i + 1, kind, day, status, values) for i, (kind, day, status, values) in enumerate(raw))


def trainee(facts, psychodynamic: bool) -> TraineeFacts:
    return TraineeFacts(
        enrolment_start=START,
        as_of=AS_OF,
        facts=facts,
        profile={"psychodynamic_training": psychodynamic},
        qualification_date=dt.date(2023, 2, 28) if psychodynamic else None,
    )


@settings(max_examples=150, deadline=None)
@given(
    raw=raw_records, extra=st.one_of(sessions, supervision, events, observations), psychodynamic=st.booleans()
)
def test_adding_a_signed_record_never_lowers_progress(raw, extra, psychodynamic):
    before = to_facts(raw)
    kind, day, _, values = extra
    after = (*before, Fact(len(before) + 1, kind, day, "signed", values))
    for requirement in MONOTONE:
        old = evaluate_requirement(requirement, trainee(before, psychodynamic))
        new = evaluate_requirement(requirement, trainee(after, psychodynamic))
        assert new.fraction >= old.fraction - 1e-9, requirement.id
        assert not (old.is_satisfied and not new.is_satisfied), requirement.id


@settings(max_examples=100, deadline=None)
@given(raw=raw_records, psychodynamic=st.booleans(), seed=st.randoms())
def test_the_same_records_always_give_the_same_result_in_any_order(raw, psychodynamic, seed):
    facts = to_facts(raw)
    shuffled = list(facts)
    seed.shuffle(shuffled)
    for rule_set in RULE_SETS:
        for requirement in rule_set.requirements:
            first = evaluate_requirement(requirement, trainee(facts, psychodynamic))
            again = evaluate_requirement(requirement, trainee(facts, psychodynamic))
            reordered = evaluate_requirement(requirement, trainee(tuple(shuffled), psychodynamic))
            assert first == again
            assert (first.status, first.current, first.missing, sorted(first.counted)) == (
                reordered.status,
                reordered.current,
                reordered.missing,
                sorted(reordered.counted),
            )


RUN_FORMS = {
    per: parse_rule_set(
        f"""
title: Fixed and any-run forms
units: {{double_session: 90}}
requirements:
  - {{id: fixed, label: F, kind: rate, records: sessions, per: {per}, measure: double_session,
     at_least: {minimum}, periods: {count}}}
  - {{id: run, label: R, kind: rate, records: sessions, per: {per}, measure: double_session,
     at_least: {minimum}, run: {count}}}
"""
    ).requirements
    for per, minimum, count in (("month", 1, 3), ("year", 4, 2), ("training_year", 4, 2))
}


@settings(max_examples=150, deadline=None)
@given(raw=st.lists(sessions, max_size=60), per=st.sampled_from(sorted(RUN_FORMS)))
def test_a_run_anywhere_is_met_whenever_the_fixed_periods_from_the_enrolment_are(raw, per):
    fixed, anywhere = RUN_FORMS[per]
    facts = trainee(to_facts(raw), False)
    fixed_outcome, run_outcome = evaluate_requirement(fixed, facts), evaluate_requirement(anywhere, facts)
    if fixed_outcome.is_satisfied:
        assert run_outcome.is_satisfied
    if run_outcome.run is not None:  # the run reported is one of periods that all reach the minimum
        assert run_outcome.run.starts_on <= run_outcome.run.ends_on
        assert run_outcome.current == run_outcome.run.length >= 1


def _refusing_imported(requirement: Requirement) -> Requirement:
    import dataclasses

    children = tuple(_refusing_imported(child) for child in requirement.children)
    return dataclasses.replace(requirement, count_imported=False, children=children)


@settings(max_examples=100, deadline=None)
@given(raw=raw_records, imported=st.lists(st.booleans(), max_size=40), psychodynamic=st.booleans())
def test_a_rule_set_that_refuses_imported_records_judges_as_if_they_were_not_there(
    raw, imported, psychodynamic
):
    """Issue 15: ``count_imported: false`` is the same as leaving the imported records out;
    ``true`` (the default) is the same as their being ordinary signed records."""
    flags = [
        index < len(imported) and imported[index] and raw[index][2] == "signed" for index in range(len(raw))
    ]
    marked = tuple(
        Fact(i + 1, kind, day, status, values, flags[i]) for i, (kind, day, status, values) in enumerate(raw)
    )
    without = tuple(fact for fact in marked if not fact.is_imported)
    plain = to_facts(raw)
    for rule_set in RULE_SETS:
        for requirement in rule_set.requirements:
            counted = evaluate_requirement(requirement, trainee(marked, psychodynamic))
            as_plain = evaluate_requirement(requirement, trainee(plain, psychodynamic))
            assert (counted.status, counted.current) == (as_plain.status, as_plain.current), requirement.id
            refusing = _refusing_imported(requirement)
            refused = evaluate_requirement(refusing, trainee(marked, psychodynamic))
            left_out = evaluate_requirement(refusing, trainee(without, psychodynamic))
            assert (refused.status, refused.current) == (left_out.status, left_out.current), requirement.id


# Issue 12, shapes 4 and 10: windows on any anchor and count_once groups, judged with
# ``evaluate`` (the whole rule set: groups and first-met days are shared answers).

ANCHORED = parse_rule_set(
    """
title: Anchored windows and groups
count_once: [[leadership, weekends], [co-led-recent, co-led]]
requirements:
  - {id: basic, label: Basic, kind: total, records: supervision, at_least: 3}
  - {id: before-application, label: Before applying, kind: total, records: supervision,
     window: {within: {months: 24, before: application}}, at_least: 4}
  - {id: after-basic, label: After basic, kind: total, records: supervision,
     window: {within: {years: 1, after: {met: basic}}}, at_least: 2}
  - {id: leadership, label: Leadership, kind: total, records: events,
     where: {event_kind: [leadership-workshop, residential-weekend]}, at_least: 2}
  - {id: weekends, label: Weekends, kind: total, records: events,
     where: {event_kind: residential-weekend}, at_least: {days: 4}}
  - {id: co-led-recent, label: Co-led recently, kind: total, records: sessions,
     where: {role: co-leader}, window: {within: {months: 12, before: application}}, at_least: 3}
  - {id: co-led, label: Co-led, kind: total, records: sessions, where: {role: co-leader}, at_least: 6}
"""
)
anchor_days = st.one_of(st.none(), st.dates(min_value=dt.date(2023, 6, 1), max_value=AS_OF))


def anchored(facts, applied_on) -> TraineeFacts:
    return TraineeFacts(
        enrolment_start=START,
        as_of=AS_OF,
        facts=facts,
        anchors={} if applied_on is None else {"application": applied_on},
    )


@settings(max_examples=150, deadline=None)
@given(raw=raw_records, applied_on=anchor_days, seed=st.randoms())
def test_a_count_once_group_never_counts_a_record_twice_whatever_the_order(raw, applied_on, seed):
    facts = to_facts(raw)
    shuffled = list(facts)
    seed.shuffle(shuffled)
    first = {o.requirement.id: o for o in evaluate(ANCHORED, anchored(facts, applied_on)).outcomes}
    again = {o.requirement.id: o for o in evaluate(ANCHORED, anchored(tuple(shuffled), applied_on)).outcomes}
    for ids, _line in ANCHORED.count_once:
        seen: set[int] = set()
        for requirement_id in ids:
            counted = set(first[requirement_id].counted)
            assert not counted & seen, requirement_id
            seen |= counted
    for key, outcome in first.items():
        other = again[key]
        assert (outcome.status, outcome.current, outcome.missing) == (
            other.status,
            other.current,
            other.missing,
        )
        assert sorted(outcome.counted) == sorted(other.counted)


@settings(max_examples=150, deadline=None)
@given(raw=raw_records, applied_on=anchor_days)
def test_a_window_only_ever_leaves_records_out(raw, applied_on):
    """What a windowed requirement counts, the same requirement without its window counts too."""
    import dataclasses

    facts = anchored(to_facts(raw), applied_on)
    outcomes = {o.requirement.id: o for o in evaluate(ANCHORED, facts).outcomes}
    for requirement in ANCHORED.requirements:
        if requirement.window is None:
            continue
        unbounded = dataclasses.replace(requirement, window=None)
        assert set(outcomes[requirement.id].counted) <= set(evaluate_requirement(unbounded, facts).counted)
