"""A stored file: bytes kept in the database under a namespace and a key.

Uploads (event certificates, evidence, attesting documents), certificate logos and the
associations' credential signing keys used to live in folders under the instance path,
which only the server that wrote them could read. Kept here, any app server or job
worker of one association serves what any other stored. Secrets (signing keys) are
stored encrypted (``is_encrypted``); see ``app.storage.crypto``.

Issued documents are not kept here but in ``app.documents`` (versioned, final).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db

__all__ = ["Blob", "Namespace"]


class Namespace(enum.StrEnum):
    """What a stored file is, and so what its key means."""

    UPLOAD = "upload"  # key: a random name such as 3f2a...9c.pdf (app.logbook.uploads)
    CERTIFICATE_LOGO = "certificate_logo"  # key: the PNG's SHA-256 (content-addressed)
    CREDENTIAL_KEY = "credential_key"  # key: the association's id; an Ed25519 PEM, encrypted


class Blob(db.Model):
    __tablename__ = "stored_blob"
    __table_args__ = (UniqueConstraint("namespace", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    namespace: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(100))
    media_type: Mapped[str] = mapped_column(String(80))
    #: The bytes as stored: a Fernet token when ``is_encrypted``. Loaded only when read.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)  # of the plain bytes
    sha256: Mapped[str] = mapped_column(String(64))  # of the plain bytes
    is_encrypted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Blob {self.namespace}/{self.key} {self.size} B>"
