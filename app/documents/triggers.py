"""The database keeps a stored document as stored: only ``superseded_by_id`` may be set, once.

Installed like the other finality guards (``app.triggers``): ``install`` for
``create_all``, the statements by migration 0018.
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

TABLE = "stored_document"
MESSAGE = "stored document: stored bytes are final; regenerate a new version"
PG_FUNCTION = "stored_document_refuse_change"
PG_TRIGGER = "stored_document_final"
FIXED_COLUMNS = (
    "id",
    "kind",
    "association_id",
    "owner_id",
    "version",
    "media_type",
    "content",
    "sha256",
    "created_at",
    "created_by_id",
    "reason",
)


def _allowed(same) -> str:
    fixed = " AND ".join(same(column) for column in FIXED_COLUMNS)
    return f"{fixed} AND ({same('superseded_by_id')} OR OLD.superseded_by_id IS NULL)"


_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_final_no_update BEFORE UPDATE ON {TABLE} FOR EACH ROW "
    f"WHEN NOT ({_allowed(lambda c: f'NEW.{c} IS OLD.{c}')}) BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_final_no_delete BEFORE DELETE ON {TABLE} FOR EACH ROW "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    sqlite_no_replace(TABLE, "1", MESSAGE),
]

# Every name in it is a module constant, never input.
_POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NOT ({_allowed(lambda c: f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}")}) THEN
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
        f"DROP TRIGGER IF EXISTS {TABLE}_final_no_update",
        f"DROP TRIGGER IF EXISTS {TABLE}_final_no_delete",
        sqlite_drop_no_replace(TABLE),
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    ],
}


def install(target: Table, connection, **kw) -> None:
    for statement in TRIGGER_STATEMENTS.get(connection.dialect.name, []):
        connection.execute(text(statement))


def suspended(connection):
    return lifted(connection, DROP_STATEMENTS, TRIGGER_STATEMENTS)
