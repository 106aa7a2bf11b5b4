"""finality guards: no REPLACE over signed rows on SQLite

Revision ID: 0013_finality_guards
Revises: 0015_jobs

SQLite's INSERT OR REPLACE deleted a signed logbook record or competency report without
firing the DELETE guards. Each guarded table gains a BEFORE INSERT trigger refusing an
insert over a final row (the app's connections also turn ``recursive_triggers`` on, see
``app.triggers``). PostgreSQL needs nothing here: ON CONFLICT DO UPDATE fires the UPDATE
guards.
"""

from alembic import op

from app.logbook import triggers as logbook_triggers
from app.requirements import triggers as report_triggers

revision = "0013_finality_guards"
down_revision = "0015_jobs"
branch_labels = None
depends_on = None

_INSTALL = (logbook_triggers.NO_REPLACE_STATEMENTS, report_triggers.NO_REPLACE_STATEMENTS)
_DROP = (logbook_triggers.NO_REPLACE_DROP_STATEMENTS, report_triggers.NO_REPLACE_DROP_STATEMENTS)


def upgrade():
    dialect = op.get_bind().dialect.name
    for statements in _INSTALL:
        for statement in statements.get(dialect, []):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statements in _DROP:
        for statement in statements.get(dialect, []):
            op.execute(statement)
