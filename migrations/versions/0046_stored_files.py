"""stored files in the database: uploads, certificate logos and credential signing keys

Revision ID: 0046_stored_files
Revises: 0044_rule_set_drafts

Until now these lived in folders on the app server (``LOGBOOK_UPLOAD_DIR``,
``CERTIFICATE_LOGO_DIR``, ``CERTIFICATE_KEY_DIR``, by default under the instance
folder), which a second app server could not read. This creates ``stored_blob`` and
imports whatever those folders hold on the server that runs the upgrade:

- uploads ``<32 hex>.pdf|png|jpg`` (event certificates, evidence, attesting documents),
  under the same key, so the records that name them find them;
- logos ``<sha256>.png``, under their hash;
- signing keys ``<association-slug>.pem``, under the association's id, encrypted with
  Fernet under ``SEAL_KEY_SECRET`` (else ``SECRET_KEY``), like the seal keys: set the
  production secret before upgrading. A key file of an unknown slug is skipped.

Run the upgrade on the server that held the folders (with the same settings). The
files are left where they were; delete them once the upgrade has been checked.
Downgrading drops the table: export the files first if you need them back on disk.
"""

import hashlib
import logging
import re
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

import app.database

revision = "0046_stored_files"
down_revision = "0044_rule_set_drafts"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg)$")
LOGO_NAME = re.compile(r"^([0-9a-f]{64})\.png$")
MEDIA_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def upgrade():
    blob = op.create_table(
        "stored_blob",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("namespace", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("media_type", sa.String(length=80), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("is_encrypted", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_blob")),
        sa.UniqueConstraint("namespace", "key", name=op.f("uq_stored_blob_namespace_key")),
    )
    _import_folders(blob)


def downgrade():
    op.drop_table("stored_blob")


def _folder(setting: str, *default: str) -> Path:
    configured = current_app.config.get(setting)
    if configured and not Path(configured).is_dir():
        # A wrong server or an unmounted share would import nothing; say so loudly, since a
        # missing signing key is then generated anew and earlier credentials stop verifying.
        log.warning(
            "0046: %s is set to %s, which is not a folder here: nothing imported from it", setting, configured
        )
    return Path(configured) if configured else Path(current_app.instance_path, *default)


def _files(folder: Path):
    if folder.is_dir():
        yield from sorted(path for path in folder.iterdir() if path.is_file())


def _import_folders(blob: sa.Table) -> None:
    from app.storage.crypto import configured_secret, fernet_for

    connection = op.get_bind()
    now = app.database.utcnow()
    rows = []

    def add(namespace, key, data, media_type, content=None):
        rows.append(
            {
                "namespace": namespace,
                "key": key,
                "media_type": media_type,
                "content": data if content is None else content,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "is_encrypted": content is not None,
                "created_at": now,
            }
        )

    for path in _files(_folder("LOGBOOK_UPLOAD_DIR", "uploads", "certificates")):
        if UPLOAD_NAME.match(path.name):
            add("upload", path.name, path.read_bytes(), MEDIA_TYPES[path.suffix[1:]])
    for path in _files(_folder("CERTIFICATE_LOGO_DIR", "certificate-logos")):
        if match := LOGO_NAME.match(path.name):
            add("certificate_logo", match.group(1), path.read_bytes(), "image/png")
    key_files = [path for path in _files(_folder("CERTIFICATE_KEY_DIR", "keys")) if path.suffix == ".pem"]
    if key_files:
        fernet = fernet_for(configured_secret(current_app.config))
        ids = dict(connection.execute(sa.text("SELECT slug, id FROM association")).all())
        for path in key_files:
            if path.stem not in ids:
                log.warning("0046: skipped %s: no association has the slug %r", path, path.stem)
                continue
            pem = path.read_bytes()
            add("credential_key", str(ids[path.stem]), pem, "application/x-pem-file", fernet.encrypt(pem))
    if rows:
        op.bulk_insert(blob, rows)
        log.info("0046: imported %d stored files from the old folders into stored_blob", len(rows))
