"""The database keeps a signed observation report as signed: never updated or deleted.

A report is assigned (unsigned, filled in by its observer) and then signed
(``app.groups.observation``); from then on the row is final. Installed like the other
finality guards (``app.triggers``): ``install`` for ``create_all``, the statements by
migration 0035.
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

TABLE = "group_observation_report"
MESSAGE = "observation report: a signed report is final"
PG_FUNCTION = "group_observation_report_refuse_change"
PG_TRIGGER = "group_observation_report_final"

_SQLITE = [
    *(
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_final_no_{op} BEFORE {op.upper()} ON {TABLE} FOR EACH ROW "
        f"WHEN OLD.signed_at IS NOT NULL BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        for op in ("update", "delete")
    ),
    sqlite_no_replace(TABLE, "prior.signed_at IS NOT NULL", MESSAGE),
]

# Every name in it is a module constant, never input.
_POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.signed_at IS NULL AND TG_OP = 'DELETE' THEN
        RETURN OLD;
    ELSIF OLD.signed_at IS NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}'
        USING ERRCODE = 'integrity_constraint_violation',
              DETAIL = format('%s on {TABLE}, row %s', TG_OP, OLD.id);
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
        *(f"DROP TRIGGER IF EXISTS {TABLE}_final_no_{op}" for op in ("update", "delete")),
        sqlite_drop_no_replace(TABLE),
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    ],
}


def install(target: Table, connection, **kw) -> None:
    """``after_create`` listener: add the guard to the table just created."""
    for statement in TRIGGER_STATEMENTS.get(connection.dialect.name, []):
        connection.execute(text(statement))


def suspended(connection):
    """Drop the guard for a block on ``connection`` (see ``app.triggers.lifted``)."""
    return lifted(connection, DROP_STATEMENTS, TRIGGER_STATEMENTS)
