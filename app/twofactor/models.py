"""Second factors: an authenticator app, recovery codes, passkeys, remembered devices,
and an association's rule that its admins and supervisors must use one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["AssociationSecurity", "Passkey", "RecoveryCode", "RememberedDevice", "TotpCredential"]


class TotpCredential(db.Model):
    """A person's authenticator-app secret; in force once ``confirmed_at`` is set.

    The secret has to be readable by the server to compute codes (unlike a password,
    it cannot be stored as a one-way hash). ``last_step`` is the 30-second time step of
    the last accepted code, so the same code cannot be used twice.
    """

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_step: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def __repr__(self) -> str:
        return f"<TotpCredential user={self.user_id} confirmed={self.is_confirmed}>"


class RecoveryCode(db.Model):
    """One single-use recovery code, stored as a password hash; shown to its owner once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RememberedDevice(db.Model):
    """A browser that may skip the second factor until ``expires_at``.

    Its cookie carries a random token signed with the app key; the row holds the
    token's hash, so deleting the row (forgetting the device) makes the cookie useless.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<RememberedDevice {self.id} user={self.user_id}>"


class Passkey(db.Model):
    """A WebAuthn credential: a second factor, or a way in without a password."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)  # base64url
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Passkey {self.id} {self.name!r}>"


class AssociationSecurity(db.Model):
    """An association's sign-in rules (kept beside the association, one row at most)."""

    association_id: Mapped[int] = mapped_column(
        ForeignKey("association.id", ondelete="CASCADE"), primary_key=True
    )
    requires_two_factor: Mapped[bool] = mapped_column(Boolean, default=False)
