"""The submitted-records index holds the queue's id and submission time (issue 14).

The supervisor's queue reads, per trainee, the submitted records of a kind; its count
and its page then wanted each record's id and ``submitted_at`` (the page's order) from
the table: 7,500 heap visits for a supervisor of 1,000 trainees. Included in the partial
index, both statements read the index alone. PostgreSQL only: SQLite has no INCLUDE and
keeps the index as it was.

Revision ID: 0049_queue_index_only
Revises: 0048_queue_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0049_queue_index_only"
down_revision = "0048_queue_indexes"
branch_labels = None
depends_on = None


def _submitted_index(include: list[str]) -> None:
    op.drop_index("ix_logbook_record_submitted", table_name="logbook_record")
    op.create_index(
        "ix_logbook_record_submitted",
        "logbook_record",
        ["enrolment_id", "kind"],
        postgresql_include=include,
        postgresql_where=sa.text("status = 'submitted'"),
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _submitted_index(["association_id", "id", "submitted_at"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _submitted_index(["association_id"])
