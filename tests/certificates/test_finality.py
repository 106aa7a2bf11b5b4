"""An issued certificate is final in the database (``app.certificates.triggers``), and a row
changed behind the guards' backs is reported, never vouched for (``integrity``).

The matrix of every guarded table × UPDATE, DELETE and REPLACE on a migrated database is
in tests/test_finality_guards.py; here: what the application may still change, and what
verification does with a forged row.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.certificates import corrections, credential, triggers
from app.certificates.models import Certificate
from app.extensions import db

pytestmark = pytest.mark.both_databases  # its subject differs by database


def _execute(sql: str, **params) -> None:
    db.session.execute(sa.text(sql), params)
    db.session.flush()


def test_every_certificate_column_is_classified_by_the_guard():
    classified = {
        *triggers.FIXED_COLUMNS,
        *triggers.SET_ONCE_COLUMNS,
        *triggers.REVOCATION_COLUMNS,
        triggers.STATE_COLUMN,
    }
    assert classified == {column.name for column in Certificate.__table__.columns}


@pytest.mark.parametrize(
    "change",
    [
        "holder_name = 'Forged Name'",
        "expires_on = '2099-01-01'",
        "serial = 'BSX-2026-99999-X'",
        "pdf_sha256 = 'forged'",
        "record_sha256 = ''",
        "state = 'superseded', revocation_reason = 'quietly'",
        "revocation_reason = 'whatever'",
    ],
)
def test_database_refuses_to_change_an_issued_certificate(certificate, change):
    with pytest.raises(sa.exc.IntegrityError, match="issued certificate is final"):
        _execute(f"UPDATE certificate SET {change} WHERE id = :id", id=certificate.id)  # noqa: S608
    db.session.rollback()


def test_a_revoked_certificate_stays_revoked(world, certificate):
    corrections.revoke(world.admin, certificate.id, reason="Issued in error, sorry.")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError, match="issued certificate is final"):
        _execute(
            "UPDATE certificate SET state = 'valid', revoked_at = NULL WHERE id = :id", id=certificate.id
        )
    db.session.rollback()


def test_revoking_and_reissuing_pass_the_guard(world, certificate):
    new = corrections.reissue(
        world.admin, certificate.id, reason="Name was misspelt.", holder_name="T. Trainee"
    )
    db.session.commit()
    corrections.revoke(world.admin, new.id, reason="Issued in error, sorry.")
    db.session.commit()
    assert (certificate.state, new.state) == ("superseded", "revoked")


def test_replace_on_the_serial_cannot_remove_an_issued_certificate(certificate):
    """SQLite: REPLACE conflicting on another unique column fires the DELETE guard too."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("REPLACE is SQLite's")
    columns = [c.name for c in Certificate.__table__.columns if c.name != "id"]
    listed = ", ".join(columns)
    with pytest.raises(sa.exc.IntegrityError, match="issued certificate is final"):
        _execute(
            f"INSERT OR REPLACE INTO certificate ({listed}) SELECT {listed} FROM certificate WHERE id = :id",  # noqa: S608
            id=certificate.id,
        )
    db.session.rollback()


def _forge(certificate: Certificate) -> None:
    """What someone with the DDL rights to drop the guard could do."""
    certificate_id = certificate.id
    db.session.rollback()
    with db.engine.begin() as connection, triggers.suspended(connection):
        connection.execute(
            sa.text("UPDATE certificate SET holder_name = 'Forged Name' WHERE id = :id"),
            {"id": certificate_id},
        )
    db.session.expire_all()


def test_verification_refuses_to_vouch_for_a_forged_row(client, world, certificate):
    pdf_sha256 = certificate.pdf_sha256
    _forge(certificate)
    for url in (f"/verify/{certificate.serial}", f"/verify/{certificate.serial}.json"):
        response = client.get(url)
        text = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "Forged Name" not in text
        assert "changed after it was issued" in text
    assert "Forged Name" not in client.get(f"/credentials/{certificate.serial}.json").get_data(as_text=True)
    response = client.post("/verify", data={"sha256": pdf_sha256})
    assert "Forged Name" not in response.get_data(as_text=True)


def test_the_credential_of_a_forged_row_is_not_confirmed(world, certificate):
    document = credential.signed_credential(certificate)
    _forge(certificate)
    check = credential.verify_credential(document)
    assert not check.is_authentic


def test_the_migration_backfills_the_record_hash_as_issuing_computes_it(certificate):
    """Migration 0017 hashes existing rows read through Core; a mismatch would call them altered."""
    import importlib.util
    from pathlib import Path

    from app.certificates import integrity

    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0017_finality_guards.py"
    spec = importlib.util.spec_from_file_location("migration_0017", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    row = (
        db.session.execute(
            sa.select(migration._certificate).where(migration._certificate.c.id == certificate.id)
        )
        .mappings()
        .one()
    )
    assert integrity.record_digest(row) == certificate.record_sha256 != ""
