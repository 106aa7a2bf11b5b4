"""The cohort's SQL measurements agree with the engine's record-by-record path.

Random logbooks, on SQLite and PostgreSQL: totals, distinct counts and shares, and
rates and spans, whose periods and gaps turn on month ends and leap days.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from app.extensions import db
from app.programmes import services as programmes
from app.requirements import services
from app.requirements.engine import _add_months
from tests.requirements.records import add_event, add_session, add_supervision
from tests.requirements.shapes import SHAPES

PRESETS = Path(__file__).resolve().parents[2] / "curriculum" / "programmes"

WIDE = """
title: Everything the SQL path measures
requirements:
  - {id: hours, label: Hours, kind: total, records: sessions, at_least: {hours: 30, double_hours: 10, cases: 25}}
  - {id: led-after-start, label: Led after start, kind: total, records: sessions,
     where: {role: [co-leader, leader], mode: in-person}, window: {after: enrolment_start}, at_least: 5}
  - {id: member-before, label: Member before, kind: total, records: sessions, where: {role: member},
     window: {before: enrolment_start}, at_least: 3}
  - {id: after-qualification, label: After qualification, kind: total, records: sessions,
     window: {after: qualification}, at_least: 4}
  - {id: recent, label: Recent, kind: total, records: sessions, window: {within_last_years: 1}, at_least: 6}
  - {id: fixed-window, label: Fixed window, kind: total, records: supervision,
     window: {after: 2024-03-01, before: 2025-03-01}, at_least: {hours: 5}}
  - {id: co-leaders, label: Co-leaders, kind: distinct, records: sessions, field: co_leader, at_least: 3}
  - {id: settings, label: Settings, kind: distinct, records: sessions, field: setting_category, at_least: 2}
  - {id: face-to-face, label: Face to face, kind: share, records: sessions, numerator: {mode: in-person},
     at_least: 0.5}
  - {id: conferences, label: Conferences, kind: share, records: events, numerator: {event_kind: seminar},
     measure: days, at_most: 0.3}
  - {id: unsigned-too, label: Unsigned too, kind: total, records: sessions, count_unsigned: true, at_least: 8}
  - {id: no-imported, label: Not imported, kind: total, records: sessions, count_imported: false,
     at_least: {hours: 12}}
  - {id: no-imported-supervisors, label: Not imported supervisors, kind: distinct, records: supervision,
     field: supervisor, count_imported: false, at_least: 1}
  - {id: no-imported-share, label: Not imported share, kind: share, records: events, count_imported: false,
     numerator: {event_kind: intensive}, at_least: 0.2}
  - id: either
    label: Either
    kind: any_of
    requirements:
      - {id: workshops, label: Workshops, kind: total, records: events, where: {event_kind: leadership-workshop},
         at_least: 2}
      - {id: intensives, label: Intensives, kind: total, records: events, where: {event_kind: intensive},
         at_least: 1}
"""


def flatten(outcomes):
    for outcome in outcomes:
        yield outcome
        yield from flatten(outcome.children)


def summary(outcome):
    return (
        outcome.requirement.id,
        outcome.status,
        round(outcome.current, 6),
        outcome.required,
        outcome.missing,
        outcome.run,
        outcome.met_on,
    )


RATES_AND_SPANS = """
title: Rates and spans
requirements:
  - {id: yearly, label: Yearly, kind: rate, records: supervision, per: training_year, at_least: 3}
  - {id: yearly-hours, label: Yearly hours, kind: rate, records: supervision, per: training_year,
     measure: hours, at_least: 4}
  - {id: six-months, label: Six months, kind: rate, records: sessions, per: month, periods: 2, at_least: 1}
  - {id: led-per-year, label: Led per year, kind: rate, records: sessions, per: year,
     where: {role: [co-leader, leader]}, at_least: 2}
  - {id: cases-until-qualified, label: Cases until qualified, kind: rate, records: sessions, per: month,
     measure: cases, window: {after: enrolment_start, before: qualification}, at_least: 2}
  - {id: recent-months, label: Recent months, kind: rate, records: supervision, per: month,
     window: {within_last_years: 1}, at_least: 1}
  - {id: double-hours-unsigned, label: Double hours, kind: rate, records: sessions, per: training_year,
     measure: double_hours, count_unsigned: true, periods: 3, at_least: 5}
  - {id: ongoing, label: Ongoing, kind: span, records: supervision, months: 12, max_gap_months: 3}
  - {id: led-span, label: Led span, kind: span, records: sessions, where: {role: leader}, months: 6}
  - {id: events-after-start, label: Events after start, kind: span, records: events,
     window: {after: enrolment_start}, months: 3, max_gap_months: 2}
  - {id: unsigned-span, label: Unsigned span, kind: span, records: sessions, count_unsigned: true,
     months: 18, max_gap_months: 1}
  - {id: fixed-window-span, label: Fixed window, kind: span, records: supervision,
     window: {after: 2024-02-29, before: 2025-03-01}, months: 6, max_gap_months: 2}
  - {id: yearly-not-imported, label: Yearly not imported, kind: rate, records: supervision,
     per: training_year, count_imported: false, at_least: 3}
  - {id: span-not-imported, label: Span not imported, kind: span, records: sessions, count_imported: false,
     months: 6, max_gap_months: 2}
"""

# Starts whose anniversaries clamp (29 February, month ends) or sit on a month's first day.
EDGE_STARTS = [
    dt.date(2024, 2, 29),
    dt.date(2024, 1, 31),
    dt.date(2023, 3, 1),
    dt.date(2024, 8, 31),
    dt.date(2023, 12, 31),
    dt.date(2024, 2, 28),
]


def edge_days(start: dt.date) -> list[dt.date]:
    """Days where periods and gaps turn: around the start and its anniversaries, month ends."""
    days = []
    for months in (0, 1, 12, 24, 36):
        turn = _add_months(start, months)
        days += [turn - dt.timedelta(days=1), turn, turn + dt.timedelta(days=1)]
    first = start.replace(day=1)
    days += [first, _add_months(first, 1) - dt.timedelta(days=1), _add_months(first, 6)]
    days += [dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2028, 2, 28), dt.date(2028, 2, 29)]
    return days


def fill_logbook(enrolment, rng: random.Random, days: list[dt.date], count: int) -> None:
    """Random records of every kind on the given days plus random ones, some unsigned."""
    for index in range(count):
        day = (
            days[index]
            if index < len(days)
            else dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 1700))
        )
        status = rng.choice(["signed", "signed", "signed", "submitted", "draft"])
        imported = status == "signed" and rng.random() < 0.3  # earlier training an admin attested
        roll = rng.random()
        if roll < 0.5:
            record = add_session(
                enrolment,
                day,
                role=rng.choice(["member", "co-leader", "leader"]),
                status=status,
                mode=rng.choice(["in-person", "online"]),
                cases=rng.randint(0, 3),
                minutes=rng.choice([50, 60, 90, 120]),
                setting_category=rng.choice(["primary-care", "hospital"]),
                imported=imported,
            )
            if status == "signed" and rng.random() < 0.1:  # a signed correction replaces it
                add_session(
                    enrolment, day + dt.timedelta(days=rng.randint(0, 40)), supersedes=record, cases=1
                )
        elif roll < 0.85:
            add_supervision(
                enrolment, day, minutes=rng.choice([45, 50, 60, 90]), status=status, imported=imported
            )
        else:
            add_event(
                enrolment,
                day,
                kind=rng.choice(["leadership-workshop", "intensive"]),
                days=2,
                status=status,
                imported=imported,
            )


def assert_same_outcomes(enrolments, as_of: dt.date) -> None:
    cohort = {p.enrolment.id: p for p in services.progress_of_many(enrolments, as_of)}
    for enrolment in enrolments:
        one_by_one = services.progress_for(enrolment, as_of)
        expected = [summary(o) for o in flatten(one_by_one.evaluation.outcomes)]
        assert [summary(o) for o in flatten(cohort[enrolment.id].evaluation.outcomes)] == expected


@pytest.mark.parametrize("as_of", [dt.date(2026, 1, 1), dt.date(2025, 2, 28), dt.date(2028, 2, 29)])
def test_rates_and_spans_match_record_by_record_evaluation(world, make_user, as_of):
    from app.accounts.models import Role

    programme = programmes.create_programme(
        world.admin, world.association.id, slug="p", title="P", rule_set_source=RATES_AND_SPANS
    )
    rng = random.Random(as_of.isoformat())
    enrolments = []
    for number, start in enumerate(EDGE_STARTS):
        user = make_user(f"rate{number}@x.test", world.association, Role.TRAINEE)
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=start,
        )
        if number % 2:
            enrolment.qualified_on = _add_months(start, 13)
        days = edge_days(start)
        rng.shuffle(days)
        fill_logbook(enrolment, rng, days, count=rng.randint(len(days), len(days) + 30))
        enrolments.append(enrolment)
    empty = make_user("empty@x.test", world.association, Role.TRAINEE)
    enrolments.append(
        programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=empty.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2024, 2, 29),
        )
    )
    db.session.commit()
    assert_same_outcomes(enrolments, as_of)


@pytest.mark.parametrize(
    "source", ["wide", "wide-no-imported", *sorted(p.stem for p in PRESETS.glob("*.yaml"))]
)
def test_cohort_measurements_match_record_by_record_evaluation(world, make_user, source):
    from app.accounts.models import Role

    if source.startswith("wide"):
        # The whole rule set refuses imported records: each requirement inherits it.
        text = WIDE.replace("\nrequirements:", "\ncount_imported: false\nrequirements:", 1)
        text = text if source == "wide-no-imported" else WIDE
    else:
        text = (PRESETS / f"{source}.yaml").read_text()
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="p", title="P", rule_set_source=text
    )
    rng = random.Random(source)
    enrolments = []
    for number in range(8):
        user = make_user(f"agg{number}@x.test", world.association, Role.TRAINEE)
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 200)),
        )
        if number % 2:
            enrolment.qualified_on = dt.date(2024, 6, 1)
        for _ in range(rng.randint(0, 25)):
            day = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 900))
            status = rng.choice(["signed", "signed", "signed", "submitted", "draft"])
            imported = status == "signed" and rng.random() < 0.3  # earlier training an admin attested
            roll = rng.random()
            if roll < 0.6:
                record = add_session(
                    enrolment,
                    day,
                    role=rng.choice(["member", "co-leader", "leader"]),
                    status=status,
                    mode=rng.choice(["in-person", "online"]),
                    cases=rng.randint(0, 3),
                    minutes=rng.choice([60, 90, 120]),
                    setting_category=rng.choice(["primary-care", "hospital"]),
                    imported=imported,
                )
                if status == "signed" and rng.random() < 0.1:  # a signed correction replaces it
                    add_session(enrolment, day, supersedes=record, cases=1)
            elif roll < 0.85:
                add_supervision(
                    enrolment, day, minutes=rng.choice([45, 60, 90]), status=status, imported=imported
                )
            else:
                add_event(
                    enrolment,
                    day,
                    kind=rng.choice(["leadership-workshop", "intensive", "seminar"]),
                    days=rng.randint(1, 3),
                    status=status,
                    imported=imported,
                )
        enrolments.append(enrolment)
    db.session.commit()

    assert_same_outcomes(enrolments, dt.date(2026, 1, 1))


# Issue 12's shapes: a rule set's own units, comparisons and one_of in filters, strict and
# inclusive share bounds, runs of consecutive periods, time elapsed since a dated fact.


def fill_shapes(enrolment, rng: random.Random, days: list[dt.date], count: int) -> None:
    """Random records with lengths on the edges of the shapes' bounds, some unsigned."""
    for index in range(count):
        day = (
            days[index]
            if index < len(days)
            else dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 1700))
        )
        status = rng.choice(["signed", "signed", "signed", "submitted", "draft"])
        roll = rng.random()
        if roll < 0.5:
            add_session(
                enrolment,
                day,
                role=rng.choice(["member", "co-leader", "leader"]),
                status=status,
                mode=rng.choice(["in-person", "online"]),
                cases=rng.randint(0, 3),
                minutes=rng.choice([45, 50, 59, 60, 90, 119, 120]),
                setting_category=rng.choice(["primary-care", "hospital"]),
            )
        elif roll < 0.7:
            add_supervision(enrolment, day, minutes=rng.choice([45, 59, 60, 90]), status=status)
        else:
            add_event(
                enrolment,
                day,
                kind=rng.choice(["seminar", "intensive", "leadership-workshop"]),
                days=rng.randint(1, 5),
                minutes=rng.choice([None, 90, 180, 270, 360]),
                status=status,
            )


@pytest.mark.parametrize("as_of", [dt.date(2026, 1, 1), dt.date(2025, 2, 28), dt.date(2028, 2, 29)])
def test_the_new_shapes_match_record_by_record_evaluation(world, make_user, as_of):
    from app.accounts.models import Role

    programme = programmes.create_programme(
        world.admin, world.association.id, slug="p", title="P", rule_set_source=SHAPES
    )
    rng = random.Random(f"shapes-{as_of.isoformat()}")
    enrolments = []
    for number, start in enumerate(EDGE_STARTS):
        user = make_user(f"shape{number}@x.test", world.association, Role.TRAINEE)
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=start,
        )
        if number % 2:
            enrolment.qualified_on = dt.date(2024, 2, 29) if number == 1 else _add_months(start, 5)
        days = edge_days(start)
        rng.shuffle(days)
        fill_shapes(enrolment, rng, days, count=rng.randint(len(days), len(days) + 40))
        if number in (2, 3):  # monthly records from the start, the fifth month left out
            for month in (0, 1, 2, 3, 5, 6, 7):
                day = _add_months(start, month)
                add_session(enrolment, day, minutes=90)
                add_session(enrolment, day + dt.timedelta(days=1), minutes=60)
                add_session(enrolment, day + dt.timedelta(days=2), minutes=60)
                add_supervision(enrolment, day, minutes=45)
        if number == 3:  # mostly seminars: more than half of the event hours
            for week in range(12):
                add_event(enrolment, start + dt.timedelta(weeks=week), kind="seminar", minutes=360)
        enrolments.append(enrolment)
    empty = make_user("empty@x.test", world.association, Role.TRAINEE)
    enrolments.append(
        programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=empty.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2024, 2, 29),
        )
    )
    # On the edges: enrolled 18 months ago tomorrow, qualified a year ago today, seminars
    # exactly half of the event hours.
    edge = make_user("edge@x.test", world.association, Role.TRAINEE)
    on_edge = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=edge.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=_add_months(as_of + dt.timedelta(days=1), -18),
    )
    on_edge.qualified_on = _add_months(as_of, -12)
    add_event(on_edge, dt.date(2024, 3, 1), kind="seminar", minutes=180)
    add_event(on_edge, dt.date(2024, 3, 8), kind="intensive", minutes=90)
    add_event(on_edge, dt.date(2024, 3, 9), kind="intensive", minutes=90)
    enrolments.append(on_edge)
    db.session.commit()
    assert_same_outcomes(enrolments, as_of)
    edge_outcomes = {
        o.requirement.id: o for o in flatten(services.progress_for(on_edge, as_of).evaluation.outcomes)
    }
    assert edge_outcomes["conferences-less-than-half"].status == "not_met"
    assert edge_outcomes["conferences-at-most-half"].status == "met"
    assert edge_outcomes["enrolled"].status == "not_met"
    assert edge_outcomes["enrolled"].met_on == as_of + dt.timedelta(days=1)
    assert edge_outcomes["qualified"].status == "met"
    # Not vacuous: the shapes are met by some trainees of this cohort and missed by others.
    statuses: dict[str, set[str]] = {}
    for progress in services.progress_of_many(enrolments, as_of):
        for outcome in flatten(progress.evaluation.outcomes):
            statuses.setdefault(outcome.requirement.id, set()).add(outcome.status)
    assert {key for key, seen in statuses.items() if seen != {"met", "not_met"}} == set()


# Issue 15: earlier training an admin imported counts or not as the rule set says.

IMPORTED = """
title: Imported records
{top}
requirements:
  - {{id: sessions, label: Sessions, kind: total, records: sessions, at_least: 2}}
  - {{id: supervision, label: Supervision, kind: total, records: supervision, at_least: {{hours: 1}}}}
  - {{id: own-sessions, label: Own sessions, kind: total, records: sessions, count_imported: false,
     at_least: 1}}
  - {{id: any-sessions, label: Any sessions, kind: total, records: sessions, count_imported: true,
     at_least: 2}}
"""


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ("", {"sessions": "met", "supervision": "met", "own-sessions": "not_met", "any-sessions": "met"}),
        (
            "count_imported: false",
            {
                "sessions": "not_met",
                "supervision": "not_met",
                "own-sessions": "not_met",
                "any-sessions": "met",
            },
        ),
    ],
)
def test_imported_records_count_as_the_rule_set_says_on_both_paths(world, make_user, top, expected):
    from app.accounts.models import Role

    programme = programmes.create_programme(
        world.admin, world.association.id, slug="p", title="P", rule_set_source=IMPORTED.format(top=top)
    )
    user = make_user("imported@x.test", world.association, Role.TRAINEE)
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=user.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    add_session(enrolment, dt.date(2023, 3, 1), imported=True, signer=world.admin)
    add_session(enrolment, dt.date(2023, 4, 1), imported=True, signer=world.admin)
    add_supervision(enrolment, dt.date(2023, 4, 2), minutes=90, imported=True)
    db.session.commit()
    as_of = dt.date(2026, 1, 1)
    one = {
        o.requirement.id: o.status
        for o in flatten(services.progress_for(enrolment, as_of).evaluation.outcomes)
    }
    (cohort,) = services.progress_of_many([enrolment], as_of)
    many = {o.requirement.id: o.status for o in flatten(cohort.evaluation.outcomes)}
    assert {key: str(value) for key, value in one.items()} == expected
    assert many == one
    own = next(
        o
        for o in services.progress_for(enrolment, as_of).evaluation.outcomes
        if o.requirement.id == "own-sessions"
    )
    assert [reason for _id, reason in own.excluded] == [
        "imported earlier training, which this rule set does not count"
    ] * 2


# Issue 12, shapes 4 and 10: windows on any anchor, and records counted once in a group.

WINDOWS = """
title: Windows on any anchor
count_once: [[leadership, intensive-days], [co-led-early, co-led-any]]
requirements:
  - {id: before-application, label: Before applying, kind: total, records: supervision,
     window: {within: {months: 24, before: application}}, at_least: 5}
  - {id: year-before-application, label: Year before applying, kind: total, records: sessions,
     window: {within: {years: 1, before: application}}, at_least: {hours: 4}}
  - {id: after-application, label: After applying, kind: total, records: sessions,
     window: {after: application}, at_least: 1}
  - {id: settings-before-application, label: Settings, kind: distinct, records: sessions,
     field: setting_category, window: {before: application}, at_least: 2}
  - {id: year-after-qualification, label: Year after qualification, kind: total, records: supervision,
     window: {within: {years: 1, after: qualification}}, at_least: 2}
  - {id: before-qualification, label: Before qualification, kind: share, records: sessions,
     numerator: {mode: in-person}, window: {within: {months: 13, before: qualification}}, at_least: 0.5}
  - {id: first-months, label: First months, kind: rate, records: sessions, per: month, periods: 2,
     window: {within: {months: 6, after: enrolment_start}}, at_least: 1}
  - {id: membership-years, label: Membership, kind: total, records: sessions,
     window: {within: {years: 2, after: membership}}, at_least: 1}
  - {id: before-membership, label: Before membership, kind: span, records: supervision,
     window: {before: membership}, months: 3}
  - {id: fixed-before, label: Fixed before, kind: total, records: supervision,
     window: {within: {months: 12, before: 2025-02-28}}, at_least: 2}
  - {id: fixed-leap, label: Fixed leap, kind: total, records: events,
     window: {within: {years: 1, after: 2024-02-29}}, at_least: 1}
  - {id: basic, label: Basic, kind: total, records: supervision, at_least: 3}
  - {id: after-basic, label: After basic, kind: total, records: supervision,
     window: {after: {met: basic}}, at_least: 3}
  - {id: soon-after-basic, label: Soon after basic, kind: span, records: sessions,
     window: {within: {months: 6, after: {met: basic}}}, months: 1}
  - {id: leadership, label: Leadership, kind: total, records: events,
     where: {event_kind: [leadership-workshop, intensive]}, at_least: 2}
  - {id: intensive-days, label: Intensive days, kind: total, records: events,
     where: {event_kind: intensive}, at_least: {days: 4}}
  - {id: co-led-early, label: Co-led early, kind: total, records: sessions, where: {role: co-leader},
     window: {within: {months: 18, after: enrolment_start}}, at_least: 5}
  - {id: co-led-any, label: Co-led, kind: total, records: sessions, where: {role: co-leader}, at_least: 8}
"""

# The application of each EDGE_STARTS trainee (None: never applied); some come after an as_of.
APPLIED_ON = [
    dt.date(2026, 2, 28),
    None,
    dt.date(2025, 3, 31),
    dt.date(2028, 2, 29),
    dt.date(2024, 12, 31),
    None,
]


def anchor_edges(anchor: dt.date) -> list[dt.date]:
    """The days on and beside the edges of windows of 12, 13 and 24 months around an anchor."""
    days = []
    for months in (-24, -13, -12, 0, 12):
        turn = _add_months(anchor, months)
        days += [turn - dt.timedelta(days=1), turn, turn + dt.timedelta(days=1)]
    return days


@pytest.mark.parametrize("as_of", [dt.date(2026, 1, 1), dt.date(2025, 2, 28), dt.date(2028, 2, 29)])
def test_windows_and_count_once_match_record_by_record_evaluation(world, make_user, as_of):
    from app.accounts.models import Role
    from tests.requirements.records import add_application

    programme = programmes.create_programme(
        world.admin, world.association.id, slug="p", title="P", rule_set_source=WINDOWS
    )
    rng = random.Random(f"windows-{as_of.isoformat()}")
    enrolments = []
    for number, start in enumerate(EDGE_STARTS):
        user = make_user(f"window{number}@x.test", world.association, Role.TRAINEE)
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=start,
        )
        days = edge_days(start)
        if number % 2:
            enrolment.qualified_on = dt.date(2024, 2, 29) if number == 1 else _add_months(start, 7)
            days += anchor_edges(enrolment.qualified_on)
        applied_on = APPLIED_ON[number]
        if applied_on is not None:
            if number == 2:  # an earlier, declined application: the latest one is the anchor
                add_application(enrolment, applied_on - dt.timedelta(days=200), decided_by=world.admin)
            # The fifth trainee's latest was declined a month later: pending again from then.
            add_application(enrolment, applied_on, decided_by=world.admin if number == 4 else None)
            days += anchor_edges(applied_on)
        days += anchor_edges(dt.date(2025, 2, 28)) + anchor_edges(dt.date(2024, 2, 29))
        rng.shuffle(days)
        fill_logbook(enrolment, rng, days, count=rng.randint(len(days), len(days) + 30))
        enrolments.append(enrolment)
    empty = make_user("empty@x.test", world.association, Role.TRAINEE)
    enrolments.append(
        programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=empty.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2024, 2, 29),
        )
    )
    db.session.commit()
    assert_same_outcomes(enrolments, as_of)
    # Not vacuous: each window is met by some trainees and missed by others (the membership
    # start is not recorded anywhere yet, so those two are never met).
    statuses: dict[str, set[str]] = {}
    for progress in services.progress_of_many(enrolments, as_of):
        for outcome in flatten(progress.evaluation.outcomes):
            statuses.setdefault(outcome.requirement.id, set()).add(outcome.status)
    never_met = {"membership-years", "before-membership"}
    assert all(statuses[key] == {"not_met"} for key in never_met)
    if as_of == dt.date(2026, 1, 1):
        mixed = {key for key, seen in statuses.items() if key not in never_met and seen != {"met", "not_met"}}
        assert mixed == set()


def test_a_cohort_with_count_once_groups_costs_the_same_statements_for_more_trainees(world, make_user):
    """Grouped requirements are judged record by record, but a cohort loads those records
    (of the grouped type only) in a fixed number of statements, whatever its size."""
    from app.accounts.models import Role
    from tests.perf.statements import counting_statements

    text = (PRESETS / "uk-style.yaml").read_text()
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="p", title="P", rule_set_source=text
    )
    enrolments = []
    for number in range(12):
        user = make_user(f"count{number}@x.test", world.association, Role.TRAINEE)
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2024, 1, 1),
        )
        for week in range(number):
            add_event(enrolment, dt.date(2024, 2, 1) + dt.timedelta(weeks=week), kind="residential-weekend")
            add_session(enrolment, dt.date(2024, 2, 2) + dt.timedelta(weeks=week), role="member")
        enrolments.append(enrolment)
    db.session.commit()
    services.progress_of_many(enrolments, dt.date(2026, 1, 1))  # warm the parsed rule set
    counts = []
    for size in (3, 12):
        with counting_statements(db.engine) as log:
            services.progress_of_many(enrolments[:size], dt.date(2026, 1, 1))
        counts.append(log.count)
        tables = {
            sql.split(" FROM ")[1].split()[0] for sql in log.statements if sql.startswith("SELECT logbook_")
        }
        assert tables == {"logbook_record", "logbook_event"}, str(log)  # events only, not sessions
    assert counts[0] == counts[1], counts
    assert_same_outcomes(enrolments, dt.date(2026, 1, 1))
