"""The supervisor's competency report: drafted, then signed and final."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.privacy.guard import guard_free_text
from app.programmes.models import Enrolment
from app.programmes.services import get_enrolment
from app.requirements.models import CompetencyReport, Recommendation, ReportStatus
from app.requirements.services import parsed

RATING_RANGE = range(1, 6)


def require_assigned_supervisor(actor: User, enrolment: Enrolment) -> None:
    if not (
        policy.is_supervisor(actor, enrolment.association_id)
        and any(s.id == actor.id for s in enrolment.supervisors)
    ):
        raise Forbidden(_("Only a supervisor assigned to this trainee writes their reports."))


def competencies_for(enrolment: Enrolment):
    return parsed(enrolment.rule_set).competencies


def _validate(enrolment, kind, period_start, period_end, ratings, recommendation) -> dict[str, int]:
    fields: dict[str, list[str]] = {}
    if kind not in ("periodic", "final"):
        fields["kind"] = [_("Choose periodic or final.")]
    if recommendation not in {r.value for r in Recommendation}:
        fields["recommendation"] = [_("Choose a recommendation.")]
    if period_end > dt.date.today():
        fields["period_end"] = [_("The period cannot end in the future.")]
    if period_start and period_start > period_end:
        fields["period_start"] = [_("The period must start before it ends.")]
    clean = {}
    for competency in competencies_for(enrolment):
        value = ratings.get(competency.id)
        if value not in RATING_RANGE:
            fields[f"rating_{competency.id}"] = [_("Rate from 1 to 5.")]
        else:
            clean[competency.id] = int(value)
    if fields:
        raise ValidationError(_("Please correct the marked fields."), fields=fields)
    return clean


def save_report(
    actor: User,
    enrolment_id: int,
    *,
    report_id: int | None = None,
    kind: str,
    period_start: dt.date | None,
    period_end: dt.date,
    ratings: dict[str, int],
    narrative: str,
    recommendation: str,
    is_reviewed_with_trainee: bool = False,
    privacy_confirmed: bool = False,
) -> CompetencyReport:
    """Create or update a draft report by an assigned supervisor."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_assigned_supervisor(actor, enrolment)
    clean = _validate(enrolment, kind, period_start, period_end, ratings, recommendation)
    # Checked before anything is added to the session, so a warning leaves no half-made row.
    guard_free_text(
        {"narrative": narrative},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=enrolment,
        association_id=enrolment.association_id,
        known_names=[enrolment.trainee.name],
    )
    if report_id is None:
        report = CompetencyReport(
            association_id=enrolment.association_id, enrolment_id=enrolment.id, supervisor_id=actor.id
        )
        db.session.add(report)
    else:
        report = get_report(actor, report_id)
        if report.enrolment_id != enrolment.id:
            raise NotFound(_("No such report."))
        if report.is_signed:
            raise InvalidState(_("A signed report is final and cannot be changed."))
        if report.supervisor_id != actor.id:
            raise Forbidden(_("Only the report's author can change it."))
    report.kind, report.period_start, report.period_end = kind, period_start, period_end
    report.ratings, report.narrative, report.recommendation = clean, narrative.strip(), recommendation
    report.is_reviewed_with_trainee = is_reviewed_with_trainee
    db.session.flush()
    record("report.saved", report, actor=actor, kind=kind, recommendation=recommendation)
    return report


def content_of(report: CompetencyReport) -> str:
    return json.dumps(
        {
            "enrolment_id": report.enrolment_id,
            "supervisor_id": report.supervisor_id,
            "kind": report.kind,
            "period_start": report.period_start.isoformat() if report.period_start else None,
            "period_end": report.period_end.isoformat(),
            "ratings": report.ratings,
            "narrative": report.narrative,
            "recommendation": report.recommendation,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def sign_report(actor: User, report_id: int) -> CompetencyReport:
    """Sign a draft: it becomes final, with a hash of what was signed."""
    report = get_report(actor, report_id)
    if report.supervisor_id != actor.id:
        raise Forbidden(_("Only the report's author signs it."))
    require_assigned_supervisor(actor, report.enrolment)
    updated = db.session.execute(
        CompetencyReport.__table__.update()
        .where(CompetencyReport.id == report.id, CompetencyReport.status == ReportStatus.DRAFT.value)
        .values(
            status=ReportStatus.SIGNED.value,
            signed_at=utcnow(),
            content_hash=hashlib.sha256(content_of(report).encode()).hexdigest(),
        )
    )
    if updated.rowcount != 1:
        raise InvalidState(_("This report is already signed."))
    db.session.refresh(report)
    record("report.signed", report, actor=actor, recommendation=report.recommendation)
    return report


def get_report(actor: User, report_id: int) -> CompetencyReport:
    report = db.session.get(CompetencyReport, report_id)
    if report is None or not policy.is_member(actor, report.association_id):
        raise NotFound(_("No such report."))
    enrolment = get_enrolment(actor, report.enrolment_id)
    if report.status == ReportStatus.DRAFT.value and enrolment.trainee_id == actor.id:
        raise NotFound(_("No such report."))  # trainees see reports once signed
    return report


def reports_of(actor: User, enrolment_id: int) -> list[CompetencyReport]:
    enrolment = get_enrolment(actor, enrolment_id)
    query = (
        select(CompetencyReport)
        .where(CompetencyReport.enrolment_id == enrolment.id)
        .options(selectinload(CompetencyReport.supervisor))
        .order_by(CompetencyReport.period_end.desc(), CompetencyReport.id.desc())
    )
    if enrolment.trainee_id == actor.id and not policy.is_admin(actor, enrolment.association_id):
        query = query.where(CompetencyReport.status == ReportStatus.SIGNED.value)
    return list(db.session.scalars(query))
