"""invitations that enrol: a programme and supervisors on an invitation, and revoking one

Revision ID: 0026_invitation_enrolment_import
Revises: 0027_attachments

An admin invites a trainee and picks the programme and supervisor(s) in the same form;
accepting the invitation creates the enrolment. An open invitation can be revoked.
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0026_invitation_enrolment_import"
down_revision = "0027_attachments"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("revoked_at", app.database.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_invitation_programme_id_programme"), "programme", ["programme_id"], ["id"]
        )
    op.create_table(
        "invitation_supervisor",
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitation.id"],
            name=op.f("fk_invitation_supervisor_invitation_id_invitation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["user.id"], name=op.f("fk_invitation_supervisor_supervisor_id_user")
        ),
        sa.PrimaryKeyConstraint("invitation_id", "supervisor_id", name=op.f("pk_invitation_supervisor")),
    )
    op.create_index(
        op.f("ix_invitation_supervisor_supervisor_id"),
        "invitation_supervisor",
        ["supervisor_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_invitation_supervisor_supervisor_id"), table_name="invitation_supervisor")
    op.drop_table("invitation_supervisor")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_constraint(batch.f("fk_invitation_programme_id_programme"), type_="foreignkey")
        batch.drop_column("programme_id")
        batch.drop_column("revoked_at")
