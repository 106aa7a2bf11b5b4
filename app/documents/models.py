"""A stored document: the exact bytes handed out, kept in the database.

Issued documents (a certificate's PDF and its signed credential; decision letters and
portfolios can use the same table) are rendered once, stored here and served as these
bytes ever after, so a download never depends on the renderer, the fonts or the
template of the day, and verifying a file compares its SHA-256 with ``sha256`` here.
No state on an app server's disk: two servers serve the same bytes.

Regenerating is a new row with the next ``version``; the previous row's
``superseded_by_id`` names it. Rows are never edited otherwise, nor deleted
(``app.documents.triggers``).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.documents import triggers
from app.extensions import db

__all__ = ["DocumentKind", "StoredDocument"]


class DocumentKind(enum.StrEnum):
    """What a stored document is; ``owner_id`` names a row of the owner's table."""

    CERTIFICATE_PDF = "certificate_pdf"  # owner: certificate
    CERTIFICATE_CREDENTIAL = "certificate_credential"  # owner: certificate
    APPLICATION_PORTFOLIO = "application_portfolio"  # owner: accreditation_application
    ATTENDANCE_PDF = "attendance_pdf"  # owner: attendance_confirmation
    DECISION_LETTER = "decision_letter"  # owner: accreditation_application


class StoredDocument(db.Model):
    __table_args__ = (UniqueConstraint("kind", "owner_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    owner_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    media_type: Mapped[str] = mapped_column(String(80))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Why this version was made ("issued", "regenerated: ...", "stored on first download").
    reason: Mapped[str] = mapped_column(Text, default="")
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("stored_document.id"), unique=True)

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    def __repr__(self) -> str:
        return f"<StoredDocument {self.kind} {self.owner_id} v{self.version}>"


# create_all installs the guard with the table; migration 0018 runs the same statements.
event.listen(StoredDocument.__table__, "after_create", triggers.install)
