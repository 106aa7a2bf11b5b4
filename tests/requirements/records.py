"""Inserting logbook records, reflections and scores directly, for requirement tests."""

from __future__ import annotations

import datetime as dt

from app.database import utcnow
from app.extensions import db
from app.learning.models import QuizAttempt
from app.logbook.models import Observation, SessionRecord, SupervisionRecord, TrainingEvent
from app.vignettes.models import Reflection


def _signature(status: str, signer_id: int, imported: bool = False) -> dict:
    if status != "signed":
        return {"status": status}
    # An imported record is stored signed, in the attesting admin's name (app.imports.training).
    return {
        "status": "signed",
        "signer_id": signer_id,
        "signed_at": utcnow(),
        "content_hash": "0" * 64,
        "is_imported": imported,
    }


def add_session(
    enrolment,
    day: dt.date,
    *,
    role="co-leader",
    status="signed",
    signer=None,
    mode="in-person",
    cases=2,
    minutes=90,
    setting_category="primary-care",
    supersedes=None,
    group_kind="ongoing",
    co_leader_accredited=False,
    imported=False,
    co_leader=None,
) -> SessionRecord:
    record = SessionRecord(
        association_id=enrolment.association_id,
        enrolment_id=enrolment.id,
        occurred_on=day,
        author_id=enrolment.trainee_id,
        role=role,
        minutes=minutes,
        mode=mode,
        group_kind=group_kind,
        setting_category=setting_category,
        setting="GP trainees",
        members=8,
        cases=cases,
        co_leader_name="" if co_leader else "Dr Co",
        co_leader_id=co_leader.id if co_leader else None,  # a user: their status levels are read
        is_co_leader_accredited=co_leader_accredited,
        supersedes_id=supersedes.id if supersedes else None,
        **_signature(status, signer.id if signer else enrolment.supervisors[0].id, imported),
    )
    db.session.add(record)
    db.session.flush()
    return record


def add_supervision(
    enrolment, day: dt.date, *, minutes=60, status="signed", mode="individual", imported=False
) -> SupervisionRecord:
    supervisor = enrolment.supervisors[0]
    record = SupervisionRecord(
        association_id=enrolment.association_id,
        enrolment_id=enrolment.id,
        occurred_on=day,
        author_id=enrolment.trainee_id,
        minutes=minutes,
        mode=mode,
        channel="in-person",
        supervisor_id=supervisor.id,
        **_signature(status, supervisor.id, imported),
    )
    db.session.add(record)
    db.session.flush()
    return record


def add_event(
    enrolment,
    day: dt.date,
    *,
    kind="leadership-workshop",
    days=2,
    status="signed",
    minutes=None,
    provider="Balint Society",
    imported=False,
) -> TrainingEvent:
    record = TrainingEvent(
        association_id=enrolment.association_id,
        enrolment_id=enrolment.id,
        occurred_on=day,
        ends_on=day + dt.timedelta(days=days - 1),
        author_id=enrolment.trainee_id,
        event_kind=kind,
        title="Leadership weekend",
        provider=provider,
        days=days,
        minutes=minutes,
        **_signature(status, enrolment.supervisors[0].id, imported),
    )
    db.session.add(record)
    db.session.flush()
    return record


def add_observation(enrolment, day: dt.date, observer, *, outcome="satisfactory") -> Observation:
    """An observation of the trainee leading, signed by its observer."""
    record = Observation(
        association_id=enrolment.association_id,
        enrolment_id=enrolment.id,
        occurred_on=day,
        author_id=observer.id,
        observer_id=observer.id,
        setting="Intensive, group 3",
        outcome=outcome,
        report="Held the frame; protected the presenter.",
        **_signature("signed", observer.id),
    )
    db.session.add(record)
    db.session.flush()
    return record


def add_accepted_reflection(enrolment, slug: str) -> Reflection:
    reflection = Reflection(
        association_id=enrolment.association_id,
        enrolment_id=enrolment.id,
        trainee_id=enrolment.trainee_id,
        vignette_slug=slug,
        content_version="test",
        version=1,
        status="accepted",
        answers={},
        submitted_at=utcnow(),
        reviewed_at=utcnow(),
        reviewer_id=enrolment.supervisors[0].id,
    )
    db.session.add(reflection)
    db.session.flush()
    return reflection


def add_final_score(enrolment, score: float) -> QuizAttempt:
    attempt = QuizAttempt(
        association_id=enrolment.association_id,
        trainee_id=enrolment.trainee_id,
        kind="final",
        question_ids=[],
        answers={},
        question_versions={},
        score_percent=score,
        is_passed=score >= 80,
        pass_mark=80,
        submitted_at=utcnow(),
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def add_application(enrolment, day: dt.date, *, decided_by=None):
    """An application for accreditation made on ``day`` (its date is a window anchor).

    Open unless ``decided_by`` is given: then declined, so a trainee can have an older
    decided application and a later one."""
    from app.applications.models import AccreditationApplication

    moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    application = AccreditationApplication(
        association_id=enrolment.association_id,
        enrolment_id=enrolment.id,
        trainee_id=enrolment.trainee_id,
        applied_on=day,
        applied_at=moment,
        rule_set_id=enrolment.rule_set_id,
        rule_set_version=1,
        snapshot_json="{}",
        portfolio_sha256="0" * 64,
    )
    if decided_by is not None:
        application.status = "declined"
        application.decision = "decline"
        application.decision_reasons = "Not yet."
        application.decided_at = moment + dt.timedelta(days=30)
        application.decided_by_id = decided_by.id
        application.signature_sha256 = "0" * 64
    db.session.add(application)
    db.session.flush()
    return application
