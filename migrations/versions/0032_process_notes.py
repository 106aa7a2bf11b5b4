"""the leader's process note on a session, along the four dimensions of mentalizing

Revision ID: 0032_process_notes
Revises: 0023_groups

Private to its author and the author's supervisors (``app.groups.process_notes``).
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0032_process_notes"
down_revision = "0023_groups"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "group_process_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("positions", sa.JSON(), nullable=False),
        sa.Column("movements", sa.JSON(), nullable=False),
        sa.Column("leader_actions", sa.Text(), nullable=False),
        sa.Column("for_supervision", sa.Text(), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_group_process_note_association_id_association"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_group_process_note_author_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["group_session.id"], name=op.f("fk_group_process_note_session_id_group_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_process_note")),
        sa.UniqueConstraint(
            "session_id", "author_id", name=op.f("uq_group_process_note_session_id_author_id")
        ),
    )
    with op.batch_alter_table("group_process_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_process_note_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_group_process_note_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_process_note_session_id"), ["session_id"], unique=False)


def downgrade():
    with op.batch_alter_table("group_process_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_process_note_session_id"))
        batch_op.drop_index(batch_op.f("ix_group_process_note_author_id"))
        batch_op.drop_index(batch_op.f("ix_group_process_note_association_id"))

    op.drop_table("group_process_note")
