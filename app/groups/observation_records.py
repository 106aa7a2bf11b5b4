"""The trainee's logbook observation that a signed observation report stands for.

An observer may already have logged what they saw by hand in the trainee's logbook (the
way observations were recorded before reports). If the same observer then signed a
report on a session of that day, a second observation would be written and rule sets
would count one observation twice. So the report takes over the one logged by hand: an
unsigned one is rewritten from the report, submitted and signed; a signed one is final,
so the report links to it when their outcomes agree and is stopped (with a message on
the outcome) when they do not. Another observer's observation of the same day is a
second observation in its own right and is left alone.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.extensions import db
from app.groups.models import GroupSession, ObservationReport
from app.logbook import records, signoff
from app.logbook.kinds import ObservationOutcome, RecordStatus
from app.logbook.labels import label
from app.logbook.models import LogbookRecord, Observation
from app.logbook.validation import ObservationInput, Problems
from app.programmes.models import Enrolment, EnrolmentStatus


def hand_logged(observer_id: int, enrolment_id: int, session: GroupSession) -> Observation | None:
    """The observer's observation of this enrolment on the session's day that no report
    stands for yet and no correction has replaced; a signed one first."""
    correction = aliased(LogbookRecord)
    return db.session.scalar(
        select(Observation)
        .where(
            Observation.enrolment_id == enrolment_id,
            Observation.observer_id == observer_id,
            Observation.occurred_on == session.held_on,
            Observation.id.not_in(
                select(ObservationReport.record_id).where(ObservationReport.record_id.is_not(None))
            ),
            ~exists().where(correction.supersedes_id == Observation.id),
        )
        .order_by((Observation.status == RecordStatus.SIGNED.value).desc(), Observation.id)
        .limit(1)
    )


def hand_logged_for(report: ObservationReport) -> Observation | None:
    """What signing this (unsigned) report would take over, for the observer to see first."""
    enrolment_id = db.session.scalar(
        select(Enrolment.id)
        .where(
            Enrolment.trainee_id == report.trainee_id,
            Enrolment.association_id == report.association_id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .order_by(Enrolment.started_on.desc(), Enrolment.id.desc())
        .limit(1)
    )
    return hand_logged(report.observer_id, enrolment_id, report.session) if enrolment_id else None


def record_for_report(
    actor: User, association_id: int, enrolment: Enrolment, session: GroupSession, data: ObservationInput
) -> Observation:
    """The signed logbook observation for a report being signed: the one the observer
    logged by hand for that day, taken over, or a new one."""
    existing = hand_logged(actor.id, enrolment.id, session)
    if existing is None:
        # The logbook's own services, in the observer's name: written, submitted and
        # signed by its observer, and counted by rule sets like any other observation.
        record = records.create_record(
            actor, association_id, enrolment.id, data, privacy_confirmed=True, submit=True
        )
    elif existing.status == RecordStatus.SIGNED:
        if existing.outcome != data.outcome:
            problems = Problems()
            problems.add(
                "outcome",
                _(
                    "You signed an observation of this trainee on that day in their logbook, "
                    "with the outcome %(outcome)s. The report stands for the same observation: "
                    "give the same outcome, or ask an admin to reopen that record.",
                    outcome=label(ObservationOutcome, existing.outcome),
                ),
            )
            problems.raise_if_any()
        return existing
    else:
        if existing.status == RecordStatus.SUBMITTED:
            signoff.return_record(
                actor,
                association_id,
                existing.id,
                _("Replaced by the observation report on the session of this day."),
            )
        record = records.update_record(
            actor, association_id, existing.id, data, privacy_confirmed=True, submit=True
        )
    signoff.sign(actor, association_id, record.id)
    return record
