"""rule-set drafts: the editor's unpublished next version of a programme's rule set

Revision ID: 0044_rule_set_drafts
Revises: 0034_imported_records

One row per programme at most (unique ``programme_id``); publishing stores the YAML as
a new ``rule_set`` version and deletes the row.
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0044_rule_set_drafts"
down_revision = "0034_imported_records"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rule_set_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("source_yaml", sa.Text(), nullable=False),
        sa.Column("updated_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_rule_set_draft_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], name=op.f("fk_rule_set_draft_updated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_set_draft")),
        sa.UniqueConstraint("programme_id", name=op.f("uq_rule_set_draft_programme_id")),
    )


def downgrade():
    op.drop_table("rule_set_draft")
