"""members confirm their own attendance: one answer per member and session, asked by e-mail

Revision ID: 0038_attendance_answers
Revises: 0037_attendance_confirmations
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0038_attendance_answers"
down_revision = "0037_attendance_confirmations"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "group_attendance_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("asked_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("expires_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=False),
        sa.Column("answered_at", app.database.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "(answer = '') = (answered_at IS NULL)", name=op.f("ck_group_attendance_answer_answered_once")
        ),
        sa.CheckConstraint(
            "answer IN ('', 'confirmed', 'not-there')", name=op.f("ck_group_attendance_answer_answer_known")
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_group_attendance_answer_association_id_association"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["balint_group_member.id"],
            name=op.f("fk_group_attendance_answer_member_id_balint_group_member"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["group_session.id"],
            name=op.f("fk_group_attendance_answer_session_id_group_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_attendance_answer")),
        sa.UniqueConstraint(
            "session_id", "member_id", name=op.f("uq_group_attendance_answer_session_id_member_id")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_group_attendance_answer_token_hash")),
    )
    with op.batch_alter_table("group_attendance_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_attendance_answer_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_group_attendance_answer_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_group_attendance_answer_session_id"), ["session_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("group_attendance_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_attendance_answer_session_id"))
        batch_op.drop_index(batch_op.f("ix_group_attendance_answer_member_id"))
        batch_op.drop_index(batch_op.f("ix_group_attendance_answer_association_id"))

    op.drop_table("group_attendance_answer")
