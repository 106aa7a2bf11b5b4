"""What the database-level finality guards share: lifting them for one block.

``app.logbook.triggers`` (signed logbook records) and ``app.requirements.triggers``
(signed competency reports) each hold their own trigger statements per dialect; both
suspend them the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text


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
