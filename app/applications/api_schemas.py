"""Request and response models of the applications API (``app.applications.api``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from app.api.schemas import Id, ListQuery, Model, Strict
from app.applications.kinds import ApplicationStatus, Recommendation


class PanelMemberOut(Model):
    user_id: int
    name: str
    has_reviewed: bool


class PanelReviewOut(Model):
    reviewer_id: int
    name: str
    recommendation: Recommendation
    reasons: str
    recorded_at: dt.datetime


class ApplicationOut(Model):
    """An application as the caller may see it: the applicant does not see the recommendations."""

    id: int
    enrolment_id: int
    trainee_id: int
    trainee_name: str
    status: ApplicationStatus
    applied_on: dt.date
    statement: str
    rule_set_version: int
    was_ready: bool
    portfolio_sha256: str | None = Field(
        description="SHA-256 of the stored portfolio PDF; null while a job prepares it"
    )
    snapshot: dict[str, Any] = Field(description="The requirements as evaluated on the day of application")
    panel: list[PanelMemberOut]
    reviews: list[PanelReviewOut]
    decision: Recommendation | None
    decision_reasons: str
    deferral_actions: str
    deferred_until: dt.date | None
    decided_at: dt.datetime | None
    decided_by_id: int | None
    signature_sha256: str | None
    certificate_id: int | None


class ApplicationList(Model):
    items: list[ApplicationOut]
    next_cursor: str | None


class ApplicationQuery(ListQuery):
    status: ApplicationStatus | None = None


class ApplicationIn(Strict):
    enrolment_id: Id
    statement: str = Field(default="", max_length=4000)


class PanelMemberIn(Strict):
    user_id: Id


class PanelReviewIn(Strict):
    recommendation: Recommendation
    reasons: str = Field(max_length=4000)


class PanelDecisionIn(Strict):
    decision: Recommendation
    reasons: str = Field(max_length=4000)
    actions: str = Field(default="", max_length=4000)
    deferred_until: dt.date | None = None
    #: One of the association's status levels (its slug); none: the level accreditation grants.
    level: str | None = Field(default=None, max_length=40)
