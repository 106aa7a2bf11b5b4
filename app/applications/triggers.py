"""Database triggers that keep a decided application, its panel and the recommendations final.

The service refuses these changes; the triggers make the database refuse them too:

* ``accreditation_application``: no DELETE ever; no UPDATE once decided (status is not
  ``open``); and while open, no UPDATE of what the trainee applied with (the snapshot,
  the date, the enrolment and the rule-set version). The portfolio's hash is NULL until
  the job has stored the PDF (``portfolio.prepare``): it may go from NULL to a value,
  once, and never change after; and no application leaves ``open`` without it, since the
  decision's signature covers it;
* ``accreditation_panel_member``: no INSERT, UPDATE or DELETE under a decided application;
* ``accreditation_panel_review``: a recommendation is final when recorded (no UPDATE or
  DELETE), and none is added to a decided application.

``install`` is the ``after_create`` listener (``models.py``); migration 0029 runs
``TRIGGER_STATEMENTS[dialect]``, and 0047 again (with the portfolio's hash nullable).
Suspended like the other guards (``app.triggers``).
"""

from __future__ import annotations

from sqlalchemy import Table, text

from app.triggers import lifted, sqlite_drop_no_replace, sqlite_no_replace

APPLICATION = "accreditation_application"
PANEL = "accreditation_panel_member"
REVIEWS = "accreditation_panel_review"
TABLES = (APPLICATION, PANEL, REVIEWS)

MESSAGE = "accreditation application: a decided application and its recommendations are final"
PG_FUNCTION = "accreditation_refuse_final_change"

#: What the trainee applied with: never changed, even while the application is open.
FROZEN = ("snapshot_json", "applied_on", "enrolment_id", "trainee_id", "rule_set_version")

#: The portfolio's hash: set once (NULL -> value), never changed or cleared; not decided without it.
_PORTFOLIO_SQLITE = (
    "(OLD.portfolio_sha256 IS NOT NULL AND NEW.portfolio_sha256 IS NOT OLD.portfolio_sha256)"
    " OR (NEW.status != 'open' AND NEW.portfolio_sha256 IS NULL)"
)
_PORTFOLIO_PG = (
    "(OLD.portfolio_sha256 IS NOT NULL AND NEW.portfolio_sha256 IS DISTINCT FROM OLD.portfolio_sha256)"
    " OR (NEW.status != 'open' AND NEW.portfolio_sha256 IS NULL)"
)

# Every name below is a module constant, never input.
_DECIDED = f"(SELECT status FROM {APPLICATION} WHERE id = {{row}}.application_id) != 'open'"  # noqa: S608


def _sqlite_statements(table: str) -> list[str]:
    def trigger(operation: str, condition: str) -> str:
        when = f" WHEN {condition}" if condition else ""
        return (
            f"CREATE TRIGGER IF NOT EXISTS {table}_final_no_{operation} "
            f"BEFORE {operation.upper()} ON {table} FOR EACH ROW{when} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )

    if table == APPLICATION:
        changed = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in FROZEN)
        return [
            trigger("update", f"OLD.status != 'open' OR {changed} OR {_PORTFOLIO_SQLITE}"),
            trigger("delete", ""),
            sqlite_no_replace(table, "1 = 1", MESSAGE),
        ]
    if table == PANEL:
        return [
            trigger("insert", _DECIDED.format(row="NEW")),
            trigger("update", f"{_DECIDED.format(row='OLD')} OR {_DECIDED.format(row='NEW')}"),
            trigger("delete", _DECIDED.format(row="OLD")),
        ]
    return [
        trigger("insert", _DECIDED.format(row="NEW")),
        trigger("update", ""),
        trigger("delete", ""),
        sqlite_no_replace(table, "1 = 1", MESSAGE),
    ]


_FROZEN_CHANGED = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in FROZEN)

_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    is_final boolean := false;
BEGIN
    IF TG_TABLE_NAME = '{APPLICATION}' THEN
        IF TG_OP = 'DELETE' THEN
            is_final := true;
        ELSE
            is_final := OLD.status != 'open' OR {_FROZEN_CHANGED} OR {_PORTFOLIO_PG};
        END IF;
    ELSIF TG_TABLE_NAME = '{REVIEWS}' AND TG_OP IN ('UPDATE', 'DELETE') THEN
        is_final := true;
    ELSE
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            SELECT status != 'open' INTO is_final FROM {APPLICATION} WHERE id = OLD.application_id;
        END IF;
        IF NOT coalesce(is_final, false) AND TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT status != 'open' INTO is_final FROM {APPLICATION} WHERE id = NEW.application_id;
        END IF;
    END IF;
    IF coalesce(is_final, false) THEN
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
    name = f"{table}_final"
    operations = "UPDATE OR DELETE" if table == APPLICATION else "INSERT OR UPDATE OR DELETE"
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
        *(
            f"DROP TRIGGER IF EXISTS {table}_final_no_{op}"
            for table in TABLES
            for op in ("insert", "update", "delete")
        ),
        sqlite_drop_no_replace(APPLICATION),
        sqlite_drop_no_replace(REVIEWS),
    ],
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS {table}_final ON {table}" for table in TABLES),
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
