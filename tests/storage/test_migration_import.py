"""Migration 0046 imports the files the old folders hold, so upgrading loses none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask_migrate import upgrade

from app import create_app
from app.accounts.models import Association
from app.certificates import credential, rendering
from app.config import PROJECT_ROOT
from app.extensions import db
from app.logbook import uploads
from app.storage.models import Blob, Namespace
from tests.conftest import _on_postgres_server

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 40
LOGO_HASH = "ab" * 32
UPLOAD_KEY = "0123456789abcdef0123456789abcdef.pdf"


@pytest.fixture
def empty_database_url(backend, tmp_path, request):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'import.sqlite3'}"
        return
    base = request.getfixturevalue("database_url")
    url = sa.make_url(base).set(database=f"stillpoint_import_{os.getpid()}")
    rendered = url.render_as_string(hide_password=False)
    _on_postgres_server(rendered, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    _on_postgres_server(rendered, f'CREATE DATABASE "{url.database}"')
    yield rendered
    _on_postgres_server(rendered, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def _before_0046() -> str:
    scripts = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    return scripts.get_revision("0046_stored_files").down_revision


def _old_folders(root: Path) -> bytes:
    """The folders as a server before 0046 left them; returns the key file's PEM."""
    (root / "uploads").mkdir(parents=True)
    (root / "uploads" / UPLOAD_KEY).write_bytes(PDF)
    (root / "uploads" / "notes.txt").write_bytes(b"not ours")  # not an upload name: skipped
    (root / "logos").mkdir()
    (root / "logos" / f"{LOGO_HASH}.png").write_bytes(PNG)
    (root / "keys").mkdir()
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (root / "keys" / "bsx.pem").write_bytes(pem)
    (root / "keys" / "gone.pem").write_bytes(pem)  # no such association: skipped
    return pem


def test_upgrading_imports_uploads_logos_and_keys(empty_database_url, tmp_path):
    pem = _old_folders(tmp_path / "old")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "TESTING": True,
            "SECRET_KEY": "import-test-secret-key-0123456789",
            "LOGBOOK_UPLOAD_DIR": str(tmp_path / "old" / "uploads"),
            "CERTIFICATE_LOGO_DIR": str(tmp_path / "old" / "logos"),
            "CERTIFICATE_KEY_DIR": str(tmp_path / "old" / "keys"),
        }
    )
    with app.app_context():
        upgrade(revision=_before_0046())
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO association (slug, name, serial_prefix, signatory_name, signatory_role,"
                    " certificate_page_size, created_at) VALUES ('bsx', 'Balint Society X', 'BSX', '', '',"
                    " 'A4', CURRENT_TIMESTAMP)"
                )
            )
        upgrade()
        try:
            rows = {(b.namespace, b.key): b for b in db.session.scalars(sa.select(Blob))}
            association = db.session.scalar(sa.select(Association).where(Association.slug == "bsx"))
            assert set(rows) == {
                (Namespace.UPLOAD.value, UPLOAD_KEY),
                (Namespace.CERTIFICATE_LOGO.value, LOGO_HASH),
                (Namespace.CREDENTIAL_KEY.value, str(association.id)),
            }
            assert uploads.read(UPLOAD_KEY) == PDF
            assert rows[(Namespace.UPLOAD.value, UPLOAD_KEY)].media_type == "application/pdf"
            assert rendering.logo_data_uri(LOGO_HASH).startswith("data:image/png;base64,")
            key_row = rows[(Namespace.CREDENTIAL_KEY.value, str(association.id))]
            assert key_row.is_encrypted and pem not in key_row.content
            imported = credential.signing_key(association)  # the same key, not a new one
            assert credential._raw(imported.public_key()) == credential._raw(
                serialization.load_pem_private_key(pem, password=None).public_key()
            )
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_configured_folder_that_is_missing_is_named_in_a_warning(empty_database_url, tmp_path, capfd):
    """A wrong server or an unmounted share imports nothing: the upgrade says which setting
    (on the console, where migrations log: env.py configures logging from alembic.ini)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "TESTING": True,
            "SECRET_KEY": "import-test-secret-key-0123456789",
            "CERTIFICATE_KEY_DIR": str(tmp_path / "not-mounted" / "keys"),
        }
    )
    with app.app_context():
        try:
            upgrade()
        finally:
            db.session.remove()
            db.engine.dispose()
    console = capfd.readouterr().err
    assert "CERTIFICATE_KEY_DIR is set to" in console and "not a folder here" in console
