"""Earlier training imported by an admin: the attesting document and the imported records

Revision ID: 0034_imported_records
Revises: 0038_attendance_answers

``import_document``: the PDF, PNG or JPEG an admin attached to an import of earlier
training. ``logbook_record`` gains ``is_imported``, ``import_key`` (the stable hash that
makes importing the same file twice change nothing, unique per enrolment) and
``import_document_id``. Plain ADD COLUMNs, so SQLite keeps the table (and its sign-off
triggers) as it is.
"""

import sqlalchemy as sa
from alembic import op

import app.database
from app.logbook.triggers import (
    DROP_STATEMENTS,
    NO_REPLACE_DROP_STATEMENTS,
    NO_REPLACE_STATEMENTS,
    TRIGGER_STATEMENTS,
)

revision = "0034_imported_records"
down_revision = "0038_attendance_answers"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("attested_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"], ["association.id"], name=op.f("fk_import_document_association_id_association")
        ),
        sa.ForeignKeyConstraint(
            ["attested_by_id"], ["user.id"], name=op.f("fk_import_document_attested_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_document")),
        sa.UniqueConstraint("key", name=op.f("uq_import_document_key")),
    )
    op.create_index(
        op.f("ix_import_document_association_id"), "import_document", ["association_id"], unique=False
    )
    op.add_column(
        "logbook_record",
        sa.Column("is_imported", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("logbook_record", sa.Column("import_key", sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference inline; a batch rebuild would drop the
        # table's sign-off triggers.
        op.execute(
            "ALTER TABLE logbook_record ADD COLUMN import_document_id INTEGER REFERENCES import_document (id)"
        )
    else:
        op.add_column("logbook_record", sa.Column("import_document_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_logbook_record_import_document_id_import_document"),
            "logbook_record",
            "import_document",
            ["import_document_id"],
            ["id"],
        )
    op.create_index(
        op.f("ix_logbook_record_import_document_id"), "logbook_record", ["import_document_id"], unique=False
    )
    op.create_index(
        "uq_logbook_record_import_key", "logbook_record", ["enrolment_id", "import_key"], unique=True
    )


def downgrade():
    op.drop_index("uq_logbook_record_import_key", table_name="logbook_record")
    op.drop_index(op.f("ix_logbook_record_import_document_id"), table_name="logbook_record")
    is_sqlite = op.get_bind().dialect.name == "sqlite"
    if is_sqlite:  # the kind tables' triggers name logbook_record: off while it is rebuilt
        for statement in DROP_STATEMENTS["sqlite"] + NO_REPLACE_DROP_STATEMENTS["sqlite"]:
            op.execute(statement)
    with op.batch_alter_table("logbook_record", schema=None) as batch_op:
        if not is_sqlite:  # SQLite's reference is unnamed; the rebuild leaves it out with its column
            batch_op.drop_constraint(
                op.f("fk_logbook_record_import_document_id_import_document"), type_="foreignkey"
            )
        batch_op.drop_column("import_document_id")
        batch_op.drop_column("import_key")
        batch_op.drop_column("is_imported")
    if is_sqlite:
        for statement in TRIGGER_STATEMENTS["sqlite"] + NO_REPLACE_STATEMENTS["sqlite"]:
            op.execute(statement)
    op.drop_index(op.f("ix_import_document_association_id"), table_name="import_document")
    op.drop_table("import_document")
