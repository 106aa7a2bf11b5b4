"""API access tokens and the stored answers that make repeated writes idempotent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Association, User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["ApiToken", "IdempotencyRecord"]

SCOPE_READ = "read"
SCOPE_WRITE = "read write"
SCOPES = (SCOPE_READ, SCOPE_WRITE)


class ApiToken(db.Model):
    """A bearer token. Only the SHA-256 of the secret is kept; the secret is shown once.

    A personal token acts as its user in any of their associations; a service token
    (``association_id`` set) is made by an admin and acts only inside that association.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    association_id: Mapped[int | None] = mapped_column(ForeignKey("association.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(20), default=SCOPE_READ)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    association: Mapped[Association | None] = relationship()

    @property
    def is_service(self) -> bool:
        return self.association_id is not None

    @property
    def can_write(self) -> bool:
        return self.scope == SCOPE_WRITE

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r}>"


class IdempotencyRecord(db.Model):
    """The first answer to a POST with an ``Idempotency-Key``, replayed for 24 hours.

    Keyed by the person and the association they acted in: the same key sent while
    acting in another association is a different request, never a replay."""

    __table_args__ = (UniqueConstraint("user_id", "association_id", "key", "endpoint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    endpoint: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<IdempotencyRecord {self.key!r} {self.endpoint}>"
