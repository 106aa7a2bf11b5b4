"""The Open Badges 3.0 credential: its shape, its Ed25519 proof, its key and its status."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.certificates import corrections, credential, status_list
from app.certificates.models import Certificate
from app.extensions import db
from app.storage import services as storage
from app.storage.crypto import fernet_for
from app.storage.models import Blob, Namespace


def _jcs(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_the_credential_is_an_open_badge(certificate):
    document = credential.signed_credential(certificate)
    assert document["@context"] == [credential.VC_CONTEXT, credential.OB_CONTEXT]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == f"http://localhost/credentials/{certificate.serial}.json"
    assert document["issuer"] == {
        "id": "http://localhost/issuers/bsx.json",
        "type": ["Profile"],
        "name": "Balint Society X",
    }
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == "Tomas Trainee"
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["name"] == "Leader training"
    index = status_list.entry_of(certificate).list_index
    assert document["credentialStatus"] == [
        {
            "id": f"http://localhost/issuers/bsx/status/{purpose}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": f"http://localhost/issuers/bsx/status/{purpose}",
        }
        for purpose in ("revocation", "suspension")
    ]
    assert certificate.pdf_sha256 in document["evidence"][0]["description"]
    assert document["proof"]["type"] == "DataIntegrityProof"
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"


def test_the_signature_verifies(certificate):
    check = credential.verify_credential(credential.signed_credential(certificate))
    assert check.is_authentic
    assert (check.serial, check.status) == (certificate.serial, "valid")


def test_the_documented_algorithm_checks_out_with_only_the_published_key(client, certificate):
    """Verify as an outsider would: the Multikey from its URL, JCS, SHA-256, Ed25519."""
    document = client.get(f"/credentials/{certificate.serial}.json").get_json()
    key_document = client.get("/issuers/bsx/key.json").get_json()
    assert (
        document["proof"]["verificationMethod"]
        == key_document["id"]
        == "http://localhost/issuers/bsx/key.json"
    )
    multikey = credential.from_base58btc(key_document["publicKeyMultibase"][1:])
    assert multikey[:2] == b"\xed\x01"
    public_key = Ed25519PublicKey.from_public_bytes(multikey[2:])
    proof = dict(document.pop("proof"))
    signature = credential.from_base58btc(proof.pop("proofValue")[1:])
    message = hashlib.sha256(_jcs(proof)).digest() + hashlib.sha256(_jcs(document)).digest()
    public_key.verify(signature, message)  # raises InvalidSignature if not


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["credentialSubject"]["identifier"][0].update(identityHash="Someone Else"),
        lambda d: d["credentialSubject"]["achievement"].update(name="Another programme"),
        lambda d: d.update(validFrom="2020-01-01T00:00:00Z"),
        lambda d: d.update(validUntil="2099-01-01T00:00:00Z"),
        lambda d: d["issuer"].update(name="Forged Society"),
        lambda d: d.pop("evidence"),
        lambda d: d.update(extra="added"),
        lambda d: d["proof"].update(created="2030-01-01T00:00:00Z"),
        lambda d: d["proof"].update(proofValue=d["proof"]["proofValue"][:-2] + "11"),
        lambda d: d["proof"].update(verificationMethod="http://localhost/issuers/oth/key.json"),
        lambda d: d["proof"].update(cryptosuite="eddsa-rdfc-2022"),
        lambda d: d.pop("proof"),
    ],
)
def test_any_change_breaks_the_credential(certificate, change):
    document = copy.deepcopy(credential.signed_credential(certificate))
    change(document)
    check = credential.verify_credential(document)
    assert not check.is_authentic
    assert check.problem


def test_a_credential_signed_with_another_key_fails(certificate):
    document = credential.unsigned_credential(certificate)
    forged = credential.sign(
        document,
        Ed25519PrivateKey.generate(),
        credential.key_url(certificate.association),
        "2026-03-05T00:00:00Z",
    )
    assert not credential.verify_credential(forged).is_authentic


def test_signing_is_deterministic(certificate):
    assert credential.signed_credential(certificate) == credential.signed_credential(certificate)


def test_revocation_shows_in_the_status(client, world, certificate):
    status_url = f"/credentials/{certificate.serial}/status.json"
    assert client.get(status_url).get_json()["revokedCredentials"] == []
    corrections.revoke(world.admin, certificate.id, reason="Issued to the wrong trainee by mistake.")
    db.session.commit()
    status = client.get(status_url).get_json()
    assert status["revokedCredentials"] == [
        {"id": f"http://localhost/credentials/{certificate.serial}.json", "revoked": True}
    ]
    check = client.post(
        "/credentials/verify", json=client.get(f"/credentials/{certificate.serial}.json").get_json()
    )
    assert check.get_json() == {
        "verified": True,
        "problem": None,
        "serial": certificate.serial,
        "status": "revoked",
    }


def test_a_superseded_credential_names_its_replacement(client, world, certificate):
    new = corrections.reissue(world.admin, certificate.id, reason="Name corrected on request.")
    db.session.commit()
    [entry] = client.get(f"/credentials/{certificate.serial}/status.json").get_json()["revokedCredentials"]
    assert entry["revocationReason"] == f"Superseded by http://localhost/credentials/{new.serial}.json"


def test_the_verify_endpoint_answers_without_a_session_or_csrf_token(client, certificate):
    document = credential.signed_credential(certificate)
    assert client.post("/credentials/verify", json=document).get_json()["verified"] is True
    document["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    answer = client.post("/credentials/verify", json=document).get_json()
    assert answer["verified"] is False
    assert client.post("/credentials/verify", data="not json").status_code == 400


def test_the_private_key_is_stored_encrypted_in_the_database(app, certificate):
    blob = db.session.scalar(select(Blob).where(Blob.namespace == Namespace.CREDENTIAL_KEY.value))
    assert blob.key == str(certificate.association_id) and blob.is_encrypted
    pem = storage.read(Namespace.CREDENTIAL_KEY, blob.key)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    body = pem.decode().splitlines()[1]
    assert body.encode() not in blob.content
    with pytest.raises(InvalidToken):  # another secret cannot read it
        fernet_for("some other secret").decrypt(blob.content)
    stored = [json.dumps(event.details) for event in db.session.scalars(select(AuditEvent))]
    stored += [repr(vars(row)) for row in db.session.scalars(select(Certificate))]
    assert not any(body in text for text in stored)
    assert not (Path(app.instance_path) / "keys").exists()


def test_the_key_is_made_once_and_kept(app, world):
    first = credential.signing_key(world.association)
    second = credential.signing_key(world.association)
    assert credential._raw(first.public_key()) == credential._raw(second.public_key())


def test_no_key_is_published_before_anything_was_signed(client, world):
    assert client.get("/issuers/bsx/key.json").status_code == 404
    assert client.get("/issuers/nobody/key.json").status_code == 404
    assert client.get("/issuers/bsx.json").get_json()["name"] == "Balint Society X"


def test_the_published_key_is_the_signing_key_as_multikey_and_jwk(client, certificate):
    published = client.get("/issuers/bsx/key.json").get_json()
    raw = credential._raw(credential.signing_key(certificate.association).public_key())
    assert credential.from_base58btc(published["publicKeyMultibase"][1:]) == b"\xed\x01" + raw
    assert published["publicKeyJwk"]["crv"] == "Ed25519"
    assert published["type"] == "Multikey"


def test_unknown_credentials_are_404(client, certificate):
    assert client.get("/credentials/BSX-2026-00999-A.json").status_code == 404
    assert client.get("/credentials/nonsense/status.json").status_code == 404


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x00\x00\x01", b"hello world", bytes(range(256))])
def test_base58_round_trips(data):
    assert credential.from_base58btc(credential.base58btc(data)) == data
