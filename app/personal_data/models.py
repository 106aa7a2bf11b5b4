"""Erasure requests: a person asks, each association they belong to decides."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Association, User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["ErasureRequest", "ErasureStatus"]


class ErasureStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class ErasureRequest(db.Model):
    """One person's request to one association to erase what it holds about them.

    Each association is its own controller of the records it keeps, so each decides for
    itself; the account goes once no association keeps the person as a member."""

    __table_args__ = (CheckConstraint("status IN ('pending', 'approved', 'declined')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ErasureStatus.PENDING.value)
    reason: Mapped[str] = mapped_column(String(2000), default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(String(2000), default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    association: Mapped[Association] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status == ErasureStatus.PENDING

    def __repr__(self) -> str:
        return f"<ErasureRequest {self.id} user={self.user_id} {self.status}>"
