"""The certificate as a PDF: one template, bundled fonts, a QR code, reproducible bytes.

Everything printed comes from the certificate's own row (``CertificateDocument``), never
from live settings, so rendering an old certificate again gives the bytes whose SHA-256
was stored when it was issued. Large batches render in a pool of worker processes, each
with its own app context, fed through a short queue so memory stays bounded.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from flask import current_app
from flask_babel import force_locale
from PIL import Image

from app.pdf import BundledAssetFetcher, html_to_pdf
from app.storage import services as storage
from app.storage.models import Namespace

log = logging.getLogger(__name__)

DEFAULT_LOGO_URL = "/static/pdf/certificate-seal.svg"
STYLESHEET = "pdf/certificate.css"
PAGE_SIZES = ("A4", "Letter")
#: PDF/A-3b (archival, with its sRGB output intent) costs 2-6 ms more per certificate
#: (5-15%) and 3.3 KB (benchmarks/certificate_bench.py): little, for a document meant to last.
PDF_VARIANT = "pdf/a-3b"
IN_FLIGHT_PER_PROCESS = 4  # documents queued per worker: enough to never idle, few to hold


@dataclass(frozen=True)
class CertificateDocument:
    """The plain values printed on one certificate (picklable: sent to worker processes)."""

    serial: str
    holder_name: str
    programme_title: str
    association_name: str
    achievement: str
    issued_on: date
    expires_on: date | None
    signatory_name: str
    signatory_role: str
    verify_url: str
    page_size: str = "A4"
    logo_data_uri: str | None = None
    locale: str = "en"
    #: The original award, printed beside the current period on renewed and corrected certificates.
    first_awarded_on: date | None = None

    @property
    def shows_first_award(self) -> bool:
        return self.first_awarded_on is not None and self.first_awarded_on != self.issued_on

    @property
    def timestamp(self) -> str:
        """The PDF's creation and modification date: the issue date, so output is reproducible."""
        return f"{self.issued_on.isoformat()}T00:00:00Z"

    @property
    def logo_url(self) -> str:
        return self.logo_data_uri or DEFAULT_LOGO_URL

    @property
    def holder_size(self) -> str:
        """A CSS class that steps the name's size down as it grows, to keep it on two lines."""
        return "longer" if len(self.holder_name) > 48 else "long" if len(self.holder_name) > 32 else ""

    @property
    def programme_size(self) -> str:
        return "long" if len(self.programme_title) > 56 else ""

    @property
    def qr_data_uri(self) -> str:
        return qr_data_uri(self.verify_url)


#: Trying all eight QR mask patterns for the lowest penalty is pure Python and took 7 ms,
#: a sixth of a certificate; every mask decodes alike (tests/certificates scan them), so
#: we use the checkerboard mask.
QR_MASK = 0


def qr_data_uri(url: str) -> str:
    """The QR code as an 8-bit grey PNG, 4 pixels a module with a 2-module margin.

    A PNG lays out far faster than an SVG of the modules, and an 8-bit grey one is
    embedded as it is, where WeasyPrint would convert and re-encode segno's 1-bit PNG.
    """
    code = segno.make(url, error="m", micro=False, mask=QR_MASK)
    rows = [bytes(0 if dark else 255 for dark in row) for row in code.matrix_iter(scale=1, border=2)]
    image = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows))
    image = image.resize((image.width * 4, image.height * 4), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def logo_data_uri(sha256: str | None) -> str | None:
    """The stored logo as an inline PNG, or None for the bundled seal."""
    if not sha256:
        return None
    data = storage.read(Namespace.CERTIFICATE_LOGO, sha256)
    if data is None:
        log.error("certificate logo %s is missing; printing the default seal instead", sha256)
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def document_for(certificate) -> CertificateDocument:
    """The printable values of a Certificate row."""
    return CertificateDocument(
        serial=certificate.serial,
        holder_name=certificate.holder_name,
        programme_title=certificate.programme_title,
        association_name=certificate.association_name,
        achievement=certificate.achievement,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        signatory_name=certificate.signatory_name,
        signatory_role=certificate.signatory_role,
        verify_url=certificate.verify_url,
        page_size=certificate.page_size,
        logo_data_uri=logo_data_uri(certificate.logo_sha256),
        locale=certificate.locale,
        first_awarded_on=certificate.first_awarded_on,
    )


def render_html(doc: CertificateDocument) -> str:
    """The template alone, without the app's context processors: they describe the
    signed-in visitor, who must not influence the document (and a worker has none)."""
    with force_locale(doc.locale):
        return current_app.jinja_env.get_template("pdf/certificate.html").render(doc=doc)


def render_document(
    doc: CertificateDocument, *, variant: str | None = PDF_VARIANT, fetcher: BundledAssetFetcher | None = None
) -> bytes:
    """The certificate's PDF bytes; the fetcher sees only bundled files and inline images."""
    fetcher = fetcher or BundledAssetFetcher(Path(current_app.static_folder).resolve())
    pdf = html_to_pdf(render_html(doc), stylesheets=[STYLESHEET], variant=variant, fetcher=fetcher)
    if fetcher.refused:  # our template loads only bundled assets: anything else is a bug
        log.warning("certificate %s asked for refused resources: %s", doc.serial, fetcher.refused)
    return pdf


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- many at once -------------------------------------------------------------------------

_worker_app = None


def _start_worker(config: dict) -> None:
    """Each worker process builds its own app and keeps one app context open."""
    global _worker_app
    from app import create_app

    _worker_app = create_app(config)
    _worker_app.app_context().push()


def _render_in_worker(doc: CertificateDocument) -> tuple[str, bytes]:
    return doc.serial, render_document(doc)


def _portable_config() -> dict:
    """The settings a worker needs, limited to plain values that survive pickling."""
    plain = (str, int, float, bool, type(None))
    return {key: value for key, value in current_app.config.items() if isinstance(value, plain)}


def render_many(docs: Iterable[CertificateDocument], *, processes: int = 2) -> Iterator[tuple[str, bytes]]:
    """Yield (serial, pdf) for each document, in order, rendered by ``processes`` workers.

    A pipeline with a bounded number of documents in flight: while the workers render,
    the caller's loop prepares the next documents (``docs`` may be a generator that
    inserts rows) and handles finished PDFs, so both cores stay busy and memory does
    not grow with the batch. With one process everything renders here.
    """
    if processes <= 1:
        for doc in docs:
            yield doc.serial, render_document(doc)
        return
    context = multiprocessing.get_context("spawn")  # no forked copies of open connections
    in_flight: deque = deque()
    with context.Pool(processes, initializer=_start_worker, initargs=(_portable_config(),)) as pool:
        for doc in docs:
            in_flight.append(pool.apply_async(_render_in_worker, (doc,)))
            if len(in_flight) >= IN_FLIGHT_PER_PROCESS * processes:
                yield in_flight.popleft().get()
        while in_flight:
            yield in_flight.popleft().get()
