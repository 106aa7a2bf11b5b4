"""co-leader feedback: signed, final feedback between the leaders of a session

Revision ID: 0033_co_leader_feedback
Revises: 0026_invitation_enrolment_import

The triggers of ``app.groups.feedback_triggers`` refuse any UPDATE or DELETE of a row.
"""

import sqlalchemy as sa
from alembic import op

import app.database
from app.groups.feedback_triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

revision = "0033_co_leader_feedback"
down_revision = "0026_invitation_enrolment_import"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "group_co_leader_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("to_try", sa.Text(), nullable=False),
        sa.Column("signed_at", app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "author_id != recipient_id", name=op.f("ck_group_co_leader_feedback_not_to_oneself")
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_group_co_leader_feedback_association_id_association"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_group_co_leader_feedback_author_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["user.id"], name=op.f("fk_group_co_leader_feedback_recipient_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["group_session.id"],
            name=op.f("fk_group_co_leader_feedback_session_id_group_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_co_leader_feedback")),
        sa.UniqueConstraint(
            "session_id",
            "author_id",
            "recipient_id",
            name=op.f("uq_group_co_leader_feedback_session_id_author_id_recipient_id"),
        ),
    )
    with op.batch_alter_table("group_co_leader_feedback", schema=None) as batch_op:
        for column in ("association_id", "author_id", "recipient_id", "session_id"):
            batch_op.create_index(batch_op.f(f"ix_group_co_leader_feedback_{column}"), [column], unique=False)
    for statement in TRIGGER_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("group_co_leader_feedback")
