"""What the database-level finality guards share: lifting them, and closing REPLACE on SQLite.

``app.logbook.triggers`` (signed logbook records), ``app.requirements.triggers`` (signed
competency reports), ``app.certificates.triggers`` (issued certificates) and
``app.vignettes.triggers`` (decided reflections and their feedback) each hold their own
trigger statements per dialect; all suspend them the same way.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import event, text
from sqlalchemy.engine import Engine


@contextmanager
def lifted(connection, drop: dict[str, list[str]], create: dict[str, list[str]]) -> Iterator[None]:
    """Run ``drop`` for the connection's dialect, yield, then run ``create`` again.

    For test teardown on SQLite and for a deliberate, reviewed data repair. It needs DDL
    rights, which the application's own database role should not hold in production;
    the drop and the re-creation are part of the caller's transaction, so other
    connections never see the table unguarded.
    """
    dialect = connection.dialect.name
    for statement in drop.get(dialect, []):
        connection.execute(text(statement))
    try:
        yield
    finally:
        for statement in create.get(dialect, []):
            connection.execute(text(statement))


# -- SQLite: REPLACE must not delete a final row behind the guards' backs --------------------
#
# ``INSERT OR REPLACE`` (and ``UPDATE OR REPLACE``, or ``ON CONFLICT REPLACE``) deletes the
# row it conflicts with, and SQLite fires DELETE triggers for that deletion only when
# ``recursive_triggers`` is on. Two locks, so neither alone must hold:
#
# * every SQLite connection the app (or Alembic, or ``flask shell``) opens turns
#   ``recursive_triggers`` on, so the DELETE guards see every REPLACE, whichever unique
#   column it conflicts on;
# * each guarded table also has a BEFORE INSERT trigger (``sqlite_no_replace``) refusing an
#   insert whose id is a final row, for connections we do not configure (the ``sqlite3``
#   command-line shell).
#
# PostgreSQL has no REPLACE; ``INSERT ... ON CONFLICT DO UPDATE`` fires the BEFORE UPDATE
# guards on the existing row (tested in tests/test_finality_guards.py).


@event.listens_for(Engine, "connect")
def _sqlite_recursive_triggers(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA recursive_triggers = ON")
        cursor.close()


def sqlite_no_replace(table: str, prior_is_final: str, message: str) -> str:
    """A BEFORE INSERT trigger refusing to insert over a final row with the same id.

    ``prior_is_final`` is an SQL condition on the existing row, aliased ``prior``.
    """
    # Every name in it is a module constant, never input.
    exists = f"SELECT 1 FROM {table} AS prior WHERE prior.id = NEW.id AND ({prior_is_final})"  # noqa: S608
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_final_no_replace BEFORE INSERT ON {table} "
        f"FOR EACH ROW WHEN EXISTS ({exists}) BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def sqlite_drop_no_replace(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_final_no_replace"


#: The modules that hold finality guards, each with ``suspended(connection)``.
GUARD_MODULES = (
    "app.logbook.triggers",
    "app.requirements.triggers",
    "app.certificates.triggers",
    "app.vignettes.triggers",
    "app.documents.triggers",
    "app.groups.triggers",
    "app.groups.feedback_triggers",
    "app.applications.triggers",
    "app.groups.observation_triggers",
    "app.groups.attendance_triggers",
)


@contextmanager
def all_suspended(connection) -> Iterator[None]:
    """Every finality guard lifted for a block (test teardown; see ``lifted``)."""
    with ExitStack() as stack:
        for name in GUARD_MODULES:
            stack.enter_context(importlib.import_module(name).suspended(connection))
        yield
