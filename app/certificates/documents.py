"""A certificate's PDF and signed credential, rendered once and stored (``app.documents``).

At issue the PDF is rendered and the Open Badges credential signed, and both are stored
as bytes in the database; every download, ZIP and credential fetch after that serves
those bytes, so what a holder downloads never depends on the renderer, the fonts or
the template of the day, and always hashes to the fingerprint recorded for it.

Certificates issued before documents were stored have none: the first download renders
and stores them (``pdf_of`` and ``credential_of`` store lazily, version 1, reason
"stored on first download"; if the fresh PDF differs from the hash recorded at issue,
that is logged, and both hashes verify). A migration cannot backfill them: rendering
needs the app's templates, fonts and the issuers' keys.

Since issue 18 the PDF stored at issue is *sealed* (``sealing``): the PDF/A rendering,
then one appended revision that attaches the signed credential and signs the file with
the association's seal key. The credential names the rendering's hash (a file cannot
hold a credential that hashes that same file); ``certificate.pdf_sha256`` and the stored
hash are those of the sealed bytes served. Certificates stored lazily (issued before
documents were stored) keep their unsealed rendering, the file that was issued.

Regenerating (after a template change: ``corrections.regenerate``) stores a new version
and supersedes the old; it is sealed with the association's current key and carries the
credential in force (signed at issue, so its evidence names the rendering of the day of
issue, which the older version holds). A name correction is a re-issue, with a new serial.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from app.certificates import credential, rendering, sealing
from app.certificates.models import Certificate
from app.documents import services as documents
from app.documents.models import DocumentKind, StoredDocument
from app.extensions import db

log = logging.getLogger(__name__)

PDF_MEDIA_TYPE = "application/pdf"
CREDENTIAL_MEDIA_TYPE = "application/json"


def render_pdf(certificate: Certificate) -> bytes:
    return rendering.render_document(rendering.document_for(certificate))


def credential_bytes(certificate: Certificate, rendering_sha256: str | None = None) -> bytes:
    """The signed credential as stored: UTF-8 JSON, keys sorted, so equal documents are equal bytes."""
    signed = credential.signed_credential(certificate, rendering_sha256)
    return json.dumps(signed, sort_keys=True, ensure_ascii=False, indent=2).encode("utf-8")


def _store(
    certificate: Certificate, kind: DocumentKind, content: bytes, media_type: str, reason: str, actor_id
):
    return documents.store(
        kind,
        association_id=certificate.association_id,
        owner_id=certificate.id,
        content=content,
        media_type=media_type,
        reason=reason,
        created_by_id=actor_id,
    )


def _sealed(certificate: Certificate, pdf: bytes, signed_credential: bytes, actor_id: int | None) -> bytes:
    return sealing.seal(
        certificate.association,
        pdf,
        credential=signed_credential,
        serial=certificate.serial,
        actor_id=actor_id,
    )


def store_issued(certificate: Certificate, pdf: bytes, actor_id: int | None) -> None:
    """At issue: sign the credential (naming the rendering ``pdf``), seal the PDF with the
    credential inside, record the sealed file's hash and store both."""
    signed = credential_bytes(certificate, rendering_sha256=documents.sha256_hex(pdf))
    sealed = _sealed(certificate, pdf, signed, actor_id)
    certificate.pdf_sha256 = documents.sha256_hex(sealed)
    _store(certificate, DocumentKind.CERTIFICATE_PDF, sealed, PDF_MEDIA_TYPE, "issued", actor_id)
    _store(
        certificate, DocumentKind.CERTIFICATE_CREDENTIAL, signed, CREDENTIAL_MEDIA_TYPE, "issued", actor_id
    )


def pdf_of(certificate: Certificate) -> StoredDocument:
    """The stored PDF in force; rendered and stored now for a certificate issued before storing."""
    stored = documents.current(DocumentKind.CERTIFICATE_PDF, certificate.id)
    if stored is not None:
        return stored
    pdf = render_pdf(certificate)
    if certificate.pdf_sha256 and documents.sha256_hex(pdf) != certificate.pdf_sha256:
        log.error(
            "certificate %s renders unlike the day of issue (recorded %s); storing the new rendering",
            certificate.serial,
            certificate.pdf_sha256,
        )
    return _store(
        certificate, DocumentKind.CERTIFICATE_PDF, pdf, PDF_MEDIA_TYPE, "stored on first download", None
    )


def credential_of(certificate: Certificate) -> StoredDocument:
    """The stored signed credential; signed and stored now for a certificate issued before storing."""
    stored = documents.current(DocumentKind.CERTIFICATE_CREDENTIAL, certificate.id)
    if stored is not None:
        return stored
    return _store(
        certificate,
        DocumentKind.CERTIFICATE_CREDENTIAL,
        credential_bytes(certificate),
        CREDENTIAL_MEDIA_TYPE,
        "stored on first download",
        None,
    )


def store_regenerated(certificate: Certificate, pdf: bytes, actor_id: int, reason: str) -> StoredDocument:
    """A new version of the PDF, sealed, superseding the one in force (``corrections.regenerate``)."""
    pdf_of(certificate)  # a certificate from before storing keeps its first rendering as version 1
    sealed = _sealed(certificate, pdf, credential_of(certificate).content, actor_id)
    return _store(
        certificate, DocumentKind.CERTIFICATE_PDF, sealed, PDF_MEDIA_TYPE, f"regenerated: {reason}", actor_id
    )


def is_rendering_of(rendering_bytes: bytes, stored: bytes) -> bool:
    """Whether ``stored`` is this rendering, as it is or sealed (the rendering then an appended revision)."""
    return stored.startswith(rendering_bytes) and (
        len(stored) == len(rendering_bytes) or stored.rstrip().endswith(b"%%EOF")
    )


def issued_pdf(certificate: Certificate) -> StoredDocument | None:
    """The PDF stored at issue (version 1), or None for a certificate never stored yet."""
    return db.session.scalar(
        select(StoredDocument).where(
            StoredDocument.kind == DocumentKind.CERTIFICATE_PDF.value,
            StoredDocument.owner_id == certificate.id,
            StoredDocument.version == 1,
        )
    )


def pdf_version_of(digest: str) -> StoredDocument | None:
    """The stored PDF with this SHA-256, current or superseded."""
    return documents.by_sha256(DocumentKind.CERTIFICATE_PDF, digest)
