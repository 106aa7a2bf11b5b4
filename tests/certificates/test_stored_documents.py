"""Issued documents are stored, not re-rendered (issue 14).

Why three downloads once had three hashes under the dev server: every download rendered
the PDF again, inside whichever thread the server gave the request (the dev server
starts one per request; gunicorn's sync worker reuses one), so anything the renderer
does not pin (fonts found per thread, metadata dates, a changed template or WeasyPrint)
reached the bytes. Rendering is pinned now (the PDF's dates come from the issue date,
``dcterms.created``; the tests below render in fresh threads), and more to the point
downloads no longer render: the bytes are stored at issue and served as they are.
"""

from __future__ import annotations

import hashlib
import json
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.certificates import corrections, credential, records, rendering
from app.documents.models import DocumentKind, StoredDocument
from app.documents.triggers import suspended
from app.extensions import db
from app.storage import services as storage
from app.storage.models import Namespace


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored(kind: DocumentKind, owner_id: int) -> list[StoredDocument]:
    return list(
        db.session.scalars(
            select(StoredDocument)
            .where(StoredDocument.kind == kind.value, StoredDocument.owner_id == owner_id)
            .order_by(StoredDocument.version)
        )
    )


def _download(client, certificate) -> bytes:
    response = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert response.status_code == 200
    return response.get_data()


def test_issuing_stores_the_pdf_and_the_signed_credential(world, certificate):
    (pdf,) = _stored(DocumentKind.CERTIFICATE_PDF, certificate.id)
    (signed,) = _stored(DocumentKind.CERTIFICATE_CREDENTIAL, certificate.id)
    assert (pdf.version, pdf.reason, pdf.superseded_by_id) == (1, "issued", None)
    assert pdf.sha256 == _sha(pdf.content) == certificate.pdf_sha256
    assert pdf.content.startswith(b"%PDF")
    assert credential.verify_credential(json.loads(signed.content)).is_authentic


def test_three_downloads_are_the_page_fingerprint(client, world, certificate):
    client.login("trainee@x.test")
    hashes = [_sha(_download(client, certificate)) for _ in range(3)]
    assert hashes == [certificate.pdf_sha256] * 3
    assert certificate.pdf_sha256 in client.get(f"/certificates/{certificate.id}").get_data(as_text=True)


def test_rendering_in_fresh_threads_gives_the_same_bytes(app, certificate):
    """The renderer keeps per-thread font state: a new thread must not change a byte."""
    results: list[bytes] = []

    def render() -> None:
        with app.app_context():
            results.append(rendering.render_document(rendering.document_for(certificate)))

    for _ in range(2):
        thread = threading.Thread(target=render)
        thread.start()
        thread.join()
    assert results[0] == results[1]
    assert records.matches_issued(certificate, results[0])  # what was sealed at issue


def test_the_served_bytes_do_not_depend_on_the_renderer(client, world, certificate, monkeypatch):
    """A new template (or a WeasyPrint upgrade) cannot change an issued document."""
    client.login("trainee@x.test")
    issued = _download(client, certificate)
    original = rendering.render_html
    monkeypatch.setattr(rendering, "render_html", lambda doc: original(doc).replace("Certificate", "Diploma"))
    assert b"Diploma" not in issued
    assert _download(client, certificate) == issued
    assert _sha(issued) == certificate.pdf_sha256


def test_the_credential_is_served_as_signed_at_issue(client, world, certificate, app):
    (signed,) = _stored(DocumentKind.CERTIFICATE_CREDENTIAL, certificate.id)
    # Without the signing key nothing could be signed again: the stored bytes are served.
    storage.delete(Namespace.CREDENTIAL_KEY, str(certificate.association_id))
    db.session.commit()
    response = client.get(f"/credentials/{certificate.serial}.json")
    assert response.status_code == 200
    assert response.get_data() == signed.content


def test_regenerating_is_an_audited_new_version_and_the_old_file_verifies_as_superseded(
    client, world, certificate, monkeypatch
):
    old_pdf = _stored(DocumentKind.CERTIFICATE_PDF, certificate.id)[0].content
    original = rendering.render_html
    monkeypatch.setattr(rendering, "render_html", lambda doc: original(doc).replace("Certificate", "Diploma"))
    client.login("admin@x.test")
    url = f"/certificates/{certificate.id}"
    assert client.submit(url, {"regenerate-reason": "x"}, action=f"{url}/regenerate").status_code == 422
    response = client.submit(
        url, {"regenerate-reason": "New certificate design."}, action=f"{url}/regenerate"
    )
    assert response.status_code == 302
    first, second = _stored(DocumentKind.CERTIFICATE_PDF, certificate.id)
    assert (first.superseded_by_id, second.version, second.superseded_by_id) == (second.id, 2, None)
    assert second.reason == "regenerated: New certificate design."
    new_pdf = _download(client, certificate)
    assert new_pdf == second.content != old_pdf
    assert second.sha256 in client.get(url).get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.regenerated"))
    assert event is not None and event.actor_id == world.admin.id
    client.logout()
    old = client.submit("/verify", {"sha256": _sha(old_pdf)}).get_data(as_text=True)
    assert "superseded" in old and "We did not issue" not in old
    new = client.submit("/verify", {"sha256": _sha(new_pdf)}).get_data(as_text=True)
    assert "We issued this file, unaltered" in new and "it is superseded" not in new


def test_only_the_associations_admins_regenerate(world, certificate):
    from app.errors import NotFound

    with pytest.raises(NotFound):
        corrections.regenerate(world.other_admin, certificate.id, reason="Not my association.")


def test_a_certificate_from_before_stored_documents_is_stored_on_first_download(client, world, certificate):
    certificate_id = certificate.id
    db.session.rollback()
    with db.engine.begin() as connection, suspended(connection):
        connection.execute(sa.text("DELETE FROM stored_document"))
    db.session.expire_all()
    client.login("trainee@x.test")
    first = _download(client, certificate)
    (stored,) = _stored(DocumentKind.CERTIFICATE_PDF, certificate_id)
    assert stored.reason == "stored on first download"
    assert first == stored.content == _download(client, certificate)


def test_stored_bytes_cannot_be_changed_or_removed(certificate):
    (pdf,) = _stored(DocumentKind.CERTIFICATE_PDF, certificate.id)
    for statement in (
        "UPDATE stored_document SET content = :junk WHERE id = :id",
        "UPDATE stored_document SET sha256 = 'forged' WHERE id = :id",
        "DELETE FROM stored_document WHERE id = :id",
    ):
        with pytest.raises(sa.exc.IntegrityError, match="stored bytes are final"):
            db.session.execute(sa.text(statement), {"id": pdf.id, "junk": b"junk"})
        db.session.rollback()
