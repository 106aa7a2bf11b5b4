"""Issue 12, shapes 7 and 8 on hand-built facts: membership kept without a break, time
since a qualification of a kind, tracks by professional background, and exams."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app.requirements.engine import MET, NOT_APPLICABLE, NOT_MET, evaluate
from app.requirements.facts import DatedQualification, Fact, MembershipPeriod
from app.requirements.ruleset import RuleSetError, parse_rule_set
from tests.requirements.builders import trainee

_ids = itertools.count(9000)
D = dt.date


def rules(requirement_yaml: str, top: str = ""):
    indented = "\n".join("  " + line for line in requirement_yaml.strip().splitlines())
    return parse_rule_set(f"title: T\n{top}\nrequirements:\n{indented}\n")


def only(rule_set, facts):
    return evaluate(rule_set, facts).outcomes[0]


def member(*periods, as_of):
    return trainee(memberships=tuple(MembershipPeriod(*p) for p in periods), as_of=as_of)


KEPT = "- {id: m, label: M, kind: elapsed, since: membership, years: 2, continuous: true}"
EVER = "- {id: m, label: M, kind: elapsed, since: membership, years: 2}"


# -- membership --------------------------------------------------------------------------


def test_membership_for_two_years_is_met_on_the_anniversary_and_not_the_day_before():
    rule = rules(KEPT)
    before = only(rule, member((D(2023, 3, 1), None), as_of=D(2025, 2, 28)))
    assert before.status == NOT_MET and before.met_on == D(2025, 3, 1)
    assert before.missing == "Met on 2025-03-01, 2 years after the membership began on 2023-03-01."
    assert (before.current, before.required) == (23, 24)
    assert only(rule, member((D(2023, 3, 1), None), as_of=D(2025, 3, 1))).status == MET


def test_periods_that_touch_are_one_unbroken_membership():
    periods = ((D(2023, 1, 1), D(2023, 12, 31)), (D(2024, 1, 1), None))
    assert only(rules(KEPT), member(*periods, as_of=D(2025, 1, 1))).status == MET


def test_a_membership_broken_for_one_day_starts_again_after_the_break():
    periods = ((D(2023, 1, 1), D(2023, 12, 31)), (D(2024, 1, 2), None))
    kept = only(rules(KEPT), member(*periods, as_of=D(2025, 6, 1)))
    assert kept.status == NOT_MET and kept.met_on == D(2026, 1, 2)
    assert kept.missing == (
        "Met on 2026-01-02, 2 years after the membership began on 2024-01-02 (after a break from 2024-01-01)."
    )
    # Without continuity the first day of the first membership counts, breaks or not.
    assert only(rules(EVER), member(*periods, as_of=D(2025, 6, 1))).status == MET


def test_overlapping_and_unordered_periods_join():
    periods = ((D(2024, 3, 1), None), (D(2022, 1, 1), D(2023, 6, 30)), (D(2023, 6, 1), D(2024, 3, 1)))
    assert only(rules(KEPT), member(*periods, as_of=D(2024, 1, 1))).status == MET


def test_a_membership_that_ended_is_not_kept():
    outcome = only(rules(KEPT), member((D(2020, 1, 1), D(2024, 5, 31)), as_of=D(2025, 1, 1)))
    assert outcome.status == NOT_MET and outcome.met_on is None
    assert (
        outcome.missing
        == "The membership ended on 2024-05-31; 2 years of membership without a break are needed."
    )
    # It still counts as having been a member for two years, where continuity is not asked.
    assert only(rules(EVER), member((D(2020, 1, 1), D(2024, 5, 31)), as_of=D(2025, 1, 1))).status == MET


def test_a_membership_that_will_end_before_the_anniversary_says_so():
    outcome = only(rules(KEPT), member((D(2024, 1, 1), D(2025, 6, 30)), as_of=D(2025, 3, 1)))
    assert outcome.status == NOT_MET and outcome.met_on is None
    assert outcome.missing == (
        "The membership from 2024-01-01 ends on 2025-06-30, before 2 years without a break (on 2026-01-01)."
    )


def test_membership_from_29_february_reaches_its_year_on_the_28th():
    rule = rules("- {id: m, label: M, kind: elapsed, since: membership, years: 1, continuous: true}")
    assert only(rule, member((D(2024, 2, 29), None), as_of=D(2025, 2, 27))).met_on == D(2025, 2, 28)
    assert only(rule, member((D(2024, 2, 29), None), as_of=D(2025, 2, 28))).status == MET
    four = rules("- {id: m, label: M, kind: elapsed, since: membership, years: 4, continuous: true}")
    assert only(four, member((D(2024, 2, 29), None), as_of=D(2028, 2, 28))).met_on == D(2028, 2, 29)


def test_no_membership_and_a_future_one_are_not_counted():
    assert only(rules(KEPT), trainee()).missing == (
        "No membership of the society is recorded yet; 2 years of membership without a break are needed."
    )
    future = only(rules(EVER), member((D(2030, 1, 1), None), as_of=D(2026, 1, 1)))
    assert future.status == NOT_MET and future.met_on is None


# -- qualifications ----------------------------------------------------------------------

GP = "- {id: q, label: Q, kind: elapsed, since: {qualification: gp-specialist}, years: 3}"


def test_years_since_a_qualification_of_a_kind_count_from_its_earliest_date():
    facts = trainee(
        qualifications=(
            DatedQualification("medical-degree", D(2015, 7, 1)),
            DatedQualification("gp-specialist", D(2024, 2, 29)),
            DatedQualification("gp-specialist", D(2025, 1, 1)),  # recorded twice: the first counts
        ),
        qualification_date=D(2015, 7, 1),  # the old single date is not this rule's anchor
        as_of=D(2027, 2, 27),
    )
    outcome = only(rules(GP), facts)
    assert outcome.status == NOT_MET and outcome.met_on == D(2027, 2, 28)
    assert (
        outcome.missing
        == "Met on 2027-02-28, 3 years after the specialist in general practice on 2024-02-29."
    )
    assert only(rules(GP), trainee(qualifications=facts.qualifications, as_of=D(2027, 2, 28))).status == MET


def test_a_qualification_of_another_kind_does_not_count():
    facts = trainee(qualifications=(DatedQualification("medical-degree", D(2000, 1, 1)),))
    outcome = only(rules(GP), facts)
    assert outcome.status == NOT_MET
    assert outcome.missing == "No specialist in general practice is recorded yet (3 years after it)."


def test_the_old_form_still_reads_the_single_qualification_date():
    rule = rules("- {id: q, label: Q, kind: elapsed, since: qualification, years: 3}")
    assert only(rule, trainee(qualification_date=D(2020, 1, 1))).status == MET


# -- tracks ------------------------------------------------------------------------------

TRACKS = (
    "tracks: {gp: General practitioners, psychiatrist-psychotherapist: Psychiatrists and psychotherapists}"
)
BRANCHES = """
- id: gp-route
  label: GP route
  kind: all_of
  when: {track: gp}
  requirements:
    - {id: gp-exams, label: Exam, kind: total, records: exams, where: {outcome: passed}, at_least: 1}
- id: psych-route
  label: Psychiatrist route
  kind: all_of
  when: {track: psychiatrist-psychotherapist}
  requirements:
    - {id: psych-member, label: Member, kind: elapsed, since: membership, years: 2, continuous: true}
- {id: both, label: Both, kind: elapsed, since: enrolment_start, months: 1}
"""


def exam(day, outcome="passed", kind="exam", examiner="user:7"):
    return Fact(
        next(_ids), "exams", day, "signed", {"exam_kind": kind, "outcome": outcome, "examiner": examiner}
    )


def test_a_branch_for_another_track_does_not_apply_and_the_own_one_decides():
    rule_set = rules(BRANCHES, TRACKS)
    psychiatrist = trainee(
        track="psychiatrist-psychotherapist", memberships=(MembershipPeriod(D(2020, 1, 1)),)
    )
    evaluation = evaluate(rule_set, psychiatrist)
    gp, psych, _both = evaluation.outcomes
    assert gp.status == NOT_APPLICABLE and gp.missing == "Not applicable to your track."
    assert psych.status == MET and evaluation.is_ready
    doctor = evaluate(rule_set, trainee(track="gp"))
    assert [o.status for o in doctor.outcomes] == [NOT_MET, NOT_APPLICABLE, MET] and not doctor.is_ready
    assert evaluate(rule_set, trainee(exam(D(2025, 5, 1)), track="gp")).is_ready


def test_without_a_recorded_track_a_branch_for_one_is_not_met():
    evaluation = evaluate(rules(BRANCHES, TRACKS), trainee())
    gp, psych, _both = evaluation.outcomes
    assert gp.status == psych.status == NOT_MET and not evaluation.is_ready
    assert gp.missing.startswith("Your professional background (track) is not recorded yet")


def test_a_single_requirement_can_name_several_tracks():
    rule_set = rules(
        "- {id: e, label: E, kind: total, records: exams, at_least: 1, "
        "when: {track: [gp, psychiatrist-psychotherapist]}}",
        TRACKS,
    )
    assert only(rule_set, trainee(track="psychiatrist-psychotherapist")).status == NOT_MET
    assert rule_set.tracks[0] == ("gp", "General practitioners")


# -- exams -------------------------------------------------------------------------------


def test_exams_count_only_with_the_outcome_the_rule_asks_for():
    rule = rules("- {id: x, label: X, kind: total, records: exams, where: {outcome: passed}, at_least: 2}")
    passed, failed = exam(D(2025, 1, 1)), exam(D(2025, 2, 1), outcome="not-passed")
    outcome = only(rule, trainee(passed, failed))
    assert outcome.status == NOT_MET and outcome.counted == (passed.id,)
    assert outcome.excluded == ((failed.id, "not passed"),)
    assert outcome.missing == "1 more exam." and outcome.unit == "exams"


def test_an_assessed_intensive_judged_satisfactory_and_two_examiners():
    rule_set = rules(
        """
- {id: intensive, label: I, kind: total, records: exams,
   where: {exam_kind: assessed-intensive, outcome: satisfactory}, at_least: 1}
- {id: examiners, label: E, kind: distinct, records: exams, field: examiner, at_least: 2}
"""
    )
    facts = trainee(
        exam(D(2025, 1, 1), outcome="not-yet", kind="assessed-intensive", examiner="user:1"),
        exam(D(2025, 6, 1), outcome="satisfactory", kind="assessed-intensive", examiner="dr external"),
    )
    intensive, examiners = evaluate(rule_set, facts).outcomes
    assert intensive.status == MET and examiners.status == MET


# -- rule-set errors, with their lines ---------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        (
            "title: T\ntracks: {gp: GPs}\nrequirements:\n  - id: a\n    label: A\n    kind: manual\n"
            "    when:\n      track: psych\n",
            8,
            "unknown track 'psych'; declared: gp",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: manual\n    when: {track: gp}\n",
            6,
            "when: track needs the rule set to declare its tracks",
        ),
        (
            "title: T\ntracks: [gp]\nrequirements:\n  - {id: a, label: A, kind: manual}\n",
            2,
            "tracks is a mapping",
        ),
        (
            "title: T\ntracks:\n  GP: General\nrequirements:\n  - {id: a, label: A, kind: manual}\n",
            3,
            "track 'GP': use lower-case letters",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: elapsed\n    since: qualification\n"
            "    years: 2\n    continuous: true\n",
            8,
            "continuous applies to since: membership only",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: elapsed\n"
            "    since: {qualification: dentist}\n    years: 2\n",
            6,
            "unknown qualification 'dentist'",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: exams\n"
            "    where:\n      outcome: failed\n    at_least: 1\n",
            8,
            "outcome cannot be 'failed'",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: exams\n"
            "    at_least: {hours: 2}\n",
            7,
            "exams cannot be measured in 'hours'",
        ),
    ],
)
def test_bad_profile_rules_are_refused_with_the_line_to_fix(source, line, message):
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(source)
    assert any(p.line == line and message in p.message for p in error.value.problems), error.value.problems


# -- 0: the fact is recorded (a current membership; a qualification held) -----------------


def test_zero_years_asks_for_a_current_membership_or_a_recorded_qualification():
    current = rules("- {id: m, label: M, kind: elapsed, since: membership, months: 0, continuous: true}")
    assert only(current, member((D(2026, 5, 31), None), as_of=D(2026, 6, 1))).status == MET
    lapsed = only(current, member((D(2020, 1, 1), D(2026, 5, 31)), as_of=D(2026, 6, 1)))
    assert lapsed.missing == "The membership ended on 2026-05-31; a current membership is needed."
    held = rules("- {id: q, label: Q, kind: elapsed, since: {qualification: medical-degree}, years: 0}")
    assert only(held, trainee()).missing == "No medical degree is recorded yet."
    facts = trainee(qualifications=(DatedQualification("medical-degree", D(2026, 6, 1)),))
    assert only(held, facts).status == MET
    with pytest.raises(RuleSetError, match="years must be a positive whole number"):
        rules("- {id: e, label: E, kind: elapsed, since: enrolment_start, years: 0}")


def test_a_renewal_recorded_ahead_continues_the_membership():
    periods = ((D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2026, 12, 31)))
    outcome = only(rules(KEPT), member(*periods, as_of=D(2024, 6, 1)))
    assert outcome.status == NOT_MET and outcome.met_on == D(2026, 1, 1)
    assert outcome.missing.startswith("Met on 2026-01-01")


def test_a_pathway_waiting_for_the_track_says_so_once():
    rule_set = rules(
        """
- id: training
  label: Training
  kind: all_of
  requirements:
    - {id: a, label: A, kind: manual, when: {track: gp}}
    - {id: b, label: B, kind: manual, when: {track: psychiatrist-psychotherapist}}
""",
        TRACKS,
    )
    outcome = only(rule_set, trainee())
    assert outcome.status == NOT_MET
    assert (
        outcome.missing
        == "Your professional background (track) is not recorded yet: the association records it."
    )
