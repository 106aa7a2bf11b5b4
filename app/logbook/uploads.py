"""Certificates of attendance: checked by content, stored outside the web root under random names.

A file is accepted only when its first bytes are those of a PDF, PNG or JPEG and its
name says the same; the name a browser sent is kept for display and downloads only,
never used as a path. Files live in the database (``app.storage``), so every app server
serves what any other stored, and nothing of them is reachable by URL: the only way to a
file is the download view, which asks the policy module whether the person may see the
record. (Before migration 0046 they lived in ``LOGBOOK_UPLOAD_DIR``; it imported them.)
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from app.errors import ValidationError
from app.storage import services as storage
from app.storage.models import Namespace

#: Signature bytes, the type they prove, and the extensions a matching name may carry.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ("pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", ("png",)),
    (b"\xff\xd8\xff", "image/jpeg", ("jpg", "jpeg")),
)
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg)$")


@dataclass(frozen=True)
class Upload:
    """A file as the person sent it: the name their computer gave it and the bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class StoredFile:
    key: str
    name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(current_app.config["LOGBOOK_CERTIFICATE_MAX_BYTES"])  # default in app/config.py


def megabytes(size: int) -> str:
    return _("%(n)s MB", n=format_decimal(round(size / 1024 / 1024, 1)))


def too_large_message() -> str:
    return _(
        "This file is larger than %(limit)s. Please upload a smaller scan or photo of the certificate.",
        limit=megabytes(max_bytes()),
    )


def sniff(data: bytes) -> str | None:
    """The type the content proves, whatever the file is called."""
    for signature, content_type, _extensions in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def check(upload: Upload, field: str = "certificate") -> str:
    """Refuse empty, oversized and disguised files; returns the proven content type.

    ``field`` names the form field the errors belong to (evidence attachments reuse this).
    """
    if not upload.data:
        raise ValidationError(_("The file is empty."), fields={field: [_("The file is empty.")]})
    if len(upload.data) > max_bytes():
        raise ValidationError(too_large_message(), fields={field: [too_large_message()]})
    content_type = sniff(upload.data)
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    allowed = next((exts for _sig, kind, exts in SIGNATURES if kind == content_type), ())
    if content_type is None or extension not in allowed:
        message = (
            _("Upload the certificate as a PDF, PNG or JPEG file.")
            if field == "certificate"
            else _("Upload a PDF, PNG or JPEG file.")
        )
        if content_type is None and extension in {"pdf", "png", "jpg", "jpeg"}:
            message = _("This file is not really a PDF, PNG or JPEG, whatever its name says.")
        raise ValidationError(message, fields={field: [message]})
    return content_type


def store(upload: Upload, field: str = "certificate") -> StoredFile:
    """Check and store a file under a fresh random name; never overwrites."""
    content_type = check(upload, field)
    key = f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
    if not storage.put(Namespace.UPLOAD, key, upload.data, content_type):  # pragma: no cover
        raise RuntimeError("upload key collision")  # 128 random bits
    name = secure_filename(upload.filename)[:200] or key
    return StoredFile(
        key=key,
        name=name,
        content_type=content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
    )


def read(key: str | None) -> bytes | None:
    """The stored bytes for ``key``, only if the key is one of ours and the file exists."""
    if not KEY_PATTERN.match(key or ""):
        return None
    return storage.read(Namespace.UPLOAD, key)


def exists(key: str | None) -> bool:
    return bool(KEY_PATTERN.match(key or "")) and storage.exists(Namespace.UPLOAD, key)


def remove(key: str | None) -> None:
    if KEY_PATTERN.match(key or ""):
        storage.delete(Namespace.UPLOAD, key)
