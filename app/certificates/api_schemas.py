"""Request and response models of the certificates' own API operations (``app.certificates.api``).

The register, issuing, revocation and verification operations are older and live in
``app.api.resources_work``; their models are in ``app.api.schemas``.
"""

from __future__ import annotations

import datetime as dt

from app.api.schemas import Model

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
