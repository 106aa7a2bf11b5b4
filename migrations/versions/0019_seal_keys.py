"""association seal keys: the X.509 certificate and encrypted private key that seal issued PDFs

Revision ID: 0019_seal_keys
Revises: 0018_stored_documents

Keys are made on first use (``app.certificates.seal_keys``), so nothing is backfilled:
PDFs stored before this stay unsealed and keep verifying by their hash.
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0019_seal_keys"
down_revision = "0018_stored_documents"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "association_seal_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("algorithm", sa.String(length=20), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("encrypted_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("valid_until", app.database.UTCDateTime(), nullable=False),
        sa.Column("retired_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("retired_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_association_seal_key_association_id_association"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_association_seal_key_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["retired_by_id"], ["user.id"], name=op.f("fk_association_seal_key_retired_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_association_seal_key")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_association_seal_key_fingerprint")),
    )
    with op.batch_alter_table("association_seal_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_association_seal_key_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(
            "uq_association_seal_key_one_current",
            ["association_id"],
            unique=True,
            sqlite_where=sa.text("retired_at IS NULL"),
            postgresql_where=sa.text("retired_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("association_seal_key", schema=None) as batch_op:
        batch_op.drop_index("uq_association_seal_key_one_current")
        batch_op.drop_index(batch_op.f("ix_association_seal_key_association_id"))
    op.drop_table("association_seal_key")
