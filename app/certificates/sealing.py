"""Sealing an issued certificate's PDF: the credential attached, then a PAdES signature.

What a sealed PDF is, in the order it is made:

1. **The rendering**: WeasyPrint's PDF/A-3b output (``rendering``), reproducible byte for
   byte from the certificate's row.
2. **The credential**: the signed Open Badges credential (``credential``), whose evidence
   names the verification page and the SHA-256 of that rendering.
3. **The seal**: one incremental update, appended after the rendering's last byte, that
   attaches the credential JSON as an embedded file (an associated file of the document,
   ``/AFRelationship /Alternative``, as PDF/A-3 allows) and signs the whole file with the
   association's seal key (``seal_keys``): a PAdES baseline signature (CAdES detached,
   SHA-256), a certification signature that permits no later changes. B-B offline; with
   ``SEAL_TSA_URL`` configured, a timestamp from that authority makes it B-T.

Why the credential does not hash the sealed file: a file that contains the credential
cannot also be hashed inside that credential (the hash would change the file it hashes).
So the credential's evidence names the rendering before sealing, which stays recoverable:
the sealed file *begins* with exactly those bytes (an incremental update only appends),
so anyone can cut the file at the end of its first revision, hash that and compare it
with the credential; ``flask certificates render`` renders the certificate again and
checks it is that prefix. ``certificate.pdf_sha256`` and the stored document's hash are
those of the sealed bytes, which are stored and served as they are, so checking a
downloaded file by upload or fingerprint works as before. PDFs issued before sealing
were stored (or are rendered on first download) unsealed, with the credential naming
their own hash, and keep verifying as they are.

The signature covers every byte of the file but its own value; PDF readers show it in
their signature panel as signed by the association and unchanged since. The key's
certificate is self-issued (no certificate authority vouches for it), so a reader may
call the signer's identity "unknown" until someone trusts it: the verification page
says so and publishes the certificate and its fingerprint (``/issuers/<slug>/seal.pem``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from flask import current_app
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.accounts.models import Association
from app.certificates.seal_keys import SealKey, by_fingerprint, private_key_der, seal_key

log = logging.getLogger(__name__)

FIELD_NAME = "AssociationSeal"
CREDENTIAL_MEDIA_TYPE = "application/json"


def credential_file_name(serial: str) -> str:
    return f"credential-{serial}.json"


def asn1_certificate(key: SealKey) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(key.certificate.public_bytes(serialization.Encoding.DER))


def timestamper() -> TimeStamper | None:
    """The configured timestamp authority (B-T), or None (B-B)."""
    url = current_app.config.get("SEAL_TSA_URL")
    if not url:
        return None
    return RequestsHTTPTimeStamper(url, timeout=current_app.config.get("SEAL_TSA_TIMEOUT", 10))


def _attach(writer: IncrementalPdfFileWriter, name: str, data: bytes, description: str, when: dt.datetime):
    """Embed ``data`` as an associated file of the document (PDF/A-3: /AF and /AFRelationship).

    pyHanko's ``embed_file`` would raise the file's version to PDF 2.0 for /AF, which
    PDF/A-3 (PDF 1.7) forbids; the few objects are written here instead.
    """
    stream = EmbeddedFileObject.from_file_data(
        writer,
        data,
        params=EmbeddedFileParams(embed_size=True, creation_date=when, modification_date=when),
        mime_type=CREDENTIAL_MEDIA_TYPE,
    )
    spec = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Filespec"),
            generic.pdf_name("/F"): generic.pdf_string(name),
            generic.pdf_name("/UF"): generic.pdf_string(name),
            generic.pdf_name("/Desc"): generic.TextStringObject(description),
            generic.pdf_name("/AFRelationship"): generic.pdf_name("/Alternative"),
            generic.pdf_name("/EF"): generic.DictionaryObject(
                {generic.pdf_name("/F"): stream.ef_stream_ref, generic.pdf_name("/UF"): stream.ef_stream_ref}
            ),
        }
    )
    spec_ref = writer.add_object(spec)
    root = writer.root
    try:
        names = root["/Names"]  # our renderings have no /EmbeddedFiles of their own
    except KeyError:
        names = generic.DictionaryObject()
        root["/Names"] = writer.add_object(names)
    else:
        writer.update_container(names)
    names["/EmbeddedFiles"] = writer.add_object(
        generic.DictionaryObject(
            {generic.pdf_name("/Names"): generic.ArrayObject([generic.pdf_string(name), spec_ref])}
        )
    )
    root["/AF"] = writer.add_object(generic.ArrayObject([spec_ref]))
    writer.update_root()


def _name_producer(writer: IncrementalPdfFileWriter) -> None:
    """Let the info dictionary name pyHanko alone as producer, as the XMP it rewrites does.

    pyHanko appends itself to the info dictionary's /Producer but writes only itself into
    the XMP metadata; PDF/A wants the two to agree. (The first revision, WeasyPrint's,
    still names WeasyPrint.)
    """
    info = writer.trailer["/Info"]
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)


def seal(
    association: Association,
    pdf: bytes,
    *,
    credential: bytes,
    serial: str,
    actor_id: int | None = None,
) -> bytes:
    """``pdf`` with ``credential`` attached, sealed by the association's current key.

    The result starts with ``pdf`` unchanged (one incremental update is appended). When
    the timestamp authority cannot be reached the PDF is sealed without a timestamp (B-B)
    and the failure logged: issuing does not wait on someone else's server.
    """
    key = seal_key(association, actor_id)
    stamper = timestamper()
    try:
        return _signed(association, key, pdf, credential, serial, stamper)
    except TimestampRequestError:
        if stamper is None:  # pragma: no cover - only a timestamper raises it
            raise
        log.exception("timestamp authority failed; certificate %s sealed without a timestamp (B-B)", serial)
        return _signed(association, key, pdf, credential, serial, None)


def _signed(
    association: Association,
    key: SealKey,
    pdf: bytes,
    credential: bytes,
    serial: str,
    stamper: TimeStamper | None,
) -> bytes:
    certificate = asn1_certificate(key)
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(private_key_der(key)),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _name_producer(writer)
    _attach(
        writer,
        credential_file_name(serial),
        credential,
        f"Open Badges 3.0 credential of certificate {serial}, signed by {association.name}",
        dt.datetime.now(dt.UTC),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        name=association.name,
        reason=f"Sealed by {association.name}: certificate {serial} as issued",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=True,  # a certification signature: readers flag any later change
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    return off_the_event_loop(signers.sign_pdf, writer, meta, signer, timestamper=stamper).getvalue()


def off_the_event_loop(function, /, *args, **kwargs):
    """Call a pyHanko function here, or in a worker thread if this thread runs an event loop.

    pyHanko's synchronous calls run their own loop with ``asyncio.run``, which refuses to
    start inside a running one: an async server, or a Playwright test driving the app in
    the same thread, would otherwise fail every issue and every check.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(function, *args, **kwargs).result()


# -- reading a seal back --------------------------------------------------------------------


@dataclass(frozen=True)
class SealCheck:
    """What pyHanko's validator says of a PDF's seal, against one trusted certificate."""

    is_intact: bool  # the signed bytes hash to the signed digest
    is_valid: bool  # and the signature verifies with a certificate we trust
    covers_whole_file: bool
    signer_fingerprint: str | None
    has_timestamp: bool

    @property
    def is_good(self) -> bool:
        return self.is_intact and self.is_valid and self.covers_whole_file


def check(pdf: bytes, trusted: list[SealKey]) -> SealCheck:
    """Validate the PDF's one seal, trusting only ``trusted`` keys' certificates."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    reader = PdfFileReader(io.BytesIO(pdf))
    [embedded] = reader.embedded_signatures
    roots = [asn1_certificate(key) for key in trusted]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = off_the_event_loop(
        validate_pdf_signature,
        embedded,
        context,
        key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
    )
    signer = embedded.signer_cert
    return SealCheck(
        is_intact=status.intact,
        is_valid=status.valid and status.trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer_fingerprint=signer.sha256.hex() if signer is not None else None,
        has_timestamp=status.timestamp_validity is not None,
    )


def signer_fingerprint(pdf: bytes) -> str | None:
    """SHA-256 of the certificate in the PDF's seal, unvalidated (None for an unsealed PDF)."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    except (PdfReadError, ValueError):  # not a PDF we can read: no seal to name
        return None
    certificate = signatures[0].signer_cert if signatures else None
    return certificate.sha256.hex() if certificate is not None else None


@dataclass(frozen=True)
class PublishedSeal:
    """The seal on a certificate's PDF in force, as the verification page explains it."""

    key: SealKey
    pem_url: str


def seal_of(certificate) -> PublishedSeal | None:
    """The seal key whose signature the certificate's current PDF carries, with its public URL;
    None for a PDF issued before sealing (or not stored yet)."""
    from app.certificates.verification import public_url  # verification imports documents, which imports this
    from app.documents import services as stored_documents
    from app.documents.models import DocumentKind

    stored = stored_documents.current(DocumentKind.CERTIFICATE_PDF, certificate.id)
    fingerprint = signer_fingerprint(stored.content) if stored is not None else None
    key = by_fingerprint(fingerprint) if fingerprint else None
    if key is None or key.association_id != certificate.association_id:
        return None
    url = public_url(
        "certificates.issuer_seal_by_fingerprint",
        slug=certificate.association.slug,
        fingerprint=key.fingerprint,
    )
    return PublishedSeal(key, url)


def attached_credential(pdf: bytes, serial: str) -> bytes | None:
    """The credential file embedded in a sealed PDF, or None."""
    reader = PdfFileReader(io.BytesIO(pdf))
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return None
    wanted = credential_file_name(serial)
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) == wanted:
            return names[index + 1]["/EF"]["/F"].data
    return None
