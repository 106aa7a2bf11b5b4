"""Portfolios rendered by a job: an application's portfolio hash is NULL until the PDF is stored

Revision ID: 0047_pending_documents
Revises: 0040_profile_facts

``accreditation_application.portfolio_sha256`` becomes nullable, and the application's
finality guard (``app.applications.triggers``) is installed again: it now lets the hash go
from NULL to a value once, and refuses every other change of it, as well as a decision
on an application whose portfolio is not stored yet. Attendance confirmations need no
schema change (their PDF is a stored document the job adds).

On SQLite the column change rebuilds the table, which would drop its triggers and leave
the panel's and the reviews' triggers naming a table being replaced; all of this guard's
triggers are dropped first and created again after, inside the migration's transaction.
"""

import sqlalchemy as sa
from alembic import op

from app.applications.triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

revision = "0047_pending_documents"
down_revision = "0040_profile_facts"
branch_labels = None
depends_on = None


def _set_nullable(nullable: bool) -> None:
    dialect = op.get_bind().dialect.name
    for statement in DROP_STATEMENTS.get(dialect, []):
        op.execute(statement)
    with op.batch_alter_table("accreditation_application", schema=None) as batch_op:
        batch_op.alter_column("portfolio_sha256", existing_type=sa.String(length=64), nullable=nullable)
    for statement in TRIGGER_STATEMENTS.get(dialect, []):
        op.execute(statement)


def upgrade():
    _set_nullable(True)


def downgrade():
    # An application still waiting for its portfolio cannot go back to a NOT NULL column:
    # run the worker until every portfolio is stored, then downgrade.
    _set_nullable(False)
