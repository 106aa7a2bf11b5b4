"""LinkedIn organisation id of an association; undoing a certificate batch

Revision ID: 0022_linkedin_and_batch_undo
Revises: 0018_stored_documents

``association.linkedin_organization_id`` (optional) fills in the organisation of the
"Add to LinkedIn profile" link. ``certificate_batch.undone_at`` / ``undone_by_id`` record
that a batch issued in error was undone (its certificates revoked). Neither touches the
``certificate`` table, so its finality triggers stay as they are.
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0022_linkedin_and_batch_undo"
down_revision = "0021_certificate_renewal"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("association", schema=None) as batch_op:
        batch_op.add_column(sa.Column("linkedin_organization_id", sa.String(length=20), nullable=True))
    with op.batch_alter_table("certificate_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("undone_at", app.database.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("undone_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_certificate_batch_undone_by_id_user"), "user", ["undone_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("certificate_batch", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_certificate_batch_undone_by_id_user"), type_="foreignkey")
        batch_op.drop_column("undone_by_id")
        batch_op.drop_column("undone_at")
    with op.batch_alter_table("association", schema=None) as batch_op:
        batch_op.drop_column("linkedin_organization_id")
