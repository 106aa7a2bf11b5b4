"""Windows on any anchor (issue 12, shape 4): edges, 29 February, pending and unknown anchors.

Edges as documented in curriculum/programmes/README.md: ``after`` includes the anchor's
day, ``before`` excludes it, ``within`` includes both of its edge days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.requirements.engine import MET, NOT_MET, evaluate
from app.requirements.ruleset import RuleSetError, parse_rule_set
from tests.requirements.builders import event, one, supervision, trainee

APPLIED = dt.date(2026, 3, 10)


def supervision_within(months_or_years: str, side: str, anchor: str, at_least: int = 2):
    return one(
        f"""
- id: recent-supervision
  label: Recent supervision
  kind: total
  records: supervision
  window: {{within: {{{months_or_years}, {side}: {anchor}}}}}
  at_least: {at_least}
"""
    )


def outcome_of(rule_set, *facts, **kwargs):
    (outcome,) = evaluate(rule_set, trainee(*facts, **kwargs)).outcomes
    return outcome


def test_within_months_before_the_application_counts_both_edge_days():
    rule = supervision_within("months: 24", "before", "application")
    first_day, last_day = dt.date(2024, 3, 10), APPLIED
    edge = [supervision(first_day), supervision(last_day)]
    outcome = outcome_of(rule, *edge, anchors={"application": APPLIED}, as_of=dt.date(2026, 6, 1))
    assert outcome.status == MET
    assert set(outcome.counted) == {fact.id for fact in edge}


def test_within_months_before_the_application_leaves_out_the_days_just_outside():
    rule = supervision_within("months: 24", "before", "application")
    early, late = supervision(dt.date(2024, 3, 9)), supervision(dt.date(2026, 3, 11))
    outcome = outcome_of(rule, early, late, anchors={"application": APPLIED}, as_of=dt.date(2026, 6, 1))
    assert outcome.status == NOT_MET
    assert dict(outcome.excluded) == {early.id: "before the window", late.id: "after the window"}
    assert "Only records within the 2 years before your application count" in outcome.missing
    assert "application: 2026-03-10" in outcome.missing


def test_before_the_application_has_not_been_made_counts_as_if_applying_today():
    rule = supervision_within("months: 12", "before", "application")
    today = dt.date(2026, 6, 1)
    inside = [supervision(dt.date(2025, 6, 1)), supervision(today)]
    outside = supervision(dt.date(2025, 5, 31))
    outcome = outcome_of(rule, *inside, outside, as_of=today)
    assert outcome.status == MET
    assert dict(outcome.excluded) == {outside.id: "before the window"}
    short = outcome_of(rule, inside[0], outside, as_of=today)
    assert short.status == NOT_MET
    assert "(you have not applied yet; if you applied today, 2025-06-01 to 2026-06-01)" in short.missing


def test_after_the_application_counts_nothing_until_the_trainee_applies():
    rule = one(
        "- {id: after, label: After applying, kind: total, records: supervision,"
        " window: {after: application}, at_least: 1}"
    )
    fact = supervision(dt.date(2026, 5, 1))
    before = outcome_of(rule, fact)
    assert before.status == NOT_MET
    assert dict(before.excluded) == {fact.id: "after your application: counted once you apply"}
    assert "counted once you apply" in before.missing
    after = outcome_of(rule, fact, anchors={"application": dt.date(2026, 5, 1)})
    assert after.status == MET


@pytest.mark.parametrize(
    ("anchor", "first", "last"),
    [
        # 29 February a year back or on is the 28th; from a 28th it stays the 28th.
        (dt.date(2028, 2, 29), dt.date(2027, 2, 28), dt.date(2028, 2, 29)),
        (dt.date(2025, 2, 28), dt.date(2024, 2, 28), dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 31), dt.date(2024, 3, 31), dt.date(2025, 3, 31)),
    ],
)
def test_a_year_before_a_leap_day_or_month_end(anchor, first, last):
    rule = supervision_within("years: 1", "before", "application", at_least=2)
    inside = [supervision(first), supervision(last)]
    outside = [supervision(first - dt.timedelta(days=1)), supervision(last + dt.timedelta(days=1))]
    outcome = outcome_of(rule, *inside, *outside, anchors={"application": anchor}, as_of=dt.date(2029, 1, 1))
    assert set(outcome.counted) == {fact.id for fact in inside}
    assert outcome.status == MET


def test_within_years_after_a_leap_day_qualification_ends_on_the_28th():
    rule = supervision_within("years: 1", "after", "qualification", at_least=1)
    qualified = dt.date(2024, 2, 29)
    on_edge, too_late = supervision(dt.date(2025, 2, 28)), supervision(dt.date(2025, 3, 1))
    outcome = outcome_of(rule, on_edge, too_late, qualification_date=qualified)
    assert set(outcome.counted) == {on_edge.id}
    assert dict(outcome.excluded) == {too_late.id: "after the window"}


def test_after_is_inclusive_and_before_is_strict_on_the_anchor_day():
    anchor = dt.date(2025, 1, 15)
    rule = one(
        "- {id: a, label: A, kind: total, records: supervision, window: {after: application}, at_least: 1}\n"
        "- {id: b, label: B, kind: total, records: supervision, window: {before: application}, at_least: 1}"
    )
    on_the_day = supervision(anchor)
    after, before = evaluate(rule, trainee(on_the_day, anchors={"application": anchor})).outcomes
    assert after.status == MET
    assert dict(before.excluded) == {on_the_day.id: "after the window"}


def test_an_unrecorded_membership_start_counts_nothing_and_says_so():
    rule = one(
        "- {id: member, label: Member, kind: total, records: supervision,"
        " window: {within: {years: 2, after: membership}}, at_least: 1}"
    )
    fact = supervision(dt.date(2025, 1, 1))
    outcome = outcome_of(rule, fact)
    assert outcome.status == NOT_MET
    assert dict(outcome.excluded) == {fact.id: "no membership start date is recorded yet"}
    assert "membership start not recorded yet" in outcome.missing
    known = outcome_of(rule, fact, anchors={"membership": dt.date(2024, 1, 1)})
    assert known.status == MET


def test_a_share_whose_window_cannot_open_yet_is_not_met():
    rule = one(
        "- {id: s, label: S, kind: share, records: supervision, numerator: {mode: group},"
        " window: {after: membership}, at_most: 0.5}"
    )
    outcome = outcome_of(rule, supervision(dt.date(2025, 1, 1)))
    assert outcome.status == NOT_MET
    assert outcome.fraction < 1


MET_ANCHOR = """
title: T
requirements:
  - {id: basic, label: Basic supervision, kind: total, records: supervision, at_least: 2}
  - {id: advanced, label: Advanced supervision, kind: total, records: supervision,
     window: {after: {met: basic}}, at_least: 2}
  - {id: soon-after, label: Soon after, kind: total, records: supervision,
     window: {within: {months: 1, after: {met: basic}}}, at_least: 2}
"""


def test_a_window_after_the_day_another_requirement_was_first_met():
    rule = parse_rule_set(MET_ANCHOR)
    days = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 2)]
    facts = [supervision(day) for day in days]
    basic, advanced, soon = evaluate(rule, trainee(*facts)).outcomes
    assert basic.status == MET
    # Basic was met on 1 February: that day's records count after it (inclusive), the first does not.
    assert set(advanced.counted) == {facts[1].id, facts[2].id, facts[3].id}
    assert set(soon.counted) == {facts[1].id, facts[2].id}  # 2 March is after 1 March
    waiting = evaluate(rule, trainee(facts[0])).outcomes[1]
    assert waiting.status == NOT_MET
    assert dict(waiting.excluded) == {facts[0].id: "counted once 'basic' is met"}
    assert "'Basic supervision' is not met yet" in waiting.missing


@pytest.mark.parametrize(
    ("window", "line", "message"),
    [
        ("{within: {months: 24, before: submission}}", 7, "within: before must be a date"),
        ("{within: {months: 0, before: application}}", 7, "within: months must be a positive whole number"),
        ("{within: {months: 6, years: 1, before: application}}", 7, "within needs months or years"),
        ("{within: {months: 6}}", 7, "within needs before or after an anchor"),
        (
            "{within: {months: 6, before: application, after: qualification}}",
            7,
            "within needs before or after",
        ),
        ("{within: 24}", 7, "within is a mapping"),
        ("{around: application}", 7, "unknown key 'around' in a window"),
        ("{after: {met: nothing}}", 7, "no requirement has the id 'nothing'"),
        ("{after: {met: form}}", 7, "the day 'form' was met is not known to the engine (a manual)"),
        ("{after: {met: b}}", 7, "requirements wait for each other: a -> b -> a"),
        ("{after: {met: a}}", 7, "requirements wait for each other: a -> a"),
    ],
)
def test_ruleset_check_names_the_line_of_a_wrong_window(window, line, message):
    source = (
        "title: T\n"
        "requirements:\n"
        "  - id: a\n"
        "    label: A\n"
        "    kind: total\n"
        "    records: supervision\n"
        f"    window: {window}\n"
        "    at_least: 1\n"
        "  - {id: b, label: B, kind: total, records: supervision, window: {before: {met: a}}, at_least: 1}\n"
        "  - {id: form, label: Form, kind: manual}\n"
    )
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(source)
    assert any(p.line == line and message in p.message for p in error.value.problems), error.value.problems


def test_ruleset_check_prints_window_and_count_once_problems_with_their_lines(app, tmp_path):
    path = tmp_path / "society.yaml"
    path.write_text(
        "title: T\n"
        "count_once: [[a, zz]]\n"
        "requirements:\n"
        "  - id: a\n"
        "    label: A\n"
        "    kind: total\n"
        "    records: supervision\n"
        "    window: {within: {months: 24, before: applicaton}}\n"
        "    at_least: 1\n"
        "  - {id: b, label: B, kind: total, records: supervision, window: {after: {met: c}}, at_least: 1}\n"
        "  - {id: c, label: C, kind: total, records: supervision, window: {after: {met: b}}, at_least: 1}\n"
    )
    result = app.test_cli_runner().invoke(args=["ruleset", "check", str(path)])
    assert result.exit_code != 0
    assert f"{path}:2: count_once: no requirement has the id 'zz'" in result.output
    assert f"{path}:8: within: before must be a date" in result.output
    assert f"{path}:10: requirements wait for each other: b -> c -> b" in result.output


def test_the_readme_window_example_waits_for_the_basic_seminars():
    readme = (Path(__file__).resolve().parents[2] / "curriculum" / "programmes" / "README.md").read_text()
    example = readme.split("#### Windows on any anchor")[1].split("```yaml\n")[1].split("```")[0]
    rule_set = parse_rule_set("title: T\nrequirements:\n" + example)
    seminars = [event(dt.date(2025, 1, 1) + dt.timedelta(weeks=week), kind="seminar") for week in range(9)]
    outcomes = {o.requirement.id: o for o in evaluate(rule_set, trainee(*seminars)).outcomes}
    assert outcomes["basic-seminars"].status == MET
    # The sixth seminar met the basic requirement on its day; it and the three after it count.
    assert outcomes["advanced-seminars"].counted == tuple(fact.id for fact in seminars[5:])
    assert outcomes["advanced-seminars"].status == MET


def test_the_application_anchor_is_the_latest_standing_application(world, make_user):
    """Through the services: before applying the window runs up to today; an open application
    fixes it; after a decline the trainee applies again, so it runs up to today once more."""
    from app.accounts.models import Role
    from app.extensions import db
    from app.programmes import services as programmes
    from app.requirements import services
    from tests.requirements.records import add_application, add_supervision

    source = (
        "title: T\nrequirements:\n"
        "  - {id: recent, label: Recent supervision, kind: total, records: supervision,\n"
        "     window: {within: {months: 12, before: application}}, at_least: 2}\n"
    )
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="w", title="W", rule_set_source=source
    )
    user = make_user("anchor@x.test", world.association, Role.TRAINEE)
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=user.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    add_supervision(enrolment, dt.date(2025, 1, 10))
    add_supervision(enrolment, dt.date(2025, 6, 1))
    db.session.commit()
    as_of = dt.date(2026, 1, 20)

    def recent():
        (outcome,) = services.progress_for(enrolment, as_of).evaluation.outcomes
        (cohort,) = services.progress_of_many([enrolment], as_of)
        assert (cohort.evaluation.outcomes[0].status, cohort.evaluation.outcomes[0].current) == (
            outcome.status,
            outcome.current,
        )
        return outcome

    waiting = recent()  # as if applying today: from 2025-01-20, so only June counts
    assert (waiting.status, waiting.current) == (NOT_MET, 1)
    assert "if you applied today, 2025-01-20 to 2026-01-20" in waiting.missing
    application = add_application(enrolment, dt.date(2025, 12, 1))
    db.session.commit()
    assert (recent().status, recent().current) == (MET, 2)  # from 2024-12-01
    admin_id = world.admin.id
    application.status, application.decision = "declined", "decline"
    application.decision_reasons, application.signature_sha256 = "Not yet.", "0" * 64
    application.decided_at = dt.datetime(2025, 12, 20, tzinfo=dt.UTC)
    application.decided_by_id = admin_id
    db.session.commit()
    assert (recent().status, recent().current) == (NOT_MET, 1)  # applying again: as if today
    assert (services.progress_for(enrolment, dt.date(2025, 12, 10)).evaluation.outcomes[0].status) == MET
