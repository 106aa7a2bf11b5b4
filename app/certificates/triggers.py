"""Database triggers that keep an issued certificate as it was issued, whatever writes to the database.

A certificate row is what the PDF, the signed credential and the verification page
vouch for, so after its INSERT the database refuses every change but the three the
application makes (``app.certificates.issuing`` and ``corrections``):

* ``pdf_sha256`` is set once, from ``''``, when the PDF is rendered in the issuing
  transaction;
* ``state`` goes from ``valid`` to ``superseded`` (a re-issue or a renewal), touching nothing else;
* ``state`` goes from ``valid`` to ``revoked`` with ``revoked_at``, ``revoked_by_id`` and
  ``revocation_reason`` (a revocation).

DELETE is always refused. Erasure of the holder's personal data
(``app.personal_data.erasure``) pseudonymises the *account*, never the certificate
row: verification hides the name of an erased holder (``verification.public_record``)
and the credential answers 410, so no exception is needed for it.

The immutable columns are listed here by name, frozen with migration 0017; a test
(tests/certificates/test_finality.py) fails when the model gains a column this module
does not classify (``first_awarded_on`` joined with migration 0021). Installed like the
other guards (``app.triggers``): ``install`` as an ``after_create`` listener for
``create_all``, the statements by migrations 0017 and 0021.
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

TABLE = "certificate"
MESSAGE = "certificate: an issued certificate is final; revoke or re-issue it"
PG_FUNCTION = "certificate_refuse_change"
PG_TRIGGER = "certificate_issued_immutable"

#: Written once at INSERT and never again.
FIXED_COLUMNS = (
    "id",
    "association_id",
    "enrolment_id",
    "holder_id",
    "programme_id",
    "rule_set_id",
    "rule_set_version",
    "batch_id",
    "serial",
    "holder_name",
    "programme_title",
    "association_name",
    "achievement",
    "issued_on",
    "first_awarded_on",
    "expires_on",
    "signatory_name",
    "signatory_role",
    "page_size",
    "logo_sha256",
    "locale",
    "verify_url",
    "record_sha256",
    "issued_at",
    "issued_by_id",
    "override_reason",
    "supersedes_id",
    "reissue_reason",
)
#: Set once, from '' (the PDF is rendered after the row is inserted).
SET_ONCE_COLUMNS = ("pdf_sha256",)
#: What a revocation writes.
REVOCATION_COLUMNS = ("revoked_at", "revoked_by_id", "revocation_reason")
STATE_COLUMN = "state"


def _allowed(same) -> str:
    """The condition under which an UPDATE is allowed; ``same(column)`` is null-safe equality."""
    fixed = " AND ".join(same(column) for column in FIXED_COLUMNS)
    set_once = " AND ".join(f"({same(column)} OR OLD.{column} = '')" for column in SET_ONCE_COLUMNS)
    unrevoked = " AND ".join(same(column) for column in REVOCATION_COLUMNS)
    transition = (
        f"(({same(STATE_COLUMN)} AND {unrevoked})"
        f" OR (OLD.state = 'valid' AND NEW.state = 'superseded' AND {unrevoked})"
        f" OR (OLD.state = 'valid' AND NEW.state = 'revoked' AND OLD.revoked_at IS NULL))"
    )
    return f"{fixed} AND {set_once} AND {transition}"


_SQLITE_ALLOWED = _allowed(lambda column: f"NEW.{column} IS OLD.{column}")
_PG_ALLOWED = _allowed(lambda column: f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}")

_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_issued_no_update BEFORE UPDATE ON {TABLE} "
    f"FOR EACH ROW WHEN NOT ({_SQLITE_ALLOWED}) BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_issued_no_delete BEFORE DELETE ON {TABLE} "
    f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    sqlite_no_replace(TABLE, "1", MESSAGE),
]

# Every name in it is a module constant, never input.
_POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NOT ({_PG_ALLOWED}) THEN
        RAISE EXCEPTION '{MESSAGE}'
            USING ERRCODE = 'integrity_constraint_violation',
                  DETAIL = format('%s on {TABLE}, row %s', TG_OP, OLD.id);
    END IF;
    RETURN NEW;
END;
$$
""".strip(),
    f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
    f"CREATE TRIGGER {PG_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
]

TRIGGER_STATEMENTS: dict[str, list[str]] = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}

DROP_STATEMENTS: dict[str, list[str]] = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TABLE}_issued_no_update",
        f"DROP TRIGGER IF EXISTS {TABLE}_issued_no_delete",
        sqlite_drop_no_replace(TABLE),
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    ],
}


def install(target: Table, connection, **kw) -> None:
    """``after_create`` listener: add the triggers to the table just created."""
    for statement in TRIGGER_STATEMENTS.get(connection.dialect.name, []):
        connection.execute(text(statement))


def suspended(connection):
    """Drop these triggers for the length of a block on ``connection`` (see ``app.triggers.lifted``)."""
    return lifted(connection, DROP_STATEMENTS, TRIGGER_STATEMENTS)
