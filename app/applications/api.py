"""API operations of applications for accreditation, on the API blueprint of ``app.api.core``:
list and read applications, apply, name the panel, recommend, decide.

Each calls the same service as the pages, so the API refuses and allows exactly what they do.
"""

from __future__ import annotations

from app.api.core import current_association_id, current_user, cursor_query, operation
from app.applications import api_schemas as s
from app.applications import services
from app.applications.models import AccreditationApplication


def application_out(application: AccreditationApplication) -> dict:
    user = current_user()
    sees_reviews = services.sees_reviews(user, application)
    return {
        "id": application.id,
        "enrolment_id": application.enrolment_id,
        "trainee_id": application.trainee_id,
        "trainee_name": application.trainee.name,
        "status": application.status,
        "applied_on": application.applied_on,
        "statement": application.statement,
        "rule_set_version": application.rule_set_version,
        "was_ready": application.was_ready,
        "portfolio_sha256": application.portfolio_sha256,
        "snapshot": application.snapshot,
        "panel": [
            {
                "user_id": m.user_id,
                "name": m.user.name,
                "has_reviewed": application.review_by(m.user_id) is not None,
            }
            for m in application.panel
        ],
        "reviews": [
            {
                "reviewer_id": r.reviewer_id,
                "name": r.reviewer.name,
                "recommendation": r.recommendation,
                "reasons": r.reasons,
                "recorded_at": r.recorded_at,
            }
            for r in application.reviews
        ]
        if sees_reviews
        else [],
        "decision": application.decision,
        "decision_reasons": application.decision_reasons,
        "deferral_actions": application.deferral_actions,
        "deferred_until": application.deferred_until,
        "decided_at": application.decided_at,
        "decided_by_id": application.decided_by_id,
        "signature_sha256": application.signature_sha256,
        "certificate_id": application.certificate_id,
    }


def _reload(application_id: int) -> dict:
    return application_out(services.get_application(current_user(), current_association_id(), application_id))


@operation(
    "/applications",
    "GET",
    summary="Applications for accreditation the caller may read",
    tag="applications",
    query=s.ApplicationQuery,
    response=s.ApplicationList,
)
def list_applications(query: s.ApplicationQuery):
    """Admins see every application; trainees their own; panel members those they sit on."""
    stmt = services.applications_query(current_user(), current_association_id())
    if query.status:
        stmt = stmt.where(AccreditationApplication.status == query.status)
    page = cursor_query(stmt, AccreditationApplication.id, query.cursor, query.limit)
    return {"items": [application_out(a) for a in page["items"]], "next_cursor": page["next_cursor"]}


@operation(
    "/applications/<int:application_id>",
    "GET",
    summary="One application",
    tag="applications",
    response=s.ApplicationOut,
)
def get_accreditation_application(application_id: int):
    return _reload(application_id)


@operation(
    "/applications",
    "POST",
    summary="Apply for accreditation (the trainee)",
    tag="applications",
    body=s.ApplicationIn,
    response=s.ApplicationOut,
    status=201,
    is_idempotent=True,
)
def apply_for_accreditation(body: s.ApplicationIn):
    """Freezes the progress snapshot and the portfolio PDF; a second open application is a conflict (409)."""
    application = services.apply(
        current_user(), current_association_id(), body.enrolment_id, statement=body.statement
    )
    return _reload(application.id)


@operation(
    "/applications/<int:application_id>/panel",
    "POST",
    summary="Name a panel member (admins)",
    tag="applications",
    body=s.PanelMemberIn,
    response=s.ApplicationOut,
)
def add_application_panel_member(application_id: int, body: s.PanelMemberIn):
    services.add_panel_member(current_user(), current_association_id(), application_id, body.user_id)
    return _reload(application_id)


@operation(
    "/applications/<int:application_id>/reviews",
    "POST",
    summary="Record one's recommendation (panel members)",
    tag="applications",
    body=s.PanelReviewIn,
    response=s.ApplicationOut,
    status=201,
)
def record_application_review(application_id: int, body: s.PanelReviewIn):
    """One per panel member, final once recorded (a second is 409)."""
    services.record_review(
        current_user(), current_association_id(), application_id, body.recommendation.value, body.reasons
    )
    return _reload(application_id)


@operation(
    "/applications/<int:application_id>/decision",
    "POST",
    summary="Record the panel's signed, final decision (admins)",
    tag="applications",
    body=s.PanelDecisionIn,
    response=s.ApplicationOut,
)
def decide_application(application_id: int, body: s.PanelDecisionIn):
    """Accredit issues the certificate and confers the status level; defer needs actions and a date."""
    services.decide(
        current_user(),
        current_association_id(),
        application_id,
        decision=body.decision.value,
        reasons=body.reasons,
        actions=body.actions,
        deferred_until=body.deferred_until,
        level=body.level,
    )
    return _reload(application_id)
