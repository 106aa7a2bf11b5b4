"""People, the associations they belong to, and the tokens that let them in."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.programmes.models import Programme


class Role(enum.StrEnum):
    """What a membership lets a person do inside one association."""

    TRAINEE = "trainee"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_VALUES = tuple(role.value for role in Role)


class Association(db.Model):
    """An accrediting body (a national Balint society): the tenant boundary."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    serial_prefix: Mapped[str] = mapped_column(String(8))  # e.g. BSUK in BSUK-2026-00042-K
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="")
    # Certificate design (edited in the certificates settings): 'A4' or 'Letter', and the
    # SHA-256 of an uploaded logo kept in app.storage (None: the bundled seal).
    certificate_page_size: Mapped[str] = mapped_column(String(10), default="A4", server_default="A4")
    certificate_logo_sha256: Mapped[str | None] = mapped_column(String(64))
    # The association's LinkedIn organisation id (digits), so "Add to LinkedIn profile"
    # links the certification to its LinkedIn page; None: LinkedIn shows the name only.
    linkedin_organization_id: Mapped[str | None] = mapped_column(String(20))
    # Drafts and unsigned records untouched for this many years are deleted by the
    # retention job (None: kept until someone deletes them).
    retention_years: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Association {self.slug}>"


class User(UserMixin, db.Model):
    """One person, one login, whatever number of associations they belong to."""

    # Lists of people sort by name, case aside: with this index a page of the admin's
    # cohort reads its fifty trainees in name order instead of sorting 10,000 (issue 14).
    __table_args__ = (Index("ix_user_name_lower", func.lower(text("name"))).ddl_if(dialect="postgresql"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the person's data was erased: the row stays as a pseudonym that the
    # records an association must keep still point to.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login asks this on every request
        return self.is_enabled

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(db.Model):
    """One role of one person in one association; a person may hold several."""

    __table_args__ = (
        UniqueConstraint("user_id", "association_id", "role"),
        CheckConstraint(f"role IN {ROLE_VALUES!r}", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    association: Mapped[Association] = relationship()

    def __repr__(self) -> str:
        return f"<Membership user={self.user_id} association={self.association_id} {self.role}>"


#: The supervisors an invitation assigns when it also enrols the invitee on a programme.
invitation_supervisor = Table(
    "invitation_supervisor",
    db.metadata,
    Column("invitation_id", ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True),
    Column("supervisor_id", ForeignKey("user.id"), primary_key=True, index=True),
)


class Invitation(db.Model):
    """A one-time link that lets the holder of an e-mail address join an association.

    A trainee's invitation may also name a programme and supervisors: accepting it
    enrols the new trainee there, so the admin invites and enrols in one step.
    """

    __table_args__ = (CheckConstraint(f"role IN {ROLE_VALUES!r}", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"))

    association: Mapped[Association] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    programme: Mapped[Programme | None] = relationship()
    supervisors: Mapped[list[User]] = relationship(secondary=invitation_supervisor, order_by="User.name")

    def is_usable(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<Invitation {self.email} as {self.role}>"


class PasswordReset(db.Model):
    """A one-time link to set a new password, valid for a couple of hours."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginSession(db.Model):
    """A server-side record of one signed-in browser.

    The cookie only carries the random key; deleting the row ends the session, so a
    cookie replayed after logout, a password change or a disabled account is useless.
    """

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()
