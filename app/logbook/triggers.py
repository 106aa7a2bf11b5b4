"""Database triggers that keep a signed logbook record final, whatever writes to the database.

The services already refuse to change a signed record; these triggers make the database
refuse it too, so a bug, a console session or a hand-written SQL statement cannot
quietly rewrite evidence an accreditation committee relies on. They raise on:

* UPDATE or DELETE of a ``logbook_record`` row whose status is ``signed``;
* UPDATE or DELETE of a kind row (session, supervision, event, observation) whose
  ``logbook_record`` row is signed;
* any UPDATE of a co-leader confirmation, and DELETE of one beside a signed record.

Nothing in the application needs an exception: an admin's reopening inserts a new
record that references the old one (``supersedes_id``) and leaves the signed row alone.

Two ways in, the same statements:

* ``install`` is an SQLAlchemy ``after_create`` listener (see ``models.py``), so
  ``db.create_all()`` in tests builds the triggers with the tables;
* an Alembic migration runs ``TRIGGER_STATEMENTS[dialect]`` with ``op.execute`` (and
  ``DROP_STATEMENTS[dialect]`` to downgrade).
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

RECORD_TABLE = "logbook_record"
KIND_TABLES = ("logbook_session", "logbook_supervision", "logbook_event", "logbook_observation")
CONFIRMATION_TABLE = "logbook_confirmation"
TABLES = (RECORD_TABLE, *KIND_TABLES, CONFIRMATION_TABLE)

MESSAGE = "logbook: a signed record is final and cannot be changed or deleted; record a correction"
PG_FUNCTION = "logbook_refuse_signed_change"


def _sqlite_conditions(table: str) -> dict[str, str]:
    """The WHEN clause per operation: when the row (or its record) is signed."""
    if table == RECORD_TABLE:
        signed = "OLD.status = 'signed'"
        return {"update": signed, "delete": signed}
    if table == CONFIRMATION_TABLE:
        return {
            "update": "1",
            "delete": f"(SELECT status FROM {RECORD_TABLE} WHERE id = OLD.record_id) = 'signed'",  # noqa: S608
        }
    signed = f"(SELECT status FROM {RECORD_TABLE} WHERE id = OLD.id) = 'signed'"  # noqa: S608
    return {"update": signed, "delete": signed}


def _sqlite_statements(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_signed_no_{operation} "
        f"BEFORE {operation.upper()} ON {table} FOR EACH ROW WHEN {condition} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        for operation, condition in _sqlite_conditions(table).items()
    ]


# One function serves every table: it finds the record's status from the row itself or
# from logbook_record, and raises with SQLSTATE 23000 so drivers report an integrity
# error, as SQLite's RAISE(ABORT) does. Every name in it is a module constant, never input.
_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    record_status text;
BEGIN
    IF TG_TABLE_NAME = '{RECORD_TABLE}' THEN
        record_status := OLD.status;
    ELSIF TG_TABLE_NAME = '{CONFIRMATION_TABLE}' THEN
        IF TG_OP = 'UPDATE' THEN
            record_status := 'signed';
        ELSE
            SELECT status INTO record_status FROM {RECORD_TABLE} WHERE id = OLD.record_id;
        END IF;
    ELSE
        SELECT status INTO record_status FROM {RECORD_TABLE} WHERE id = OLD.id;
    END IF;
    IF record_status = 'signed' THEN
        RAISE EXCEPTION '{MESSAGE}'
            USING ERRCODE = 'integrity_constraint_violation',
                  DETAIL = format('%s on %s, row %s', TG_OP, TG_TABLE_NAME, OLD.id);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$
""".strip()  # noqa: S608


def _postgresql_statements(table: str) -> list[str]:
    name = f"{table}_signed_immutable"
    return [
        _PG_FUNCTION_SQL,
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    ]


_BUILDERS = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}


def statements_for(dialect: str, table: str) -> list[str]:
    """The statements that install the triggers of one table (none for other dialects)."""
    builder = _BUILDERS.get(dialect)
    return builder(table) if builder else []


def _all_statements(dialect: str) -> list[str]:
    statements: list[str] = []
    for table in TABLES:
        statements.extend(s for s in statements_for(dialect, table) if s not in statements)
    return statements


#: Everything, per dialect, in table-creation order: for ``op.execute`` in a migration.
TRIGGER_STATEMENTS: dict[str, list[str]] = {dialect: _all_statements(dialect) for dialect in _BUILDERS}

DROP_STATEMENTS: dict[str, list[str]] = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {table}_signed_no_{operation}"
        for table in TABLES
        for operation in ("update", "delete")
    ],
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS {table}_signed_immutable ON {table}" for table in TABLES),
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    ],
}


def _prior_is_final(table: str) -> str:
    """For ``sqlite_no_replace``: the existing row (``prior``) belongs to a signed record."""
    if table == RECORD_TABLE:
        return "prior.status = 'signed'"
    column = "record_id" if table == CONFIRMATION_TABLE else "id"
    return f"(SELECT status FROM {RECORD_TABLE} WHERE id = prior.{column}) = 'signed'"  # noqa: S608


#: SQLite only: no INSERT OR REPLACE over a signed record's rows (migration 0017; see
#: ``app.triggers`` for why, and for the ``recursive_triggers`` pragma beside it).
NO_REPLACE_STATEMENTS: dict[str, list[str]] = {
    "sqlite": [sqlite_no_replace(table, _prior_is_final(table), MESSAGE) for table in TABLES],
}
NO_REPLACE_DROP_STATEMENTS: dict[str, list[str]] = {
    "sqlite": [sqlite_drop_no_replace(table) for table in TABLES],
}


def install(target: Table, connection, **kw) -> None:
    """``after_create`` listener: add the triggers of the table just created."""
    dialect = connection.dialect.name
    for statement in statements_for(dialect, target.name):
        connection.execute(text(statement))
    for statement in NO_REPLACE_STATEMENTS.get(dialect, []):
        if f" ON {target.name} " in statement:
            connection.execute(text(statement))


def suspended(connection):
    """Drop these triggers for the length of a block on ``connection`` (see ``app.triggers.lifted``)."""
    return lifted(connection, DROP_STATEMENTS, TRIGGER_STATEMENTS)
