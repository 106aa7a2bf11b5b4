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

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Association, User
from app.certificates import triggers
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.programmes.models import Enrolment, Programme

__all__ = [
    "Certificate",
    "CertificateBatch",
    "CertificateCounter",
    "CertificateState",
    "CertificateStatus",
    "CertificateStatusEntry",
    "CertificateSuspension",
]


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
    #: Valid, but held back by the association for now (an open ``CertificateSuspension``).
    SUSPENDED = "suspended"
    #: A verifier's answer, never a certificate's: the status could not be determined
    #: (``status_check``), so nobody may be told it is valid.
    COULD_NOT_CHECK = "could_not_check"


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
    """Certificates issued together from the 'ready' list, to download and print at once.

    A batch issued in error can be undone for a short while (``batches.undo_batch``):
    its certificates are revoked, and the batch records when and by whom.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    size: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])

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
    #: Loaded with every certificate query (one more query, never one per row): every
    #: status shown anywhere depends on whether a suspension is open.
    suspensions: Mapped[list[CertificateSuspension]] = relationship(
        lazy="selectin",
        viewonly=True,
        order_by="CertificateSuspension.suspended_at, CertificateSuspension.id",
    )

    @property
    def open_suspension(self) -> CertificateSuspension | None:
        return next((s for s in self.suspensions if s.lifted_at is None), None)

    def status_on(self, day: date) -> CertificateStatus:
        """Revoked and superseded win over a suspension, a suspension over expiry; a
        certificate is good through its last day."""
        if self.state == CertificateState.REVOKED:
            return CertificateStatus.REVOKED
        if self.state == CertificateState.SUPERSEDED:
            return CertificateStatus.SUPERSEDED
        if self.open_suspension is not None:
            return CertificateStatus.SUSPENDED
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


class CertificateStatusEntry(db.Model):
    """A certificate's place in its association's published status lists (``status_list``).

    The index is drawn at random when the certificate is issued, so neighbouring bits
    belong to unrelated holders and nobody can tell from a list who was issued when.
    It is never reused: rows are never deleted, and an index is unique per association.
    """

    __table_args__ = (
        UniqueConstraint("association_id", "list_index"),
        CheckConstraint("list_index >= 0", name="list_index_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), unique=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"))
    #: The bit of this certificate in each of the association's lists.
    list_index: Mapped[int] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"<CertificateStatusEntry {self.certificate_id} at {self.association_id}/{self.list_index}>"


class CertificateSuspension(db.Model):
    """One suspension of a certificate, open until lifted; the history stays.

    A suspension holds a certificate back (during a complaint, say) without touching the
    certificate row, which is final. At most one is open per certificate.
    """

    __table_args__ = (
        Index(
            "uq_certificate_suspension_one_open",
            "certificate_id",
            unique=True,
            sqlite_where=text("lifted_at IS NULL"),
            postgresql_where=text("lifted_at IS NULL"),
        ),
        CheckConstraint(
            "lifted_at IS NULL OR (lifted_at >= suspended_at AND lifted_by_id IS NOT NULL)",
            name="lifted_after_suspended",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    suspended_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    suspended_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: For the association only, like a revocation reason: never on the public record.
    reason: Mapped[str] = mapped_column(Text)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    lift_note: Mapped[str] = mapped_column(Text, default="")

    suspended_by: Mapped[User] = relationship(foreign_keys=[suspended_by_id])
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id])

    @property
    def is_open(self) -> bool:
        return self.lifted_at is None

    def __repr__(self) -> str:
        return f"<CertificateSuspension {self.certificate_id} {'open' if self.is_open else 'lifted'}>"


# create_all (tests, first runs) installs the finality triggers with the table; migration
# 0013 runs the same statements from ``triggers.TRIGGER_STATEMENTS``.
event.listen(Certificate.__table__, "after_create", triggers.install)
