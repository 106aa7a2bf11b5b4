"""participant rule sets: a member's chosen rule set; a leader resolves a member's "not there"

Revision ID: 0042_participant_rule_sets
Revises: 0046_stored_files
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0042_participant_rule_sets"
down_revision = "0046_stored_files"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("balint_group_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rule_set", sa.String(length=40), server_default="participant-de", nullable=False)
        )
    with op.batch_alter_table("group_attendance_answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolution", sa.String(length=20), server_default="", nullable=False))
        batch_op.add_column(sa.Column("resolution_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("resolved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", app.database.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_group_attendance_answer_resolved_by_id_user"), "user", ["resolved_by_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_group_attendance_answer_resolution_known"),
            "resolution IN ('', 'corrected', 'kept')",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_group_attendance_answer_resolution_complete"),
            "resolution = '' OR (answer = 'not-there' AND resolved_at IS NOT NULL "
            "AND resolved_by_id IS NOT NULL)",
        )


def downgrade():
    with op.batch_alter_table("group_attendance_answer", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_group_attendance_answer_resolution_complete"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_group_attendance_answer_resolution_known"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_group_attendance_answer_resolved_by_id_user"), type_="foreignkey"
        )
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("resolved_by_id")
        batch_op.drop_column("resolution_reason")
        batch_op.drop_column("resolution")
    with op.batch_alter_table("balint_group_member", schema=None) as batch_op:
        batch_op.drop_column("rule_set")
