"""The one draft of a programme's next rule-set version, kept between the editor's forms.

A draft is YAML like every version (the storage and exchange format); it is not a
version: nobody is judged by it until an admin publishes it, which stores it as a new
``RuleSet`` and deletes the draft.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class RuleSetDraft(db.Model):
    """A programme's draft: at most one, started from the current version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), unique=True)
    #: The version the draft was started from (None for a programme without one).
    base_version: Mapped[int | None] = mapped_column(Integer)
    source_yaml: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    def __repr__(self) -> str:
        return f"<RuleSetDraft programme={self.programme_id}>"
