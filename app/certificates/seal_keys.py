"""The associations' seal keys: the X.509 certificate and private key that seal issued PDFs.

Each association gets its own key the first time it seals a PDF: an RSA-2048 key and a
self-signed X.509 certificate naming the association (CN and O), valid for 20 years, with
the key usages a document signature needs (digital signature, non-repudiation). RSA
rather than ECDSA P-256, although P-256 is smaller and quicker to make: every PDF reader
that checks signatures checks RSA with SHA-256, old ones too, and pyHanko declares an
ECDSA signature as a PDF 2.0 extension (ISO/TS 32002), which would take the file out of
PDF/A-3 (a PDF 1.7 profile).

The private key is kept in the database (no state on an app server's disk), as PKCS#8
encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under a key-encryption key derived
with HKDF-SHA256 from ``SEAL_KEY_SECRET`` (``STILLPOINT_SEAL_KEY_SECRET``). Without it
(development, tests) the key-encryption key is derived from ``SECRET_KEY``; production
refuses to start without it (``app.config.check_production_settings``), so that a leaked
session secret does not also unlock the seals.

Rotating retires the current key and makes a new one (audited). A retired key is kept,
with its public certificate still published at ``/issuers/<slug>/seal/<fingerprint>.pem``,
because the PDFs it sealed carry its certificate and stay valid against it; only new PDFs
use the new key. ``/issuers/<slug>/seal.pem`` is always the current one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from datetime import datetime

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import policy
from app.accounts.models import Association, User
from app.audit.services import record
from app.database import UTCDateTime, utcnow
from app.errors import NotFound
from app.extensions import db

ALGORITHM = "RSA-2048"
RSA_BITS = 2048
VALID_YEARS = 20
HKDF_INFO = b"stillpoint association seal keys v1"
PEM_MEDIA_TYPE = "application/x-pem-file"


class SealKey(db.Model):
    """One association's seal key: the public certificate, and the private key encrypted."""

    __tablename__ = "association_seal_key"
    __table_args__ = (
        # One current key per association, whatever races the application loses.
        Index(
            "uq_association_seal_key_one_current",
            "association_id",
            unique=True,
            sqlite_where=text("retired_at IS NULL"),
            postgresql_where=text("retired_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    #: SHA-256 of the certificate's DER encoding, lower-case hex: what PDF readers show.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    algorithm: Mapped[str] = mapped_column(String(20), default=ALGORITHM)
    certificate_pem: Mapped[str] = mapped_column(Text)
    #: PKCS#8 DER of the private key, as a Fernet token under the key-encryption key.
    encrypted_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    association: Mapped[Association] = relationship()

    @property
    def is_current(self) -> bool:
        return self.retired_at is None

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem.encode("ascii"))

    @property
    def fingerprint_colons(self) -> str:
        """The fingerprint as PDF readers print it: upper-case byte pairs with colons."""
        return ":".join(self.fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()

    def __repr__(self) -> str:
        state = "current" if self.is_current else "retired"
        return f"<SealKey {self.association_id} {self.fingerprint[:16]} {state}>"


# -- encryption at rest -------------------------------------------------------------------


def _fernet() -> Fernet:
    """Fernet under the key-encryption key: HKDF of ``SEAL_KEY_SECRET``, else of ``SECRET_KEY``."""
    secret = current_app.config.get("SEAL_KEY_SECRET") or current_app.config["SECRET_KEY"]
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def private_key(key: SealKey) -> rsa.RSAPrivateKey:
    """Decrypt the private key; a clear error when the key-encryption secret changed."""
    try:
        der = _fernet().decrypt(key.encrypted_private_key)
    except InvalidToken as error:
        raise RuntimeError(
            f"the seal key {key.fingerprint} cannot be decrypted: SEAL_KEY_SECRET (or SECRET_KEY, "
            "when no SEAL_KEY_SECRET is set) is not the one it was stored under"
        ) from error
    loaded = serialization.load_der_private_key(der, password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):  # pragma: no cover - we store only these
        raise RuntimeError(f"seal key {key.fingerprint} is not an RSA key")
    return loaded


def private_key_der(key: SealKey) -> bytes:
    """The decrypted private key as PKCS#8 DER (what pyHanko's signer loads)."""
    return private_key(key).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


# -- making keys --------------------------------------------------------------------------


def _name(association: Association) -> x509.Name:
    label = association.name[:64]  # the X.520 upper bound of CN and O
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, label),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, label),
        ]
    )


def _self_signed(association: Association, key: rsa.RSAPrivateKey, now: datetime) -> x509.Certificate:
    name = _name(association)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))  # a little room for clocks that lag
        .not_valid_after(now.replace(year=now.year + VALID_YEARS, day=min(now.day, 28)))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _new_key(association: Association, actor_id: int | None) -> SealKey:
    now = utcnow()
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    certificate = _self_signed(association, key, now)
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SealKey(
        association_id=association.id,
        fingerprint=hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest(),
        algorithm=ALGORITHM,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        encrypted_private_key=_fernet().encrypt(der),
        created_at=now,
        created_by_id=actor_id,
        valid_until=certificate.not_valid_after_utc,
    )


def _current(association_id: int) -> SealKey | None:
    return db.session.scalar(
        select(SealKey).where(SealKey.association_id == association_id, SealKey.retired_at.is_(None))
    )


def seal_key(association: Association, actor_id: int | None = None) -> SealKey:
    """The association's current seal key, made (and audited) the first time it is needed.

    Two first uses at once: the partial unique index lets one insert win; the other
    rolls back its savepoint and takes the winner's key.
    """
    key = _current(association.id)
    if key is not None:
        return key
    key = _new_key(association, actor_id)
    try:
        with db.session.begin_nested():
            db.session.add(key)
    except IntegrityError:
        winner = _current(association.id)
        if winner is None:  # pragma: no cover - the index only refuses a second current key
            raise
        return winner
    record(
        "certificate.seal_key_created",
        key,
        association_id=association.id,
        fingerprint=key.fingerprint,
        algorithm=key.algorithm,
    )
    return key


def rotate(actor: User, association_id: int) -> SealKey:
    """Retire the current seal key and make a new one (admins only, audited).

    PDFs sealed before keep their old key's signature, which stays valid: the retired
    key's certificate is still published. New PDFs are sealed with the new key.
    """
    policy.require_manage_certificates(actor, association_id)
    association = db.session.get(Association, association_id)
    if association is None:  # pragma: no cover - membership implies the association exists
        raise NotFound(_("No such association."))
    old = _current(association_id)
    if old is not None:
        old.retired_at = utcnow()
        old.retired_by_id = actor.id
        db.session.flush()  # frees the one current key of the association
    new = _new_key(association, actor.id)
    db.session.add(new)
    db.session.flush()
    record(
        "certificate.seal_key_rotated",
        new,
        actor=actor,
        association_id=association_id,
        fingerprint=new.fingerprint,
        retired=old.fingerprint if old is not None else None,
    )
    return new


def keys_of(actor: User, association_id: int) -> list[SealKey]:
    """Every seal key of the association, current first, for its admins."""
    policy.require_manage_certificates(actor, association_id)
    return list(
        db.session.scalars(
            select(SealKey)
            .where(SealKey.association_id == association_id)
            .order_by(SealKey.retired_at.is_not(None), SealKey.created_at.desc(), SealKey.id.desc())
        )
    )


# -- published certificates ---------------------------------------------------------------


def _association(slug: str) -> Association:
    association = db.session.scalar(select(Association).where(Association.slug == slug))
    if association is None:
        raise NotFound(_("No such issuer."))
    return association


def published_current(slug: str) -> SealKey:
    """The current seal certificate of an issuer; NotFound before it has sealed anything."""
    key = _current(_association(slug).id)
    if key is None:
        raise NotFound(_("This association has not sealed any certificates yet."))
    return key


def published(slug: str, fingerprint: str) -> SealKey:
    """A seal certificate of an issuer by its SHA-256 fingerprint, current or retired."""
    association = _association(slug)
    key = db.session.scalar(
        select(SealKey).where(
            SealKey.association_id == association.id, SealKey.fingerprint == fingerprint.lower()
        )
    )
    if key is None:
        raise NotFound(_("No such seal certificate."))
    return key


def by_fingerprint(fingerprint: str) -> SealKey | None:
    return db.session.scalar(select(SealKey).where(SealKey.fingerprint == fingerprint))
