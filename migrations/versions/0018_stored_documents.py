"""stored documents: issued PDFs and credentials kept as bytes in the database

Revision ID: 0018_stored_documents
Revises: 0017_finality_guards

Certificates issued before this have no stored documents; their first download renders
and stores them (``app.certificates.documents``): rendering needs the app's templates,
fonts and signing keys, which a migration should not depend on.
"""

import sqlalchemy as sa
from alembic import op

import app.database
from app.documents.triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

revision = "0018_stored_documents"
down_revision = "0017_finality_guards"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=80), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["association_id"], ["association.id"], name=op.f("fk_stored_document_association_id_association")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_stored_document_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["stored_document.id"],
            name=op.f("fk_stored_document_superseded_by_id_stored_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_document")),
        sa.UniqueConstraint(
            "kind", "owner_id", "version", name=op.f("uq_stored_document_kind_owner_id_version")
        ),
        sa.UniqueConstraint("superseded_by_id", name=op.f("uq_stored_document_superseded_by_id")),
    )
    with op.batch_alter_table("stored_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stored_document_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stored_document_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stored_document_sha256"), ["sha256"], unique=False)
    for statement in TRIGGER_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("stored_document")
