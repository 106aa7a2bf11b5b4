"""Encryption at rest for stored secrets, the same way as the seal keys.

Fernet (AES-128-CBC and HMAC-SHA256) under a key derived with HKDF-SHA256 from
``SEAL_KEY_SECRET`` (else ``SECRET_KEY``, which production refuses: see
``app.config.check_production_settings``). A different HKDF ``info`` than the seal keys
gives these secrets a key of their own from the same configured secret.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

HKDF_INFO = b"stillpoint stored secrets v1"


def fernet_for(secret: str) -> Fernet:
    """Fernet under the key derived from ``secret`` (migration 0046 passes the configured one)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def configured_secret(config) -> str:
    return config.get("SEAL_KEY_SECRET") or config["SECRET_KEY"]


def fernet() -> Fernet:
    return fernet_for(configured_secret(current_app.config))
