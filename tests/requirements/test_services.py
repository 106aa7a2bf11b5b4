"""Requirement services on real records: presets, waivers, version pinning, cohorts, queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.audit.models import AuditEvent
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.programmes import services as programmes
from app.requirements import services
from app.statuslevels import services as status_levels
from tests.requirements.records import (
    add_accepted_reflection,
    add_event,
    add_final_score,
    add_session,
    add_supervision,
)

PRESETS = Path(__file__).resolve().parents[2] / "curriculum" / "programmes"


def course_completion(world, trainee=None):
    programme = programmes.create_programme(
        world.admin,
        world.association.id,
        slug="short",
        title="Course completion",
        rule_set_source=(PRESETS / "course-completion.yaml").read_text(),
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=(trainee or world.trainee).id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2025, 1, 1),
    )
    db.session.commit()
    return enrolment


def complete_course(enrolment, sessions=10):
    for day in range(sessions):
        add_session(enrolment, dt.date(2025, 2, 1) + dt.timedelta(days=7 * day))
    for slug in ("a", "b", "c", "d"):
        add_accepted_reflection(enrolment, slug)
    add_final_score(enrolment, 85)
    db.session.commit()


def test_course_completion_preset_is_met_by_a_complete_trainee(world):
    enrolment = course_completion(world)
    complete_course(enrolment)
    progress = services.enrolment_progress(world.admin, enrolment.id)
    assert progress.evaluation.is_ready
    assert [o.status for o in progress.evaluation.outcomes] == ["met", "met", "met"]


def test_one_session_short_is_not_ready_and_says_what_is_missing(world):
    enrolment = course_completion(world)
    complete_course(enrolment, sessions=9)
    add_session(enrolment, dt.date(2025, 6, 1), status="submitted")
    db.session.commit()
    progress = services.enrolment_progress(world.trainee, enrolment.id)
    outcome = progress.evaluation.outcomes[2]
    assert not progress.evaluation.is_ready
    assert (outcome.current, outcome.required, outcome.missing) == (9, 10, "1 more session.")
    assert [reason for _, reason in outcome.excluded] == ["not signed"]


def test_a_record_replaced_by_a_signed_correction_counts_once(world):
    enrolment = course_completion(world)
    original = add_session(enrolment, dt.date(2025, 3, 1))
    add_session(enrolment, dt.date(2025, 3, 2), supersedes=original)
    db.session.commit()
    outcome = services.enrolment_progress(world.admin, enrolment.id).evaluation.outcomes[2]
    assert outcome.current == 1 and original.id not in outcome.counted


def test_uk_preset_against_a_psychodynamic_trainee(world):
    programme = programmes.create_programme(
        world.admin,
        world.association.id,
        slug="uk",
        title="UK",
        rule_set_source=(PRESETS / "uk-style.yaml").read_text(),
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    for week in range(8):
        add_session(enrolment, dt.date(2024, 2, 1) + dt.timedelta(weeks=week), role="member")
    db.session.commit()

    def membership():
        outcomes = services.enrolment_progress(world.admin, enrolment.id).evaluation.outcomes
        return next(o for o in outcomes if o.requirement.id == "membership-experience")

    assert membership().status == "not_met"
    services.update_profile(world.admin, enrolment.id, has_psychodynamic_training=True, qualified_on=None)
    db.session.commit()
    assert membership().status == "met"


def test_anz_preset_supervision_rate_and_face_to_face_share(world):
    programme = programmes.create_programme(
        world.admin,
        world.association.id,
        slug="anz",
        title="ANZ",
        rule_set_source=(PRESETS / "anz-style.yaml").read_text(),
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    # Supervision counts with a Leader Trainer (the status level held on the day).
    status_levels.grant(
        world.admin, world.association.id, world.supervisor.id, "training-leader", dt.date(2024, 1, 1)
    )
    for month in range(10):
        add_supervision(enrolment, dt.date(2024, month + 1, 10))
    add_session(enrolment, dt.date(2024, 3, 1), mode="online")
    add_event(enrolment, dt.date(2024, 5, 1), kind="intensive", provider="BSANZ")
    add_event(enrolment, dt.date(2024, 9, 1), kind="international-workshop")
    db.session.commit()

    def outcomes():
        evaluation = services.enrolment_progress(
            world.admin, enrolment.id, as_of=dt.date(2025, 1, 2)
        ).evaluation
        return {o.requirement.id: o for o in evaluation.outcomes}

    # The international workshop counts once the committee approved it beforehand.
    assert outcomes()["formal-training"].status == "not_met"
    services.decide_manual(
        world.admin, enrolment.id, "international-approved", is_met=True, reason="Approved in March"
    )
    db.session.commit()
    result = outcomes()
    assert result["supervision-each-year"].status == "met"
    assert result["formal-training"].status == "met"
    assert result["face-to-face"].status == "not_met"
    assert result["face-to-face"].requirement.level == "desirable"


def test_waivers_are_audited_and_need_a_reason(world):
    enrolment = course_completion(world)
    with pytest.raises(ValidationError):
        services.waive(world.admin, enrolment.id, "reflections", "")
    services.waive(
        world.admin, enrolment.id, "reflections", "Equivalent written work accepted by the committee"
    )
    db.session.commit()
    outcome = services.enrolment_progress(world.admin, enrolment.id).evaluation.outcomes[1]
    assert outcome.status == "waived"
    event_row = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "requirement.waived")).one()
    assert event_row.details["requirement"] == "reflections" and event_row.actor_id == world.admin.id
    services.withdraw_decision(world.admin, enrolment.id, "reflections", "Committee changed its mind")
    db.session.commit()
    assert services.enrolment_progress(world.admin, enrolment.id).evaluation.outcomes[1].status == "not_met"


def test_only_admins_of_the_association_decide(world):
    enrolment = course_completion(world)
    with pytest.raises(Forbidden):
        services.waive(world.supervisor, enrolment.id, "module", "Because I say so")
    with pytest.raises(NotFound):
        services.waive(world.other_admin, enrolment.id, "module", "Not my association")
    with pytest.raises(NotFound):
        services.waive(world.admin, enrolment.id, "no-such-requirement", "Nothing to waive")
    with pytest.raises(InvalidState):
        services.decide_manual(world.admin, enrolment.id, "module", is_met=True, reason="Not a manual item")


def test_enrolments_stay_on_their_version_until_migrated_with_an_audit_event(world):
    enrolment = course_completion(world)
    stricter = (PRESETS / "course-completion.yaml").read_text().replace("at_least: 10", "at_least: 12")
    version2 = programmes.add_rule_set_version(
        world.admin, world.association.id, enrolment.programme_id, stricter
    )
    complete_course(enrolment)
    assert services.enrolment_progress(world.admin, enrolment.id).evaluation.is_ready
    services.migrate_enrolment(world.admin, enrolment.id, version2.id)
    db.session.commit()
    assert not services.enrolment_progress(world.admin, enrolment.id).evaluation.is_ready
    migrated = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "enrolment.rule_set_migrated")
    ).one()
    assert (migrated.details["before"], migrated.details["after"]) == (1, 2)


def test_trainees_see_only_their_own_progress(world):
    enrolment = course_completion(world)
    with pytest.raises(Forbidden):
        services.enrolment_progress(world.trainee2, enrolment.id)
    with pytest.raises(Forbidden):
        services.enrolment_progress(world.supervisor2, enrolment.id)  # not assigned
    assert services.enrolment_progress(world.supervisor, enrolment.id).enrolment == enrolment


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self)


def _cohort_queries(world, make_user, trainees: int, records: int) -> int:
    from app.accounts.models import Role

    for number in range(trainees):
        user = make_user(f"cohort{trainees}-{number}@x.test", world.association, Role.TRAINEE)
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2025, 1, 1),
        )
        for day in range(records):
            add_session(enrolment, dt.date(2025, 2, 1) + dt.timedelta(days=day))
    db.session.commit()
    db.session.expire_all()
    with QueryCounter() as counter:
        rows = services.cohort(world.admin, world.association.id, programme_id=world.programme.id)
    assert len(rows) >= trainees
    return counter.count


def test_cohort_queries_do_not_grow_with_trainees_or_records(world, make_user):
    few = _cohort_queries(world, make_user, trainees=2, records=2)
    many = _cohort_queries(world, make_user, trainees=12, records=6)
    assert many == few, (few, many)


def test_progress_cli_prints_json(app, world):
    import json

    enrolment = course_completion(world)
    complete_course(enrolment, sessions=3)
    result = app.test_cli_runner().invoke(
        args=["progress", "trainee@x.test", "--programme", "short", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    co_led = data[0]["requirements"][2]
    assert (co_led["current"], co_led["required"], co_led["status"]) == (3, 10, "not_met")
    assert co_led["missing"] == "7 more sessions."
    text = app.test_cli_runner().invoke(args=["progress", "trainee@x.test"])
    assert "✗ Co-led group sessions: 3/10 sessions" in text.output
