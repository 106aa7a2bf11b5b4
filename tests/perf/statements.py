"""Count the SQL statements a request runs, with SQLAlchemy's own engine event (no mocks)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class StatementLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return "\n".join(f"{number}. {sql}" for number, sql in enumerate(self.statements, 1))


@contextmanager
def counting_statements(engine: Engine):
    """Every statement sent to ``engine`` inside the block, in order (SAVEPOINTs included)."""
    log = StatementLog()

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        log.statements.append(" ".join(statement.split())[:300])

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def statements_of_get(client, engine: Engine, url: str) -> tuple[int, StatementLog]:
    """GET ``url`` (following no redirects) and return its status and the statements it ran."""
    with counting_statements(engine) as log:
        response = client.get(url)
        response.get_data()  # a streamed body runs its queries while it is read
        response.close()
    return response.status_code, log
