"""The attesting document of an import of earlier training, stored once and shared by its records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["ImportDocument"]


class ImportDocument(db.Model):
    """A PDF, PNG or JPEG an admin attached to an import: what vouches for the records it brought in.

    The bytes live where logbook uploads live (``app.logbook.uploads``), under a random key.
    Each imported record names it (``LogbookRecord.import_document_id``); who may see a record
    may download its document.
    """

    __tablename__ = "import_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    attested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attested_by: Mapped[User] = relationship()

    @property
    def kind_label(self) -> str:
        return {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}.get(self.content_type, "")

    def __repr__(self) -> str:
        return f"<ImportDocument {self.id} {self.name}>"
