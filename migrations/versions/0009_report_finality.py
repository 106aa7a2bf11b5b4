"""requirements: a signed competency report is final in the database too (triggers)

Revision ID: 0009_report_finality
Revises: 0008_certificates
"""

from alembic import op

from app.requirements.triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

revision = "0009_report_finality"
down_revision = "0008_certificates"
branch_labels = None
depends_on = None


def upgrade():
    # Signed reports are final: the database itself refuses to change or delete them.
    for statement in TRIGGER_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
