"""Many certificates in one file: a batch, or everything an association issued in a period.

Every file holds the PDFs stored at issue (``documents``), never a fresh rendering. The
bytes are read from the database in chunks of ``CHUNK`` certificates, as plain column
values (no ORM objects kept in the session), and written straight into a spooled
temporary file that moves to disk past ``SPOOL_BYTES``: a ZIP of a few hundred
certificates holds one chunk in memory at a time. A merged PDF has to keep every page
object until it is written, so it is capped at ``MAX_MERGED`` certificates; above that
the ZIP is the way.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO

from flask_babel import gettext as _
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from app import policy
from app.accounts.models import User
from app.certificates import documents
from app.certificates.models import Certificate
from app.documents.models import DocumentKind, StoredDocument
from app.errors import ValidationError
from app.extensions import db

CHUNK = 25
SPOOL_BYTES = 8 * 1024 * 1024  # larger downloads go to a temporary file, not memory
MAX_MERGED = 400
MAX_PERIOD_DAYS = 366 * 5


def stored_pdfs(certificates: Sequence[Certificate]) -> Iterator[tuple[str, bytes]]:
    """(serial, stored PDF) of each certificate in order: one query per ``CHUNK``."""
    for start in range(0, len(certificates), CHUNK):
        part = certificates[start : start + CHUNK]
        rows = db.session.execute(
            select(StoredDocument.owner_id, StoredDocument.content).where(
                StoredDocument.kind == DocumentKind.CERTIFICATE_PDF.value,
                StoredDocument.owner_id.in_([c.id for c in part]),
                StoredDocument.superseded_by_id.is_(None),
            )
        )
        contents: dict[int, bytes] = {owner_id: content for owner_id, content in rows}
        for certificate in part:
            content = contents.pop(certificate.id, None)
            if content is None:  # issued before documents were stored: stored now
                content = documents.pdf_of(certificate).content
            yield certificate.serial, content


def write_zip(certificates: Sequence[Certificate]) -> IO[bytes]:
    """Each stored PDF as ``certificate-<serial>.pdf`` in one ZIP, in a spooled file."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller streams and closes it
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for serial, pdf in stored_pdfs(certificates):
            archive.writestr(f"certificate-{serial}.pdf", pdf)
    out.seek(0)
    return out


def write_merged_pdf(certificates: Sequence[Certificate]) -> IO[bytes]:
    """The stored PDFs one after the other in one PDF, for printing."""
    if len(certificates) > MAX_MERGED:
        raise ValidationError(
            _(
                "At most %(max)d certificates fit in one PDF; download the ZIP instead.",
                max=MAX_MERGED,
            )
        )
    writer = PdfWriter()
    for _serial, pdf in stored_pdfs(certificates):
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller streams and closes it
    writer.write(out)
    out.seek(0)
    return out


# -- everything of a period ----------------------------------------------------------------


def check_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    if start is None or end is None:
        raise ValidationError(
            _("Choose the first and the last day of the period."),
            fields={"start": [_("A date is required.")], "end": [_("A date is required.")]},
        )
    if end < start:
        raise ValidationError(
            _("The period ends before it starts."), fields={"end": [_("On or after the first day.")]}
        )
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationError(
            _("Choose a period of at most five years."), fields={"end": [_("At most five years.")]}
        )
    return start, end


def period_certificates(
    actor: User, association_id: int, start: dt.date | None, end: dt.date | None
) -> list[Certificate]:
    """The association's certificates issued from ``start`` to ``end`` (both included), in
    the order they were issued, whatever their status; refused when there are none."""
    policy.require_manage_certificates(actor, association_id)
    start, end = check_period(start, end)
    certificates = list(
        db.session.scalars(
            select(Certificate)
            .where(
                Certificate.association_id == association_id,
                Certificate.issued_on >= start,
                Certificate.issued_on <= end,
            )
            .order_by(Certificate.issued_on, Certificate.id)
        )
    )
    if not certificates:
        raise ValidationError(_("No certificates were issued in this period."))
    return certificates


def _name(start: dt.date, end: dt.date, extension: str) -> str:
    return f"certificates-{start.isoformat()}-to-{end.isoformat()}.{extension}"


def period_zip(
    actor: User, association_id: int, start: dt.date | None, end: dt.date | None
) -> tuple[str, IO[bytes]]:
    certificates = period_certificates(actor, association_id, start, end)
    return _name(start, end, "zip"), write_zip(certificates)


def period_pdf(
    actor: User, association_id: int, start: dt.date | None, end: dt.date | None
) -> tuple[str, IO[bytes]]:
    certificates = period_certificates(actor, association_id, start, end)
    return _name(start, end, "pdf"), write_merged_pdf(certificates)
