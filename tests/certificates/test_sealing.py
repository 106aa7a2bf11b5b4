"""The sealed certificate PDF (issue 18): PAdES seal, PDF/A, the credential inside, the seal keys."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.certificates import corrections, documents, issuing, rendering, seal_keys, sealing
from app.certificates.seal_keys import SealKey
from app.config import ConfigurationError
from app.extensions import db
from tests.certificates.pdfs import document, reader


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


def test_sealing_and_checking_work_inside_a_running_event_loop(world, ready):
    """pyHanko runs its own loop; a thread that already runs one (an async server, a
    Playwright test driving the app in-process) must still issue and check seals."""

    def issue_and_check():
        certificate = issuing.issue(world.admin, ready.id)
        sealed = documents.pdf_of(certificate).content
        return sealing.check(sealed, _keys(world.association.id))

    try:
        asyncio.get_running_loop()
    except RuntimeError:

        async def in_a_loop():
            return issue_and_check()

        assert asyncio.run(in_a_loop()).is_good
    else:  # this worker's thread already runs Playwright's loop (a browser test came first)
        assert issue_and_check().is_good


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


# -- B-T: a timestamp authority, over HTTP on loopback ----------------------------------------


def _tsa_certificate():
    """A throwaway timestamp authority: an RSA key (pyHanko's dummy TSA signs only with RSA)
    and a self-signed certificate for time stamping."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der_key),
    )


@pytest.fixture
def tsa_url():
    """pyHanko's dummy timestamper behind a real HTTP endpoint, so sealing uses its HTTP client."""
    certificate, key = _tsa_certificate()
    stamper = DummyTimeStamper(tsa_cert=certificate, tsa_key=key)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", certificate
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_with_a_timestamp_authority_configured_the_seal_is_b_t(app, world, tsa_url):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    url, tsa_certificate = tsa_url
    app.config["SEAL_TSA_URL"] = url
    rendered = rendering.render_document(document())
    sealed = sealing.seal(world.association, rendered, credential=b"{}", serial="BSX-2026-00042-X")
    key = seal_keys.seal_key(world.association)
    [signature] = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    status = sealing.off_the_event_loop(
        validate_pdf_signature,
        signature,
        ValidationContext(trust_roots=[sealing.asn1_certificate(key)], allow_fetching=False),
        ts_validation_context=ValidationContext(trust_roots=[tsa_certificate], allow_fetching=False),
    )
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted

    # An unreachable authority does not stop issuing: the seal falls back to B-B.
    app.config["SEAL_TSA_URL"] = "http://127.0.0.1:9/tsa"  # the discard port: nothing listens
    fallback = sealing.seal(world.association, rendered, credential=b"{}", serial="BSX-2026-00042-X")
    check = sealing.check(fallback, [key])
    assert check.is_good and not check.has_timestamp
