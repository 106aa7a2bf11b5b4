"""Putting, reading and deleting stored files (``Blob``): the one interface to them.

Building blocks for the features that own the files (uploads, logos, signing keys);
they check permissions, nothing here does. Everything happens in the caller's
transaction, so a file stored by a request that fails is rolled back with it, where a
file on disk stayed behind.
"""

from __future__ import annotations

import hashlib

from cryptography.fernet import InvalidToken
from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.database import utcnow
from app.extensions import db
from app.storage import crypto
from app.storage.models import Blob, Namespace


def _find(namespace: Namespace, key: str) -> Blob | None:
    return db.session.scalar(select(Blob).where(Blob.namespace == namespace.value, Blob.key == key))


def _blob(namespace: Namespace, key: str, data: bytes, media_type: str, encrypt: bool) -> Blob:
    return Blob(
        namespace=namespace.value,
        key=key,
        media_type=media_type,
        content=crypto.fernet().encrypt(data) if encrypt else data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        is_encrypted=encrypt,
        created_at=utcnow(),
    )


def put(namespace: Namespace, key: str, data: bytes, media_type: str, *, encrypt: bool = False) -> bool:
    """Store ``data`` under ``key`` unless something is stored there already.

    Returns whether this call stored it. Two servers putting the same key at once: the
    unique constraint lets one win, the other's savepoint rolls back, and both go on
    with the winner's bytes (what content-addressed logos and first-use keys need).
    """
    if exists(namespace, key):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(_blob(namespace, key, data, media_type, encrypt))
    except IntegrityError:
        if not exists(namespace, key):  # pragma: no cover - only the (namespace, key) pair is unique
            raise
        return False
    return True


def exists(namespace: Namespace, key: str) -> bool:
    found = db.session.scalar(
        select(Blob.id).where(Blob.namespace == namespace.value, Blob.key == key).limit(1)
    )
    return found is not None


def read(namespace: Namespace, key: str) -> bytes | None:
    """The plain bytes stored under ``key``, or None when there are none."""
    blob = _find(namespace, key)
    if blob is None:
        return None
    if not blob.is_encrypted:
        return blob.content
    try:
        return crypto.fernet().decrypt(blob.content)
    except InvalidToken as error:
        raise RuntimeError(
            f"stored {namespace.value} {key} cannot be decrypted: was SEAL_KEY_SECRET changed?"
        ) from error


def delete(namespace: Namespace, key: str) -> None:
    db.session.execute(sql_delete(Blob).where(Blob.namespace == namespace.value, Blob.key == key))
