"""mail links: one-time e-mailed links that let a verifier act on one item without logging in

Revision ID: 0024_mail_links
Revises: 0025_report_rubric

Only the SHA-256 of each token is stored; ``fingerprint`` is the item as it read when the
link was sent (a changed item refuses the link).
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0024_mail_links"
down_revision = "0025_report_rubric"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("expires_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("used_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('sign-record', 'review-reflection', 'confirm-session')",
            name=op.f("ck_mail_link_purpose_known"),
        ),
        sa.ForeignKeyConstraint(
            ["association_id"], ["association.id"], name=op.f("fk_mail_link_association_id_association")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_mail_link_user_id_user")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_mail_link_created_by_id_user")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user.id"], name=op.f("fk_mail_link_revoked_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_mail_link_token_hash")),
    )
    with op.batch_alter_table("mail_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_link_association_id"), ["association_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mail_link_user_id"), ["user_id"], unique=False)
        batch_op.create_index("ix_mail_link_item", ["purpose", "object_id"], unique=False)


def downgrade():
    with op.batch_alter_table("mail_link", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_link_item")
        batch_op.drop_index(batch_op.f("ix_mail_link_user_id"))
        batch_op.drop_index(batch_op.f("ix_mail_link_association_id"))
    op.drop_table("mail_link")
