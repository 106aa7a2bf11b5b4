"""Each requirement kind on hand-built records, including the boundaries."""

from __future__ import annotations

import datetime as dt

from app.requirements.engine import MET, NOT_APPLICABLE, NOT_MET, WAIVED, evaluate
from app.requirements.facts import AcceptedReflection, ManualDecision, SignedReport
from tests.requirements.builders import event, observation, one, session, supervision, trainee

CO_LED = """
- id: co-led
  label: Co-led sessions
  kind: total
  records: sessions
  where: {role: co-leader}
  at_least: 3
"""


def only(rule_set, facts):
    return evaluate(rule_set, facts).outcomes[0]


def test_total_is_met_exactly_at_the_threshold_and_not_one_below():
    rule = one(CO_LED)
    below = only(rule, trainee(*(session(dt.date(2025, 1, d)) for d in (1, 2))))
    at = only(rule, trainee(*(session(dt.date(2025, 1, d)) for d in (1, 2, 3))))
    assert (below.status, below.current, below.required) == (NOT_MET, 2, 3)
    assert below.missing == "1 more session."
    assert at.status == MET and at.fraction == 1.0


def test_excluded_records_say_why():
    rule = one(CO_LED)
    facts = trainee(
        session(dt.date(2025, 1, 1)),
        session(dt.date(2025, 1, 2), status="submitted"),
        session(dt.date(2025, 1, 3), role="member"),
    )
    outcome = only(rule, facts)
    assert outcome.current == 1
    assert sorted(reason for _, reason in outcome.excluded) == ["member", "not signed"]


def test_unsigned_records_count_when_the_rule_set_says_so():
    rule = one(CO_LED + "  count_unsigned: true\n")
    facts = trainee(*(session(dt.date(2025, 1, d), status="submitted") for d in (1, 2, 3)))
    assert only(rule, facts).status == MET


def test_total_in_hours_double_hours_and_cases_with_two_thresholds():
    rule = one("""
- id: led
  label: Led
  kind: total
  records: sessions
  where: {role: [co-leader, leader]}
  at_least: {cases: 5, records: 3}
""")
    three_sessions_four_cases = trainee(
        *(session(dt.date(2025, 2, d), cases=c) for d, c in ((1, 1), (2, 1), (3, 2)))
    )
    outcome = only(rule, three_sessions_four_cases)
    assert outcome.status == NOT_MET and outcome.missing == "1 more case."
    hours = one("""
- id: hours
  label: Hours
  kind: total
  records: sessions
  at_least: {double_hours: 2, hours: 3}
""")
    assert (
        only(
            hours, trainee(session(dt.date(2025, 1, 1), minutes=90), session(dt.date(2025, 1, 2), minutes=90))
        ).status
        == MET
    )
    short = only(
        hours, trainee(session(dt.date(2025, 1, 1), minutes=90), session(dt.date(2025, 1, 2), minutes=60))
    )
    assert short.status == NOT_MET
    assert short.missing == "0.3 more double hours (90 minutes) and 0.5 more hours."


def test_window_relative_to_enrolment_start_includes_the_first_day():
    rule = one(CO_LED + "  window: {after: enrolment_start}\n")
    start = dt.date(2024, 1, 15)
    facts = trainee(
        session(start),
        session(start - dt.timedelta(days=1)),
        session(dt.date(2025, 1, 1)),
        session(dt.date(2025, 1, 2)),
        start=start,
    )
    outcome = only(rule, facts)
    assert outcome.current == 3
    assert [reason for _, reason in outcome.excluded] == ["before the window"]


def test_window_before_a_date_and_within_the_last_years():
    before = one(CO_LED + "  window: {before: enrolment_start}\n")
    facts = trainee(session(dt.date(2023, 5, 1)), session(dt.date(2024, 2, 1)))
    assert only(before, facts).current == 1
    recent = one(CO_LED + "  window: {within_last_years: 2}\n")
    edge = trainee(session(dt.date(2024, 6, 1)), session(dt.date(2024, 5, 31)), as_of=dt.date(2026, 6, 1))
    outcome = only(recent, edge)
    assert outcome.current == 1 and outcome.excluded[0][1] == "older than 2 years"


def test_within_the_last_years_counts_from_the_28th_when_today_is_29_february():
    recent = one(CO_LED + "  window: {within_last_years: 1}\n")
    facts = trainee(session(dt.date(2027, 2, 28)), session(dt.date(2027, 2, 27)), as_of=dt.date(2028, 2, 29))
    outcome = only(recent, facts)
    assert outcome.current == 1 and outcome.excluded[0][1] == "older than 1 years"


def test_hours_are_added_up_in_minutes_so_six_forty_minute_sessions_make_four_hours():
    # Added up as 40/60 six times, floating point gives 3.9999999999999996 hours.
    total = one(CO_LED.replace("at_least: 3", "at_least: {hours: 4}"))
    rate = one("""
- id: yearly
  label: Yearly
  kind: rate
  records: sessions
  per: training_year
  measure: hours
  at_least: 4
""")
    facts = trainee(
        *(session(dt.date(2024, 2, d), minutes=40) for d in range(1, 7)), as_of=dt.date(2025, 1, 15)
    )
    assert only(total, facts).status == MET and only(total, facts).current == 4
    assert only(rate, facts).status == MET


def test_distinct_counts_different_values():
    rule = one("""
- id: observers
  label: Observers
  kind: distinct
  records: observations
  field: observer
  at_least: 2
""")
    same = trainee(observation(dt.date(2025, 1, 1), "T1"), observation(dt.date(2025, 3, 1), "T1"))
    two = trainee(observation(dt.date(2025, 1, 1), "T1"), observation(dt.date(2025, 3, 1), "T2"))
    assert only(rule, same).status == NOT_MET and only(rule, same).current == 1
    assert only(rule, two).status == MET


def test_share_at_least_half_and_at_most_a_fraction():
    half = one("""
- id: f2f
  label: Face to face
  kind: share
  records: sessions
  numerator: {mode: in-person}
  at_least: 0.5
""")
    exactly_half = trainee(session(dt.date(2025, 1, 1)), session(dt.date(2025, 1, 2), mode="online"))
    less = trainee(
        session(dt.date(2025, 1, 1)),
        session(dt.date(2025, 1, 2), mode="online"),
        session(dt.date(2025, 1, 3), mode="online"),
    )
    assert only(half, exactly_half).status == MET
    outcome = only(half, less)
    assert outcome.status == NOT_MET and "33%" in outcome.missing
    assert abs(outcome.fraction - (1 / 3) / 0.5) < 1e-9
    at_most = one("""
- id: conferences
  label: Conferences
  kind: share
  records: sessions
  numerator: {group_kind: study-conference}
  at_most: 0.25
""")
    quarter = trainee(
        session(dt.date(2025, 1, 1), group_kind="study-conference"),
        *(session(dt.date(2025, 1, d)) for d in (2, 3, 4)),
    )
    assert only(at_most, quarter).status == MET
    too_many = trainee(
        session(dt.date(2025, 1, 1), group_kind="study-conference"), session(dt.date(2025, 1, 2))
    )
    assert only(at_most, too_many).status == NOT_MET


def test_rate_per_training_year():
    rule = one("""
- id: supervision
  label: Supervision
  kind: rate
  records: supervision
  per: training_year
  at_least: 2
""")
    start = dt.date(2024, 1, 15)
    year_one_only = trainee(
        supervision(dt.date(2024, 3, 1)),
        supervision(dt.date(2024, 9, 1)),
        supervision(dt.date(2025, 3, 1)),
        start=start,
        as_of=dt.date(2026, 1, 15),
    )
    outcome = only(rule, year_one_only)
    assert outcome.status == NOT_MET and (outcome.current, outcome.required) == (1, 2)
    assert outcome.missing == "Training year 2 has 1 of 2 supervision sessions."
    # The last day of training year 1 (2025-01-14) still counts for year 1.
    edge = trainee(
        supervision(dt.date(2024, 1, 15)),
        supervision(dt.date(2025, 1, 14)),
        start=start,
        as_of=dt.date(2025, 1, 15),
    )
    assert only(rule, edge).status == MET


def test_rate_per_month_over_a_number_of_periods():
    rule = one("""
- id: monthly
  label: Monthly groups
  kind: rate
  records: sessions
  per: month
  periods: 3
  at_least: 1
""")
    facts = trainee(
        session(dt.date(2024, 1, 20)),
        session(dt.date(2024, 2, 2)),
        session(dt.date(2024, 3, 31)),
        start=dt.date(2024, 1, 15),
    )
    assert only(rule, facts).status == MET
    gap = trainee(session(dt.date(2024, 1, 20)), session(dt.date(2024, 3, 31)), start=dt.date(2024, 1, 15))
    assert only(rule, gap).missing == "February 2024 has 0 of 1 sessions."


def test_span_and_continuity():
    rule = one("""
- id: ongoing
  label: Ongoing supervision
  kind: span
  records: supervision
  months: 12
  max_gap_months: 3
""")
    steady = trainee(
        *(supervision(dt.date(2024, m, 1)) for m in range(1, 13)), supervision(dt.date(2025, 1, 1))
    )
    assert only(rule, steady).status == MET
    gap = trainee(
        supervision(dt.date(2024, 1, 1)), supervision(dt.date(2024, 5, 2)), supervision(dt.date(2025, 1, 1))
    )
    outcome = only(rule, gap)
    assert outcome.status == NOT_MET and "A gap of 4 months after 2024-01-01 (at most 3)" in outcome.missing


def test_conditions_on_the_profile_and_any_of():
    rule = one("""
- id: membership
  label: Membership
  kind: any_of
  requirements:
    - id: twenty
      label: Twenty sessions
      kind: total
      records: sessions
      where: {role: member}
      at_least: 20
    - id: eight
      label: Eight sessions (psychodynamic)
      kind: total
      when: {profile: {psychodynamic_training: true}}
      records: sessions
      where: {role: member}
      at_least: 8
""")
    eight = [session(dt.date(2025, 1, d), role="member") for d in range(1, 9)]
    without = only(rule, trainee(*eight))
    assert without.status == NOT_MET
    assert without.children[1].status == NOT_APPLICABLE
    assert without.missing.startswith("Closest: Twenty sessions: 12 more sessions")
    assert only(rule, trainee(*eight, profile={"psychodynamic_training": True})).status == MET


def test_at_least_k_of_and_all_of():
    parts = """
  requirements:
    - {id: a, label: A, kind: total, records: events, where: {event_kind: intensive}, at_least: 1}
    - {id: b, label: B, kind: total, records: events, where: {event_kind: seminar}, at_least: 1}
    - {id: c, label: C, kind: total, records: events, where: {event_kind: international-workshop}, at_least: 1}
"""
    two_of = one("- id: k\n  label: K\n  kind: at_least_k_of\n  k: 2\n" + parts)
    all_of = one("- id: all\n  label: All\n  kind: all_of\n" + parts)
    facts = trainee(event(dt.date(2025, 1, 1), "intensive"), event(dt.date(2025, 2, 1), "seminar"))
    assert only(two_of, facts).status == MET
    outcome = only(all_of, facts)
    assert outcome.status == NOT_MET and outcome.missing == "C: 1 more event."


def test_module_reflections_reports_and_manual_items():
    module = one("- {id: m, label: Module, kind: module, min_score: 80}")
    assert only(module, trainee(best_module_score=80)).status == MET
    assert only(module, trainee(best_module_score=79.5)).status == NOT_MET
    assert only(module, trainee()).missing == "Pass the module's final test with at least 80%."

    reflections = one("- {id: r, label: R, kind: reflections, at_least: 2, distinct_vignettes: true}")
    same_vignette = (
        AcceptedReflection(1, "v1", dt.date(2025, 1, 1)),
        AcceptedReflection(2, "v1", dt.date(2025, 2, 1)),
    )
    assert only(reflections, trainee(reflections=same_vignette)).status == NOT_MET

    rule = "title: T\ncompetencies:\n  - {id: safe, label: Safe}\nrequirements:\n  - {id: rep, label: Report, kind: report, recommendation: ready, min_rating: 3}\n"
    from app.requirements.ruleset import parse_rule_set

    report_rule = parse_rule_set(rule)
    good = SignedReport(1, dt.date(2025, 5, 1), "ready", {"safe": 3})
    low = SignedReport(2, dt.date(2025, 5, 1), "ready", {"safe": 2})
    not_yet = SignedReport(3, dt.date(2025, 5, 1), "not_yet", {"safe": 5})
    assert only(report_rule, trainee(reports=(good,))).status == MET
    outcome = only(report_rule, trainee(reports=(low, not_yet)))
    assert outcome.status == NOT_MET
    assert dict(outcome.excluded) == {2: "rated below 3 on safe", 3: "does not recommend accreditation yet"}

    manual = one("- {id: membership, label: Society membership, kind: manual}")
    assert only(manual, trainee()).missing == "Awaiting the association's decision."
    decided = trainee(manual={"membership": ManualDecision(True, "member since 2019")})
    assert only(manual, decided).status == MET


def test_periodic_reports_every_six_months():
    rule = one("- {id: r, label: Six-monthly, kind: report, recommendation: any, every_months: 6}")
    start, as_of = dt.date(2024, 1, 1), dt.date(2025, 1, 1)
    one_report = trainee(reports=(SignedReport(1, dt.date(2024, 5, 1), "not_yet"),), start=start, as_of=as_of)
    outcome = only(rule, one_report)
    assert (outcome.status, outcome.current, outcome.required) == (NOT_MET, 1, 2)
    assert outcome.missing == "No signed report for 2024-07-01 to 2025-01-01."


def test_a_waiver_turns_an_unmet_requirement_into_waived_and_readiness_follows():
    rule = one(CO_LED)
    facts = trainee(session(dt.date(2025, 1, 1)))
    assert not evaluate(rule, facts).is_ready
    waived = trainee(session(dt.date(2025, 1, 1)), waivers={"co-led": "prior experience abroad"})
    evaluation = evaluate(rule, waived)
    assert evaluation.outcomes[0].status == WAIVED and evaluation.is_ready
    assert evaluation.outcomes[0].waiver_reason == "prior experience abroad"


def test_desirable_requirements_do_not_block_readiness():
    rule = one(CO_LED.replace("kind: total", "kind: total\n  level: desirable"))
    evaluation = evaluate(rule, trainee())
    assert evaluation.outcomes[0].status == NOT_MET and evaluation.is_ready
