"""The machine-readable twin of a certificate: an Open Badges 3.0 credential, signed.

Format: an ``OpenBadgeCredential`` (a W3C Verifiable Credential, data model 2.0) with
the holder's name, the programme as the achievement, the validity dates, the PDF as
evidence (its verification page, and the SHA-256 of the PDF/A rendering before it was
sealed: the sealed PDF carries this credential, so it cannot be hashed in it; see
``sealing``; certificates issued before sealing name their PDF's own hash) and a
``credentialStatus`` of two ``BitstringStatusListEntry`` objects: the certificate's
index in its association's revocation and suspension lists (``status_list``).
Credentials signed before those lists existed carry one entry of type
``1EdTechRevocationList`` pointing at a status document that always tells the
certificate's current status; they are stored as signed, and that document stays.

Proof: a ``DataIntegrityProof`` with cryptosuite ``eddsa-jcs-2022``:

1. the proof options (type, cryptosuite, created, verificationMethod, proofPurpose)
   plus the credential's ``@context`` and the credential without ``proof`` are each
   canonicalised with JCS (RFC 8785; for our documents, which hold only strings,
   integers and booleans, that is JSON with sorted keys and no whitespace, UTF-8);
2. the signed message is SHA-256(options) followed by SHA-256(credential);
3. the Ed25519 signature is written as ``proofValue``: ``z`` + base58btc.

The signing key belongs to the association. It is generated on first use and stored
in the database (``app.storage``, namespace ``credential_key``, keyed by the
association's id) as a PKCS#8 PEM encrypted with Fernet under ``SEAL_KEY_SECRET``, like
the seal keys, so every app server and worker signs with the same key (before
migration 0046 it was a file in ``CERTIFICATE_KEY_DIR``; the migration imported it);
the public key is published as a Multikey (with a JWK copy) at
``/issuers/<slug>/key.json``, which is the proof's ``verificationMethod``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.accounts.models import Association
from app.certificates import status_check, status_list
from app.certificates.models import Certificate, CertificateState, CertificateStatus
from app.certificates.verification import credential_url, find_by_serial, public_url, status_url, verify_url
from app.errors import NotFound
from app.extensions import db
from app.storage import services as storage
from app.storage.models import Namespace

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
CRYPTOSUITE = "eddsa-jcs-2022"
LEGACY_STATUS_TYPE = "1EdTechRevocationList"
ED25519_MULTICODEC = b"\xed\x01"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


# -- encodings ----------------------------------------------------------------------------


def canonical_json(value: object) -> bytes:
    """JCS for JSON made of strings, integers, booleans, null, lists and objects."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def base58btc(data: bytes) -> str:
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, remainder = divmod(number, 58)
        out = BASE58[remainder] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def from_base58btc(text: str) -> bytes:
    number = 0
    for character in text:
        index = BASE58.find(character)
        if index < 0:
            raise ValueError("not base58")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


# -- keys ---------------------------------------------------------------------------------


def _storage_key(association: Association) -> str:
    return str(association.id)


def signing_key(association: Association) -> Ed25519PrivateKey:
    """The association's private key, generated the first time a certificate needs it.

    Two first uses at once (two servers): ``storage.put`` keeps whichever came first
    and both sign with it.
    """
    pem = storage.read(Namespace.CREDENTIAL_KEY, _storage_key(association))
    if pem is None:
        new = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        storage.put(
            Namespace.CREDENTIAL_KEY, _storage_key(association), new, "application/x-pem-file", encrypt=True
        )
        pem = storage.read(Namespace.CREDENTIAL_KEY, _storage_key(association))
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"the stored credential key of {association.slug} is not an Ed25519 key")
    return key


def public_key(association: Association) -> Ed25519PublicKey:
    """The published key; NotFound before the association has signed anything."""
    if not storage.exists(Namespace.CREDENTIAL_KEY, _storage_key(association)):
        raise NotFound(_("This association has not issued any credentials yet."))
    return signing_key(association).public_key()


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def issuer_url(association: Association) -> str:
    return public_url("certificates.issuer", slug=association.slug)


def key_url(association: Association) -> str:
    return public_url("certificates.issuer_key", slug=association.slug)


def key_document(association: Association) -> dict:
    """The public key as a Multikey verification method, with the same key as a JWK."""
    raw = _raw(public_key(association))
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": key_url(association),
        "type": "Multikey",
        "controller": issuer_url(association),
        "publicKeyMultibase": "z" + base58btc(ED25519_MULTICODEC + raw),
        "publicKeyJwk": {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        },
    }


def issuer_profile(association: Association) -> dict:
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_url(association),
        "type": ["Profile"],
        "name": association.name,
    }


# -- the credential -----------------------------------------------------------------------


def _timestamp(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def unsigned_credential(certificate: Certificate, rendering_sha256: str | None = None) -> dict:
    """The OpenBadgeCredential for ``certificate``: the same input always gives the same JSON.

    Its words are in the certificate's language, never the visitor's, so every copy of a
    credential is the same document with the same signature. ``rendering_sha256``: the
    hash of the PDF/A rendering that is sealed with this credential inside; without it
    (certificates issued before sealing) the evidence names ``pdf_sha256``.
    """
    with force_locale(certificate.locale):
        return _credential(certificate, rendering_sha256)


def _evidence_description(certificate: Certificate, rendering_sha256: str | None) -> str:
    if rendering_sha256 is None:
        return f"SHA-256 {certificate.pdf_sha256}"
    return _(
        "SHA-256 of the PDF before the association's seal (the sealed file's first revision): %(sha256)s",
        sha256=rendering_sha256,
    )


def _credential(certificate: Certificate, rendering_sha256: str | None) -> dict:
    association = certificate.association
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_url(certificate.serial),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.programme_title,
        "issuer": {"id": issuer_url(association), "type": ["Profile"], "name": certificate.association_name},
        # The original award (kept by renewals); validFrom/validUntil give the current period.
        "awardedDate": f"{(certificate.first_awarded_on or certificate.issued_on).isoformat()}T00:00:00Z",
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": f"{issuer_url(association)}#programme-{certificate.programme_id}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.programme_title,
                "description": certificate.achievement or certificate.programme_title,
                "criteria": {
                    "narrative": _(
                        "Met every essential requirement of version %(version)d of the programme's rules.",
                        version=certificate.rule_set_version,
                    )
                },
            },
        },
        "credentialStatus": _credential_status(certificate),
        "evidence": [
            {
                "id": verify_url(certificate.serial),
                "type": ["Evidence"],
                "name": _("Certificate %(serial)s (PDF)", serial=certificate.serial),
                "description": _evidence_description(certificate, rendering_sha256),
            }
        ],
    }
    if certificate.expires_on is not None:
        credential["validUntil"] = f"{certificate.expires_on.isoformat()}T23:59:59Z"
    return credential


def _credential_status(certificate: Certificate) -> list[dict] | dict:
    """The certificate's entries in the status lists; the live status document for a
    certificate that somehow has no index (it still tells the truth, and fails closed)."""
    entry = status_list.entry_of(certificate)
    if entry is None:
        return {"id": status_url(certificate.serial), "type": LEGACY_STATUS_TYPE}
    return status_list.credential_status(certificate, entry)


def _signed_message(document: dict, options: dict) -> bytes:
    """SHA-256 of the canonical proof options, then of the canonical document (eddsa-jcs-2022)."""
    return (
        hashlib.sha256(canonical_json(options)).digest() + hashlib.sha256(canonical_json(document)).digest()
    )


def sign(document: dict, key: Ed25519PrivateKey, verification_method: str, created: str) -> dict:
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
        "@context": document["@context"],
    }
    signature = key.sign(_signed_message(document, options))
    return {**document, "proof": {**options, "proofValue": "z" + base58btc(signature)}}


def signed_credential(certificate: Certificate, rendering_sha256: str | None = None) -> dict:
    """The credential with its proof (Ed25519 is deterministic: the same bytes every time)."""
    association = certificate.association
    return sign(
        unsigned_credential(certificate, rendering_sha256),
        signing_key(association),
        key_url(association),
        _timestamp(certificate.issued_at),
    )


def status_document(certificate: Certificate, today: dt.date | None = None) -> dict:
    """The 1EdTech revocation list for one credential: revoked, replaced or suspended, or not
    (no reasons: those stay with the association).

    A suspended credential is listed as revoked (with ``suspended`` and the date), so that
    a verifier who knows only this format refuses it too; the entry goes when the
    suspension is lifted. ``status`` and ``suspendedSince`` say the same for readers who
    know them.
    """
    entries = []
    suspension = certificate.open_suspension if certificate.state == CertificateState.VALID else None
    if certificate.state != CertificateState.VALID:
        entry = {"id": credential_url(certificate.serial), "revoked": True}
        if certificate.state == CertificateState.SUPERSEDED and certificate.superseded_by is not None:
            entry["revocationReason"] = f"Superseded by {credential_url(certificate.superseded_by.serial)}"
        entries.append(entry)
    elif suspension is not None:
        since = _timestamp(suspension.suspended_at)
        entries.append(
            {
                "id": credential_url(certificate.serial),
                "revoked": True,
                "suspended": True,
                "revocationReason": f"Suspended since {since}",
            }
        )
    document = {
        "id": status_url(certificate.serial),
        "status": certificate.status_on(today or dt.date.today()).value,
        "revokedCredentials": entries,
    }
    if suspension is not None:
        document["suspendedSince"] = _timestamp(suspension.suspended_at)
    return document


# -- checking a credential ----------------------------------------------------------------


@dataclass(frozen=True)
class CredentialCheck:
    is_authentic: bool
    problem: str = ""
    serial: str | None = None
    status: str | None = None

    def as_json(self) -> dict:
        return {
            "verified": self.is_authentic,
            "problem": self.problem or None,
            "serial": self.serial,
            "status": self.status,
        }


def _association_for_key(verification_method: str) -> Association | None:
    """The association whose published key URL is exactly ``verification_method``."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    path, prefix = urlsplit(verification_method).path, base.path.rstrip("/")
    try:
        endpoint, values = adapter.match(path.removeprefix(prefix) if prefix else path)
    except HTTPException:  # not one of our routes
        return None
    if endpoint != "certificates.issuer_key":
        return None
    association = db.session.scalar(select(Association).where(Association.slug == values["slug"]))
    return association if association is not None and key_url(association) == verification_method else None


def verify_credential(document: object, today: dt.date | None = None) -> CredentialCheck:
    """Check a credential we issued: its proof, its issuer and the certificate's status today."""
    if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
        return CredentialCheck(False, _("This is not a signed credential."))
    proof = dict(document["proof"])
    value = proof.pop("proofValue", "")
    unsecured = {key: item for key, item in document.items() if key != "proof"}
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return CredentialCheck(False, _("The proof is not of a kind we issue."))
    if proof.get("proofPurpose") != "assertionMethod" or proof.get("@context") != unsecured.get("@context"):
        return CredentialCheck(False, _("The proof does not match the credential."))
    association = _association_for_key(str(proof.get("verificationMethod", "")))
    if association is None or (unsecured.get("issuer") or {}).get("id") != issuer_url(association):
        return CredentialCheck(False, _("The credential was not signed by an issuer of ours."))
    try:
        signature = from_base58btc(value[1:]) if isinstance(value, str) and value.startswith("z") else b""
        public_key(association).verify(signature, _signed_message(unsecured, proof))
    except (InvalidSignature, ValueError, NotFound):
        return CredentialCheck(
            False, _("The signature does not match: the credential was changed or forged.")
        )
    serial = str(unsecured.get("id", "")).rsplit("/", 1)[-1].removesuffix(".json")
    try:
        certificate = find_by_serial(serial)
    except NotFound:
        return CredentialCheck(False, _("The signature is ours but we have no such certificate."), serial)
    # The status as the credential's own status entries give it, failing closed.
    outcome = status_check.check_document(unsecured.get("credentialStatus"), certificate)
    status = status_check.verdict(certificate.status_on(today or dt.date.today()), outcome)
    problem = ""
    if status == CertificateStatus.COULD_NOT_CHECK:
        problem = _(
            "The signature is ours, but the credential's status could not be checked: %(why)s",
            why=outcome.problem,
        )
    return CredentialCheck(True, problem, certificate.serial, status.value)
