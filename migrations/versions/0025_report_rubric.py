"""competency report rubric: evidence per competency, and the trainee's acknowledgement

Revision ID: 0025_report_rubric
Revises: 0028_event_durations

``competency_report.evidence`` maps each competency to the records and reflections that
support its rating (it is part of what a signature freezes). ``report_acknowledgement`` is
a row of its own, so acknowledging a signed report never updates the signed row.
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0025_report_rubric"
down_revision = "0028_event_durations"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no batch copy), so the finality triggers on the table stay in place.
    op.add_column(
        "competency_report", sa.Column("evidence", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
    )
    op.create_table(
        "report_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("acknowledged_at", app.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["competency_report.id"],
            name=op.f("fk_report_acknowledgement_report_id_competency_report"),
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["user.id"], name=op.f("fk_report_acknowledgement_trainee_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_acknowledgement")),
        sa.UniqueConstraint("report_id", name=op.f("uq_report_acknowledgement_report_id")),
    )
    with op.batch_alter_table("report_acknowledgement") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_acknowledgement_trainee_id"), ["trainee_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("report_acknowledgement") as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_acknowledgement_trainee_id"))
    op.drop_table("report_acknowledgement")
    op.drop_column("competency_report", "evidence")
