"""Public verification: what anyone may learn about a certificate, by serial or by file.

A verifier learns the status (valid, expired, revoked with its date, superseded with
the serial that replaced it, suspended since a date, or "could not check"), the dates
of past suspensions, the holder's name, the programme, the association and the dates:
nothing else (reasons for a revocation or suspension stay with the association). The
status is read back from the published status lists (``status_check``): a certificate
the lists cannot speak for is never shown as valid. A serial that is malformed, has a wrong check character or
was never issued gives the same NotFound, so serials cannot be probed for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Association
from app.certificates import integrity, serials
from app.certificates.models import Certificate, CertificateStatus
from app.errors import NotFound, ValidationError
from app.extensions import db
from app.urls import external_url

STATUS_LABELS = {
    CertificateStatus.VALID: _l("valid"),
    CertificateStatus.EXPIRED: _l("expired"),
    CertificateStatus.REVOKED: _l("revoked"),
    CertificateStatus.SUPERSEDED: _l("superseded"),
    CertificateStatus.SUSPENDED: _l("suspended"),
    CertificateStatus.COULD_NOT_CHECK: _l("could not check"),
}


def state_label(status: str) -> str:
    """The word for a status or stored state, in the reader's language."""
    return str(STATUS_LABELS[CertificateStatus(status)])


SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def public_url(endpoint: str, **values: object) -> str:
    """An absolute URL on the canonical ``BASE_URL``, never on the host a request named.

    Printed QR codes and signed credentials outlive any request, and a Host header is
    the visitor's to choose.
    """
    return external_url(endpoint, **values)


def verify_url(serial: str) -> str:
    return public_url("certificates.verify_serial", serial=serial)


def credential_url(serial: str) -> str:
    return public_url("certificates.credential_document", serial=serial)


def status_url(serial: str) -> str:
    return public_url("certificates.credential_status", serial=serial)


def find_issuer(slug: str) -> Association:
    """An association as a public issuer of credentials."""
    association = db.session.scalar(select(Association).where(Association.slug == slug))
    if association is None:
        raise NotFound(_("No such issuer."))
    return association


def _not_found() -> NotFound:
    return NotFound(_("We have no certificate with this serial number. Check it against the certificate."))


class RecordAltered(NotFound):
    """The row no longer matches the hash recorded at issue: we vouch for nothing."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This certificate's record was changed after it was issued, so we cannot confirm it. "
                "Please contact the issuing association."
            )
        )


def intact(certificate: Certificate) -> Certificate:
    """``certificate`` if its row still matches the hash recorded at issue, else RecordAltered."""
    if not integrity.is_intact(certificate):
        raise RecordAltered()
    return certificate


def find_by_serial(serial: str) -> Certificate:
    """The certificate with ``serial``; NotFound alike for malformed and unknown serials,
    RecordAltered when its row no longer matches what was issued."""
    serial = serials.normalise(serial)
    if not serials.is_well_formed(serial):
        raise _not_found()
    certificate = db.session.scalar(
        select(Certificate)
        .where(Certificate.serial == serial)
        .options(selectinload(Certificate.superseded_by))
    )
    if certificate is None:
        raise _not_found()
    return intact(certificate)


@dataclass(frozen=True)
class PublicRecord:
    """Exactly what the public page and its JSON twin show."""

    serial: str
    status: CertificateStatus
    holder_name: str
    programme_title: str
    association_name: str
    issued_on: dt.date
    expires_on: dt.date | None
    revoked_on: dt.date | None
    superseded_by: str | None
    suspended_since: dt.date | None = None
    #: Suspensions lifted since, as (from, to) dates.
    past_suspensions: tuple[tuple[dt.date, dt.date], ...] = ()
    #: The original award, kept by renewals and corrections (``issued_on`` starts the current period).
    first_awarded_on: dt.date | None = None

    def as_json(self) -> dict:
        return {
            "serial": self.serial,
            "status": self.status.value,
            "holder": self.holder_name or None,
            "programme": self.programme_title,
            "association": self.association_name,
            "issued_on": self.issued_on.isoformat(),
            "first_awarded_on": (self.first_awarded_on or self.issued_on).isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
            "superseded_by": self.superseded_by,
            "superseded_by_url": verify_url(self.superseded_by) if self.superseded_by else None,
            "suspended_since": self.suspended_since.isoformat() if self.suspended_since else None,
            "past_suspensions": [
                {"from": start.isoformat(), "to": end.isoformat()} for start, end in self.past_suspensions
            ],
            "verification_url": verify_url(self.serial),
            "credential_url": credential_url(self.serial),
        }


def public_record(certificate: Certificate, today: dt.date | None = None) -> PublicRecord:
    from app.certificates import status_check  # it imports this module

    today = today or dt.date.today()
    replacement = certificate.superseded_by
    status = status_check.verdict(certificate.status_on(today), status_check.check_certificate(certificate))
    suspension = certificate.open_suspension
    return PublicRecord(
        serial=certificate.serial,
        status=status,
        # An erased holder's certificate still answers valid or revoked, without a name.
        holder_name="" if certificate.holder.erased_at is not None else certificate.holder_name,
        programme_title=certificate.programme_title,
        association_name=certificate.association_name,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        revoked_on=certificate.revoked_at.date() if certificate.revoked_at else None,
        superseded_by=replacement.serial if replacement is not None else None,
        suspended_since=(
            suspension.suspended_at.date()
            if suspension is not None and status == CertificateStatus.SUSPENDED
            else None
        ),
        past_suspensions=tuple(
            (s.suspended_at.date(), s.lifted_at.date()) for s in certificate.suspensions if s.lifted_at
        ),
        first_awarded_on=certificate.first_awarded_on or certificate.issued_on,
    )


def lookup(serial: str, today: dt.date | None = None) -> PublicRecord:
    """The public record behind ``serial`` (NotFound when there is none)."""
    return public_record(find_by_serial(serial), today)


def normalise_sha256(value: str) -> str:
    digest = (value or "").strip().lower()
    if not SHA256_PATTERN.match(digest):
        raise ValidationError(
            _("A SHA-256 fingerprint is 64 characters, the digits 0-9 and letters a-f."),
            fields={"sha256": [_("Paste the 64-character SHA-256 fingerprint of the PDF.")]},
        )
    return digest


@dataclass(frozen=True)
class FileCheck:
    """The answer to 'did you issue this exact file?'.

    ``file_superseded``: the file is ours, but the certificate's PDF was regenerated since
    and a newer copy is the one in force (the certificate's own status is in ``record``).
    """

    sha256: str
    record: PublicRecord | None
    file_superseded: bool = False

    @property
    def is_ours(self) -> bool:
        return self.record is not None


def check_sha256(value: str, today: dt.date | None = None) -> FileCheck:
    """Whether a PDF with this SHA-256 is a certificate we issued, unaltered."""
    from app.certificates.documents import pdf_version_of  # documents imports this module

    digest = normalise_sha256(value)
    stored = pdf_version_of(digest)  # every stored version, current or superseded
    query = select(Certificate).options(selectinload(Certificate.superseded_by))
    if stored is not None:
        certificate = db.session.scalar(query.where(Certificate.id == stored.owner_id))
    else:  # issued before documents were stored, and not downloaded since
        certificate = db.session.scalar(query.where(Certificate.pdf_sha256 == digest))
    if certificate is None:
        return FileCheck(digest, None)
    superseded = stored is not None and stored.superseded_by_id is not None
    return FileCheck(digest, public_record(intact(certificate), today), superseded)


def check_pdf(data: bytes, today: dt.date | None = None) -> FileCheck:
    """Hash the uploaded bytes (never parse them) and look the hash up."""
    if not data:
        raise ValidationError(
            _("The file is empty."), fields={"pdf": [_("Choose the certificate's PDF file.")]}
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than any certificate we issue."),
            fields={"pdf": [_("Choose the certificate's PDF file (at most 10 MB).")]},
        )
    return check_sha256(hashlib.sha256(data).hexdigest(), today)
