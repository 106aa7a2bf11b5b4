"""Database triggers that keep a closed group session final, whatever writes to the database.

Closing a session writes the leaders' logbook records from it; if the session could
change afterwards the two would disagree. The service refuses edits of a closed session
and these triggers make the database refuse them too:

* UPDATE or DELETE of a ``group_session`` row whose status is ``closed``;
* INSERT, UPDATE or DELETE of a row under a closed session (its leaders, phases,
  attendance and record links).

``install`` is the ``after_create`` listener (``models.py``) for ``create_all``; migration
0023 runs ``TRIGGER_STATEMENTS[dialect]``. Suspended like the other guards (``app.triggers``).
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

SESSION_TABLE = "group_session"
CHILD_TABLES = ("group_session_leader", "group_session_phase", "group_attendance", "group_session_record")
TABLES = (SESSION_TABLE, *CHILD_TABLES)

MESSAGE = "group session: a closed session is final and cannot be changed"
PG_FUNCTION = "group_session_refuse_closed_change"

# Every name below is a module constant, never input.
_CLOSED = "(SELECT status FROM group_session WHERE id = {row}.session_id) = 'closed'"  # noqa: S608


def _sqlite_statements(table: str) -> list[str]:
    def trigger(operation: str, condition: str) -> str:
        return (
            f"CREATE TRIGGER IF NOT EXISTS {table}_closed_no_{operation} "
            f"BEFORE {operation.upper()} ON {table} FOR EACH ROW WHEN {condition} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )

    if table == SESSION_TABLE:
        closed = "OLD.status = 'closed'"
        return [
            trigger("update", closed),
            trigger("delete", closed),
            sqlite_no_replace(table, "prior.status = 'closed'", MESSAGE),
        ]
    return [
        trigger("insert", _CLOSED.format(row="NEW")),
        trigger("update", f"{_CLOSED.format(row='OLD')} OR {_CLOSED.format(row='NEW')}"),
        trigger("delete", _CLOSED.format(row="OLD")),
    ]


_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    is_closed boolean := false;
BEGIN
    IF TG_TABLE_NAME = '{SESSION_TABLE}' THEN
        is_closed := OLD.status = 'closed';
    ELSE
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            SELECT status = 'closed' INTO is_closed FROM {SESSION_TABLE} WHERE id = OLD.session_id;
        END IF;
        IF NOT coalesce(is_closed, false) AND TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT status = 'closed' INTO is_closed FROM {SESSION_TABLE} WHERE id = NEW.session_id;
        END IF;
    END IF;
    IF coalesce(is_closed, false) THEN
        RAISE EXCEPTION '{MESSAGE}'
            USING ERRCODE = 'integrity_constraint_violation',
                  DETAIL = format('%s on %s', TG_OP, TG_TABLE_NAME);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$
""".strip()  # noqa: S608


def _postgresql_statements(table: str) -> list[str]:
    name = f"{table}_closed_final"
    operations = "UPDATE OR DELETE" if table == SESSION_TABLE else "INSERT OR UPDATE OR DELETE"
    return [
        _PG_FUNCTION_SQL,
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} BEFORE {operations} ON {table} FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    ]


_BUILDERS = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}


def statements_for(dialect: str, table: str) -> list[str]:
    builder = _BUILDERS.get(dialect)
    return builder(table) if builder else []


def _all_statements(dialect: str) -> list[str]:
    statements: list[str] = []
    for table in TABLES:
        statements.extend(s for s in statements_for(dialect, table) if s not in statements)
    return statements


TRIGGER_STATEMENTS: dict[str, list[str]] = {dialect: _all_statements(dialect) for dialect in _BUILDERS}

DROP_STATEMENTS: dict[str, list[str]] = {
    "sqlite": [
        *(f"DROP TRIGGER IF EXISTS {SESSION_TABLE}_closed_no_{op}" for op in ("update", "delete")),
        sqlite_drop_no_replace(SESSION_TABLE),
        *(
            f"DROP TRIGGER IF EXISTS {table}_closed_no_{op}"
            for table in CHILD_TABLES
            for op in ("insert", "update", "delete")
        ),
    ],
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS {table}_closed_final ON {table}" for table in TABLES),
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    ],
}


def install(target: Table, connection, **kw) -> None:
    """``after_create`` listener: add the triggers of the table just created."""
    for statement in statements_for(connection.dialect.name, target.name):
        connection.execute(text(statement))


def suspended(connection):
    """Drop these triggers for a block on ``connection`` (see ``app.triggers.lifted``)."""
    return lifted(connection, DROP_STATEMENTS, TRIGGER_STATEMENTS)
