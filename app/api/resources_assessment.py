"""API operations for assessment: the supervisor's competency reports, and the
association's decisions on requirements (waivers and manual items)."""

from __future__ import annotations

from app.api import schemas as s
from app.api.core import current_user, in_acting_association, operation, page_of
from app.programmes.services import get_enrolment
from app.requirements import reports
from app.requirements import services as requirements

# --- supervisor reports ---------------------------------------------------------------


@operation(
    "/enrolments/<int:enrolment_id>/reports",
    "GET",
    summary="Supervisor reports on an enrolment",
    tag="reports",
    query=s.ListQuery,
    response=s.ReportList,
)
def list_reports(enrolment_id: int, query: s.ListQuery):
    """Newest first. Trainees see signed reports only."""
    in_acting_association(get_enrolment(current_user(), enrolment_id).association_id)
    items = reports.reports_of(current_user(), enrolment_id)
    return page_of(items, query.cursor, query.limit, descending=True)


def _save(enrolment_id: int, body: s.ReportIn, report_id: int | None = None):
    return reports.save_report(
        current_user(),
        enrolment_id,
        report_id=report_id,
        kind=body.kind,
        period_start=body.period_start,
        period_end=body.period_end,
        ratings=body.ratings,
        evidence=body.evidence,
        narrative=body.narrative,
        recommendation=body.recommendation,
        is_reviewed_with_trainee=body.is_reviewed_with_trainee,
        privacy_confirmed=body.privacy_confirmed,
    )


@operation(
    "/enrolments/<int:enrolment_id>/reports",
    "POST",
    summary="Write a draft report (an assigned supervisor)",
    tag="reports",
    body=s.ReportIn,
    response=s.ReportOut,
    status=201,
    is_idempotent=True,
)
def create_report(enrolment_id: int, body: s.ReportIn):
    """The narrative goes through the privacy guard (422 `privacy_warning`)."""
    in_acting_association(get_enrolment(current_user(), enrolment_id).association_id)
    return _save(enrolment_id, body)


@operation("/reports/<int:report_id>", "GET", summary="One report", tag="reports", response=s.ReportOut)
def get_report(report_id: int):
    report = reports.get_report(current_user(), report_id)
    in_acting_association(report.association_id)
    return report


@operation(
    "/reports/<int:report_id>",
    "PUT",
    summary="Change a draft report (its author)",
    tag="reports",
    body=s.ReportIn,
    response=s.ReportOut,
)
def update_report(report_id: int, body: s.ReportIn):
    """A signed report is final: changing it is a conflict (409)."""
    report = reports.get_report(current_user(), report_id)
    in_acting_association(report.association_id)
    return _save(report.enrolment_id, body, report.id)


@operation(
    "/reports/<int:report_id>/signature",
    "POST",
    summary="Sign a draft report (its author); it is final from then on",
    tag="reports",
    response=s.ReportOut,
)
def sign_report(report_id: int):
    in_acting_association(reports.get_report(current_user(), report_id).association_id)
    return reports.sign_report(current_user(), report_id)


@operation(
    "/reports/<int:report_id>/acknowledgement",
    "POST",
    summary="Acknowledge a signed report, with an optional comment (its trainee, once)",
    tag="reports",
    body=s.AcknowledgementIn,
    response=s.ReportOut,
    status=201,
)
def acknowledge_report(report_id: int, body: s.AcknowledgementIn):
    """The signed report is not changed; the acknowledgement is kept beside it."""
    in_acting_association(reports.get_report(current_user(), report_id).association_id)
    acknowledgement = reports.acknowledge_report(
        current_user(), report_id, comment=body.comment, privacy_confirmed=body.privacy_confirmed
    )
    return acknowledgement.report


# --- decisions on requirements -------------------------------------------------------------


@operation(
    "/enrolments/<int:enrolment_id>/decisions",
    "GET",
    summary="Waivers and manual decisions on an enrolment's requirements",
    tag="enrolments",
    query=s.ListQuery,
    response=s.DecisionList,
)
def list_decisions(enrolment_id: int, query: s.ListQuery):
    """Newest first; the newest decision on a requirement is the one that holds."""
    in_acting_association(get_enrolment(current_user(), enrolment_id).association_id)
    items = requirements.decisions_of(current_user(), enrolment_id)
    return page_of(items, query.cursor, query.limit, descending=True)


@operation(
    "/enrolments/<int:enrolment_id>/decisions",
    "POST",
    summary="Waive a requirement, decide a manual one, or withdraw a decision (admins)",
    tag="enrolments",
    body=s.DecisionIn,
    response=s.DecisionOut,
    status=201,
    is_idempotent=True,
)
def decide(enrolment_id: int, body: s.DecisionIn):
    """Every decision needs a reason and is kept in the audit trail."""
    user = current_user()
    in_acting_association(get_enrolment(user, enrolment_id).association_id)
    if body.decision == "waived":
        return requirements.waive(user, enrolment_id, body.requirement_id, body.reason)
    if body.decision == "withdrawn":
        return requirements.withdraw_decision(user, enrolment_id, body.requirement_id, body.reason)
    return requirements.decide_manual(
        user, enrolment_id, body.requirement_id, is_met=body.decision == "met", reason=body.reason
    )
