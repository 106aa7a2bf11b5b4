"""certificate status: each certificate's place in the status lists, and suspensions

Revision ID: 0020_certificate_status
Revises: 0018_stored_documents

Every certificate issued before this gets its random index in its association's status
lists here (``app.certificates.status_list``: distinct per association, drawn from a
131,072-bit list, or a larger one for a large association), so that
verification can read every certificate back from the lists. Credentials already signed
keep their 1EdTech status reference; a credential signed from now on names the lists.
"""

import secrets

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0020_certificate_status"
down_revision = "0019_seal_keys"
branch_labels = None
depends_on = None

MIN_BITS = 131_072  # app.certificates.status_list.MIN_BITS, as of this revision


def _capacity(entries: int) -> int:
    capacity = MIN_BITS
    while entries * 2 >= capacity:
        capacity *= 2
    return capacity


def _assign_indexes() -> None:
    """A random, distinct index for every existing certificate, per association."""
    bind = op.get_bind()
    certificate = sa.table("certificate", sa.column("id"), sa.column("association_id"))
    entry = sa.table(
        "certificate_status_entry",
        sa.column("certificate_id"),
        sa.column("association_id"),
        sa.column("list_index"),
    )
    by_association: dict[int, list[int]] = {}
    for certificate_id, association_id in bind.execute(
        sa.select(certificate.c.id, certificate.c.association_id).order_by(certificate.c.id)
    ):
        by_association.setdefault(association_id, []).append(certificate_id)
    draw = secrets.SystemRandom()
    for association_id, certificate_ids in by_association.items():
        indexes = draw.sample(range(_capacity(len(certificate_ids))), len(certificate_ids))
        rows = [
            {"certificate_id": c, "association_id": association_id, "list_index": i}
            for c, i in zip(certificate_ids, indexes, strict=True)
        ]
        bind.execute(entry.insert(), rows)


def upgrade():
    op.create_table(
        "certificate_status_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("list_index", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "list_index >= 0", name=op.f("ck_certificate_status_entry_list_index_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_certificate_status_entry_association_id_association"),
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_certificate_status_entry_certificate_id_certificate"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_status_entry")),
        sa.UniqueConstraint(
            "association_id", "list_index", name=op.f("uq_certificate_status_entry_association_id_list_index")
        ),
        sa.UniqueConstraint("certificate_id", name=op.f("uq_certificate_status_entry_certificate_id")),
    )
    op.create_table(
        "certificate_suspension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("suspended_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("suspended_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("lifted_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lift_note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "lifted_at IS NULL OR (lifted_at >= suspended_at AND lifted_by_id IS NOT NULL)",
            name=op.f("ck_certificate_suspension_lifted_after_suspended"),
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_certificate_suspension_association_id_association"),
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_certificate_suspension_certificate_id_certificate"),
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"], ["user.id"], name=op.f("fk_certificate_suspension_lifted_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["suspended_by_id"], ["user.id"], name=op.f("fk_certificate_suspension_suspended_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_suspension")),
    )
    with op.batch_alter_table("certificate_suspension", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_suspension_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_certificate_suspension_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index(
            "uq_certificate_suspension_one_open",
            ["certificate_id"],
            unique=True,
            sqlite_where=sa.text("lifted_at IS NULL"),
            postgresql_where=sa.text("lifted_at IS NULL"),
        )
    _assign_indexes()


def downgrade():
    with op.batch_alter_table("certificate_suspension", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_certificate_suspension_one_open",
            sqlite_where=sa.text("lifted_at IS NULL"),
            postgresql_where=sa.text("lifted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_certificate_suspension_certificate_id"))
        batch_op.drop_index(batch_op.f("ix_certificate_suspension_association_id"))

    op.drop_table("certificate_suspension")
    op.drop_table("certificate_status_entry")
