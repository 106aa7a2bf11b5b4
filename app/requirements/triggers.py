"""Database triggers that keep a signed competency report final, whatever writes to the database.

``reports.sign_report`` already signs with a conditional UPDATE and the services refuse
to edit a signed report; these triggers make the database refuse it too, as it does for
signed logbook records (``app.logbook.triggers``): an UPDATE or DELETE of a
``competency_report`` row whose status is ``signed`` raises. Signing itself updates a
draft row, so it passes.

The same two ways in as the logbook's triggers:

* ``install`` is an SQLAlchemy ``after_create`` listener (see ``models.py``), so
  ``db.create_all()`` in tests builds the triggers with the table;
* migration 0009 runs ``TRIGGER_STATEMENTS[dialect]`` (and ``DROP_STATEMENTS[dialect]``
  to downgrade).
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

TABLE = "competency_report"
MESSAGE = "competency report: a signed report is final and cannot be changed or deleted"
PG_FUNCTION = "competency_report_refuse_signed_change"
PG_TRIGGER = "competency_report_signed_immutable"

# SQLITE: one trigger per operation; RAISE(ABORT) is reported as an integrity error.
_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_signed_no_{operation} "
    f"BEFORE {operation.upper()} ON {TABLE} FOR EACH ROW WHEN OLD.status = 'signed' "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for operation in ("update", "delete")
]

# PostgreSQL: SQLSTATE 23000, so drivers report an integrity error as with SQLite.
# Every name in it is a module constant, never input.
_POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        RAISE EXCEPTION '{MESSAGE}'
            USING ERRCODE = 'integrity_constraint_violation',
                  DETAIL = format('%s on {TABLE}, row %s', TG_OP, OLD.id);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$
""".strip(),
    f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
    f"CREATE TRIGGER {PG_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
]

#: What installs the triggers, per dialect (none for others): for ``op.execute`` in a migration.
TRIGGER_STATEMENTS: dict[str, list[str]] = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}

DROP_STATEMENTS: dict[str, list[str]] = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {TABLE}_signed_no_{operation}" for operation in ("update", "delete")],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    ],
}


#: SQLite only: no INSERT OR REPLACE over a signed report (migration 0017; see ``app.triggers``).
NO_REPLACE_STATEMENTS: dict[str, list[str]] = {
    "sqlite": [sqlite_no_replace(TABLE, "prior.status = 'signed'", MESSAGE)],
}
NO_REPLACE_DROP_STATEMENTS: dict[str, list[str]] = {"sqlite": [sqlite_drop_no_replace(TABLE)]}


def install(target: Table, connection, **kw) -> None:
    """``after_create`` listener: add the triggers to the table just created."""
    dialect = connection.dialect.name
    for statement in TRIGGER_STATEMENTS.get(dialect, []) + NO_REPLACE_STATEMENTS.get(dialect, []):
        connection.execute(text(statement))


def suspended(connection):
    """Drop these triggers for the length of a block on ``connection`` (see ``app.triggers.lifted``)."""
    return lifted(connection, DROP_STATEMENTS, TRIGGER_STATEMENTS)
