"""evidence attachments: files on logbook records and reflections

Revision ID: 0027_attachments
Revises: 0024_mail_links
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0027_attachments"
down_revision = "0024_mail_links"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evidence_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("reflection_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(record_id IS NULL) != (reflection_id IS NULL)", name=op.f("ck_evidence_attachment_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_evidence_attachment_association_id_association"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["logbook_record.id"], name=op.f("fk_evidence_attachment_record_id_logbook_record")
        ),
        sa.ForeignKeyConstraint(
            ["reflection_id"], ["reflection.id"], name=op.f("fk_evidence_attachment_reflection_id_reflection")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user.id"], name=op.f("fk_evidence_attachment_uploaded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_attachment")),
        sa.UniqueConstraint("key", name=op.f("uq_evidence_attachment_key")),
    )
    with op.batch_alter_table("evidence_attachment") as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_attachment_association_id"), ["association_id"])
        batch_op.create_index(batch_op.f("ix_evidence_attachment_record_id"), ["record_id"])
        batch_op.create_index(batch_op.f("ix_evidence_attachment_reflection_id"), ["reflection_id"])


def downgrade():
    op.drop_table("evidence_attachment")
