"""The certificate PDF: what it says, its fonts, its QR code, its page, and that it is reproducible."""

from __future__ import annotations

import base64
import io

import pytest
import segno
from PIL import Image, ImageChops

from app.certificates import records, rendering, serials
from tests.certificates.pdfs import (
    document,
    embedded_font_files,
    font_names,
    images,
    qr_image,
    reader,
    text_of,
)

BUNDLED_FONTS = {"Stillpoint-Garamond", "Stillpoint-Garamond-Italic", "Stillpoint-Sans"}


def test_the_text_holds_holder_programme_serial_and_dates(certificate):
    text = text_of(records.render_issued(certificate))
    assert "Tomas Trainee" in text
    assert "Leader training" in text
    assert certificate.serial in text
    assert "March 5, 2026" in text  # issued on
    assert "No expiry" in text
    assert "Balint Society X" in text
    assert "2 co-led sessions, 2025–2026" in text


def test_the_expiry_date_is_printed(app):
    text = text_of(rendering.render_document(document()))
    assert "March 5, 2031" in text
    assert "Dr Vera Signer" in text and "President" in text


@pytest.mark.parametrize(
    "name",
    [
        "Győző Kőműves-Ősz",  # Hungarian ő ű
        "Łucja Żółkiewska",  # Polish ł ż ó
        "Jürgen Weiß",  # German ü ß
        "Αλέξανδρος Παπαδόπουλος",  # Greek
        "Пётр Ильич Чайковский",  # Cyrillic
    ],
)
def test_names_in_other_scripts_print_in_the_bundled_fonts(app, name):
    pdf = rendering.render_document(document(holder_name=name))
    assert name in text_of(pdf)
    assert font_names(pdf) <= BUNDLED_FONTS  # no glyph fell back to a system font


def test_every_font_is_embedded(app):
    pdf = rendering.render_document(document())
    fonts = font_names(pdf)
    assert fonts == BUNDLED_FONTS
    assert embedded_font_files(pdf) == len(fonts)


def test_rendering_again_gives_the_rendering_that_was_sealed(certificate):
    first = records.render_issued(certificate)
    second = records.render_issued(certificate)
    assert first == second
    assert records.matches_issued(certificate, first)


def test_dates_in_the_pdf_are_the_issue_date(app):
    metadata = reader(rendering.render_document(document())).metadata
    assert metadata["/CreationDate"] == "D:20260305000000Z"
    assert metadata["/ModDate"] == "D:20260305000000Z"


def test_the_pdf_declares_pdf_a_3b(app):
    pdf = reader(rendering.render_document(document()))
    xmp = pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in pdf.trailer["/Root"]


def test_the_qr_code_is_exactly_the_verification_url(app):
    """Regenerate the QR matrix for the expected URL and compare it pixel for pixel."""
    doc = document()
    expected_png = segno.make(doc.verify_url, error="m", micro=False, mask=0).png_data_uri(scale=4, border=2)
    expected = Image.open(io.BytesIO(base64.b64decode(expected_png.split(",", 1)[1]))).convert("L")
    [embedded] = images(rendering.render_document(doc))
    assert embedded.size == expected.size
    assert ImageChops.difference(embedded.convert("L"), expected).getbbox() is None


def test_the_qr_code_decodes_to_the_verification_url(certificate):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes QR codes; pip install zxing-cpp")
    decoded = [
        barcode.text for barcode in zxingcpp.read_barcodes(qr_image(records.render_issued(certificate)))
    ]
    assert decoded == [f"http://localhost/verify/{certificate.serial}"]


def test_a4_landscape_by_default_and_letter_on_request(app):
    a4 = reader(rendering.render_document(document())).pages[0].mediabox
    letter = reader(rendering.render_document(document(page_size="Letter"))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (842, 595)
    assert (round(float(letter.width)), round(float(letter.height))) == (792, 612)


def test_an_uploaded_logo_is_printed(app):
    logo = Image.new("RGB", (40, 20), "#2f5d62")
    out = io.BytesIO()
    logo.save(out, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    sizes = sorted(image.size for image in images(rendering.render_document(document(logo_data_uri=uri))))
    assert (40, 20) in sizes


def test_qr_codes_of_many_serials_scan(app):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes QR codes; pip install zxing-cpp")
    for number in range(1, 400, 13):
        url = f"https://verify.example/verify/{serials.format_serial('BSUK', 2026, number)}"
        png = base64.b64decode(rendering.qr_data_uri(url).split(",", 1)[1])
        image = Image.open(io.BytesIO(png)).convert("L")
        assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [url]
