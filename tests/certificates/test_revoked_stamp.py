"""A revoked or suspended certificate's PDF, downloaded afterwards, is stamped on every page."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from app.certificates import corrections, documents, suspension
from app.documents import services as stored_documents
from app.extensions import db
from tests.certificates.pdfs import reader, text_of


def _download(client, certificate) -> bytes:
    response = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert response.status_code == 200
    return response.get_data()


def _render_png(pdf: bytes, tmp_path, name: str):
    """The first page as a PNG (kept under tmp_path; a person can look at it)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(tmp_path / name)], check=True
    )  # noqa: S603,S607
    (png,) = tmp_path.glob(f"{name}*.png")
    return png


def test_a_revoked_certificates_pdf_carries_the_mark_and_the_stored_one_does_not(
    client, world, certificate, tmp_path
):
    client.login("trainee@x.test")
    issued = _download(client, certificate)
    assert "REVOKED" not in text_of(issued)
    stored_before = documents.pdf_of(certificate)
    corrections.revoke(world.admin, certificate.id, reason="Concerns raised by the ethics committee.")
    db.session.commit()

    stamped = _download(client, certificate)
    assert stamped != issued
    for page in reader(stamped).pages:
        assert "REVOKED" in page.extract_text()
    assert f"/verify/{certificate.serial}" in text_of(stamped)
    assert _render_png(stamped, tmp_path, "revoked").stat().st_size > 0

    db.session.expire_all()
    stored_after = documents.pdf_of(certificate)
    assert stored_after.id == stored_before.id and stored_after.content == issued
    assert stored_after.sha256 == stored_documents.sha256_hex(issued) == stored_before.sha256


def test_a_suspended_certificates_pdf_says_suspended_until_lifted(client, world, certificate):
    suspension.suspend(world.admin, certificate.id, reason="Under review by the board.")
    db.session.commit()
    client.login("trainee@x.test")
    assert "SUSPENDED" in text_of(_download(client, certificate))
    suspension.lift(world.admin, certificate.id, note="Settled.")
    db.session.commit()
    assert "SUSPENDED" not in text_of(_download(client, certificate))
