"""Issue 12's rule shapes on hand-built records, at their boundaries: a rule set's own
units of time, comparisons in filters, strict and inclusive share bounds, runs of
consecutive periods anywhere in the history, and time elapsed since a dated fact."""

from __future__ import annotations

import datetime as dt

import pytest

from app.requirements.engine import MET, NOT_MET, evaluate
from app.requirements.ruleset import parse_rule_set
from tests.requirements.builders import event, session, supervision, trainee


def rules(units: str, requirement_yaml: str):
    indented = "\n".join("  " + line for line in requirement_yaml.strip().splitlines())
    return parse_rule_set(f"title: T\n{units}\nrequirements:\n{indented}\n")


def only(rule_set, facts):
    return evaluate(rule_set, facts).outcomes[0]


# -- units -------------------------------------------------------------------------------

SEMINARS = """
- id: seminars
  label: Leader seminars
  kind: total
  records: events
  where: {event_kind: seminar}
  at_least: {double_session: 30}
"""
UNITS = "units: {double_session: 90, teaching_hour: 45}"


def test_double_sessions_in_seminars_are_a_sum_of_minutes_not_a_count_of_events():
    rule = rules(UNITS, SEMINARS)
    # 9 seminars of 4 double sessions (360 minutes) are 36 double sessions; a weekend does not count.
    nine = [event(dt.date(2025, 1, day), kind="seminar", minutes=360) for day in range(1, 10)]
    met = only(rule, trainee(*nine, event(dt.date(2025, 2, 1), kind="residential-weekend", minutes=900)))
    assert (met.status, met.current, met.required) == (MET, 36, 30)
    assert met.unit == "double sessions (90 minutes)"
    # 2655 minutes are 29.5 double sessions: not yet; the message says what is missing.
    short = only(rule, trainee(*nine[:7], event(dt.date(2025, 3, 1), kind="seminar", minutes=135)))
    assert short.status == NOT_MET
    assert short.current == 29.5
    assert short.missing == "0.5 more double sessions (90 minutes)."
    one_more = only(rule, trainee(*nine[:7], event(dt.date(2025, 3, 1), kind="seminar", minutes=90)))
    assert one_more.missing == "1 more double session (90 minutes)."


def test_an_event_without_a_length_adds_no_minutes_but_still_counts_as_a_record():
    rule = rules(
        UNITS,
        """
- {id: minutes, label: M, kind: total, records: events, at_least: {teaching_hour: 2, records: 2}}
""",
    )
    outcome = only(
        rule, trainee(event(dt.date(2025, 1, 1), minutes=None), event(dt.date(2025, 1, 2), minutes=90))
    )
    assert outcome.status == MET and outcome.current == 2


def test_teaching_hours_of_45_minutes_on_sessions_and_supervision():
    rule = rules(
        UNITS,
        """
- {id: teaching, label: T, kind: total, records: sessions, at_least: {teaching_hour: 4}}
- {id: supervised, label: S, kind: total, records: supervision, at_least: {teaching_hour: 2}}
""",
    )
    facts = trainee(
        session(dt.date(2025, 1, 1), minutes=90),
        session(dt.date(2025, 1, 2), minutes=89),
        supervision(dt.date(2025, 1, 3), minutes=90),
    )
    teaching, supervised = evaluate(rule, facts).outcomes
    assert teaching.status == NOT_MET and teaching.current == pytest.approx(179 / 45)
    assert supervised.status == MET and supervised.current == 2


# -- comparisons in filters --------------------------------------------------------------


def test_an_intensive_of_at_least_four_days():
    rule = rules(
        "",
        """
- {id: intensive, label: I, kind: total, records: events,
   where: {event_kind: intensive, days: {at_least: 4}}, at_least: 1}
""",
    )
    three = event(dt.date(2025, 1, 1), kind="intensive", days=3)
    outcome = only(rule, trainee(three))
    assert outcome.status == NOT_MET
    assert outcome.excluded == ((three.id, "days: 3, not at least 4"),)
    assert only(rule, trainee(event(dt.date(2025, 1, 1), kind="intensive", days=4))).status == MET


@pytest.mark.parametrize(
    ("condition", "minutes", "counts"),
    [
        ("{at_least: 60}", 60, True),
        ("{at_least: 60}", 59, False),
        ("{more_than: 60}", 60, False),
        ("{more_than: 60}", 61, True),
        ("{at_most: 60}", 60, True),
        ("{less_than: 60}", 60, False),
        ("{between: [60, 90]}", 90, True),
        ("{between: [60, 90]}", 91, False),
        ("{more_than: 45, at_most: 90}", 45, False),
        ("{one_of: [50, 90]}", 90, True),
        ("{one_of: [50, 90]}", 60, False),
    ],
)
def test_number_comparisons_include_or_exclude_their_bound_as_written(condition, minutes, counts):
    rule = rules(
        "",
        f"""
- {{id: s, label: S, kind: total, records: sessions, where: {{minutes: {condition}}}, at_least: 1}}
""",
    )
    assert (only(rule, trainee(session(dt.date(2025, 1, 1), minutes=minutes))).status == MET) is counts


def test_one_of_on_a_named_field_and_a_comparison_in_a_share_numerator():
    rule = rules(
        "",
        """
- {id: roles, label: R, kind: total, records: sessions, where: {role: {one_of: [leader, co-leader]}}, at_least: 2}
- {id: long, label: L, kind: share, records: sessions, numerator: {minutes: {at_least: 90}}, at_least: 0.5}
""",
    )
    facts = trainee(
        session(dt.date(2025, 1, 1), role="leader", minutes=60),
        session(dt.date(2025, 1, 2), role="member", minutes=90),
    )
    roles, long = evaluate(rule, facts).outcomes
    assert roles.status == NOT_MET and roles.current == 1
    assert long.status == MET and long.current == 0.5


# -- strict and inclusive bounds ---------------------------------------------------------


def conference_rule(bound: str):
    return rules(
        "",
        f"""
- {{id: conferences, label: C, kind: share, records: sessions,
   numerator: {{group_kind: study-conference}}, measure: hours, {bound}}}
""",
    )


def conferences(conference_minutes: int, other_minutes: int):
    return trainee(
        session(dt.date(2025, 1, 1), group_kind="study-conference", minutes=conference_minutes),
        session(dt.date(2025, 1, 2), minutes=other_minutes),
    )


def test_less_than_half_fails_at_exactly_half_and_says_it_is_strict():
    outcome = only(conference_rule("less_than: 0.5"), conferences(90, 90))
    assert outcome.status == NOT_MET
    assert outcome.missing == "The share is 50%, less than 50% is allowed (exactly 50% is too much)."
    assert outcome.fraction < 1
    assert only(conference_rule("less_than: 0.5"), conferences(89, 91)).status == MET


def test_at_most_half_is_met_at_exactly_half():
    assert only(conference_rule("at_most: 0.5"), conferences(90, 90)).status == MET
    over = only(conference_rule("at_most: 0.5"), conferences(91, 89))
    assert over.status == NOT_MET and over.missing == "The share is 51%, at most 50% is allowed."


def test_more_than_half_fails_at_exactly_half_and_a_near_miss_is_not_rounded_up():
    assert only(conference_rule("more_than: 0.5"), conferences(90, 90)).missing == (
        "The share is 50%, more than 50% is needed (exactly 50% is not enough)."
    )
    assert only(conference_rule("more_than: 0.5"), conferences(91, 90)).status == MET
    near = only(conference_rule("more_than: 0.5"), conferences(996, 1000))
    assert near.status == NOT_MET and near.missing.startswith("The share is 49.9%")


# -- runs of consecutive periods ---------------------------------------------------------

MONTHLY_RUN = """
- id: monthly
  label: Co-led every month
  kind: rate
  records: sessions
  where: {role: co-leader}
  per: month
  at_least: 1
  run: 6
"""


def monthly(*days: dt.date, **kwargs):
    return only(rules("", MONTHLY_RUN), trainee(*(session(day) for day in days), **kwargs))


def month_days(first: dt.date, count: int, day: int = 15) -> list[dt.date]:
    result, year, month = [], first.year, first.month
    for _ in range(count):
        result.append(dt.date(year, month, day))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def test_a_run_anywhere_in_the_history_meets_it_even_before_the_enrolment():
    # Six months in 2022, long before the enrolment (2024-01-15), then nothing for a year.
    outcome = monthly(*month_days(dt.date(2022, 3, 1), 6), dt.date(2023, 6, 1))
    assert outcome.status == MET and outcome.current == 6
    assert outcome.run.first == "March 2022" and outcome.run.last == "August 2022"
    assert (outcome.run.starts_on, outcome.run.ends_on) == (dt.date(2022, 3, 1), dt.date(2022, 8, 31))
    assert outcome.run.breaks == ("September 2022",)


def test_the_longest_run_with_its_ends_and_the_months_that_break_it():
    days = month_days(dt.date(2024, 1, 1), 3) + month_days(dt.date(2024, 5, 1), 4)  # April missing
    outcome = monthly(*days, dt.date(2024, 10, 3), as_of=dt.date(2025, 1, 10))  # September missing
    assert outcome.status == NOT_MET and (outcome.current, outcome.required) == (4, 6)
    assert outcome.run.breaks == ("April 2024", "September 2024")
    assert outcome.missing == (
        "The longest run is 4 consecutive months, May 2024 to August 2024 "
        "(broken by April 2024 and September 2024); 6 are needed."
    )


def test_the_day_a_run_breaks_a_session_on_the_last_day_of_the_month_keeps_it():
    # January to May 2024 on the 1st, then one session: on 30 June the run holds, on 1 July it
    # falls in July and June breaks it. Leap February included.
    days = [dt.date(2024, month, 1) for month in range(1, 6)]
    kept = monthly(*days, dt.date(2024, 6, 30), as_of=dt.date(2024, 7, 1))
    broken = monthly(*days, dt.date(2024, 7, 1), as_of=dt.date(2024, 8, 1))
    assert kept.status == MET and kept.run.last == "June 2024"
    assert broken.status == NOT_MET and broken.run.breaks == ("June 2024",)


def test_the_open_month_extends_a_run_once_met_and_breaks_nothing_before():
    days = month_days(dt.date(2024, 1, 1), 5)  # January to May
    waiting = monthly(*days, as_of=dt.date(2024, 6, 30))  # June not over: no break yet
    assert waiting.status == NOT_MET and waiting.run.breaks == ()
    assert monthly(*days, dt.date(2024, 6, 29), as_of=dt.date(2024, 6, 30)).status == MET
    over = monthly(*days, as_of=dt.date(2024, 7, 1))  # June is over and empty
    assert over.run.breaks == ("June 2024",)


def test_the_fixed_form_still_counts_only_the_periods_from_the_enrolment():
    fixed = rules("", MONTHLY_RUN.replace("run: 6", "periods: 6"))
    outcome = only(fixed, trainee(*(session(day) for day in month_days(dt.date(2022, 3, 1), 6))))
    assert outcome.status == NOT_MET and outcome.run is None


def test_a_run_of_training_years_across_29_february():
    rule = rules(
        UNITS,
        """
- {id: yearly, label: Y, kind: rate, records: events, per: training_year, measure: double_session,
   at_least: 2, run: 2}
""",
    )
    start = dt.date(2024, 2, 29)
    # Training years from 29 Feb 2024: [2024-02-29, 2025-02-28), [2025-02-28, 2026-02-28).
    inside = trainee(
        event(dt.date(2025, 2, 27), minutes=180),
        event(dt.date(2025, 2, 28), minutes=180),
        start=start,
        as_of=dt.date(2026, 3, 1),
    )
    outcome = only(rule, inside)
    assert outcome.status == MET
    assert (outcome.run.starts_on, outcome.run.ends_on) == (dt.date(2024, 2, 29), dt.date(2026, 2, 27))
    # The year before the enrolment counts as well: [2023-02-28, 2024-02-29).
    before = only(
        rule,
        trainee(
            event(dt.date(2023, 3, 1), minutes=180),
            event(dt.date(2024, 2, 28), minutes=90),
            event(dt.date(2024, 3, 1), minutes=180),
            start=start,
            as_of=dt.date(2026, 3, 1),
        ),
    )
    assert before.status == MET and before.run.starts_on == dt.date(2023, 2, 28)
    assert before.run.breaks == ("the year from 2025-02-28",)


def test_no_run_yet_says_what_is_needed():
    assert monthly().missing == "No records count yet; 6 consecutive months are needed."


# -- elapsed time ------------------------------------------------------------------------


def test_three_years_since_the_qualification_with_the_day_it_will_be_met_from_29_february():
    rule = rules("", "- {id: q, label: Q, kind: elapsed, since: qualification, years: 3}")
    day_before = only(rule, trainee(qualification_date=dt.date(2024, 2, 29), as_of=dt.date(2027, 2, 27)))
    assert day_before.status == NOT_MET
    assert day_before.met_on == dt.date(2027, 2, 28)
    assert day_before.missing == "Met on 2027-02-28, 3 years after the qualification on 2024-02-29."
    assert (day_before.current, day_before.required, day_before.unit) == (35, 36, "months")
    on_the_day = only(rule, trainee(qualification_date=dt.date(2024, 2, 29), as_of=dt.date(2027, 2, 28)))
    assert on_the_day.status == MET and on_the_day.fraction == 1
    unknown = only(rule, trainee())
    assert (
        unknown.status == NOT_MET
        and unknown.missing == "No qualification date is recorded yet (3 years after it)."
    )


def test_months_since_the_enrolment_start():
    rule = rules("", "- {id: e, label: E, kind: elapsed, since: enrolment_start, months: 18}")
    assert only(rule, trainee(start=dt.date(2024, 1, 31), as_of=dt.date(2025, 7, 30))).met_on == dt.date(
        2025, 7, 31
    )
    assert only(rule, trainee(start=dt.date(2024, 1, 31), as_of=dt.date(2025, 7, 31))).status == MET


def test_a_run_inside_a_window_counts_the_first_day_and_not_the_day_before():
    rule = rules("", MONTHLY_RUN.replace("run: 6", "run: 2\n  window: {after: enrolment_start}"))
    start = dt.date(2024, 2, 29)
    on_the_day = only(rule, trainee(session(start), session(dt.date(2024, 3, 1)), start=start))
    assert on_the_day.status == MET and on_the_day.run.first == "February 2024"
    day_before = session(dt.date(2024, 2, 28))
    outside = only(rule, trainee(day_before, session(dt.date(2024, 3, 1)), start=start))
    assert outside.status == NOT_MET and (day_before.id, "before the window") in outside.excluded
    assert outside.missing == (
        "The longest run is 1 consecutive month, March 2024 (broken by April 2024); 2 are needed."
    )


def test_units_and_comparisons_inside_a_window_on_its_edge():
    rule = rules(
        UNITS,
        """
- {id: s, label: S, kind: total, records: events, where: {minutes: {at_least: 90}},
   window: {after: 2024-02-29, before: 2025-03-01}, at_least: {double_session: 2}}
""",
    )
    edges = [
        event(dt.date(2024, 2, 28), minutes=900),  # the day before the window
        event(dt.date(2024, 2, 29), minutes=90),  # its first day: counts
        event(dt.date(2025, 2, 28), minutes=89),  # inside, too short
        event(dt.date(2025, 3, 1), minutes=900),  # the window's end is excluded
    ]
    outcome = only(rule, trainee(*edges))
    assert (outcome.status, outcome.current) == (NOT_MET, 1)
    assert dict(outcome.excluded) == {
        edges[0].id: "before the window",
        edges[2].id: "minutes: 89, not at least 90",
        edges[3].id: "after the window",
    }
