"""A visible REVOKED or SUSPENDED mark on every page of a copy of a certificate's PDF.

The stored PDF stays as issued (its bytes and fingerprint unchanged); a download made
after revocation or during a suspension gets a stamped copy, so a printout cannot pass
for a certificate in force.
"""

from __future__ import annotations

import io
import math

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, FloatObject, NameObject

# Advance widths (1/1000 em) of Helvetica-Bold for the capitals of the marks.
_BOLD_WIDTHS = {
    "R": 722,
    "E": 667,
    "V": 667,
    "O": 778,
    "K": 722,
    "D": 722,
    "S": 667,
    "U": 722,
    "P": 667,
    "N": 722,
}
_RED = "0.72 0.08 0.08"


def _font(base: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(base),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def _pdf_text(text: str) -> str:
    """A PDF string literal in WinAnsi; characters outside it become '?'."""
    encoded = text.encode("cp1252", errors="replace").decode("latin-1")
    return "(" + encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _overlay(width: float, height: float, word: str, note: str) -> PageObject:
    """One transparent page: the word large across the diagonal, a banner with the note."""
    size = min(width, height) / 5.5
    word_width = sum(_BOLD_WIDTHS.get(c, 722) for c in word) / 1000 * size
    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    x = width / 2 - cos * word_width / 2 + sin * size * 0.35
    y = height / 2 - sin * word_width / 2 - cos * size * 0.35
    note_size = 11
    note_x = max(12.0, width / 2 - len(note) * note_size * 0.26)
    ops = (
        f"q /StampGS gs {_RED} rg {_RED} RG 4 w\n"
        f"BT /StampBold {size:.1f} Tf {cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {x:.1f} {y:.1f} Tm "
        f"{_pdf_text(word)} Tj ET Q\n"
        f"q {_RED} rg 0 {height - 34:.1f} {width:.1f} 34 re f\n"
        f"1 1 1 rg BT /StampBold {note_size} Tf {note_x:.1f} {height - 22:.1f} Td {_pdf_text(note)} Tj ET Q\n"
    )
    page = PageObject.create_blank_page(width=width, height=height)
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject({NameObject("/StampBold"): _font("/Helvetica-Bold")}),
            NameObject("/ExtGState"): DictionaryObject(
                {
                    NameObject("/StampGS"): DictionaryObject(
                        {NameObject("/ca"): FloatObject(0.35), NameObject("/CA"): FloatObject(0.35)}
                    )
                }
            ),
        }
    )
    stream = DecodedStreamObject()
    stream.set_data(ops.encode("latin-1"))
    page[NameObject("/Contents")] = stream
    return page


def stamp(pdf: bytes, word: str, note: str) -> bytes:
    """A copy of ``pdf`` with ``word`` (e.g. REVOKED) and ``note`` on every page."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        box = page.mediabox
        page.merge_page(_overlay(float(box.width), float(box.height), word, note))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
