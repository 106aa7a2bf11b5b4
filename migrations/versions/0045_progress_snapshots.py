"""stored progress snapshots: each enrolment's evaluated outcome, recomputed when an input changes

Revision ID: 0045_progress_snapshots
Revises: 0034_imported_records

``progress_snapshot``: one row per enrolment (see ``app.requirements.snapshots``). Rows
are filled by the job queue and on read; nothing to backfill here (a missing row is
computed when first needed, or by ``flask progress refresh``).
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0045_progress_snapshots"
down_revision = "0041_status_levels"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "progress_snapshot",
        sa.Column("enrolment_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("is_stale", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("rule_set_id", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("computed_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("is_ready", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("fraction", sa.Float(), server_default=sa.text("0"), nullable=False),
        sa.Column("outcomes", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolment.id"],
            name=op.f("fk_progress_snapshot_enrolment_id_enrolment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rule_set_id"],
            ["rule_set.id"],
            name=op.f("fk_progress_snapshot_rule_set_id_rule_set"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enrolment_id", name=op.f("pk_progress_snapshot")),
    )
    with op.batch_alter_table("progress_snapshot", schema=None) as batch_op:
        batch_op.create_index("ix_progress_snapshot_ready", ["is_ready", "fraction"], unique=False)


def downgrade():
    with op.batch_alter_table("progress_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_progress_snapshot_ready")
    op.drop_table("progress_snapshot")
