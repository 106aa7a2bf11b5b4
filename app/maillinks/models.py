"""A one-time link e-mailed to a verifier: the item it opens, whom it acts for, and its state."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db


class LinkPurpose(StrEnum):
    SIGN_RECORD = "sign-record"  # sign or return a submitted logbook record
    REVIEW_REFLECTION = "review-reflection"  # accept, or request a revision of, a reflection
    CONFIRM_SESSION = "confirm-session"  # the named co-leader confirms a session


class MailLink(db.Model):
    """Only the SHA-256 of the token is kept: the database alone opens nothing.

    ``fingerprint`` is the item's content as it stood when the link was sent; a link whose
    item has changed since is refused, so nobody signs what they were not shown.
    """

    __tablename__ = "mail_link"
    __table_args__ = (
        CheckConstraint(
            "purpose IN ('sign-record', 'review-reflection', 'confirm-session')", name="purpose_known"
        ),
        Index("ix_mail_link_item", "purpose", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)  # the verifier it acts for
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # whose submission sent it
    purpose: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > utcnow()

    def __repr__(self) -> str:
        return f"<MailLink {self.id} {self.purpose} {self.object_id}>"
