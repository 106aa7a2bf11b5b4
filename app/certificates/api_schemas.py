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
