"""The database keeps an issued attendance confirmation as issued: revoking it is the only change.

An UPDATE may set ``revoked_at``, ``revoked_by_id`` and ``revocation_reason`` once, on a
row not yet revoked, and nothing else; DELETE is refused. Installed like the other
finality guards (``app.triggers``): ``install`` for ``create_all``, the statements by
migration 0037.
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

TABLE = "attendance_confirmation"
MESSAGE = "attendance confirmation: an issued confirmation is final (it can only be revoked)"
PG_FUNCTION = "attendance_confirmation_refuse_change"
PG_TRIGGER = "attendance_confirmation_final"
#: Every column an issued confirmation keeps for good.
KEPT = (
    "id",
    "association_id",
    "group_id",
    "member_id",
    "session_id",
    "kind",
    "serial",
    "member_name",
    "group_name",
    "association_name",
    "issuer_name",
    "period_from",
    "period_to",
    "sessions_count",
    "total_minutes",
    "in_person_minutes",
    "online_minutes",
    "sessions",
    "rule_set",
    "rules",
    "issued_by_id",
    "issued_at",
)

_SQLITE_CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in KEPT)
_PG_CHANGED = " OR ".join(
    f"NEW.{column}::text IS DISTINCT FROM OLD.{column}::text"
    if column in ("sessions", "rules")
    else f"NEW.{column} IS DISTINCT FROM OLD.{column}"
    for column in KEPT
)

# Every name in these is a module constant, never input.
_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_final_no_update BEFORE UPDATE ON {TABLE} FOR EACH ROW "
    f"WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR {_SQLITE_CHANGED} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_final_no_delete BEFORE DELETE ON {TABLE} FOR EACH ROW "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    sqlite_no_replace(TABLE, "1", MESSAGE),
]

_POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR {_PG_CHANGED} THEN
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
