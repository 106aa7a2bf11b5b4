"""In-app notifications: what happened to a person's records, kept until they read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Association, User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["Notification"]


class Notification(db.Model):
    """One message to one person in one association, with a link to what it is about."""

    __table_args__ = (
        # The unread badge on every page counts by exactly these columns.
        Index("ix_notification_unread", "user_id", "association_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"))
    message: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(500), default="")  # a path inside the app
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    association: Mapped[Association] = relationship()

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification to={self.user_id} {self.message[:40]!r}>"
