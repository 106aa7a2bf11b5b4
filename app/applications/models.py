"""Applications for accreditation, their panels and recommendations, and status levels.

An application freezes the trainee's progress (``snapshot_json``: the evaluated
requirements and the evidence behind each, under the rule-set version named) and their
portfolio (a stored PDF, ``app.documents``) on the day they apply; ``applied_on`` is
the anchor rule windows can count from (``services.application_date``). Once the panel
has decided, the application and everything under it is final: the database refuses any
change (``app.applications.triggers``). A panel member's recommendation is final when
recorded. Status levels live in ``app.statuslevels``.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.applications import triggers
from app.applications.kinds import ApplicationStatus, Recommendation
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.programmes.models import Enrolment
from app.statuslevels.models import PersonStatusLevel  # noqa: F401 (its old home)

__all__ = ["AccreditationApplication", "PanelMember", "PanelReview", "PersonStatusLevel"]


def _known(column: str, kind: type[enum.StrEnum], name: str) -> CheckConstraint:
    values = tuple(member.value for member in kind)
    return CheckConstraint(f"{column} IN {values!r}", name=name)


class AccreditationApplication(db.Model):
    """A trainee's application for accreditation, and the panel's signed decision on it."""

    __tablename__ = "accreditation_application"
    __table_args__ = (
        _known("status", ApplicationStatus, "status_known"),
        CheckConstraint(
            "decision IS NULL OR decision IN ('accredit', 'defer', 'decline')", name="decision_known"
        ),
        CheckConstraint(
            "status = 'open' OR (decision IS NOT NULL AND decided_at IS NOT NULL "
            "AND decided_by_id IS NOT NULL AND decision_reasons != '' AND signature_sha256 IS NOT NULL)",
            name="decided_is_signed",
        ),
        CheckConstraint(
            "status != 'deferred' OR (deferral_actions != '' AND deferred_until IS NOT NULL)",
            name="deferral_has_actions",
        ),
        # A trainee has at most one open application in an association, whatever races.
        Index(
            "uq_accreditation_application_one_open",
            "association_id",
            "trainee_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.OPEN.value)
    applied_on: Mapped[date] = mapped_column(Date)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    statement: Mapped[str] = mapped_column(Text, default="")
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_set.id"))
    rule_set_version: Mapped[int]
    #: The requirements as evaluated on ``applied_on`` (JSON; see ``portfolio.snapshot``).
    snapshot_json: Mapped[str] = mapped_column(Text)
    was_ready: Mapped[bool] = mapped_column(default=False)
    #: SHA-256 of the stored portfolio PDF; NULL while the job renders it (``portfolio``).
    #: Set once, NULL -> value, when the PDF is stored (``triggers``); part of the decision's digest.
    portfolio_sha256: Mapped[str | None] = mapped_column(String(64))
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reasons: Mapped[str] = mapped_column(Text, default="")
    deferral_actions: Mapped[str] = mapped_column(Text, default="")
    deferred_until: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: SHA-256 of the decision as signed (``services.decision_digest``).
    signature_sha256: Mapped[str | None] = mapped_column(String(64))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))

    enrolment: Mapped[Enrolment] = relationship()
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    panel: Mapped[list[PanelMember]] = relationship(back_populates="application", order_by="PanelMember.id")
    reviews: Mapped[list[PanelReview]] = relationship(back_populates="application", order_by="PanelReview.id")

    @property
    def is_open(self) -> bool:
        return self.status == ApplicationStatus.OPEN

    @property
    def portfolio_ready(self) -> bool:
        """Whether the portfolio PDF is stored (a job renders it after the application commits)."""
        return self.portfolio_sha256 is not None

    @property
    def snapshot(self) -> dict:
        return json.loads(self.snapshot_json)

    def review_by(self, user_id: int) -> PanelReview | None:
        return next((r for r in self.reviews if r.reviewer_id == user_id), None)

    def __repr__(self) -> str:
        return f"<AccreditationApplication {self.id} {self.status}>"


class PanelMember(db.Model):
    """A person the association named to the panel of one application."""

    __tablename__ = "accreditation_panel_member"
    __table_args__ = (UniqueConstraint("application_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("accreditation_application.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[AccreditationApplication] = relationship(back_populates="panel")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PanelReview(db.Model):
    """One panel member's recommendation, with reasons; final once recorded."""

    __tablename__ = "accreditation_panel_review"
    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        _known("recommendation", Recommendation, "recommendation_known"),
        CheckConstraint("reasons != ''", name="has_reasons"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("accreditation_application.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    recommendation: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[AccreditationApplication] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()


# create_all installs the finality guards with each table; migration 0029 runs the same
# statements from ``triggers.TRIGGER_STATEMENTS``.
for _table in (AccreditationApplication.__table__, PanelMember.__table__, PanelReview.__table__):
    event.listen(_table, "after_create", triggers.install)
