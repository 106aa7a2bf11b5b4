"""Request and response models of the certificates' own API operations (``app.certificates.api``).

The OpenAPI document is generated from these classes; the shared bases are the API
machinery's (``app.api.schemas``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.api.schemas import Model, Strict


class BatchUndoOut(Model):
    """A batch undone: the serials revoked as issued in error (those still valid then)."""

    batch_id: int
    undone_at: dt.datetime
    revoked: list[str]


class PeriodQuery(Strict):
    start: dt.date = Field(description="First day of the period (issue date), included")
    end: dt.date = Field(description="Last day of the period (issue date), included")
    format: Literal["zip", "pdf"] = Field("zip", description="One ZIP of PDFs, or one merged PDF")


class SuspendIn(Strict):
    """Why the certificate is held back: kept for the association, never public."""

    reason: str = Field(min_length=1, max_length=2000)
    privacy_confirmed: bool = False


class LiftSuspensionIn(Strict):
    """How the matter was settled: kept for the association, never public."""

    note: str = Field(min_length=1, max_length=2000)
    privacy_confirmed: bool = False


class SuspensionOut(Model):
    suspended_at: dt.datetime
    suspended_by_id: int
    reason: str
    lifted_at: dt.datetime | None
    lifted_by_id: int | None
    lift_note: str


class CertificateStatusOut(Model):
    """A certificate's status as a verifier is told it today, with its suspensions."""

    id: int
    serial: str
    status: str = Field(
        description="valid, expired, revoked, superseded, suspended, or could_not_check "
        "(the status lists cannot speak for it: never read as valid)"
    )
    suspended_since: dt.datetime | None
    suspensions: list[SuspensionOut] = Field(description="Oldest first")


# --- renewal ----------------------------------------------------------------------------


class RenewalRequirementOut(Model):
    """One renewal requirement's outcome, in its own unit (sessions, hours, ...)."""

    id: str
    label: str
    level: str
    status: str
    current: float
    required: float
    unit: str
    missing: str


class RenewalOut(Model):
    """Where a certificate stands for renewal. `rules` is null when its programme names no
    renewal rules; `refusal` says why an admin could not renew it today (null: they can)."""

    certificate_id: int
    serial: str
    first_awarded_on: dt.date
    issued_on: dt.date
    expires_on: dt.date | None
    renewable_until: dt.date | None
    rules: str | None
    period_start: dt.date
    period_end: dt.date | None
    is_met: bool
    refusal: str | None
    requirements: list[RenewalRequirementOut]
