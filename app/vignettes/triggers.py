"""Database triggers that keep a decided reflection and its feedback final.

The ORM already refuses (``app.vignettes.models``: ``FinalRecordViolation``); these make
the database refuse too, like the logbook's guards (``app.logbook.triggers``):

* UPDATE or DELETE of a ``reflection`` whose status is final (``accepted`` or
  ``revision_requested``: ``FINAL_STATUSES``, decided by a supervisor; a revision is a
  new row naming the old one in ``previous_id``);
* any UPDATE or DELETE of ``reflection_feedback`` (never edited, as the ORM says).

Nothing the application does needs an exception: review decides a ``submitted`` row;
erasure and retention (``app.personal_data``) delete only draft and submitted ones.
Installed like the other guards (``app.triggers``).
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

REFLECTION = "reflection"
FEEDBACK = "reflection_feedback"
TABLES = (REFLECTION, FEEDBACK)
MESSAGE = "reflection: a decided reflection and its feedback are final"
PG_FUNCTION = "reflection_refuse_final_change"
FINAL = "('accepted', 'revision_requested')"


def _sqlite_statements(table: str) -> list[str]:
    condition = f"OLD.status IN {FINAL}" if table == REFLECTION else "1"
    prior = f"prior.status IN {FINAL}" if table == REFLECTION else "1"
    return [
        *(
            f"CREATE TRIGGER IF NOT EXISTS {table}_final_no_{operation} BEFORE {operation.upper()} "
            f"ON {table} FOR EACH ROW WHEN {condition} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for operation in ("update", "delete")
        ),
        sqlite_no_replace(table, prior, MESSAGE),
    ]


# Every name in it is a module constant, never input.
_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    final boolean := true;
BEGIN
    IF TG_TABLE_NAME = '{REFLECTION}' THEN
        final := OLD.status IN {FINAL};
    END IF;
    IF final THEN
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
""".strip()


def _postgresql_statements(table: str) -> list[str]:
    return [
        _PG_FUNCTION_SQL,
        f"DROP TRIGGER IF EXISTS {table}_final_immutable ON {table}",
        f"CREATE TRIGGER {table}_final_immutable BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    ]


_BUILDERS = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}


def statements_for(dialect: str, table: str) -> list[str]:
    builder = _BUILDERS.get(dialect)
    return builder(table) if builder else []


TRIGGER_STATEMENTS: dict[str, list[str]] = {
    dialect: [s for table in TABLES for s in statements_for(dialect, table)] for dialect in _BUILDERS
}

DROP_STATEMENTS: dict[str, list[str]] = {
    "sqlite": [
        *(
            f"DROP TRIGGER IF EXISTS {table}_final_no_{operation}"
            for table in TABLES
            for operation in ("update", "delete")
        ),
        *(sqlite_drop_no_replace(table) for table in TABLES),
    ],
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS {table}_final_immutable ON {table}" for table in TABLES),
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    ],
}


def install(target: Table, connection, **kw) -> None:
    """``after_create`` listener: add the triggers of the table just created."""
    for statement in statements_for(connection.dialect.name, target.name):
        connection.execute(text(statement))


def suspended(connection):
    """Drop these triggers for the length of a block on ``connection`` (see ``app.triggers.lifted``)."""
    return lifted(connection, DROP_STATEMENTS, TRIGGER_STATEMENTS)
