"""Observed leadership: an observer is asked to watch a trainee lead a session, fills in
the competency rubric and signs; the signed report is final (in the database too), writes
the trainee's signed logbook observation, and counts in rule sets with its outcome."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.groups import observation
from app.groups.models import ObservationReport
from app.groups.observation import ReportInput
from app.logbook.kinds import RecordStatus
from app.logbook.models import Observation
from app.notifications.models import Notification
from app.privacy.guard import PrivacyWarning
from app.requirements import aggregates, sources
from app.requirements.engine import MET, NOT_MET, evaluate
from app.requirements.ruleset import parse_rule_set
from tests.groups.conftest import plan
from tests.logbook.fixtures import accredit

GOOD = ReportInput(
    ratings={"C1": 4, "C3": 3, "C8": 4},
    evidence={
        "C1": "Opened on time and restated the ground rules before the first case.",
        "C8": "Brought the presenter back in gently after the push-back.",
    },
    outcome="satisfactory",
    narrative="A calm, well-held group; the leader kept the focus on the doctor-patient relationship.",
)

SATISFACTORY_RULES = """\
title: "Observed"
requirements:
  - id: observed
    label: "One satisfactory observation"
    kind: total
    records: observations
    where:
      outcome: satisfactory
    at_least: 1
"""


def _assigned(world, scene, *, observer=None, status="leader-trainer", held_on=date(2025, 3, 6)):
    session = plan(world, scene.group, held_on=held_on)
    report = observation.assign_observer(
        world.trainee,
        world.association.id,
        session.id,
        trainee_id=world.trainee.id,
        observer_id=(observer or world.supervisor2).id,
        observer_status=status,
    )
    db.session.commit()
    return report


def _notified(user) -> list[Notification]:
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)).all()


def test_the_trainee_leader_asks_a_supervisor_who_is_told(world, scene):
    report = _assigned(world, scene)
    assert (report.observer_id, report.observer_status, report.signed_at) == (
        world.supervisor2.id,
        "leader-trainer",
        None,
    )
    assert any(f"/groups/observations/{report.id}/sign" in n.link for n in _notified(world.supervisor2))
    with pytest.raises(InvalidState):  # one observer per leader and session
        observation.assign_observer(
            world.admin,
            world.association.id,
            report.session_id,
            trainee_id=world.trainee.id,
            observer_id=world.supervisor.id,
            observer_status="supervisor",
        )


def test_who_may_ask_and_whom_they_may_ask(world, scene):
    session = plan(world, scene.group)
    db.session.commit()
    a = world.association.id

    def assign(actor, trainee, observer, status="supervisor", association_id=a):
        return observation.assign_observer(
            actor,
            association_id,
            session.id,
            trainee_id=trainee.id,
            observer_id=observer.id,
            observer_status=status,
        )

    with pytest.raises(Forbidden):  # a supervisor who neither leads nor administers
        assign(world.supervisor, world.trainee, world.supervisor2)
    with pytest.raises(NotFound):
        assign(world.other_admin, world.trainee, world.supervisor2, association_id=world.other.id)
    with pytest.raises(ValidationError) as refused:  # a trainee asks for themselves only
        assign(world.trainee, world.trainee2, world.supervisor2)
    assert "trainee_id" in refused.value.fields
    with pytest.raises(ValidationError) as refused:  # the observer is a supervisor, not a co-leader
        assign(world.trainee, world.trainee, world.trainee2, status="bishop")
    assert {"observer_id", "observer_status"} <= set(refused.value.fields)
    by_admin = assign(world.admin, world.trainee2, world.supervisor)  # the co-leader, by an admin
    assert by_admin.trainee_id == world.trainee2.id


def test_the_observer_signs_and_the_trainee_has_a_signed_observation(world, scene):
    accredit(world.supervisor2, world.association)
    report = _assigned(world, scene)
    observation.sign_report(world.supervisor2, world.association.id, report.id, GOOD)
    db.session.commit()
    assert report.is_signed and report.outcome == "satisfactory"
    assert report.ratings["C1"] == 4 and report.ratings["C2"] is None and len(report.ratings) == 10
    record = db.session.get(Observation, report.record_id)
    assert (record.enrolment_id, record.observer_id, record.signer_id) == (
        world.enrolment.id,
        world.supervisor2.id,
        world.supervisor2.id,
    )
    assert (record.status, record.outcome, record.occurred_on) == (
        RecordStatus.SIGNED.value,
        "satisfactory",
        date(2025, 3, 6),
    )
    assert any(f"/groups/observations/{report.id}" == n.link for n in _notified(world.trainee))
    with pytest.raises(InvalidState):
        observation.sign_report(world.supervisor2, world.association.id, report.id, GOOD)


def _progress(world, rule_source: str):
    """The requirement's outcome, record by record and by the cohort's SQL path."""
    rule_set = parse_rule_set(rule_source)
    today = date.today()
    one = evaluate(rule_set, sources.gather([world.enrolment], today)[world.enrolment.id])
    measured = aggregates.measurements([(rule_set, [world.enrolment.id])], today)
    facts = sources.gather([world.enrolment], today, measurements=measured, kinds={"total"})
    cohort = evaluate(rule_set, facts[world.enrolment.id])
    return one.outcomes[0].status, cohort.outcomes[0].status


def test_a_satisfactory_observation_counts_where_the_rule_set_asks_for_one(world, scene):
    accredit(world.supervisor2, world.association)
    report = _assigned(world, scene)
    not_yet = ReportInput(GOOD.ratings, GOOD.evidence, "needs-development", GOOD.narrative)
    observation.sign_report(world.supervisor2, world.association.id, report.id, not_yet)
    db.session.commit()
    assert _progress(world, SATISFACTORY_RULES) == (NOT_MET, NOT_MET)
    second = _assigned(world, scene, held_on=date(2025, 3, 20))
    observation.sign_report(world.supervisor2, world.association.id, second.id, GOOD)
    db.session.commit()
    assert _progress(world, SATISFACTORY_RULES) == (MET, MET)


BY_A_LEADER_TRAINER = SATISFACTORY_RULES.replace(
    "      outcome: satisfactory", "      outcome: satisfactory\n      observer_status: leader-trainer"
)


def test_a_rule_set_can_ask_for_an_observation_by_a_leader_trainer(world, scene):
    accredit(world.supervisor2, world.association)
    accredit(world.supervisor, world.association)
    by_supervisor = _assigned(world, scene, observer=world.supervisor, status="supervisor")
    observation.sign_report(world.supervisor, world.association.id, by_supervisor.id, GOOD)
    db.session.commit()
    assert _progress(world, SATISFACTORY_RULES) == (MET, MET)
    assert _progress(world, BY_A_LEADER_TRAINER) == (NOT_MET, NOT_MET)
    by_trainer = _assigned(world, scene, held_on=date(2025, 3, 20))
    observation.sign_report(world.supervisor2, world.association.id, by_trainer.id, GOOD)
    db.session.commit()
    assert _progress(world, BY_A_LEADER_TRAINER) == (MET, MET)


def test_only_the_observer_signs_and_only_after_the_session(world, scene):
    accredit(world.supervisor2, world.association)
    report = _assigned(world, scene)
    a = world.association.id
    for reader in (world.trainee, world.admin, world.supervisor):
        with pytest.raises(Forbidden):
            observation.sign_report(reader, a, report.id, GOOD)
    with pytest.raises(NotFound):
        observation.sign_report(world.trainee2, a, report.id, GOOD)
    with pytest.raises(NotFound):
        observation.sign_report(world.other_admin, world.other.id, report.id, GOOD)
    ahead = _assigned(world, scene, held_on=date.today().replace(year=date.today().year + 1))
    with pytest.raises(InvalidState):
        observation.sign_report(world.supervisor2, a, ahead.id, GOOD)


def test_an_unaccredited_observer_cannot_sign_and_nothing_is_written(world, scene):
    report = _assigned(world, scene)
    with pytest.raises(InvalidState, match="accreditation"):
        observation.sign_report(world.supervisor2, world.association.id, report.id, GOOD)
    assert db.session.scalar(sa.select(sa.func.count(Observation.id))) == 0


def test_the_rubric_outcome_and_narrative_are_checked_by_field(world, scene):
    accredit(world.supervisor2, world.association)
    report = _assigned(world, scene)
    with pytest.raises(ValidationError) as refused:
        observation.sign_report(
            world.supervisor2,
            world.association.id,
            report.id,
            ReportInput(
                ratings={"C1": 6, "C11": 2}, evidence={"C2": "Saw it."}, outcome="fine", narrative=" "
            ),
        )
    assert {"rating_C1", "rating_C11", "rating_C2", "outcome", "narrative"} <= set(refused.value.fields)
    with pytest.raises(ValidationError) as refused:
        observation.sign_report(
            world.supervisor2,
            world.association.id,
            report.id,
            ReportInput(outcome="satisfactory", narrative="Ok."),
        )
    assert "ratings" in refused.value.fields


def test_identifying_details_in_the_evidence_need_confirming(world, scene):
    accredit(world.supervisor2, world.association)
    report = _assigned(world, scene)
    leaky = ReportInput(
        GOOD.ratings,
        {**GOOD.evidence, "C3": "The presenter rang me on 0171 555 0199 after."},
        "satisfactory",
        GOOD.narrative,
    )
    with pytest.raises(PrivacyWarning):
        observation.sign_report(world.supervisor2, world.association.id, report.id, leaky)
    signed = observation.sign_report(
        world.supervisor2, world.association.id, report.id, leaky, privacy_confirmed=True
    )
    assert signed.is_signed


def test_a_signed_report_cannot_be_changed_or_deleted_even_in_sql(world, scene):
    accredit(world.supervisor2, world.association)
    report = _assigned(world, scene)
    unsigned = _assigned(world, scene, held_on=date(2025, 3, 20))
    with db.engine.begin() as connection:  # an unsigned assignment may still change
        connection.execute(
            sa.update(ObservationReport)
            .where(ObservationReport.id == unsigned.id)
            .values(observer_status="supervisor")
        )
    observation.sign_report(world.supervisor2, world.association.id, report.id, GOOD)
    db.session.commit()
    for statement in (
        sa.update(ObservationReport)
        .where(ObservationReport.id == report.id)
        .values(outcome="needs-development"),
        sa.delete(ObservationReport).where(ObservationReport.id == report.id),
    ):
        with (
            pytest.raises(sa.exc.DatabaseError, match="a signed report is final"),
            db.engine.begin() as connection,
        ):
            connection.execute(statement)


def test_the_observer_trainee_their_supervisor_and_admins_read_it_nobody_else(world, scene, make_user):
    report = _assigned(world, scene)
    a = world.association.id
    for reader in (world.trainee, world.supervisor, world.supervisor2, world.admin):
        assert observation.get_report(reader, a, report.id) == report
    for outsider in (world.trainee2,):
        with pytest.raises(NotFound):
            observation.get_report(outsider, a, report.id)
    with pytest.raises(NotFound):
        observation.get_report(world.other_admin, world.other.id, report.id)


def test_the_pages_ask_sign_and_show_the_report(world, scene, client):
    accredit(world.supervisor2, world.association)
    session = plan(world, scene.group)
    db.session.commit()
    client.login("trainee@x.test")
    page = client.get(f"/groups/sessions/{session.id}").get_data(as_text=True)
    assert "Ask for an observer" in page
    url = f"/groups/sessions/{session.id}/observation"
    asked = client.submit(
        url,
        {
            "trainee_id": str(world.trainee.id),
            "observer_id": str(world.supervisor2.id),
            "observer_status": "leader-trainer",
        },
    )
    assert asked.status_code == 302
    report = db.session.scalar(sa.select(ObservationReport))
    client.logout()

    client.login("sup2@x.test")
    form = f"/groups/observations/{report.id}/sign"
    typed = {
        "rating_C1": "4",
        "evidence_C1": "Kept time and the frame.",
        "outcome": "satisfactory",
        "narrative": "Held the group steadily through a difficult case.",
    }
    unconfirmed = client.submit(form, typed)
    assert unconfirmed.status_code == 200 and "cannot be changed" in unconfirmed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ObservationReport, report.id).signed_at is None
    signed = client.submit(form, {**typed, "is_final": "y"})
    assert signed.status_code == 302
    shown = client.get(signed.headers["Location"]).get_data(as_text=True)
    assert "Kept time and the frame." in shown and "Satisfactory" in shown and "Leader trainer" in shown
    assert client.post(form, data={}).status_code == 400  # no CSRF token: refused


def test_where_observing_asks_for_a_level_an_observer_without_it_on_the_day_is_refused(world, scene):
    from app.statuslevels import services as levels

    levels.set_permission(world.admin, world.association.id, "observe", ["training-leader"])
    levels.grant(world.admin, world.association.id, world.supervisor2.id, "training-leader", date(2025, 4, 1))
    db.session.commit()
    with pytest.raises(ValidationError) as refused:  # the session is before the level began
        _assigned(world, scene, held_on=date(2025, 3, 6))
    message = refused.value.fields["observer_id"][0]
    assert world.supervisor2.name in message and "Training leader" in message
    db.session.rollback()
    report = _assigned(world, scene, held_on=date(2025, 4, 1))
    assert report.observer_id == world.supervisor2.id
