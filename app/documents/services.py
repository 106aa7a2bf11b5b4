"""Storing and finding issued documents (``StoredDocument``).

These are building blocks for the services that own the documents (certificates:
``app.certificates.documents``), which check permissions and audit; nothing here
decides who may read what.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from app.database import utcnow
from app.documents.models import DocumentKind, StoredDocument
from app.extensions import db


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current(kind: DocumentKind, owner_id: int) -> StoredDocument | None:
    """The version in force of one owner's document of ``kind`` (None before one is stored)."""
    return db.session.scalar(
        select(StoredDocument).where(
            StoredDocument.kind == kind.value,
            StoredDocument.owner_id == owner_id,
            StoredDocument.superseded_by_id.is_(None),
        )
    )


def store(
    kind: DocumentKind,
    *,
    association_id: int,
    owner_id: int,
    content: bytes,
    media_type: str,
    reason: str,
    created_by_id: int | None = None,
) -> StoredDocument:
    """Store ``content`` as the next version; the version in force until now is superseded."""
    previous = current(kind, owner_id)
    last = db.session.scalar(
        select(func.max(StoredDocument.version)).where(
            StoredDocument.kind == kind.value, StoredDocument.owner_id == owner_id
        )
    )
    document = StoredDocument(
        kind=kind.value,
        association_id=association_id,
        owner_id=owner_id,
        version=(last or 0) + 1,
        media_type=media_type,
        content=content,
        sha256=sha256_hex(content),
        created_at=utcnow(),
        created_by_id=created_by_id,
        reason=reason,
    )
    db.session.add(document)
    db.session.flush()
    if previous is not None:
        previous.superseded_by_id = document.id
        db.session.flush()
    return document


def by_sha256(kind: DocumentKind, digest: str) -> StoredDocument | None:
    """The stored document of ``kind`` with these exact bytes (the newest, should two match)."""
    return db.session.scalar(
        select(StoredDocument)
        .where(StoredDocument.kind == kind.value, StoredDocument.sha256 == digest)
        .order_by(StoredDocument.id.desc())
        .limit(1)
    )
