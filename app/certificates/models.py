"""Issued certificates, the per-association serial counters, and issuing batches.

A certificate row is the certificate: every value printed on the PDF is copied onto
it when it is issued (holder name as printed, programme title, signatory, design), so
rendering it again years later gives the same bytes and the stored SHA-256 still
matches. Rows are never edited except to record a revocation or that a re-issue
replaced them, and the database enforces it (``triggers``, installed below).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Association, User
from app.certificates import triggers
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.programmes.models import Enrolment, Programme

__all__ = ["Certificate", "CertificateBatch", "CertificateCounter", "CertificateState", "CertificateStatus"]


class CertificateState(enum.StrEnum):
    """What happened to the certificate (stored)."""

    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class CertificateStatus(enum.StrEnum):
    """What a verifier is told (the state, with expiry worked out on the day asked)."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


STATE_VALUES = tuple(state.value for state in CertificateState)


class CertificateCounter(db.Model):
    """The last serial number used by one association in one year.

    Allocation is one atomic ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``: on
    PostgreSQL the row stays locked until the issuing transaction ends, so two
    issuers never read the same number; SQLite serialises writers anyway.
    """

    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<CertificateCounter {self.association_id}/{self.year}: {self.last_number}>"


class CertificateBatch(db.Model):
    """Certificates issued together from the 'ready' list, to download and print at once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    size: Mapped[int] = mapped_column(Integer, default=0)

    created_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CertificateBatch {self.id} ({self.size})>"


class Certificate(db.Model):
    """One issued certificate, with everything printed on it and its fate since."""

    __table_args__ = (
        CheckConstraint(f"state IN {STATE_VALUES!r}", name="state_known"),
        CheckConstraint(
            "state != 'revoked' OR (revoked_at IS NOT NULL AND revocation_reason != '')",
            name="revoked_has_reason",
        ),
        # At most one valid certificate per enrolment, whatever races the application loses.
        Index(
            "uq_certificate_one_valid_per_enrolment",
            "enrolment_id",
            unique=True,
            sqlite_where=text("state = 'valid'"),
            postgresql_where=text("state = 'valid'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_set.id"))
    rule_set_version: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_batch.id"), index=True)
    #: PREFIX-YYYY-NNNNN-C; unique everywhere, since /verify/<serial> names no association.
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=CertificateState.VALID.value)

    # As printed.
    holder_name: Mapped[str] = mapped_column(String(200))
    programme_title: Mapped[str] = mapped_column(String(200))
    association_name: Mapped[str] = mapped_column(String(200))
    achievement: Mapped[str] = mapped_column(String(500), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    #: The day the holder was first awarded this certificate: ``issued_on`` at issue, copied
    #: unchanged onto re-issues and renewals, so a renewed certificate still says since when.
    first_awarded_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="")
    page_size: Mapped[str] = mapped_column(String(10), default="A4")
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(10), default="en")
    verify_url: Mapped[str] = mapped_column(String(300))
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    #: SHA-256 of the values above as issued (``integrity.record_digest``), checked on every lookup.
    record_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")

    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Why it was issued although essential requirements were unmet ("" when they were met).
    override_reason: Mapped[str] = mapped_column(Text, default="")

    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revocation_reason: Mapped[str] = mapped_column(Text, default="")

    #: A re-issue or a renewal names the certificate it replaces; that one's state becomes superseded.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), unique=True)
    reissue_reason: Mapped[str] = mapped_column(Text, default="")

    association: Mapped[Association] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    programme: Mapped[Programme] = relationship()
    holder: Mapped[User] = relationship(foreign_keys=[holder_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    batch: Mapped[CertificateBatch | None] = relationship()
    supersedes: Mapped[Certificate | None] = relationship(
        remote_side=[id], foreign_keys=[supersedes_id], back_populates="superseded_by"
    )
    superseded_by: Mapped[Certificate | None] = relationship(
        foreign_keys=[supersedes_id], back_populates="supersedes", viewonly=True
    )

    def status_on(self, day: date) -> CertificateStatus:
        """Revoked and superseded win over expiry; a certificate is good through its last day."""
        if self.state == CertificateState.REVOKED:
            return CertificateStatus.REVOKED
        if self.state == CertificateState.SUPERSEDED:
            return CertificateStatus.SUPERSEDED
        if self.expires_on is not None and day > self.expires_on:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def is_renewal(self) -> bool:
        """A renewal supersedes without a correction's reason (a re-issue always gives one)."""
        return self.supersedes_id is not None and not self.reissue_reason

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_reason)

    def __repr__(self) -> str:
        return f"<Certificate {self.serial} {self.state}>"


# create_all (tests, first runs) installs the finality triggers with the table; migration
# 0013 runs the same statements from ``triggers.TRIGGER_STATEMENTS``.
event.listen(Certificate.__table__, "after_create", triggers.install)
