"""Reading back the certificate PDFs we render: text, fonts, images, page size."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageOps
from pypdf import PdfReader

from app.certificates.rendering import CertificateDocument


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def font_names(pdf: bytes) -> set[str]:
    """Base font names without the subset tag (``ABCDEF+``)."""
    names = set()
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def embedded_font_files(pdf: bytes) -> int:
    count = 0
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                count += any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return count


def images(pdf: bytes) -> list[Image.Image]:
    return [image.image for page in reader(pdf).pages for image in page.images]


def qr_image(pdf: bytes) -> Image.Image:
    """The QR code: the only raster image on a certificate with the default seal."""
    [image] = images(pdf)
    return ImageOps.expand(image.convert("L"), border=16, fill=255)


def document(**changes) -> CertificateDocument:
    values = {
        "serial": "BSX-2026-00042-X",
        "holder_name": "Tomas Trainee",
        "programme_title": "Leader training",
        "association_name": "Balint Society X",
        "achievement": "24 co-led sessions, 14 hours of supervision, 2024–2026",
        "issued_on": dt.date(2026, 3, 5),
        "expires_on": dt.date(2031, 3, 5),
        "signatory_name": "Dr Vera Signer",
        "signatory_role": "President",
        "verify_url": "http://localhost/verify/BSX-2026-00042-X",
    }
    return CertificateDocument(**{**values, **changes})
