"""An evidence file (a signed attendance sheet, a workshop certificate) on a record or reflection.

The bytes live where logbook uploads live (``app.logbook.uploads``), under a random key;
the row says whose evidence it is. Exactly one of ``record_id`` and ``reflection_id`` is set.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["EvidenceAttachment"]


class EvidenceAttachment(db.Model):
    __tablename__ = "evidence_attachment"
    __table_args__ = (
        CheckConstraint(
            "(record_id IS NULL) != (reflection_id IS NULL)",
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("logbook_record.id"), index=True)
    reflection_id: Mapped[int | None] = mapped_column(ForeignKey("reflection.id"), index=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User] = relationship()

    @property
    def kind_label(self) -> str:
        return {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}.get(self.content_type, "")
