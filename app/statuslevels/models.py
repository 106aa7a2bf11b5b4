"""Status levels as association data: the levels an association declares, who holds which
one when, and which levels each permission asks for.

An association declares its levels (``StatusLevelDefinition``: a slug rule sets name, a
label people read). A person holds a level over dated periods (``PersonStatusLevel``:
from ``since`` to ``until``, open-ended while ``until`` is empty); the panel's
accreditation grants one, an admin grants and ends them by hand. A permission (supervise,
confirm attendance, observe) lists the levels that allow it (``StatusPermission``); with
none listed, the association's earlier rule applies (see ``permissions``).
Every new association gets the default levels and permissions (``defaults``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Association, User
from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["Permission", "PersonStatusLevel", "StatusLevelDefinition", "StatusPermission"]


class Permission(enum.StrEnum):
    """What a status level can allow inside the association."""

    SUPERVISE = "supervise"
    CONFIRM_ATTENDANCE = "confirm_attendance"
    OBSERVE = "observe"


class StatusLevelDefinition(db.Model):
    """A status level an association declares (certified leader, training leader, ...)."""

    __tablename__ = "status_level_definition"
    __table_args__ = (UniqueConstraint("association_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    slug: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The level the panel's accreditation grants unless the deciding admin picks another.
    is_granted_on_accreditation: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StatusLevelDefinition {self.association_id} {self.slug}>"


class StatusPermission(db.Model):
    """One level that allows one permission in an association."""

    __tablename__ = "status_permission"
    __table_args__ = (
        UniqueConstraint("association_id", "permission", "level"),
        CheckConstraint(f"permission IN {tuple(p.value for p in Permission)!r}", name="permission_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    permission: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(40))

    def __repr__(self) -> str:
        return f"<StatusPermission {self.association_id} {self.permission} {self.level}>"


class PersonStatusLevel(db.Model):
    """A status level a person holds in an association, from ``since`` to ``until`` (open-ended)."""

    __tablename__ = "status_level"
    __table_args__ = (CheckConstraint("until IS NULL OR until >= since", name="period_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    level: Mapped[str] = mapped_column(String(40))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("accreditation_application.id"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Who set ``until`` by hand (an admin ending the level), if anyone did.
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    holder: Mapped[User] = relationship(foreign_keys=[user_id])

    def is_held_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)

    def __repr__(self) -> str:
        return f"<PersonStatusLevel {self.user_id} {self.level} {self.since}..{self.until}>"


#: The levels every association starts with (slug, label, granted on accreditation), in order.
DEFAULT_LEVELS: tuple[tuple[str, str, bool], ...] = (
    ("certified-leader", "Certified Balint group leader", True),
    ("training-leader", "Training leader (Leader Trainer)", False),
    ("supervisor-leader", "Supervisor-leader", False),
)
#: Which default levels allow what: confirming attendance asks for any accredited level;
#: supervising and observing ask for none until the association says otherwise.
DEFAULT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Permission.CONFIRM_ATTENDANCE.value: ("certified-leader", "training-leader", "supervisor-leader"),
}


def default_rows(association_id: int) -> tuple[list[dict], list[dict]]:
    """The default definitions and permissions of one association, as rows to insert."""
    levels = [
        {
            "association_id": association_id,
            "slug": slug,
            "label": label,
            "position": position,
            "is_granted_on_accreditation": granted,
            "created_at": utcnow(),
        }
        for position, (slug, label, granted) in enumerate(DEFAULT_LEVELS)
    ]
    permissions = [
        {"association_id": association_id, "permission": permission, "level": level}
        for permission, allowed in DEFAULT_PERMISSIONS.items()
        for level in allowed
    ]
    return levels, permissions


@event.listens_for(Association, "after_insert")
def _seed_defaults(_mapper, connection, association: Association) -> None:
    """Every new association starts with the default levels and permissions, however it is made
    (the admin pages, the demo, the benchmark seed, a test's fixture)."""
    levels, permissions = default_rows(association.id)
    connection.execute(StatusLevelDefinition.__table__.insert(), levels)
    if permissions:
        connection.execute(StatusPermission.__table__.insert(), permissions)
