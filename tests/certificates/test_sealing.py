"""The sealed certificate PDF (issue 18): PAdES seal, PDF/A, the credential inside, the seal keys."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.certificates import corrections, documents, seal_keys, sealing
from app.certificates.seal_keys import SealKey
from app.config import ConfigurationError
from app.extensions import db
from tests.certificates.pdfs import reader


def _keys(association_id: int) -> list[SealKey]:
    return list(db.session.scalars(select(SealKey).where(SealKey.association_id == association_id)))


def _first_revision(sealed: bytes) -> bytes:
    """The bytes up to the first end-of-file marker: the rendering the seal was appended to."""
    end = sealed.index(b"%%EOF") + len(b"%%EOF")
    return sealed[: end + 1] if sealed[end : end + 1] == b"\n" else sealed[:end]


def test_the_issued_pdf_is_sealed_validates_and_any_changed_byte_breaks_it(world, certificate):
    sealed = documents.pdf_of(certificate).content
    [key] = _keys(world.association.id)
    check = sealing.check(sealed, [key])
    assert check.is_good and check.signer_fingerprint == key.fingerprint
    assert not check.has_timestamp  # B-B: no timestamp authority configured
    assert hashlib.sha256(sealed).hexdigest() == certificate.pdf_sha256  # what upload-verification hashes

    tampered = bytearray(sealed)
    tampered[len(sealed) // 3] ^= 0x01  # inside the rendering, which the signature covers
    broken = sealing.check(bytes(tampered), [key])
    assert not broken.is_intact and not broken.is_good


def test_the_sealed_pdf_is_pdf_a_and_carries_the_stored_credential(world, certificate):
    sealed = documents.pdf_of(certificate).content
    pdf = reader(sealed)
    root = pdf.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in root
    assert pdf.pdf_header == "%PDF-1.7" and "/Version" not in root  # still PDF 1.7, as PDF/A-3 wants
    assert pdf.metadata["/Producer"] in xmp  # info dictionary and XMP agree
    [associated] = root["/AF"]
    assert associated.get_object()["/AFRelationship"] == "/Alternative"

    attached = sealing.attached_credential(sealed, certificate.serial)
    assert attached == documents.credential_of(certificate).content
    # The credential names the rendering before the seal: the sealed file's first revision.
    evidence = json.loads(attached)["evidence"][0]
    assert evidence["id"] == certificate.verify_url
    assert hashlib.sha256(_first_revision(sealed)).hexdigest() in evidence["description"]


def test_the_published_certificate_is_the_key_that_sealed_and_the_page_explains_it(
    client, world, certificate
):
    [key] = _keys(world.association.id)
    slug = world.association.slug
    current = client.get(f"/issuers/{slug}/seal.pem")
    assert current.status_code == 200 and current.mimetype == "application/x-pem-file"
    published = x509.load_pem_x509_certificate(current.get_data())
    der = published.public_bytes(serialization.Encoding.DER)
    signer = sealing.signer_fingerprint(documents.pdf_of(certificate).content)
    assert hashlib.sha256(der).hexdigest() == key.fingerprint == signer
    assert published.subject.rfc4514_string() == "O=Balint Society X,CN=Balint Society X"
    assert client.get(f"/issuers/{slug}/seal/{key.fingerprint}.pem").get_data() == current.get_data()
    assert client.get(f"/issuers/{slug}/seal/{'0' * 64}.pem").status_code == 404
    assert client.get("/issuers/nobody/seal.pem").status_code == 404

    page = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "The PDF carries its own proof" in page
    assert key.fingerprint_colons in page
    assert f"/issuers/{slug}/seal/{key.fingerprint}.pem" in page


def test_rotating_keeps_old_pdfs_valid_and_seals_new_ones_with_the_new_key(client, world, certificate):
    old_pdf = documents.pdf_of(certificate).content
    [old_key] = _keys(world.association.id)
    client.login("admin@x.test")
    refused = client.submit("/certificates/settings", {}, action="/certificates/settings/seal")
    assert refused.status_code == 422  # not confirmed
    response = client.submit(
        "/certificates/settings", {"seal-confirm": "y"}, action="/certificates/settings/seal"
    )
    assert response.status_code == 302
    db.session.expire_all()
    new_key = seal_keys.published_current(world.association.slug)
    assert new_key.fingerprint != old_key.fingerprint
    assert db.session.get(SealKey, old_key.id).retired_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.seal_key_rotated"))
    assert event.actor_id == world.admin.id and event.details["retired"] == old_key.fingerprint

    stored = corrections.regenerate(world.admin, certificate.id, reason="After rotating the seal key.")
    db.session.commit()
    keys = [old_key, new_key]
    assert sealing.check(old_pdf, keys).signer_fingerprint == old_key.fingerprint
    assert sealing.check(old_pdf, [old_key]).is_good  # the old PDF stays valid against its own key
    assert sealing.check(stored.content, [new_key]).is_good
    assert not sealing.check(stored.content, [old_key]).is_valid  # the new one needs the new key
    page = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert new_key.fingerprint_colons in page
    settings = client.get("/certificates/settings").get_data(as_text=True)
    assert old_key.fingerprint_colons in settings and new_key.fingerprint_colons in settings


def test_the_private_key_is_encrypted_at_rest(app, world):
    key = seal_keys.seal_key(world.association)
    db.session.commit()
    der = seal_keys.private_key_der(key)
    stored = key.encrypted_private_key
    assert der not in stored and b"PRIVATE KEY" not in stored
    numbers = seal_keys.private_key(key).private_numbers()
    assert numbers.p.to_bytes(128, "big") not in stored
    app.config["SEAL_KEY_SECRET"] = "another-secret-that-is-long-enough-0123456789"
    with pytest.raises(RuntimeError, match="cannot be decrypted"):
        seal_keys.private_key(key)


def test_the_cli_rotates_the_seal_key(app, world):
    first = seal_keys.seal_key(world.association)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["certificates", "rotate-seal", world.association.slug])
    assert result.exit_code == 0, result.output
    current = seal_keys.published_current(world.association.slug)
    assert current.id != first.id and current.fingerprint_colons in result.output
    assert current.created_by_id == world.admin.id


def test_production_refuses_a_seal_secret_derived_from_the_secret_key():
    from app import create_app

    settings = {
        "ENV_NAME": "production",
        "SECRET_KEY": "x" * 48,
        "BASE_URL": "https://stillpoint.example",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
    }
    with pytest.raises(ConfigurationError, match="SEAL_KEY_SECRET"):
        create_app(settings)
    with pytest.raises(ConfigurationError, match="SEAL_KEY_SECRET"):
        create_app({**settings, "SEAL_KEY_SECRET": "x" * 48})
    assert create_app({**settings, "SEAL_KEY_SECRET": "s" * 48}).config["SEAL_KEY_SECRET"] == "s" * 48
