"""Training events carry their length in minutes

Revision ID: 0028_event_durations
Revises: 0032_process_notes

``logbook_event.minutes`` (optional): the teaching length of a seminar, weekend or
intensive, so that a rule set can require "30 double sessions (90 minutes) in leader
seminars" as a sum of minutes rather than a count of events. Existing events have none
(NULL): they add nothing to a sum of minutes until one is given. A plain ADD COLUMN, so
SQLite keeps the table (and its sign-off triggers) as it is.
"""

import sqlalchemy as sa
from alembic import op

from app.logbook.triggers import TRIGGER_STATEMENTS

revision = "0028_event_durations"
down_revision = "0032_process_notes"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("logbook_event", sa.Column("minutes", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("logbook_event", schema=None) as batch_op:
        batch_op.drop_column("minutes")
    if op.get_bind().dialect.name == "sqlite":  # the table was rebuilt: its triggers with it
        for statement in TRIGGER_STATEMENTS["sqlite"]:
            op.execute(statement)
